import Foundation
import Synchronization
import Testing
import VigilAgent
import VigilCore
import VigilDevices

/// The room's run loop sleeps until the engine's next deadline, at most a second: a reading
/// that sets a nearer one must wake it, or a short delay would end up to a second late.
@Suite("The run loop wakes at the engine's deadlines")
struct RunLoopTests {
    final class Raised: Sendable {
        let conditions = Mutex<[String]>([])
        func take(_ output: AgentOutput) {
            if case .room(.alarm(let event)) = output, event.state == .raised { conditions.withLock { $0.append(event.condition) } }
        }
    }

    @Test("A 300 ms desaturation delay that starts while the loop sleeps its second ends at 300 ms")
    func wakesForANearerDeadline() async throws {
        let clock = ManualClock()
        var profile = AlarmProfile.clinicDefault
        profile.rules = [LimitRule(vital: .spo2, phases: Set(Phase.allCases), limit: .below(93), priority: .medium,
                                   delay: .milliseconds(300))]
        let raised = Raised()
        let agent = RoomAgent(clock: clock, profile: profile, output: raised.take)
        try await agent.perform(.startSession(by: .doula, patientReference: nil))
        let running = Task { await agent.run() }
        defer { running.cancel() }
        // The loop has ticked once and sleeps until the clock reads one second.
        for _ in 0..<100 where await agent.health().sinceTick == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(50))
        await agent.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, 88, .valid)], deviceTime: nil)))
        clock.advance(by: .milliseconds(300))
        for _ in 0..<200 where raised.conditions.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(raised.conditions.withLock { $0 } == ["spo2_low"], "the clock never reached the loop's one second")
    }

    @Test("Cancelling the room's run returns at once, even on a test clock nobody advances")
    func stopsWhileAsleep() async throws {
        let agent = RoomAgent(clock: ManualClock(), profile: .clinicDefault, output: { _ in })
        let running = Task { await agent.run() }
        try await Task.sleep(for: .milliseconds(100))
        let stopped = Raised()
        Task {
            await running.value
            stopped.conditions.withLock { $0.append("stopped") }
        }
        running.cancel()
        for _ in 0..<100 where stopped.conditions.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(stopped.conditions.withLock { $0 } == ["stopped"], "the loop still sleeps on the test clock")
    }
}
