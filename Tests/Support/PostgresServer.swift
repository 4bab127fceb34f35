import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL for one test: Debian's `postgresql` (`initdb`, `postgres`, `pg_ctl`), a cluster in
/// a temporary folder, listening only on 127.0.0.1 on a free port, with its unix socket in that
/// folder; one user, `vigil`, who signs in with a password (SCRAM), as a station would.
/// initdb refuses to run as root, so as root the cluster is the `postgres` user's.
public final class PostgresServer: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    public let user = "vigil"
    public let password = UUID().uuidString
    private let bin: String
    private var server: Process?
    private var data: String { folder.appendingPathComponent("data").path }

    /// Makes the cluster and starts it; throws if PostgreSQL is not installed or does not start.
    public init() throws {
        bin = try Self.binaries()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-postgres-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Broker.freePort()
        let passwordFile = folder.appendingPathComponent("password").path
        try password.write(toFile: passwordFile, atomically: false, encoding: .utf8)
        if getuid() == 0 {
            guard let postgres = getpwnam("postgres") else {
                throw PostgresServerError(message: "as root the tests run PostgreSQL as the postgres user, and there is none (apt-get install postgresql)")
            }
            for path in [folder.path, passwordFile] { chown(path, postgres.pointee.pw_uid, postgres.pointee.pw_gid) }
        }
        try run("initdb", ["-D", data, "-U", user, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8",
                           "--locale", "C", "--no-sync"], timeout: 60)
        try start()
    }

    /// Starts (or restarts) the server and waits until it accepts connections. `postgres` runs as
    /// this process's child, not daemonized by `pg_ctl start`: Foundation's `Process` tells that a
    /// child ended when the socket it hands the child closes, and a daemon keeps it open forever.
    public func start() throws {
        let log = folder.appendingPathComponent("server.log").path
        let p = try process("postgres", ["-D", data, "-c", "listen_addresses=127.0.0.1", "-p", "\(port)", "-k", folder.path,
                                         "-c", "fsync=off", "-c", "max_connections=40"], output: log)
        try Spawn.run(p)
        server = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, p.isRunning {
            if Broker.accepts(port), (try? run("pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)", "-t", "2"], timeout: 5)) != nil { return }
            usleep(50_000)
        }
        stop()
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw PostgresServerError(message: "PostgreSQL did not start on 127.0.0.1:\(port): \(said.suffix(600))")
    }

    /// Stops the server at once (an outage), as a power cut would, and fast.
    public func stop() {
        guard let p = server else { return }
        server = nil
        if (try? run("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w", "-t", "10"], timeout: 15)) == nil,
           let pid = (try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first.flatMap({ Int32($0) }) {
            kill(pid, SIGKILL)
        }
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning, Date() < deadline { usleep(20_000) }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Creates `database` (owned by ``user``) and gives its URL.
    public func createDatabase(_ name: String) throws -> String {
        try run("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", user, name], environment: ["PGPASSWORD": password], timeout: 30)
        return url(name)
    }

    /// `postgres://vigil:…@127.0.0.1:<port>/<database>`, with `password` if given instead of the right one.
    public func url(_ database: String, password: String? = nil) -> String {
        "postgres://\(user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)"
    }

    /// A loopback port nothing listens on (yet).
    public static func freePort() throws -> Int { try Broker.freePort() }

    /// The newest PostgreSQL Debian installed: /usr/lib/postgresql/<major>/bin.
    private static func binaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        guard let major = majors.first(where: { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }) else {
            throw PostgresServerError(message: "PostgreSQL's server is not installed (apt-get install postgresql; make test does)")
        }
        return "\(root)/\(major)/bin"
    }

    /// One of PostgreSQL's programs (as `postgres` when root), writing to `output`.
    private func process(_ tool: String, _ arguments: [String], environment: [String: String] = [:], output: String) throws -> Process {
        let p = Process()
        let asPostgres = getuid() == 0 && !["createdb", "pg_isready"].contains(tool)
        p.executableURL = URL(fileURLWithPath: asPostgres ? "/usr/sbin/runuser" : "\(bin)/\(tool)")
        p.arguments = asPostgres ? ["-u", "postgres", "--", "\(bin)/\(tool)"] + arguments : arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.currentDirectoryURL = folder  // the postgres user may not be allowed into the test's own
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        p.standardOutput = handle
        p.standardError = handle
        return p
    }

    /// Runs one of PostgreSQL's tools to its end, killed if it outlives `timeout`.
    private func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval) throws {
        let output = folder.appendingPathComponent("\(tool).out").path
        let p = try process(tool, arguments, environment: environment, output: output)
        try Spawn.run(p)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        guard p.terminationReason == .exit, p.terminationStatus == 0 else {
            let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw PostgresServerError(message: "\(tool) \(arguments.first ?? "") failed or timed out after \(Int(timeout)) s: \(said.suffix(600))")
        }
    }
}

/// A loopback port that takes connections and never answers: a server that hangs.
public final class SilentListener: @unchecked Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        port = try Broker.freePort()
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw PostgresServerError(message: "cannot listen on 127.0.0.1:\(port)")
        }
    }

    deinit { close(fd) }
}

public struct PostgresServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
