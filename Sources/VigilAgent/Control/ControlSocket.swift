import Foundation
import Logging
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// The running agent's local control socket: a Unix socket, mode 0660 (the agent's user and
/// group: add the doula's account to the group), one JSON request line in (at most 64 KiB), one
/// JSON reply line out, per connection. One thread (``ControlLoop``) serves every connection
/// without blocking on any, so a slow, silent or vanished client never holds up the room, and
/// a flood of them cannot take the agent's threads or file descriptors.
public final class ControlSocket: Sendable {
    public let path: String
    private let wakeup: ControlWakeup

    /// Clients served at once; one more makes the longest-waiting silent one give way.
    public static var maxConnections: Int { 32 }
    /// How long a client has to send its whole request line, and then to take the reply.
    public static var requestTimeout: Duration { .seconds(5) }
    /// How long accepting pauses when the process is out of file descriptors.
    public static var acceptBackoff: Duration { .milliseconds(100) }
    public static var maxRequestBytes: Int { 65_536 }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Binds the socket (replacing a stale one) and starts answering with `handle`; `log` hears
    /// of trouble accepting connections.
    public init(path: String, handle: @escaping @Sendable (String) async -> String,
                log: Logger = .vigil("control")) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "control socket: \(String(cString: strerror(errno)))") }
        var address = try Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure(description: "control socket \(path): \(reason)")
        }
        chmod(path, 0o660)
        do {
            wakeup = try ControlWakeup()
        } catch {
            Glibc.close(fd)
            throw error
        }
        let wakeup = self.wakeup
        let serving = Thread {
            ControlLoop(listener: fd, wakeup: wakeup, handle: handle, log: log).run()
        }
        serving.name = "vigil-control"
        serving.start()
    }

    /// Stops accepting, closes every connection and removes the socket file.
    public func close() {
        wakeup.stop()
        unlink(path)
    }

    /// A refusal in the socket's reply format.
    static func errorLine(_ reason: String) -> String {
        var j = JSONLine()
        j.add("ok", .bool(false))
        j.add("error", reason)
        return j.description
    }

    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Failure(description: "control socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return address
    }

    /// One line from a socket (at most 64 KiB), read a byte at a time: the CLI's side only.
    static func readLine(_ fd: Int32) -> String? {
        var data: [UInt8] = []
        var byte: UInt8 = 0
        while data.count < 65_536 {
            let n = read(fd, &byte, 1)
            if n <= 0 { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: data, as: UTF8.self) }
            data.append(byte)
        }
        return data.isEmpty ? nil : String(decoding: data, as: UTF8.self)
    }

    /// Sends one request to a running agent and returns its reply (the CLI's side). Gives up
    /// after `timeout` rather than hang on an agent that does not answer.
    public static func request(_ line: String, path: String, timeout: Int = 15) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "control socket: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        for option in [SO_SNDTIMEO, SO_RCVTIMEO] {
            setsockopt(fd, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = try address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            throw Failure(description: "no agent answers on \(path) (\(String(cString: strerror(errno)))): is vigil run or vigil demo running?")
        }
        let bytes = Array((line + "\n").utf8)
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count, let reply = readLine(fd) else {
            throw Failure(description: "the agent at \(path) gave no reply within \(timeout) s (or closed the connection)")
        }
        return reply
    }
}
