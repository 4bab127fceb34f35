import Foundation
import Testing
import VigilCore

@Suite("Session timeline")
struct SessionTests {
    @Test("Phases follow the dose: onset at once, peak at +15, recovery at +55, discharge at +120")
    func phases() throws {
        let clock = ManualClock()
        var session = Session(clock: clock, timeline: PhaseTimeline())
        _ = try session.start(by: .doula, patientReference: "ref-0042")
        clock.advance(by: .seconds(600))
        #expect(session.tick().isEmpty)
        #expect(session.phase == .baseline)
        let dose = try session.markDose(by: .doula)
        #expect(dose.map(\.kind) == [.dose, .phaseChanged])
        #expect(session.phase == .onset)
        var changes: [(Phase, Double?)] = []
        while let deadline = session.nextDeadline() {
            clock.advance(to: deadline)
            changes += session.tick().map { ($0.phase, $0.sinceDose) }
        }
        #expect(changes.map(\.0) == [.peak, .recovery, .discharge])
        #expect(changes.map(\.1) == [900, 3300, 7200])
    }

    @Test("Commands out of order are refused and change nothing")
    func refusals() throws {
        let clock = ManualClock()
        var session = Session(clock: clock, timeline: PhaseTimeline())
        #expect(throws: SessionError.notStarted) { try session.markDose(by: .doula) }
        _ = try session.start(by: .doula)
        #expect(throws: SessionError.alreadyStarted) { try session.start(by: .doula) }
        #expect(throws: SessionError.notDosed) { try session.markBooster(by: .doula) }
        _ = try session.markDose(by: .doula)
        #expect(throws: SessionError.alreadyDosed) { try session.markDose(by: .doula) }
        _ = try session.markBooster(by: .provider)
        _ = try session.end(by: .doula)
        #expect(throws: SessionError.ended) { try session.addNote("late", by: .doula) }
        #expect(session.events.map(\.kind) == [.started, .dose, .phaseChanged, .booster, .ended])
        #expect(session.events.map(\.by) == [.doula, .doula, nil, .provider, .doula])
    }

    @Test("A wall-clock jump moves the records' time but not the phases")
    func wallClockJump() throws {
        let clock = ManualClock()
        var session = Session(clock: clock, timeline: PhaseTimeline())
        _ = try session.start(by: .doula)
        _ = try session.markDose(by: .doula)
        clock.advance(by: .seconds(600))
        clock.jumpWallClock(by: .seconds(3600))
        clock.advance(by: .seconds(300))
        let peak = session.tick()
        #expect(peak.map(\.phase) == [.peak])
        #expect(peak.first?.sinceDose == 900)
        #expect(peak.first?.time == clock.wallStart.addingTimeInterval(900 + 3600))
    }
}
