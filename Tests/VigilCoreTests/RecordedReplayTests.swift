import Foundation
import Testing
import VigilCore

/// A recorded session played through a profile: what the room's store kept, message by message,
/// with nothing held over its gaps, and the room's own alarms beside the replay's.
@Suite("Recorded sessions replayed through a profile")
struct RecordedReplayTests {
    static let start = Date(timeIntervalSince1970: 1_767_258_000)

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    /// One oximeter message a second at each of `seconds`.
    static func oximeter(_ seconds: [Int], spo2: Double = 97) -> [RecordedSession.Moment] {
        seconds.map { t in
            RecordedSession.Moment(time: at(Double(t)), .readings([
                Reading(time: at(Double(t)), vital: .spo2, value: spo2, device: "oximeter"),
                Reading(time: at(Double(t)), vital: .pulseRate, value: 72, device: "oximeter"),
            ]))
        }
    }

    static func bloodPressure(at t: Double) -> RecordedSession.Moment {
        RecordedSession.Moment(time: at(t), .readings(Reading.withDerivedMAP([
            Reading(time: at(t), vital: .systolic, value: 124, device: "nibp"),
            Reading(time: at(t), vital: .diastolic, value: 80, device: "nibp"),
        ])))
    }

    static func command(_ t: Double, _ command: RoomCommand) -> RecordedSession.Moment {
        RecordedSession.Moment(time: at(t), .command(command))
    }

    static func alarm(_ t: Double, _ id: String, _ condition: String, _ state: AlarmState, priority: AlarmPriority = .medium,
                      kind: AlarmKind = .technical, vital: Vital? = nil, by: Role? = nil) -> AlarmEvent {
        AlarmEvent(time: at(t), id: id, seq: 1, kind: kind, condition: condition, vital: vital, device: "oximeter",
                   priority: priority, state: state, value: nil, limit: nil, phase: .baseline, sinceDose: nil, by: by, detail: nil)
    }

    static func session(_ moments: [RecordedSession.Moment], end: Double, alarms: [AlarmEvent] = []) -> RecordedSession {
        RecordedSession(id: "S-test", startedAt: start, endedAt: at(end), devices: ["oximeter": true, "nibp": false],
                        moments: [command(0, .startSession(by: .doula, patientReference: nil))] + moments
                            + [command(end, .endSession(by: .doula))], alarms: alarms)
    }

    static let strictBaseline = """
        limits:
          - { vital: spo2, phases: [baseline], below: 95, priority: medium, delay: 30s }
          - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, delay: 15s }
        """

    static func alarms(_ events: [RoomEvent]) -> [AlarmEvent] {
        events.compactMap { if case .alarm(let a) = $0 { a } else { nil } }
    }

    @Test("The oximeter fell silent for 31 s in the room: the replay hears the same silence and raises no_data 10 s into it, as the room did, cleared by the first reading back")
    func recordedGapIsSilence() throws {
        let recorded = Self.session(Self.oximeter(Array(0..<30) + Array(61..<90)) + [Self.bloodPressure(at: 5)], end: 90, alarms: [
            Self.alarm(39, "3f2a-A1", "no_data", .raised), Self.alarm(61, "3f2a-A1", "no_data", .cleared),
        ])
        var replay = RecordedReplay(recorded, profile: .clinicDefault)
        let replayed = Self.alarms(replay.run())
        #expect(replayed.map { "\($0.time.timeIntervalSince(Self.start)) \($0.condition) \($0.state.rawValue)" }
            == ["39.0 no_data raised", "61.0 no_data cleared"])
        #expect(replayed.first?.id == "R1", "the replay's ids are its own")
        let comparison = AlarmComparison(recorded: recorded.alarms, replayed: replayed, start: Self.start, end: Self.at(90))
        #expect(comparison.rows.map(\.outcome) == [.matched])
        #expect(comparison.rows.first?.shift == 0)
        #expect(replay.notes.isEmpty)
    }

    @Test("A stricter baseline SpO2 limit would have held the dose: the replay acknowledges the alarm as a nurse, gives the recorded dose at its time, and says so")
    func strictBaselineHoldsTheDose() throws {
        let profile = try AlarmProfile.load(yaml: Self.strictBaseline, file: "strict.yaml")
        let recorded = Self.session(Self.oximeter(Array(0...200), spo2: 94) + [Self.bloodPressure(at: 5),
                                    Self.command(120, .markDose(by: .doula))], end: 200)
        var replay = RecordedReplay(recorded, profile: profile)
        let events = replay.run()
        let spo2 = Self.alarms(events).filter { $0.condition == "spo2_low" }
        #expect(spo2.map { "\($0.time.timeIntervalSince(Self.start)) \($0.state.rawValue) \($0.by?.rawValue ?? "-")" }
            == ["30.0 raised -", "120.0 acknowledged nurse", "120.0 cleared -"])
        let dose = events.compactMap { if case .session(let s) = $0, s.kind == .dose { s } else { nil } }
        #expect(dose.map { $0.time.timeIntervalSince(Self.start) } == [120])
        #expect(replay.notes.map(\.text) == [
            "the dose waited for R1 (spo2_low) under this profile: the replay acknowledged it as a nurse and gave the recorded dose",
        ])
        // Through the room's own profile, 94 % before the dose raises nothing and nothing is noted.
        var plain = RecordedReplay(recorded, profile: .clinicDefault)
        #expect(Self.alarms(plain.run()).filter { $0.condition == "spo2_low" }.isEmpty)
        #expect(plain.notes.isEmpty)
    }

    @Test("The nurse's recorded acknowledgement acts on the replay's alarm of the same condition; with no such alarm it is skipped and noted")
    func recordedAcknowledgement() throws {
        let profile = try AlarmProfile.load(yaml: Self.strictBaseline, file: "strict.yaml")
        let ack = RecordedSession.Moment(time: Self.at(60), .staff(.acknowledge(by: .nurse, alarm: "3f2a-A1"), alarm: "3f2a-A1"))
        let recorded = Self.session(Self.oximeter(Array(0...100), spo2: 94) + [Self.bloodPressure(at: 5), ack], end: 100, alarms: [
            Self.alarm(30, "3f2a-A1", "spo2_low", .raised, kind: .physiological, vital: .spo2),
            Self.alarm(60, "3f2a-A1", "spo2_low", .acknowledged, kind: .physiological, vital: .spo2, by: .nurse),
        ])
        var strict = RecordedReplay(recorded, profile: profile)
        let spo2 = Self.alarms(strict.run()).filter { $0.condition == "spo2_low" }
        #expect(spo2.map(\.state) == [.raised, .acknowledged, .cleared], "cleared as the session ends")
        let acknowledged = spo2.first { $0.state == .acknowledged }
        #expect(acknowledged?.time == Self.at(60))
        #expect(acknowledged?.by == .nurse)
        #expect(strict.notes.isEmpty)

        var plain = RecordedReplay(recorded, profile: .clinicDefault)
        let replayed = Self.alarms(plain.run())
        #expect(replayed.filter { $0.condition == "spo2_low" }.isEmpty)
        #expect(plain.notes.map(\.text) == ["the acknowledgement of 3f2a-A1 (spo2_low) is skipped: this profile has no such alarm active"])
        #expect(plain.notes.first?.time == Self.at(60))
        let comparison = AlarmComparison(recorded: recorded.alarms, replayed: replayed, start: Self.start, end: Self.at(100))
        #expect(comparison.rows.map(\.outcome) == [.onlyRecorded])
    }

    @Test("The two runs' alarms pair by condition, subject and time: a desaturation raised 10 s earlier is the same alarm; another condition, or one far apart, is only in one run")
    func comparisonPairs() {
        let recorded = [
            Self.alarm(100, "X-A1", "spo2_low", .raised, kind: .physiological, vital: .spo2),
            Self.alarm(160, "X-A1", "spo2_low", .escalated, priority: .high, kind: .physiological, vital: .spo2),
            Self.alarm(200, "X-A1", "spo2_low", .cleared, priority: .high, kind: .physiological, vital: .spo2),
            Self.alarm(1000, "X-A2", "no_data", .raised),
            Self.alarm(1100, "X-A2", "no_data", .cleared),
        ]
        let replayed = [
            Self.alarm(90, "R1", "spo2_low", .raised, kind: .physiological, vital: .spo2),
            Self.alarm(205, "R1", "spo2_low", .cleared, kind: .physiological, vital: .spo2),
            Self.alarm(500, "R2", "pulse_high", .raised, kind: .physiological, vital: .pulseRate),
            Self.alarm(3000, "R3", "no_data", .raised),
        ]
        let comparison = AlarmComparison(recorded: recorded, replayed: replayed, start: Self.start, end: Self.at(3600))
        #expect(comparison.rows.map(\.outcome) == [.matched, .onlyReplayed, .onlyRecorded, .onlyReplayed])
        let desaturation = comparison.rows[0]
        #expect(desaturation.shift == -10)
        #expect(desaturation.recorded?.raisedPriority == .medium)
        #expect(desaturation.recorded?.priority == .high)
        #expect(desaturation.recorded?.escalatedAt == Self.at(160))
        #expect(desaturation.replayed?.priority == .medium)
        #expect(comparison.rows[3].replayed?.clearedAt == nil, "still open at the end")
        #expect(comparison.rows[2].recorded?.clearedAt == Self.at(1100))
        #expect(AlarmSpan.tally(comparison.recorded) == [
            AlarmSpan.Tally(condition: "spo2_low", priority: .high): 1, AlarmSpan.Tally(condition: "no_data", priority: .medium): 1,
        ])
    }
}
