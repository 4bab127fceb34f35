import Foundation
import GRDB
import Synchronization
import Testing
import VigilAgent
import VigilCore
import VigilDevices
import VigilStore
import VigilTestSupport

@Suite("Storage failures in a running room")
struct StorageFailureTests {
    final class Outputs: Sendable {
        private let items = Mutex<[AgentOutput]>([])
        let lines = LogLines()
        func record(_ o: AgentOutput) { items.withLock { $0.append(o) } }
        var logLines: [String] { lines.all }
        var alarms: [AlarmEvent] { items.withLock { $0 }.compactMap { if case .room(.alarm(let a)) = $0 { a } else { nil } } }
    }

    @Test("A read-only database raises a technical alarm and a clear log line; readings wait and land later")
    func readOnlyDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-ro-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
        let outputs = Outputs()
        let clock = ManualClock()
        let agent = RoomAgent(clock: clock, profile: .clinicDefault, store: store, output: outputs.record, log: outputs.lines.logger)
        try await agent.perform(.startSession(by: .doula, patientReference: nil))
        try await store.writer.write { try $0.execute(sql: "PRAGMA query_only = ON") }
        for second in 0..<5 {
            clock.advance(by: .seconds(1))
            await agent.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, 97, .valid)], deviceTime: nil)))
            if second == 2 { await agent.flushReadings() }
        }
        try await Task.sleep(for: .milliseconds(100))
        let raised = try #require(outputs.alarms.first { $0.condition == "storage_failed" })
        #expect(raised.kind == .technical)
        #expect(raised.priority == .medium)
        #expect(outputs.logLines.contains { $0.hasPrefix("storage: the database refuses writes") && $0.contains("readonly") })

        try await store.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = OFF") }
        await agent.flushReadings()
        try await Task.sleep(for: .milliseconds(100))
        #expect(outputs.alarms.contains { $0.condition == "storage_failed" && $0.state == .cleared })
        let id = try #require(await agent.sessionID)
        #expect(try store.readings(session: id).count == 5, "no reading was lost while the disk refused")
    }
}

extension StorageFailureTests {
    @Test("A database another program holds locked: the desaturation is raised and announced at once, storage_failed says why, and every record lands, in order, once the lock goes")
    func lockedByAnotherProgram() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vigil.sqlite").path
        let store = try Store(path: path, busyTimeout: .milliseconds(250))
        let outputs = Outputs()
        let clock = ManualClock()
        let agent = RoomAgent(clock: clock, profile: .clinicDefault, store: store, output: outputs.record, log: outputs.lines.logger)
        await agent.watch(device: "oximeter", continuous: true)
        try await agent.perform(.startSession(by: .doula, patientReference: nil))

        // A maintenance session (or a vigil prune) holding the write lock, as a real other program.
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        locker.arguments = ["-c", "import sqlite3,sys,time\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\nprint('locked',flush=True)\ntime.sleep(60)", path]
        let out = Pipe()
        locker.standardOutput = out
        try Spawn.run(locker)
        defer { if locker.isRunning { kill(locker.processIdentifier, SIGKILL) } }
        _ = out.fileHandleForReading.availableData  // "locked"

        try await agent.perform(.addNote("patient comfortable", by: .doula))
        // Before the dose, SpO2 below 93 % for 30 s alarms.
        for _ in 0..<40 {
            clock.advance(by: .seconds(1))
            await agent.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, 86, .valid), DeviceValue(.pulseRate, 72, .valid)], deviceTime: nil)))
            try await agent.perform(.addNote("tick", by: .doula))
        }
        #expect(outputs.alarms.contains { $0.condition == "storage_failed" && $0.state == .raised }, "\(outputs.logLines)")
        let raised = try #require(outputs.alarms.first { $0.condition == "spo2_low" && $0.state == .raised },
                                  "the desaturation is raised while the database is locked")
        #expect(try store.alarmEvents(session: #require(await agent.sessionID)).isEmpty, "nothing could be written yet")

        kill(locker.processIdentifier, SIGKILL)
        locker.waitUntilExit()
        let loop = Task { await agent.run() }
        defer { loop.cancel() }
        let id = try #require(await agent.sessionID)
        for _ in 0..<100 where !((try? store.alarmEvents(session: id))?.contains { $0.id == raised.id } ?? false) {
            clock.advance(by: .milliseconds(500))
            try await Task.sleep(for: .milliseconds(50))
        }
        let stored = try store.alarmEvents(session: id)
        #expect(stored.contains { $0.id == raised.id && $0.state == .raised }, "the alarm raised during the lock is in the record")
        #expect(try store.sessionEvents(session: id).filter { $0.kind == .note }.count == 41, "every note, none lost")
        #expect(outputs.alarms.contains { $0.condition == "storage_failed" && $0.state == .cleared }, "the room says the disk is back")
        let storageRecord = { (try? store.alarmEvents(session: id))?.filter { $0.condition == "storage_failed" }.map(\.state) ?? [] }
        for _ in 0..<100 where !storageRecord().contains(.cleared) {
            clock.advance(by: .milliseconds(500))
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(storageRecord() == [.raised, .cleared], "the record says when the disk failed, not only when it came back")
    }
}
