import Foundation

/// A serial port operation that failed, with the system's reason.
public struct SerialPortError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32

    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// The device is gone (unplugged, the path vanished), as opposed to misconfigured.
    public var isGone: Bool { [EIO, ENXIO, ENODEV, ENOENT, EBADF].contains(code) }

    public var description: String { "\(path): \(operation): \(String(cString: strerror(code)))" }
}
