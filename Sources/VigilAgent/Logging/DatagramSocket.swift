import Foundation
import Synchronization

/// A Unix datagram socket that sends to one address: journald's socket, or systemd's
/// `$NOTIFY_SOCKET` (a path, or an abstract name written with a leading `@`). Opened once.
///
/// Sending never waits: a log line is written from the alarm path, and a journald too busy to
/// take it (its queue full) must cost the room a log line, never a late alarm. Nor does it
/// raise SIGPIPE.
public final class DatagramSocket: Sendable {
    /// Where journald listens on every systemd machine.
    public static let journal = DatagramSocket(path: "/run/systemd/journal/socket")

    public let path: String
    private let fd: Int32
    /// Datagrams the receiver had no room for since it last took one (the journal's handler
    /// says how many in its next entry).
    let dropped = Atomic<Int>(0)

    public init(path: String) {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// What became of a datagram.
    public enum Outcome: Sendable, Equatable {
        case sent
        /// The receiver's queue is full: it was dropped rather than waited for.
        case busy
        /// Nobody listens there, or it was refused; `errno` says why.
        case refused(errno: Int32)
    }

    /// Sends one datagram at once, or not at all.
    @discardableResult
    public func send(_ datagram: [UInt8]) -> Outcome {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        let abstract = name.first == UInt8(ascii: "@")
        if abstract { name[0] = 0 }
        guard fd >= 0 else { return .refused(errno: EBADF) }
        guard !name.isEmpty, name.count < MemoryLayout.size(ofValue: address.sun_path) else { return .refused(errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: name)
            raw[name.count] = 0
        }
        // An abstract name's length is exact: its trailing bytes would be part of it.
        let length = abstract ? MemoryLayout<sa_family_t>.size + name.count : MemoryLayout<sockaddr_un>.size
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                datagram.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), socketAddress, socklen_t(length))
                }
            }
        }
        if sent == datagram.count { return .sent }
        let error = sent < 0 ? errno : EMSGSIZE
        return error == EAGAIN || error == EWOULDBLOCK ? .busy : .refused(errno: error)
    }
}
