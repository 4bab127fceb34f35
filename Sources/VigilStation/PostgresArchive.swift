import Foundation
import Logging
import PostgresNIO
import VigilCore

/// The station's archive on PostgreSQL, for a group of clinics whose stations share one server:
/// the same schema, migrations and answers as ``SQLiteArchive``, through postgres-nio's pooled
/// `PostgresClient`. Opening connects once straight away, so that a station that cannot keep what
/// the rooms send says so when it starts (within ``timeout``), not at the first alarm, and applies
/// the migrations there, each once, under a lock, so that two stations starting together do not race.
public final class PostgresArchive: StationArchive {
    /// `host:port/database`, as the errors name it (never the password).
    public let address: String
    /// How long opening, and each operation after, may wait for the server before it fails.
    public let timeout: Duration
    let client: PostgresClient
    let running: Task<Void, Never>
    static let silent = Logger(label: "vigil.station.archive", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Opens the archive at `url`: `postgres://user:password@host:port/database` (or
    /// `postgresql://`), with `?sslmode=disable|prefer|require|verify-ca|verify-full` as libpq
    /// reads it (`prefer` when absent; `prefer` and `require` encrypt without checking the
    /// certificate, `verify-ca` checks it, `verify-full` checks the host name too).
    public init(url: String, timeout: Duration = .seconds(5), logger: Logger = Logger(label: "vigil.station.archive")) async throws {
        let target = try Target(url)
        address = "\(target.host):\(target.port)/\(target.database)"
        self.timeout = timeout
        let place = "PostgreSQL at \(target.host):\(target.port)"

        var first = PostgresConnection.Configuration(host: target.host, port: target.port, username: target.user,
                                                     password: target.password, database: target.database, tls: try target.connectionTLS())
        first.options.connectTimeout = TimeAmount(timeout)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: first, id: 0, logger: Self.silent)
        } catch {
            throw ArchiveError(Self.serverMessage(error).map { "\(place) refused \(target.user): \($0)" }
                               ?? "cannot reach \(place): \(Self.reason(error))")
        }
        do {
            try await Self.migrate(connection)
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw ArchiveError("\(place): cannot apply the archive's migrations: \(Self.reason(error))")
        }

        var config = PostgresClient.Configuration(host: target.host, port: target.port, username: target.user, password: target.password,
                                                  database: target.database, tls: target.clientTLS)
        config.options.connectTimeout = timeout
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// Each of ``ArchiveSchema/migrations`` not applied yet, in one transaction, holding a lock
    /// that a second station opening the same database waits for.
    static func migrate(_ connection: PostgresConnection) async throws {
        try await connection.withTransaction(logger: silent) { c in
            try await c.query("SELECT pg_advisory_xact_lock(7596376702150001)", logger: silent)  // any constant: Vigil's own
            try await c.query("CREATE TABLE IF NOT EXISTS vigil_migration (name TEXT PRIMARY KEY)", logger: silent)
            var applied = Set<String>()
            for try await name in try await c.query("SELECT name FROM vigil_migration", logger: silent).decode(String.self) {
                applied.insert(name)
            }
            for migration in ArchiveSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await c.query(PostgresQuery(unsafeSQL: statement), logger: silent) }
                try await c.query("INSERT INTO vigil_migration (name) VALUES (\(migration.name))", logger: silent)
            }
        }
    }

    /// The names of the migrations applied, sorted.
    func appliedMigrations() async throws -> [String] {
        try await run("list migrations") { client in
            try await client.query("SELECT name FROM vigil_migration ORDER BY name").decode(String.self).reduce(into: [String]()) { $0.append($1) }
        }
    }

    public func keep(_ event: ArchivedEvent) async throws -> Bool {
        var binds = PostgresBindings()
        for value in ArchiveSchema.values(event, receivedAt: Date()) { binds.append(value) }
        // Every value is bound as text, as ArchiveSchema gives them; the two times are cast.
        let insert = PostgresQuery(unsafeSQL: """
            INSERT INTO room_event (\(ArchiveSchema.columns)) VALUES ($1, $2, $3, $4, $5, $6::bigint, $7, $8, $9, $10::bigint)
            ON CONFLICT DO NOTHING RETURNING 1
            """, binds: binds)
        return try await run("keep \(event.eventID)") { client in
            try await client.query(insert).collect().count == 1
        }
    }

    public func sessions(since: Date?) async throws -> [ArchivedSession] {
        let rows = try await run("list sessions") { client in
            var rows: [(room: RoomKey, session: String, kind: String, timeMs: Int64, state: String?, priority: String?, payload: String)] = []
            for try await r in try await client.query("SELECT site, room, session, kind, time_ms, state, priority, payload FROM room_event WHERE session IS NOT NULL")
                .decode((String, String, String, String, Int64, String?, String?, String).self) {
                rows.append((RoomKey(site: r.0, room: r.1), r.2, r.3, r.4, r.5, r.6, r.7))
            }
            return rows
        }
        return ArchiveSchema.sessions(rows, since: since)
    }

    public func events(of room: RoomKey, session: String) async throws -> [ArchivedEvent] {
        let rows = try await run("read session \(session)") { client in
            try await client.query("SELECT event_id, kind, time_ms, payload FROM room_event WHERE site = \(room.site) AND room = \(room.room) AND session = \(session) ORDER BY time_ms, received_ms")
                .decode((String, String, Int64, String).self)
                .reduce(into: [(String, String, Int64, String)]()) { $0.append($1) }
        }
        return rows.compactMap { r in
            ArchivedEvent.Kind(rawValue: r.1).map {
                ArchivedEvent(kind: $0, room: room, eventID: r.0, session: session, time: ArchiveSchema.date(r.2), payload: r.3)
            }
        }
    }

    public func count(_ kind: ArchivedEvent.Kind) async throws -> Int {
        try await run("count") { client in
            try await client.query("SELECT count(*) FROM room_event WHERE kind = \(kind.rawValue)").decode(Int.self).reduce(0, +)
        }
    }

    /// Stops the client: its connections close; nothing may use the archive after.
    public func close() async { running.cancel(); await running.value }

    /// `body` on the client, failing with the server's reason, or when the server does not answer
    /// within ``timeout`` (the pool would queue it until its circuit breaker opens, a minute later).
    func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = client, timeout = timeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body(client) }
                group.addTask { try await Task.sleep(for: timeout); return nil }
                defer { group.cancelAll() }
                guard let result = try await group.next(), let value = result else {
                    throw ArchiveError("cannot reach PostgreSQL at \(address): no answer within \(timeout)")
                }
                return value
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError("PostgreSQL at \(address): cannot \(what): \(Self.reason(error))")
        }
    }

    /// What the server said, when it refused or failed something.
    static func serverMessage(_ error: any Error) -> String? {
        if let e = error as? PostgresTransactionError { return (e.closureError ?? e.beginError ?? e.commitError).flatMap(serverMessage) }
        return (error as? PSQLError)?.serverInfo?[.message]
    }

    /// Why something failed, in words: postgres-nio's own descriptions hide everything on purpose.
    static func reason(_ error: any Error) -> String {
        if let e = error as? PostgresTransactionError, let inner = e.closureError ?? e.beginError ?? e.commitError { return reason(inner) }
        if let e = error as? PSQLError { return e.serverInfo?[.message] ?? e.underlying.map(reason) ?? "\(e.code)" }
        if let e = error as? NIOConnectionError {
            if let dns = e.dnsAError ?? e.dnsAAAAError { return "cannot resolve \(e.host): \(dns)" }
            return e.connectionErrors.first.map { reason($0.error) } ?? "no address for \(e.host)"
        }
        if let e = error as? IOError { return String(cString: strerror(e.errnoCode)) }
        if case .connectTimeout(let t)? = error as? ChannelError { return "no answer within \(Duration.nanoseconds(t.nanoseconds))" }
        return "\(error)"
    }

    /// The parts of a `postgres://` URL.
    struct Target {
        var host: String, port: Int, user: String, password: String?, database: String
        /// `nil`: plain TCP.
        var tls: TLSConfiguration?
        var tlsRequired: Bool

        var clientTLS: PostgresClient.Configuration.TLS { tls.map { tlsRequired ? .require($0) : .prefer($0) } ?? .disable }
        /// The same for a single connection, which wants a context made already.
        func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
            guard let tls else { return .disable }
            return tlsRequired ? .require(try NIOSSLContext(configuration: tls)) : .prefer(try NIOSSLContext(configuration: tls))
        }

        init(_ url: String) throws {
            let form = "postgres://user:password@host:port/database"
            guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased() else {
                throw ArchiveError("not a PostgreSQL URL (\(form); special characters percent-encoded)")
            }
            guard scheme == "postgres" || scheme == "postgresql" else {
                throw ArchiveError("a PostgreSQL URL starts with postgres:// or postgresql://, not \(scheme)://")
            }
            guard let host = c.host?.trimmingCharacters(in: ["[", "]"]), !host.isEmpty else { throw ArchiveError("the PostgreSQL URL names no host (\(form))") }
            guard let user = c.user, !user.isEmpty else { throw ArchiveError("the PostgreSQL URL names no user (\(form))") }
            let port = c.port ?? 5432
            guard (1...65535).contains(port) else { throw ArchiveError("the PostgreSQL URL's port \(port) is not 1–65535") }
            let database = String(c.path.drop { $0 == "/" })
            guard !database.isEmpty, !database.contains("/") else {
                throw ArchiveError("the PostgreSQL URL names no database, or more than one (\(form))")
            }
            (self.host, self.port, self.user, password, self.database) = (host, port, user, c.password, database)
            var mode = "prefer"
            for item in c.queryItems ?? [] {
                guard item.name == "sslmode", let value = item.value else {
                    throw ArchiveError("the PostgreSQL URL's parameter \(item.name) is not one Vigil reads (only sslmode)")
                }
                mode = value
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            switch mode {
            case "disable": self.tls = nil
            case "prefer", "require": tls.certificateVerification = .none; self.tls = tls
            case "verify-ca": tls.certificateVerification = .noHostnameVerification; self.tls = tls
            case "verify-full": self.tls = tls
            default: throw ArchiveError("the PostgreSQL URL's sslmode \(mode) is not disable, prefer, require, verify-ca or verify-full")
            }
            tlsRequired = mode != "prefer"
        }
    }
}
