import Foundation
import GRDB
import Testing
import VigilStation

@Suite("The station's SQLite archive")
struct SQLiteArchiveTests {
    @Test("In memory: a resent outbox is kept once, and sessions are listed across rooms")
    func inMemory() async throws {
        try await ArchiveContract.keepsEachMessageOnce(try SQLiteArchive(queue: DatabaseQueue()))
    }

    @Test("In a WAL file readable by its owner only, the same; reopened, it still holds each message once")
    func inAFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("station.sqlite").path
        let archive = try SQLiteArchive(path: path)
        try await ArchiveContract.keepsEachMessageOnce(archive)
        await archive.close()
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "health data at rest: \(String(mode ?? 0, radix: 8))")
        let reopened = try SQLiteArchive(path: path)
        #expect(try await reopened.keep(ArchiveContract.summary(ArchiveContract.north2, endedAfter: 7200)) == false)
        #expect(try await reopened.count(.alarm) == 3)
        await reopened.close()
    }
}
