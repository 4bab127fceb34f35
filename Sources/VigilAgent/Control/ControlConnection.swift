#if canImport(Glibc)
import Glibc
#endif

/// One client of the control socket as its loop sees it: reading the request line, waiting for
/// the room's answer, then writing that answer; after it, the connection is closed.
struct ControlConnection {
    enum Stage {
        /// Waiting for a whole request line; closed if none comes before the deadline.
        case reading
        /// The request is with the room; nothing is read or written meanwhile.
        case answering
        /// The reply is being written; closed if the client does not take it before the deadline.
        case writing
    }

    let fd: Int32
    let id: UInt64
    var stage = Stage.reading
    var received: [UInt8] = []
    /// The part of the reply not written yet.
    var unsent: [UInt8] = []
    /// When the current stage must be over (none while the room answers).
    var deadline: ContinuousClock.Instant?

    init(fd: Int32, id: UInt64, deadline: ContinuousClock.Instant) {
        self.fd = fd
        self.id = id
        self.deadline = deadline
    }

    /// What a read found.
    enum Read {
        case nothingYet
        case request(String)
        case tooLong
        case gone
    }

    /// Reads what the client has sent, without blocking.
    mutating func readAvailable() -> Read {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .nothingYet }
            if n <= 0 {
                // A client that sent its request and then shut its side gets its answer still.
                return received.isEmpty ? .gone : .request(String(decoding: received, as: UTF8.self))
            }
            received += buffer[0..<n]
            if let end = received.firstIndex(of: UInt8(ascii: "\n")) {
                return .request(String(decoding: received[..<end], as: UTF8.self))
            }
            if received.count >= ControlSocket.maxRequestBytes { return .tooLong }
        }
    }

    /// Writes what it can of the reply; `true` once all of it is out, `nil` if the client is gone.
    /// MSG_NOSIGNAL: a client that hung up is an error for this connection, not SIGPIPE for the agent.
    mutating func writeAvailable() -> Bool? {
        while !unsent.isEmpty {
            let n = unsent.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return false }
            if n <= 0 { return nil }
            unsent.removeFirst(n)
        }
        return true
    }

    /// Says one last line without waiting (the client may not be reading) and closes.
    static func refuse(_ fd: Int32, _ reason: String) {
        let bytes = Array((ControlSocket.errorLine(reason) + "\n").utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
        close(fd)
    }
}
