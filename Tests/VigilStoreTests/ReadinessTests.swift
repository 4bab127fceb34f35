import Foundation
import Testing
import VigilCore
@testable import VigilStore

/// Discharge readiness as clinical.md defines it ("What a provider reviews afterwards"): at
/// least 120 min after the last dose, systolic, diastolic and pulse within ±20 % of the
/// baseline, SpO2 93 % or more, and no alarm active at the end.
@Suite("Ready to leave, as the provider's review judges it")
struct ReadinessTests {
    /// Baseline 130/80 and pulse 70 before a dose at 300 s; discharge starts at 7500 s.
    static let before = """
        0,session.start,doula
        0,spo2,98
        0,pulse_rate,70
        120,systolic,130
        120,diastolic,80
        300,dose,doula
        """
    /// The +40 min check, with the usual rise.
    static let peak = "\n2700,systolic,150\n2700,diastolic,92"

    /// Replays a session into an in-memory database and summarizes it as the agent does.
    func summary(_ lines: String) throws -> (SessionSummary, Date, Store) {
        let store = try Store(queue: .init())
        let replay = try recordReplay(lines, profile: profileWithoutSchedule, into: store)
        let summary = try summarizeTestSession(in: store)
        return (summary, replay.clock.wallStart, store)
    }

    @Test("A diastolic of 104 at discharge against a baseline of 80 is not ready to leave, and the review says why")
    func diastolicHigh() throws {
        let (s, _, _) = try summary(Self.before + Self.peak + "\n7560,systolic,130\n7560,diastolic,104\n7700,session.end,doula")
        #expect(s.readyToLeaveAt == nil)
        #expect(s.readiness?.ready == false)
        // The engine's own discharge notice on the diastolic is still active too.
        #expect(s.readiness?.reasons == ["diastolic 104 is more than 20 % above the baseline 80",
                                         "an alarm was still active: diastolic_high (low)"])
        #expect(s.readiness?.basis == nil)
    }

    @Test("A pulse 30 % above the baseline at discharge is not ready to leave")
    func pulseHigh() throws {
        let (s, _, _) = try summary(Self.before + Self.peak + "\n7400,pulse_rate,91\n7560,systolic,128\n7560,diastolic,82\n7700,session.end,doula")
        #expect(s.readyToLeaveAt == nil)
        #expect(s.readiness?.ready == false)
        // The engine's own discharge alarm on the pulse is still sounding too.
        #expect(s.readiness?.reasons == ["pulse 91 is more than 20 % above the baseline 70",
                                         "an alarm was still active: pulse_rate_high (low)"])
    }

    @Test("A booster at +30 min restarts the clock: 125 min after the first dose is only 95 min after the last")
    func booster() throws {
        let (s, start, _) = try summary(Self.before + "\n2100,booster,doula" + Self.peak + "\n7560,systolic,128\n7560,diastolic,82\n7800,session.end,doula")
        #expect(s.readyToLeaveAt == nil)
        #expect(s.doseAt == start.addingTimeInterval(300))
        #expect(s.lastDoseAt == start.addingTimeInterval(2100))
        #expect(s.readiness?.ready == false)
        #expect(s.readiness?.reasons == ["only 95 min after the last dose"])
    }

    @Test("A desaturation alarm in discharge that nobody acknowledged is still active at the end: not ready")
    func alarmActive() throws {
        let (s, _, _) = try summary(Self.before + Self.peak + "\n7560,systolic,128\n7560,diastolic,82\n7640,spo2,89\n7700,session.end,doula")
        // The session's end clears what the room no longer watches between sessions; that clear does not count.
        #expect(s.alarms.last?.clearedAt == s.endedAt)
        #expect(s.readiness?.ready == false, "ready once, at the discharge BP, but not at the end")
        #expect(s.readiness?.reasons.contains("an alarm was still active: spo2_low (medium)") == true)
    }

    @Test("Without a blood pressure before the dose, readiness is judged against fixed limits and the review says so")
    func noBaseline() throws {
        let (s, start, _) = try summary("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,70
            300,dose,doula
            7560,systolic,128
            7560,diastolic,82
            7700,session.end,doula
            """)
        #expect(s.readyToLeaveAt == start.addingTimeInterval(7560))
        #expect(s.readiness?.ready == true)
        #expect(s.readiness?.fixedLimits == [.systolic, .diastolic])
        #expect(s.readiness?.basis == "judged against fixed limits: no blood pressure before the dose")
    }

    @Test("Without a baseline, a diastolic of 112 at discharge is over the fixed limit of 110")
    func noBaselineHigh() throws {
        let (s, _, store) = try summary("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,70
            300,dose,doula
            7560,systolic,150
            7560,diastolic,112
            7700,session.end,doula
            """)
        #expect(s.readiness?.reasons.first == "diastolic 112 is at or above the fixed limit 110")
        let text = try SessionReport.text("S-test", from: store)
        #expect(text.contains("judged against fixed limits: no blood pressure before the dose"))
    }

    @Test("A normal session is ready to leave from the discharge BP that brought the diastolic back near baseline")
    func normal() throws {
        let (s, start, store) = try summary(Self.before + Self.peak + "\n7510,systolic,150\n7510,diastolic,100\n7800,systolic,128\n7800,diastolic,82\n7900,session.end,doula")
        #expect(s.readyToLeaveAt == start.addingTimeInterval(7800))
        #expect(s.readiness == SessionSummary.Readiness(ready: true, readyAt: start.addingTimeInterval(7800), reasons: [],
                                                        fixedLimits: [], basis: nil, minutesAfterLastDose: 120))
        #expect(s.schemaVersion == 2)
        let text = try SessionReport.text("S-test", from: store)
        #expect(text.contains("  Ready to leave         yes, from +125:00 (at least 120 min after the last dose, "
                              + "BP and pulse within 20 % of baseline, SpO2 93 % or more, no alarm active)\n"))
    }

    @Test("An SpO2 or pulse of 0 marked valid is no reading: the lowest SpO2 is the patient's, not 0")
    func zeroIsNoReading() throws {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let readings = [Reading(time: t0, vital: .spo2, value: 97, device: "oximeter"),
                        Reading(time: t0.addingTimeInterval(1), vital: .spo2, value: 0, device: "oximeter"),
                        Reading(time: t0.addingTimeInterval(1), vital: .pulseRate, value: 0, device: "oximeter"),
                        Reading(time: t0.addingTimeInterval(2), vital: .pulseRate, value: 72, device: "oximeter")]
        let s = SessionSummary.compute(readings: readings, alarms: [], events: [], startedAt: t0, doseAt: nil,
                                       endedAt: t0.addingTimeInterval(3), timeline: PhaseTimeline())
        #expect(s.minimumSpO2 == 97)
        #expect(s.phases["baseline"]?["pulse_rate"]?.min == 72)
    }

    @Test("vigil report tells the provider, in words, why the patient was not ready to leave")
    func reportWords() throws {
        let (_, _, store) = try summary(Self.before + Self.peak + "\n7560,systolic,130\n7560,diastolic,104\n7700,session.end,doula")
        let text = try SessionReport.text("S-test", from: store)
        #expect(text.contains("""
              Ready to leave         no, at the end of the session:
                                     - diastolic 104 is more than 20 % above the baseline 80
                                     - an alarm was still active: diastolic_high (low)
                                     not ready at any moment of the session
            """))
    }
}
