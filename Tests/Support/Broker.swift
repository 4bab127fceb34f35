import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real mosquitto on 127.0.0.1, on a free port, for one test: anonymous, or with a password file.
public final class Broker: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    private var process: Process?
    private let config: String

    public enum Security {
        case none
        case password(user: String, password: String)
        /// Several users, and an ACL file that decides what each may read and write.
        case users([String: String], aclFile: String)
    }

    /// The CA that signed the broker's certificate, when the broker speaks TLS.
    public let caFile: String?

    /// A broker on a free loopback port; with `tls`, a throwaway CA and a certificate for
    /// 127.0.0.1 are made with openssl, and the listener speaks only TLS.
    /// With `persistent`, sessions and queued messages survive a restart: the broker saves
    /// after every change, because ``stop()`` kills it without warning. `extraConfig` lines are
    /// added at the end of the config as they are (a bridge to another test broker, say).
    public init(security: Security = .none, tls: Bool = false, persistent: Bool = false, extraConfig: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        // As root mosquitto would switch to its own user, which cannot read keys made here.
        var lines = ["listener \(port) 127.0.0.1", "user root", "set_tcp_nodelay true",
                     "log_dest file \(folder.path)/mosquitto.log"]
        lines += persistent
            ? ["persistence true", "persistence_location \(folder.path)/", "autosave_interval 1", "autosave_on_changes true"]
            : ["persistence false"]
        switch security {
        case .none:
            lines.append("allow_anonymous true")
        case .password(let user, let password):
            let file = folder.appendingPathComponent("passwd").path
            try Self.run("/usr/bin/mosquitto_passwd", ["-b", "-c", file, user, password])
            lines += ["allow_anonymous false", "password_file \(file)"]
        case .users(let users, let acl):
            let file = folder.appendingPathComponent("passwd").path
            try "".write(toFile: file, atomically: true, encoding: .utf8)
            for (user, password) in users.sorted(by: { $0.key < $1.key }) {
                try Self.run("/usr/bin/mosquitto_passwd", ["-b", file, user, password])
            }
            lines += ["allow_anonymous false", "password_file \(file)", "acl_file \(acl)"]
        }
        let certificates = tls ? try Self.makeCertificates(in: folder) : nil
        lines += certificates?.lines ?? []
        caFile = certificates?.caFile
        lines += extraConfig
        config = folder.appendingPathComponent("mosquitto.conf").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        try start()
    }

    /// Starts (or restarts) the broker and waits until it accepts connections.
    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        p.arguments = ["-c", config]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try Spawn.run(p)
        process = p
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, p.isRunning {
            if Self.accepts(port) {
                // Someone else could be listening there: make sure it is ours that stays up.
                usleep(150_000)
                if p.isRunning { return }
                break
            }
            usleep(20_000)
        }
        throw BrokerError(message: "mosquitto did not start on port \(port): \(log.suffix(400))")
    }

    /// What the broker logged so far, for a failing test to show.
    public var log: String {
        (try? String(contentsOfFile: folder.appendingPathComponent("mosquitto.log").path, encoding: .utf8)) ?? ""
    }

    /// Stops the broker (an outage).
    public func stop() {
        guard let p = process else { return }
        // SIGKILL: a child spawned from a test thread can inherit a mask that blocks SIGTERM.
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A CA, and a broker certificate it signed for 127.0.0.1 and localhost.
    private static func makeCertificates(in folder: URL) throws -> (lines: [String], caFile: String) {
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let openssl = "/usr/bin/openssl"
        try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Vigil Test CA",
                               "-keyout", path("ca.key"), "-out", path("ca.crt")])
        try run(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                               "-keyout", path("broker.key"), "-out", path("broker.csr")])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: path("san.cnf"), atomically: true, encoding: .utf8)
        try run(openssl, ["x509", "-req", "-in", path("broker.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                               "-CAcreateserial", "-days", "2", "-extfile", path("san.cnf"), "-out", path("broker.crt")])
        return (["cafile \(path("ca.crt"))", "certfile \(path("broker.crt"))", "keyfile \(path("broker.key"))"], path("ca.crt"))
    }

    /// Ports below Linux's ephemeral range (32768–60999), handed out once each per test process:
    /// a port taken from the ephemeral range could be one another test's stopped broker is
    /// about to listen on again.
    private static let nextPort = Mutex(20_000 + Int(getpid() % 500) * 20)

    public static func freePort() throws -> Int {
        for _ in 0..<2000 {
            let candidate = nextPort.withLock { p -> Int in
                defer { p = p >= 32_000 ? 20_000 : p + 1 }
                return p
            }
            if canBind(candidate) { return candidate }
        }
        throw BrokerError(message: "no free port for mosquitto")
    }

    static func canBind(_ port: Int) -> Bool { onLoopback(port, bind) }

    static func accepts(_ port: Int) -> Bool { onLoopback(port, connect) }

    /// Calls `bind` or `connect` for 127.0.0.1:`port` on a fresh TCP socket; true on success.
    private static func onLoopback(_ port: Int, _ call: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try Spawn.run(p)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw BrokerError(message: "\(tool) \(arguments.joined(separator: " ")) failed") }
    }
}

public struct BrokerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
