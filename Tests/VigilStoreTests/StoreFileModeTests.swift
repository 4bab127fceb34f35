import Foundation
import Testing
import VigilCore
import VigilStore

/// The database is health data: a new one, its WAL and its shared memory are readable by
/// their owner only, even under the permissive umask a shell usually has.
@Suite("The database at rest")
struct StoreFileModeTests {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("A new database and its -wal and -shm files are 0600 under umask 022")
    func ownerOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-mode-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vigil.sqlite").path
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try Store(path: path)
        try store.record([(Reading(time: Date(), vital: .spo2, value: 97, device: "oximeter", quality: .valid), nil)])
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
            let found = try mode(file)
            #expect(found == 0o600, "\(file) is \(String(found, radix: 8))")
        }
    }

    @Test("An existing database keeps the mode its owner gave it")
    func existingKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-mode-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vigil.sqlite").path
        _ = try Store(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        _ = try Store(path: path)
        #expect(try mode(path) == 0o640, "a clinic that shares it with a backup group chose so")
    }
}
