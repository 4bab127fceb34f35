import Foundation

/// A Unix datagram socket that sends to one address: journald's socket, or systemd's
/// `$NOTIFY_SOCKET` (a path, or an abstract name written with a leading `@`). Opened once;
/// sending never blocks for long and never raises SIGPIPE.
public final class DatagramSocket: Sendable {
    /// Where journald listens on every systemd machine.
    public static let journal = DatagramSocket(path: "/run/systemd/journal/socket")

    public let path: String
    private let fd: Int32

    public init(path: String) {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Sends one datagram; `false` when nobody listens there or it is refused.
    @discardableResult
    public func send(_ datagram: [UInt8]) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        let abstract = name.first == UInt8(ascii: "@")
        if abstract { name[0] = 0 }
        guard fd >= 0, !name.isEmpty, name.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: name)
            raw[name.count] = 0
        }
        // An abstract name's length is exact: its trailing bytes would be part of it.
        let length = abstract ? MemoryLayout<sa_family_t>.size + name.count : MemoryLayout<sockaddr_un>.size
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                datagram.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, socklen_t(length))
                }
            }
        }
        return sent == datagram.count
    }
}
