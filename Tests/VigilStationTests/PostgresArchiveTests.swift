import Foundation
import PostgresNIO
import Testing
@testable import VigilStation
import VigilTestSupport

/// The same contract as ``SQLiteArchiveTests``, on a real PostgreSQL each test starts for itself.
@Suite("The station's PostgreSQL archive", .timeLimit(.minutes(2)))
struct PostgresArchiveTests {
    @Test("On a real PostgreSQL: a resent outbox is kept once, and sessions are listed across rooms")
    func contract() async throws {
        let server = try PostgresServer()
        let archive = try await PostgresArchive(url: try server.createDatabase("station"))
        try await ArchiveContract.keepsEachMessageOnce(archive)
        await archive.close()

        let wrong = await #expect(throws: ArchiveError.self) { try await PostgresArchive(url: server.url("station", password: "nope")) }
        #expect(wrong?.description == #"PostgreSQL at 127.0.0.1:\#(server.port) refused vigil: password authentication failed for user "vigil""#)
        let missing = await #expect(throws: ArchiveError.self) { try await PostgresArchive(url: server.url("elsewhere")) }
        #expect(missing?.description == #"PostgreSQL at 127.0.0.1:\#(server.port) refused vigil: database "elsewhere" does not exist"#)
    }

    @Test("Two stations opening one new database at once, then a third: each migration applied once, each message kept once")
    func reopened() async throws {
        let server = try PostgresServer()
        let url = try server.createDatabase("station") + "?sslmode=disable"
        async let opening = PostgresArchive(url: url)
        async let openingToo = PostgresArchive(url: url)
        let (first, second) = try await (opening, openingToo)
        let names = ArchiveSchema.migrations.map(\.name).sorted()
        #expect(try await first.appliedMigrations() == names)
        try await ArchiveContract.keepsEachMessageOnce(first)
        #expect(try await second.keep(ArchiveContract.alarm(ArchiveContract.north2, "A1", seq: 1, state: "raised", at: 600)) == false,
                "the other station sees what the first kept")
        await first.close()
        await second.close()

        let reopened = try await PostgresArchive(url: url, timeout: .seconds(1))
        #expect(try await reopened.appliedMigrations() == names)
        #expect(try await reopened.keep(ArchiveContract.summary(ArchiveContract.north2, endedAfter: 7200)) == false)
        #expect(try await reopened.count(.alarm) == 3)
        #expect(try await reopened.sessions(since: nil).map(\.session) == ["S10", "S9", "S1"])

        server.stop()
        let clock = ContinuousClock()
        let lost = clock.now
        let error = await #expect(throws: ArchiveError.self) { try await reopened.count(.alarm) }
        #expect(error?.description.hasPrefix("cannot reach PostgreSQL at 127.0.0.1:\(server.port)/station") == true, "\(String(describing: error))")
        #expect(clock.now - lost < .seconds(4), "the server gone: an error within the timeout, not a wait")
        await reopened.close()
    }

    @Test("A URL that does not parse names what is wrong, and never the password")
    func badURLs() async {
        let cases = [
            ("mysql://vigil:secret@127.0.0.1/station", "starts with postgres:// or postgresql://, not mysql://"),
            ("postgres://127.0.0.1/station", "names no user"),
            ("postgres://vigil:secret@/station", "names no host"),
            ("postgres://vigil:secret@127.0.0.1:70000/station", "port 70000"),
            ("postgres://vigil:secret@127.0.0.1:5432", "names no database"),
            ("postgres://vigil:secret@127.0.0.1/station?sslmode=maybe", "sslmode maybe is not"),
            ("postgres://vigil:secret@127.0.0.1/station?user=other", "parameter user is not"),
            ("postgres://vigil:secret@127.0.0.1:abc/station", "not a PostgreSQL URL"),
            ("postgres://vigil:sec#ret@127.0.0.1/station", "special characters percent-encoded"),
            ("station.sqlite", "not a PostgreSQL URL"),
        ]
        for (url, says) in cases {
            let error = await #expect(throws: ArchiveError.self, "\(url)") { try await PostgresArchive(url: url) }
            #expect(error?.description.contains(says) == true, "\(url): \(String(describing: error))")
            #expect(error?.description.contains("sec") == false, "\(url): \(String(describing: error))")
        }
    }

    @Test("A URL's parts: a percent-encoded password, an IPv6 host, the default port, sslmode as libpq reads it")
    func urlParts() throws {
        let target = try PostgresArchive.Target("postgresql://vigil:p%40ss%2Fw@[::1]/station?sslmode=verify-full")
        #expect([target.host, target.user, target.password, target.database] == ["::1", "vigil", "p@ss/w", "station"])
        #expect(target.port == 5432 && target.tlsRequired && target.tls?.certificateVerification == .fullVerification)
        #expect(try PostgresArchive.Target("postgres://vigil@db:6543/station?sslmode=disable").tls == nil)
        let preferred = try PostgresArchive.Target("postgres://vigil@db/station")
        #expect(!preferred.tlsRequired && preferred.tls?.certificateVerification == CertificateVerification.none, "libpq's default")
        let required = try PostgresArchive.Target("postgres://vigil@db/station?sslmode=require")
        #expect(required.tlsRequired && required.tls?.certificateVerification == CertificateVerification.none)
    }

    @Test("Nothing listening: a clear error at once; a server that never answers: one within the timeout")
    func unreachable() async throws {
        let clock = ContinuousClock()
        let port = try PostgresServer.freePort()
        var start = clock.now
        let refused = await #expect(throws: ArchiveError.self) {
            try await PostgresArchive(url: "postgresql://vigil:secret@127.0.0.1:\(port)/station")
        }
        #expect(refused?.description == "cannot reach PostgreSQL at 127.0.0.1:\(port): Connection refused")
        #expect(clock.now - start < .seconds(3))

        let silent = try SilentListener()
        start = clock.now
        let hung = await #expect(throws: ArchiveError.self) {
            try await PostgresArchive(url: "postgres://vigil:secret@127.0.0.1:\(silent.port)/station", timeout: .seconds(1))
        }
        #expect(hung?.description == "cannot reach PostgreSQL at 127.0.0.1:\(silent.port): no answer within 1.0 seconds")
        #expect(clock.now - start < .seconds(4))
    }
}
