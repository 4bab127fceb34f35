import Foundation
import Testing
import VigilCore
@testable import VigilStore

/// A session the store recorded, read back as the timeline `vigil replay --session` plays: the
/// readings with their own times and gaps, BP measurements, the session's commands, the nurse's
/// acknowledgements, the devices going and coming back; then replayed through a profile.
@Suite("Recorded sessions: the store's timeline, replayed")
struct RecordedSessionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scenarios")

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// Plays a scenario as a room and writes what the room writes: the session row, every session
    /// and alarm event, each reading the engine took, each device lost and back, and each
    /// acknowledgement and pause in the audit log with the alarm's id.
    @discardableResult
    static func recordAsTheRoom(_ text: String, into store: Store, id: String = "S-room",
                                profile: AlarmProfile = .clinicDefault) throws -> [AlarmEvent] {
        let scenario = try Scenario.parse(text)
        var replay = ScenarioReplay(scenario: scenario, profile: profile)
        replay.keepsReadings = true
        let start = replay.clock.wallStart
        var alarms: [AlarmEvent] = []
        for event in try replay.run() {
            switch event {
            case .session(let s):
                if s.kind == .started {
                    try store.insert(SessionRecord(id: id, site: "north", room: "room-2", patientReference: nil,
                                                   startedAt: s.time.timeIntervalSince1970, startedBy: s.by?.rawValue ?? "doula"))
                }
                try store.record(s, session: id)
            case .alarm(let a):
                alarms.append(a)
                try store.record(a, session: id)
                if a.state == .acknowledged || a.state == .audioPaused, let by = a.by {
                    try store.audit(AuditRecord(time: a.time, sessionId: id, role: by, action: a.state == .acknowledged ? "ack" : "pause",
                                                detail: a.id, source: "test"))
                }
            }
        }
        for step in scenario.steps {
            let time = start.addingTimeInterval(step.seconds)
            switch step.action {
            case .unplug(let device): try store.recordDevice(device, event: "disconnected", detail: "unplugged", at: time)
            case .replug(let device): try store.recordDevice(device, event: "connected", detail: nil, at: time)
            default: break
            }
        }
        try store.record(replay.readings.map { ($0, id) })
        return alarms
    }

    static func seconds(_ time: Date, from start: Date) -> Double { time.timeIntervalSince(start) }

    @Test("The probe-unplugged session read back from the store: one message a second, nothing while the cable was out or the oximeter silent, the unplug, the nurse's acknowledgement and the BP measurements in their places",
          arguments: DatabaseKind.allCases)
    func timelineFromStore(kind: DatabaseKind) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try kind.makeStore(in: folder)
        try Self.recordAsTheRoom(try Self.fixture("probe-unplugged.csv"), into: store)
        let recorded = try #require(try store.recordedSession("S-room"))
        let start = recorded.startedAt
        #expect(recorded.devices == ["oximeter": true, "nibp": false])
        #expect(recorded.duration == 2500)

        var messages: [(t: Double, readings: [Reading])] = []
        var commands: [(t: Double, command: RoomCommand)] = []
        var staff: [(t: Double, alarm: String)] = []
        for moment in recorded.moments {
            let t = Self.seconds(moment.time, from: start)
            switch moment.what {
            case .readings(let r): messages.append((t, r))
            case .command(let c): commands.append((t, c))
            case .staff(_, let alarm): staff.append((t, alarm))
            case .resumed: Issue.record("no restart in this session")
            }
        }
        let oximeter = messages.filter { $0.readings.first?.device == "oximeter" }.map(\.t)
        #expect(oximeter.allSatisfy { !(700..<760).contains($0) && !(1300..<1500).contains($0) && !(1600..<1850).contains($0) },
                "the gaps are left empty")
        #expect(oximeter.contains(699) && oximeter.contains(760) && oximeter.contains(1299) && oximeter.contains(1500))
        #expect(messages.filter { $0.readings.first?.device == "oximeter" }.allSatisfy { $0.readings.map(\.vital) == [.spo2, .pulseRate] })
        let bp = try #require(messages.first { $0.t == 120 && $0.readings.first?.device == "nibp" })
        #expect(bp.readings.map(\.vital) == [.systolic, .diastolic, .meanArterial])
        #expect(bp.readings.last?.quality == .derived)
        #expect(commands.map { "\(Int($0.t)) \(RecordedReplayName.of($0.command))" } == [
            "0 start", "300 dose", "700 disconnected oximeter", "760 connected oximeter", "1600 disconnected oximeter",
            "1850 connected oximeter", "2500 end",
        ])
        #expect(staff.map { "\(Int($0.t)) \($0.alarm)" } == ["1750 A3"])
        #expect(recorded.alarms.map(\.condition).first == "device_disconnected")
    }

    @Test("Replayed through the room's own profile, the recorded session gives exactly the room's alarms: the unplugs, the silence's no_data from the store's own gap, their escalations and the nurse's acknowledgement")
    func sameProfileSameAlarms() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("room.sqlite").path)
        let room = try Self.recordAsTheRoom(try Self.fixture("probe-unplugged.csv"), into: store)
        let recorded = try #require(try store.recordedSession("S-room"))
        var replay = RecordedReplay(recorded, profile: .clinicDefault)
        let replayed = replay.run().compactMap { if case .alarm(let a) = $0 { a } else { nil } }
        func story(_ events: [AlarmEvent]) -> [String] {
            events.map { "\(Self.seconds($0.time, from: recorded.startedAt)) \($0.condition) \($0.priority.rawValue) \($0.state.rawValue) \($0.by?.rawValue ?? "")" }
        }
        #expect(story(replayed) == story(room))
        #expect(story(replayed).contains("1309.0 no_data medium raised "), "no_data 10 s into the silence at 1300")
        let comparison = AlarmComparison(recorded: recorded.alarms, replayed: replayed, start: recorded.startedAt, end: recorded.lastTime)
        #expect(comparison.rows.count == 3)
        #expect(comparison.rows.allSatisfy { $0.outcome == .matched && $0.shift == 0 })
        #expect(replay.notes.isEmpty, "\(replay.notes)")
    }

    @Test("The uneventful session under a proposed SpO2 limit of 97 %: the room raised nothing, the replay raises spo2_low once SpO2 settles at 96 % in the peak, and only there")
    func stricterProfileRaisesMore() throws {
        let store = try Store(queue: .init())
        let room = try Self.recordAsTheRoom(try Self.fixture("uneventful.csv"), into: store)
        #expect(room.isEmpty)
        let proposed = try AlarmProfile.load(yaml: """
            limits:
              - { vital: spo2, phases: [baseline], below: 93, priority: medium, delay: 30s }
              - { vital: spo2, phases: [onset, peak, recovery], below: 97, priority: medium, delay: 15s }
            """, file: "proposed.yaml")
        let recorded = try #require(try store.recordedSession("S-room"))
        var replay = RecordedReplay(recorded, profile: proposed)
        let replayed = replay.run().compactMap { if case .alarm(let a) = $0 { a } else { nil } }
        let comparison = AlarmComparison(recorded: recorded.alarms, replayed: replayed, start: recorded.startedAt, end: recorded.lastTime)
        #expect(comparison.rows.map(\.outcome) == [.onlyReplayed])
        let span = try #require(comparison.rows.first?.replayed)
        #expect(span.condition == "spo2_low")
        #expect(span.raisedAt.map { Self.seconds($0, from: recorded.startedAt) } == 2415, "96 % from 2400, 15 s delay")
        #expect(span.priority == .high, "a medium alarm nobody acknowledged rises to high after 2 minutes")
    }

    @Test("Only finished sessions since a date are replayed in bulk; a session still running is left to finish")
    func finishedSessionsSince() throws {
        let store = try Store(queue: .init())
        try store.insert(SessionRecord(id: "old", site: "s", room: "r", patientReference: nil, startedAt: 1000, startedBy: "doula", endedAt: 8000))
        try store.insert(SessionRecord(id: "new", site: "s", room: "r", patientReference: nil, startedAt: 9000, startedBy: "doula", endedAt: 16000))
        try store.insert(SessionRecord(id: "open", site: "s", room: "r", patientReference: nil, startedAt: 17000, startedBy: "doula"))
        #expect(try store.finishedSessions(since: Date(timeIntervalSince1970: 5000)).map(\.id) == ["new"])
        #expect(try store.finishedSessions(since: Date(timeIntervalSince1970: 0)).map(\.id) == ["old", "new"])
        #expect(try store.recordedSession("none") == nil)
    }
}

/// A short name for a recorded command, for the tests' expectations.
enum RecordedReplayName {
    static func of(_ command: RoomCommand) -> String {
        switch command {
        case .startSession: "start"
        case .markDose: "dose"
        case .endSession: "end"
        case .deviceConnected(let d): "connected \(d)"
        case .deviceDisconnected(let d, _): "disconnected \(d)"
        default: "\(command)"
        }
    }
}
