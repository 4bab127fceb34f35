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
