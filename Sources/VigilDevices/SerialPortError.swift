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

    /// Whether another program holds the port (``SerialPort`` takes it for one reader). Only a
    /// program that locks it too is seen (flock): one that merely reads it is not.
    public var isInUse: Bool { (operation == "lock" && code == EWOULDBLOCK) || code == EBUSY }

    /// In words a nurse or an IT person can act on, where the system's own would puzzle them.
    public var description: String {
        if isInUse { return "\(path): in use by another program that holds it (another vigil, or a program that locks the port): a port has one reader" }
        if operation == "read" && isGone { return "\(path): the device went away (unplugged or switched off)" }
        if operation == "open" && code == ENOENT { return "\(path): no such port (is the device plugged in, and is this its path?)" }
        if operation == "tcgetattr" && code == ENOTTY { return "\(path): not a serial port" }
        return "\(path): \(operation): \(String(cString: strerror(code)))"
    }
}
