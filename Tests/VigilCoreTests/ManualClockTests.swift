import Testing
import VigilCore

/// The test clock behaves as `Task.sleep` does where it matters: cancellation ends a sleep.
@Suite("The test clock")
struct ManualClockTests {
    @Test("A sleep on the test clock ends with CancellationError when its task is cancelled, time standing still")
    func cancellationEndsASleep() async throws {
        let clock = ManualClock()
        let sleeper = Task { () -> Bool in
            do {
                try await clock.sleep(until: clock.now.advanced(by: .seconds(60)), tolerance: nil)
                return false
            } catch is CancellationError {
                return true
            } catch {
                return false
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        sleeper.cancel()
        #expect(await sleeper.value)
    }

    @Test("A sleep ends once the clock is advanced to its deadline")
    func advanceWakes() async throws {
        let clock = ManualClock()
        let deadline = clock.now.advanced(by: .seconds(2))
        let sleeper = Task { try await clock.sleep(until: deadline, tolerance: nil) }
        clock.advance(by: .seconds(1))
        try await Task.sleep(for: .milliseconds(50))
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.now == deadline)
    }
}
