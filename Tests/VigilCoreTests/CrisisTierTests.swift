import Testing
import VigilCore

/// `shared/clinical.md`, "Crisis tiers": a patient is never "only not ready to leave" at
/// 220/125 or at SpO2 80 %, and never unwatched before the dose.
@Suite("Crisis tiers in every phase")
struct CrisisTierTests {
    @Test("210/80 in recovery is a high alarm at once, not a repeat request")
    func systolicCrisisInRecovery() throws {
        var room = try Room.dosed(at: 300, normalUntil: 4000)
        room.bloodPressure(210, 80)
        #expect(room.events("systolic_high", .raised).first?.priority == .high)
    }

    @Test("A diastolic of 125 in recovery is a high alarm at once")
    func diastolicCrisisInRecovery() throws {
        var room = try Room.dosed(at: 300, normalUntil: 4000)
        room.bloodPressure(160, 125)
        #expect(room.events("diastolic_high", .raised).first?.priority == .high)
    }

    @Test("A pulse of 150 in recovery is high after 10 s")
    func pulseCrisisInRecovery() throws {
        var room = try Room.dosed(at: 300, normalUntil: 4000)
        room.oximeter(spo2: 97, pulse: 150, for: 12)
        let raised = try #require(room.events("pulse_rate_high", .raised).first)
        #expect(raised.priority == .high)
    }

    @Test("220/125 in discharge is high, not a low not-ready notice")
    func bloodPressureCrisisInDischarge() throws {
        var room = try Room.dosed(at: 300, normalUntil: 7600)
        room.bloodPressure(220, 125)
        #expect(room.events("systolic_high", .raised).first?.priority == .high)
        #expect(room.events("diastolic_high", .raised).first?.priority == .high)
    }

    @Test("SpO2 80% in discharge is high after 5 s")
    func desaturationInDischarge() throws {
        var room = try Room.dosed(at: 300, normalUntil: 7600)
        let start = room.now
        room.oximeter(spo2: 80, for: 8)
        let raised = try #require(room.events("spo2_low", .raised).first)
        #expect(raised.priority == .high)
        #expect(room.secondsOnClock(raised) - start == 5)
    }

    @Test("A diastolic of 112 twice in discharge is a medium alarm, confirmed by the repeat")
    func dischargeDiastolicMedium() throws {
        var room = try Room.dosed(at: 300, normalUntil: 7600)
        room.bloodPressure(150, 112)
        #expect(room.events("nibp_repeat", .raised).count == 1)
        room.oximeter(spo2: 97, for: 120)
        room.bloodPressure(150, 112)
        #expect(room.events("diastolic_high").map(\.priority).max() == .medium)
    }

    @Test("Before the dose: 205 systolic is high at once, SpO2 83% for 15 s is high, a pulse of 145 for 25 s is high")
    func crisisBeforeTheDose() throws {
        var bp = Room()
        try bp.perform(.startSession(by: .doula, patientReference: nil))
        bp.oximeter(spo2: 98, for: 10)
        bp.bloodPressure(205, 85)
        #expect(bp.events("systolic_high", .raised).first?.priority == .high)

        var spo2 = Room()
        try spo2.perform(.startSession(by: .doula, patientReference: nil))
        spo2.oximeter(spo2: 98, for: 10)
        spo2.oximeter(spo2: 83, for: 15)
        #expect(spo2.events("spo2_low").map(\.priority).contains(.high))

        var pulse = Room()
        try pulse.perform(.startSession(by: .doula, patientReference: nil))
        pulse.oximeter(spo2: 98, for: 10)
        pulse.oximeter(spo2: 98, pulse: 145, for: 25)
        #expect(pulse.events("pulse_rate_high").map(\.priority).contains(.high))
    }

    @Test("Without a BP before the dose, 170/100 at +123 min raises the recovery limits' repeat request and then a medium alarm")
    func dischargeWithoutBaseline() throws {
        var room = try Room.dosed(at: 300, normalUntil: 300 + 123 * 60, baselineBP: false)
        room.bloodPressure(185, 100)
        #expect(room.events("nibp_repeat", .raised).count == 1, "recovery's >= 180 asks for a repeat")
        room.oximeter(spo2: 97, for: 120)
        room.bloodPressure(185, 100)
        #expect(room.events("systolic_high", .raised).first?.priority == .medium)
    }
}
