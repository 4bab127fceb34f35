import Foundation
import Synchronization
import Testing
import VigilAgent
import VigilCore

/// Whole rooms end to end: simulated devices on pseudo-terminals, the real serial path, the
/// agent on a sped-up clock.
@Suite("A room, end to end")
struct RoomAgentTests {
    final class Recorder: Sendable {
        private let outputs = Mutex<[AgentOutput]>([])
        func record(_ output: AgentOutput) { outputs.withLock { $0.append(output) } }
        var alarms: [AlarmEvent] {
            outputs.withLock { $0 }.compactMap { if case .room(.alarm(let a)) = $0 { a } else { nil } }
        }
        var readings: [Reading] {
            outputs.withLock { $0 }.compactMap { if case .reading(let r) = $0 { r } else { nil } }
        }
        var sessionStart: Date? {
            outputs.withLock { $0 }.compactMap { if case .room(.session(let s)) = $0, s.kind == .started { s.time } else { nil } }.first
        }
        func alarms(_ condition: String, _ state: AlarmState) -> [AlarmEvent] {
            alarms.filter { $0.condition == condition && $0.state == state }
        }
    }

    @Test("A loose cuff, a desaturation, an unplugged oximeter and a scheduled BP of 205 all reach the nurse")
    func wholeRoom() async throws {
        let scenario = try Scenario.parse("""
            0,session.start,doula
            0,spo2,97
            0,pulse_rate,72
            0,systolic,126
            0,diastolic,80
            0,bp_failed,87
            130,dose,doula
            160,spo2,86
            190,spo2,97
            200,unplug,oximeter
            260,replug,oximeter
            300,systolic,205
            300,diastolic,100
            460,session.end,doula
            """)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-room-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recorder = Recorder()
        try await DemoRoom(scenario: scenario, speed: 20, deviceFolder: folder).run(output: recorder.record)

        let bp = recorder.readings.filter { $0.vital == .systolic }.compactMap(\.value)
        let summary = recorder.alarms.map { "\($0.condition) \($0.state) \($0.detail ?? "")" }
        #expect(bp.first == 126, "the baseline BP was measured through the SunTech module; \(recorder.readings.count) readings, \(summary)")

        let failed = try #require(recorder.alarms("nibp_failed", .raised).first)
        #expect(failed.detail == "inflation timeout, leak or loose cuff")
        #expect(recorder.alarms("nibp_failed", .cleared).count == 1, "the retry a minute later succeeded")

        let desaturation = try #require(recorder.alarms("spo2_low", .raised).first)
        #expect(desaturation.priority == .medium)
        #expect(desaturation.value == 86)
        #expect(recorder.alarms("spo2_low", .cleared).count == 1)

        let unplugged = try #require(recorder.alarms("device_disconnected", .raised).first)
        #expect(unplugged.device == "oximeter")
        let start = try #require(recorder.sessionStart)
        let raisedAfter = unplugged.time.timeIntervalSince(start)
        #expect(raisedAfter >= 198 && raisedAfter <= 210, "within 10 s of the unplug at 200 s, not \(raisedAfter); \(recorder.alarms.map { "\($0.condition) \($0.state) \($0.device ?? "") \($0.detail ?? "") \($0.time.timeIntervalSince(start))" })")
        let replugged = try #require(recorder.alarms("device_disconnected", .cleared).first)
        let clearedAfter = replugged.time.timeIntervalSince(start)
        #expect(clearedAfter >= 260 && clearedAfter <= 290, "recovered after the replug at 260 s, not \(clearedAfter)")
        let afterReplug = recorder.readings.filter { $0.vital == .spo2 && $0.quality == .valid && $0.time > replugged.time }
        #expect(afterReplug.count > 20, "readings flow again without restarting the agent")

        let high = try #require(recorder.alarms("systolic_high", .raised).first)
        #expect(high.priority == .high)
        #expect(high.value == 205)
        #expect(recorder.alarms("nibp_due", .raised).isEmpty, "the agent measured on schedule, so no reminder was needed")
    }
}
