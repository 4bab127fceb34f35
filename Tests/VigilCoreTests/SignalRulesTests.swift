import Foundation
import Testing
import VigilCore

/// Zero values, derived MAP and the confirm window's edge (`shared/clinical.md`).
@Suite("What a reading means")
struct SignalRulesTests {
    @Test("SpO2 0% marked valid for 200 s in the peak is a lost signal: sensor_off after 10 s, medium after 60 s")
    func zeroIsALostSignal() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.oximeter(spo2: 0, for: 200)
        let lost = try #require(room.events("sensor_off", .raised).first)
        #expect(lost.priority == .low)
        #expect(room.events("sensor_off", .escalated).first?.priority == .medium)
        #expect(room.events("implausible_value").isEmpty)
    }

    @Test("A pulse of 0 marked valid is never a reading: no bradycardia alarm, and it is stored as a lost signal")
    func zeroPulse() throws {
        let zero = Reading(time: Date(), vital: .pulseRate, value: 0, device: "oximeter")
        #expect(zero.markingLostSignal().quality == .sensorOff)
        #expect(zero.markingLostSignal().validValue == nil)
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.oximeter(spo2: 97, pulse: 0, for: 60)
        #expect(room.events("pulse_rate_low").isEmpty)
    }

    @Test("90/52 twice, with no MAP from the monitor, raises a medium MAP alarm on the derived 64.7")
    func derivedMAPConfirmed() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.bloodPressure(90, 52)
        room.oximeter(spo2: 97, for: 120)
        room.bloodPressure(90, 52)
        let raised = try #require(room.events("mean_arterial_low", .raised).first)
        #expect(raised.priority == .medium)
        #expect(raised.value == 64.7)
    }

    @Test("One 80/42 (MAP 54.7, derived) raises a high MAP alarm at once")
    func derivedMAPCrisis() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.bloodPressure(80, 42)
        #expect(room.events("mean_arterial_low", .raised).first?.priority == .high)
    }

    @Test("A derived MAP is marked derived, and a monitor's own MAP is never replaced")
    func derivedIsMarked() {
        let t = Date()
        let pair = [Reading(time: t, vital: .systolic, value: 120, device: "nibp"),
                    Reading(time: t, vital: .diastolic, value: 75, device: "nibp")]
        let derived = Reading.withDerivedMAP(pair)
        #expect(derived.last?.vital == .meanArterial)
        #expect(derived.last?.value == 90)
        #expect(derived.last?.quality == .derived)
        let own = pair + [Reading(time: t, vital: .meanArterial, value: 88, device: "nibp")]
        #expect(Reading.withDerivedMAP(own) == own)
    }

    @Test("A confirming repeat at exactly 5:00 raises the alarm instead of starting over")
    func repeatAtFiveMinutes() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.bloodPressure(185, 90)
        room.oximeter(spo2: 97, for: 300)
        room.bloodPressure(185, 90)
        #expect(room.events("systolic_high", .raised).first?.priority == .medium)
        #expect(room.events("nibp_repeat", .escalated).isEmpty, "the window had not passed")
    }
}
