import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The running agent's local control socket: a Unix socket, mode 0660 (the agent's user and
/// group: add the doula's account to the group), one JSON request line in, one JSON reply
/// line out, per connection. Accepting and answering run on threads of their own, so a slow
/// client never holds up the room.
public final class ControlSocket: Sendable {
    public let path: String
    private let fd: Int32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Binds the socket (replacing a stale one) and starts answering with `handle`.
    public init(path: String, handle: @escaping @Sendable (String) async -> String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "control socket: \(String(cString: strerror(errno)))") }
        var address = try Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            Glibc.close(fd)
            throw Failure(description: "control socket \(path): \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o660)
        let listening = fd
        let accepting = Thread {
            while true {
                let client = accept(listening, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return  // closed
                }
                Thread { Self.serve(client, handle) }.start()
            }
        }
        accepting.name = "vigil-control"
        accepting.start()
    }

    /// Stops accepting and removes the socket file.
    public func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
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

    private static func serve(_ client: Int32, _ handle: @escaping @Sendable (String) async -> String) {
        defer { Glibc.close(client) }
        guard let line = readLine(client) else { return }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        Task {
            answer.text = await handle(line)
            done.signal()
        }
        done.wait()
        let bytes = Array((answer.text + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }

    private final class Answer: @unchecked Sendable { var text = "" }

    /// One line from a socket (at most 64 KiB).
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

    /// Sends one request to a running agent and returns its reply (the CLI's side).
    public static func request(_ line: String, path: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = try address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            throw Failure(description: "no agent answers on \(path) (\(String(cString: strerror(errno)))): is vigil run or vigil demo running?")
        }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard let reply = readLine(fd) else { throw Failure(description: "the agent closed the connection without a reply") }
        return reply
    }
}
