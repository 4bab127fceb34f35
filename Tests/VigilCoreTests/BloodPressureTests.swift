import Testing
import VigilCore

/// Intermittent BP: confirmation by a repeat, immediate limits, the schedule and the baseline.
@Suite("Blood pressure")
struct BloodPressureTests {
    func roomInPeak() throws -> Room {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        return room
    }

    @Test("A single systolic 185 in the peak asks for a repeat; a second one raises the medium alarm")
    func confirmByRepeat() throws {
        var room = try roomInPeak()
        room.bloodPressure(185, 95)
        #expect(room.events("systolic_high").isEmpty)
        let ask = try #require(room.events("nibp_repeat", .raised).first)
        #expect(ask.priority == .low)
        #expect(ask.kind == .technical)
        #expect(ask.vital == .systolic)
        #expect(ask.value == 185)
        room.oximeter(spo2: 97, for: 120)
        room.bloodPressure(187, 96)
        let raised = try #require(room.events("systolic_high", .raised).first)
        #expect(raised.priority == .medium)
        #expect(raised.value == 187)
        #expect(raised.limit == 180)
        #expect(room.events("nibp_repeat", .cleared).count == 1)
    }

    @Test("A repeat back inside the limit raises nothing and withdraws the request")
    func repeatNormal() throws {
        var room = try roomInPeak()
        room.bloodPressure(185, 95)
        room.oximeter(spo2: 97, for: 60)
        room.bloodPressure(150, 90)
        #expect(room.events("systolic_high").isEmpty)
        #expect(room.events("nibp_repeat").map(\.state) == [.raised, .cleared])
    }

    @Test("A repeat not taken within 5 minutes raises the request to medium")
    func repeatMissed() throws {
        var room = try roomInPeak()
        room.bloodPressure(185, 95)
        room.oximeter(spo2: 97, for: 301)
        let escalated = try #require(room.events("nibp_repeat", .escalated).first)
        #expect(escalated.priority == .medium)
        #expect(room.events("systolic_high").isEmpty)
    }

    @Test("Systolic 205 in the peak raises a high alarm at once")
    func systolicImmediate() throws {
        var room = try roomInPeak()
        room.bloodPressure(205, 100)
        let raised = try #require(room.events("systolic_high", .raised).first)
        #expect(raised.priority == .high)
        #expect(raised.limit == 200)
        #expect(room.events("nibp_repeat").isEmpty)
    }

    @Test("Diastolic 120 raises a high alarm at once; a lower reading clears it only after acknowledgement")
    func diastolicLatches() throws {
        var room = try roomInPeak()
        room.bloodPressure(170, 121)
        #expect(room.events("diastolic_high", .raised).first?.priority == .high)
        room.oximeter(spo2: 97, for: 120)
        room.bloodPressure(140, 88)
        #expect(room.events("diastolic_high", .cleared).isEmpty)
        try room.acknowledge("diastolic_high")
        #expect(room.events("diastolic_high", .cleared).count == 1)
    }

    @Test("165/95 before the dose warns: the nurse is asked to repeat, and a repeat raises medium alarms")
    func preDoseHypertension() throws {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: "ref-0042"))
        room.oximeter(spo2: 98, for: 30)
        room.bloodPressure(165, 95)
        let ask = try #require(room.events("nibp_repeat", .raised).first)
        #expect(ask.phase == .baseline)
        room.oximeter(spo2: 98, for: 120)
        room.bloodPressure(164, 96)
        #expect(room.events("systolic_high", .raised).first?.priority == .medium)
        #expect(room.events("systolic_high", .raised).first?.limit == 140)
        #expect(room.events("diastolic_high", .raised).first?.priority == .medium)
        #expect(room.events("diastolic_high", .raised).first?.limit == 90)
    }

    @Test("The +40 min BP is flagged due at +40, then overdue at +45")
    func fortyMinuteCheck() throws {
        var room = Room()
        try room.startAndDose()
        for minute in [4.0, 8, 12, 16, 25, 34] {
            while room.now < room.sessionEvents.first(where: { $0.kind == .dose })!.time
                .timeIntervalSince(room.clock.wallStart) + minute * 60 { room.oximeter(spo2: 97, for: 1) }
            room.bloodPressure(130, 84)
        }
        room.normalOximeter(untilMinutesAfterDose: 46)
        let due = try #require(room.events("nibp_due", .raised).first)
        #expect(due.sinceDose == 2460.0, "due at +40, reminded after the profile's 1 min remind_after")
        #expect(due.priority == .low)
        #expect(due.detail == "the +40 min check")
        let overdue = try #require(room.alarms.first { $0.condition == "nibp_overdue" })
        #expect(overdue.state == .escalated)
        #expect(overdue.sinceDose == 2700.0)
        #expect(overdue.priority == .medium)
        #expect(overdue.id == due.id)
        room.bloodPressure(132, 85)
        #expect(room.events("nibp_overdue", .cleared).count == 1)
    }

    @Test("No BP before the dose is flagged when the dose is marked")
    func doseWithoutBaselineBP() throws {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.oximeter(spo2: 98, for: 60)
        try room.perform(.markDose(by: .doula))
        let missing = try #require(room.events("nibp_before_dose_missing", .raised).first)
        #expect(missing.priority == .medium)
        room.bloodPressure(130, 80)
        #expect(room.events("nibp_before_dose_missing", .cleared).count == 1)
    }

    @Test("A rise of 40 mmHg over the baseline is a low notice, not an alarm")
    func riseOverBaseline() throws {
        var room = try roomInPeak()
        room.bloodPressure(170, 90)
        let notice = try #require(room.events("systolic_rise", .raised).first)
        #expect(notice.priority == .low)
        #expect(notice.limit == 165, "baseline 125 + 40")
        #expect(room.events("systolic_high").isEmpty)
    }

    @Test("At discharge a systolic 20% above the baseline is a low not-ready notice")
    func dischargeRelative() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 121)
        #expect(room.monitor.session.phase == .discharge)
        room.bloodPressure(151, 85)
        let notice = try #require(room.events("systolic_high", .raised).first)
        #expect(notice.priority == .low)
        #expect(notice.limit == 150)
    }
}

extension Room {
    mutating func normalOximeter(untilMinutesAfterDose minutes: Double) {
        let doseAt = sessionEvents.first { $0.kind == .dose }!.time
        while clock.wallNow.timeIntervalSince(doseAt) < minutes * 60 { oximeter(spo2: 97, for: 1) }
    }
}
