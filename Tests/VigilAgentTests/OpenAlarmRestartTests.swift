import Foundation
import Testing
import VigilAgent
import VigilCore
import VigilDevices
import VigilStore

/// A restart between sessions: an alarm still open outside a session is no less open.
@Suite("A restart between sessions keeps open alarms")
struct OpenAlarmRestartTests {
    @Test("A nurse ends the session over a latched desaturation; the agent restarts before anyone acknowledges it; it is still open, still high")
    func latchedAlarmOutsideASession() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-open-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vigil.sqlite").path
        let clock = ManualClock()
        let first = RoomAgent(clock: clock, profile: .clinicDefault, store: try Store(path: path), output: { _ in })
        try await first.perform(.startSession(by: .doula, patientReference: nil))
        for _ in 0..<12 {
            clock.advance(by: .seconds(1))
            await first.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, 82, .valid)], deviceTime: nil)))
        }
        let alarm = try #require(await first.activeAlarms.first { $0.condition == "spo2_low" })
        #expect(alarm.priority == .high)
        try await first.perform(.endSession(by: .nurse, overridingAlarms: true))
        await first.flushReadings()
        #expect(await first.sessionID == nil, "the session ended")

        let second = RoomAgent(clock: clock, profile: .clinicDefault, store: try Store(path: path), output: { _ in })
        let message = try await second.resumeUnfinishedSession()
        let restored = try #require(await second.activeAlarms.first { $0.id == alarm.id }, "\(message ?? "no message")")
        #expect(restored.priority == .high)
        #expect(restored.acknowledgedBy == nil)
        #expect(message?.contains("still open from outside a session: HIGH spo2_low \(alarm.id)") == true, "\(message ?? "")")
        try await second.perform(.acknowledge(by: .nurse, alarm: alarm.id))
        #expect(await second.activeAlarms.contains { $0.id == alarm.id } == true, "82 % is still past the crisis tier")
    }
}
