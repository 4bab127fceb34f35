import PropertyBased
import Testing
import VigilCore

/// Properties of the alarm engine (`shared/clinical.md`, "How a condition is timed", "Crisis
/// tiers", "NIBP schedule", "Alarm behaviour") over random noisy sessions: SpO2 that hovers
/// around a limit and blips back inside it, pulse that wanders across every tier, segments
/// that run across phase changes. A failure prints its input and the `.fixedSeed(…)` that
/// replays it.
///
/// Properties 1–4 run on the clinic's rules with a compressed timeline (peak from +30 s,
/// recovery from +300 s, discharge from +480 s): the timeline is clinic config and each
/// phase's rules are the defaults either way, so a session of a few minutes crosses every
/// boundary. Property 5 is about the +40 min check, so it keeps the default timeline.
@Suite("The alarm engine over random noisy sessions")
struct EnginePropertyTests {
    /// One stretch of a session: SpO2 and pulse held for `seconds`, SpO2 wobbling by up to
    /// `wobble` around its value.
    typealias Segment = (spo2: Int, pulse: Int, seconds: Int, wobble: Int)

    static let dose = 61.0
    static let recoveryStarts = 300.0
    static let dischargeStarts = 480.0

    static let compressed: AlarmProfile = {
        var p = AlarmProfile.clinicDefault
        p.timeline = PhaseTimeline(peakStarts: .seconds(30), recoveryStarts: .seconds(Int(recoveryStarts)),
                                   dischargeStarts: .seconds(Int(dischargeStarts)))
        return p
    }()

    // MARK: Generators

    /// Random segments whose SpO2 (80–99) and pulse (35–150) straddle every limit of every phase.
    static var segments: Generator<[Segment], some SendableSequenceType> {
        zip(Gen.int(in: 80...99), Gen.int(in: 35...150), Gen.int(in: 1...40), Gen.int(in: 0...2))
            .map { (spo2: $0.0, pulse: $0.1, seconds: $0.2, wobble: $0.3) }
            .array(of: 1...16)
    }

    /// A noisy stretch before the breach: SpO2 88–99 in segments of 1–10 s (short dips included).
    static var noisyPrefix: Generator<[(Int, Int)], some SendableSequenceType> {
        zip(Gen.int(in: 88...99), Gen.int(in: 1...10)).array(of: 0...12)
    }

    // MARK: Sessions

    /// Plays `segments` on the room, one SpO2 and one pulse reading a second.
    static func play(_ segments: [Segment], on room: inout Room) {
        for segment in segments {
            for second in 0..<segment.seconds { room.oximeter(spo2: spo2(segment, at: second), pulse: Double(segment.pulse), for: 1) }
        }
    }

    /// The segment's SpO2 at `second` into it: hovering by ±`wobble` in a fixed pattern.
    static func spo2(_ segment: Segment, at second: Int) -> Double {
        guard segment.wobble > 0 else { return Double(segment.spo2) }
        let offset = (second * 5 + segment.spo2) % (2 * segment.wobble + 1) - segment.wobble
        return Double(min(100, segment.spo2 + offset))
    }

    /// A room dosed at 61 s (after a minute's baseline and a BP), normal until `lead` s after the dose, then `segments`.
    static func session(lead: Int, _ segments: [Segment]) throws -> Room {
        var room = try Room.dosed(at: dose, normalUntil: dose + Double(lead), profile: compressed)
        play(segments, on: &room)
        return room
    }

    /// 90 s past a limit: `base` each second, with a 1 s blip to `value` after each `gap` s
    /// (gaps of at least 4 s keep the blips at least 5 s apart).
    static func sustained(base: [Int], blips: [(gap: Int, value: Int)]) -> [Int] {
        var series = base
        var at = 0
        for blip in blips {
            at += blip.gap
            guard at < series.count else { break }
            series[at] = blip.value
            at += 1
        }
        return series
    }

    /// Seconds from the sustained breach's start until a `spo2_low` alarm of at least
    /// `priority` is active, after the noisy prefix in the peak; `nil` if none in its 90 s.
    static func secondsToAlarm(profile: AlarmProfile, prefix: [(Int, Int)], breach: [Int],
                               priority: AlarmPriority) throws -> Int? {
        var room = try Room.dosed(at: dose, normalUntil: dose + 30, profile: profile)
        for (value, seconds) in prefix { room.oximeter(spo2: Double(value), for: seconds) }
        for (second, value) in breach.enumerated() {
            room.oximeter(spo2: Double(value), for: 1)
            if room.monitor.alarms.activeAlarms.contains(where: { $0.condition == "spo2_low" && $0.priority >= priority }) {
                return second + 1
            }
        }
        return nil
    }

    /// Each alarm's events, by id, in order.
    static func lives(_ room: Room) -> [String: [AlarmEvent]] { Dictionary(grouping: room.alarms, by: \.id) }

    // MARK: Properties

    /// 2 × 80 cases.
    @Test("1. A desaturation that lasts, blips and all, is alarmed within its delay + 10 s: < 90 within 25 s, < 85 high within 15 s (2 × 80 cases)")
    func aLastingBreachIsAlarmedInTime() async {
        let blips = zip(Gen.int(in: 4...20), Gen.int(in: 90...91)).map { (gap: $0, value: $1) }.array(of: 0...18)
        await propertyCheck(count: 80, input: Self.noisyPrefix, Gen.int(in: 86...89).array(of: 90), blips) { prefix, base, blips in
            let breach = Self.sustained(base: base, blips: blips)
            let seconds = try Self.secondsToAlarm(profile: Self.compressed, prefix: prefix, breach: breach, priority: .medium)
            #expect(seconds.map { $0 <= 15 + 10 } == true, "spo2_low after \(seconds.map(String.init) ?? "never") s of \(breach)")
        }
        let crisisBlips = zip(Gen.int(in: 4...20), Gen.int(in: 85...86)).map { (gap: $0, value: $1) }.array(of: 0...18)
        await propertyCheck(count: 80, input: Self.noisyPrefix, Gen.int(in: 80...84).array(of: 90), crisisBlips) { prefix, base, blips in
            let breach = Self.sustained(base: base, blips: blips)
            let seconds = try Self.secondsToAlarm(profile: Self.compressed, prefix: prefix, breach: breach, priority: .high)
            #expect(seconds.map { $0 <= 5 + 10 } == true, "high spo2_low after \(seconds.map(String.init) ?? "never") s of \(breach)")
        }
    }

    /// 50 cases. The limits are the clinic's table (`clinicDefault`), not the engine's own
    /// profile, so a profile that clears too early fails here.
    @Test("2. No SpO2 or pulse alarm clears while its value is outside the phase's limit by the hysteresis (50 sessions)")
    func noAlarmClearsOutsideTheLimit() async {
        await propertyCheck(count: 50, input: Gen.int(in: 0...400), Self.segments) { lead, segments in
            let room = try Self.session(lead: lead, segments)
            let table = AlarmProfile.clinicDefault
            for event in room.alarms where event.state == .cleared && event.kind == .physiological {
                guard let vital = event.vital, vital == .spo2 || vital == .pulseRate, let value = event.value else { continue }
                let tiers = table.rules(in: event.phase) { _ in true }.filter { $0.condition == event.condition }
                let baseline = room.monitor.alarms.baseline(vital)
                let outside = tiers.filter { $0.limit.isBreached(by: value, baseline: baseline, hysteresis: table.hysteresis(for: vital)) }
                #expect(outside.isEmpty, "\(event.condition) cleared at \(value) in \(event.phase) at +\(event.sinceDose ?? -1) s")
            }
        }
    }

    /// 50 cases.
    @Test("3. Nobody acknowledges, so no alarm that turned high ever clears (50 sessions)")
    func aHighAlarmWaitsForItsAcknowledgement() async {
        await propertyCheck(count: 50, input: Gen.int(in: 0...400), Self.segments) { lead, segments in
            let room = try Self.session(lead: lead, segments)
            for (id, events) in Self.lives(room) where events.first?.kind == .physiological {
                guard let high = events.firstIndex(where: { $0.priority == .high }) else { continue }
                let cleared = events[high...].first { $0.state == .cleared }
                #expect(cleared == nil, "\(id) \(events[high].condition) cleared at +\(cleared?.sinceDose ?? -1) s after turning high")
            }
        }
    }

    /// 50 cases: each session runs from up to 90 s before recovery or discharge until at least
    /// 90 s after it, its last segment held on past the boundary.
    @Test("4. Crossing into recovery or discharge never lowers an unacknowledged alarm's priority (50 sessions)")
    func aPhaseChangeNeverLowersAPriority() async {
        await propertyCheck(count: 50, input: Gen.int(in: 0...1), Gen.int(in: 5...90), Self.segments) { boundary, before, segments in
            let at = boundary == 0 ? Self.recoveryStarts : Self.dischargeStarts
            var room = try Self.session(lead: Int(at) - before, segments)
            if let last = segments.last, room.now < Self.dose + at + 90 {
                let held = (spo2: last.spo2, pulse: last.pulse, seconds: Int(Self.dose + at + 90 - room.now), wobble: last.wobble)
                Self.play([held], on: &room)
            }
            for (id, events) in Self.lives(room) {
                let priorities = events.map(\.priority)
                let story = events.map { "\($0.state.rawValue) \($0.priority) in \($0.phase) at +\($0.sinceDose ?? -1) s" }
                #expect(priorities == priorities.sorted(), "\(id) \(events[0].condition): \(story)")
            }
        }
    }

    /// 20 cases of 42 simulated minutes each, against one session without acknowledgements.
    /// The oximeter sends every 8 s (inside the 10 s no-data limit): the vitals play no part in
    /// the schedule, and it keeps a case cheap.
    @Test("5. Whatever the nurse acknowledged, every BP check is reminded when it would have been, the +40 min check included (20 sessions)")
    func everyCheckIsRemindedWhateverWasAcknowledged() async throws {
        let end = 42 * 60
        /// The `raised` reminders of a session with no BP after the dose, acknowledging whatever
        /// reminder is active at each of `acknowledgeAt` (seconds after the dose).
        func reminders(acknowledgeAt: Set<Int>) throws -> [AlarmEvent] {
            var room = try Room.dosed(at: 300, normalUntil: 300)
            for second in Set(stride(from: 0, to: end, by: 8)).union(acknowledgeAt).sorted() {
                room.wait(300 + Double(second) - room.now)
                if acknowledgeAt.contains(second),
                   let reminder = room.monitor.alarms.activeAlarms.first(where: { $0.condition.hasPrefix("nibp_") && $0.acknowledgedBy == nil }) {
                    try room.perform(.acknowledge(by: .nurse, alarm: reminder.id))
                }
                if second % 8 == 0 {
                    room.send(.spo2, 97)
                    room.send(.pulseRate, 72)
                }
            }
            room.wait(300 + Double(end) - room.now)
            return room.alarms.filter { ($0.condition == "nibp_due" || $0.condition == "nibp_overdue") && $0.state == .raised }
        }
        let unacknowledged = try reminders(acknowledgeAt: []).map(\.sinceDose)
        await propertyCheck(count: 20, input: Gen.int(in: 0...(end - 1)).array(of: 1...10)) { times in
            let raised = try reminders(acknowledgeAt: Set(times))
            #expect(raised.map(\.sinceDose) == unacknowledged, "acknowledged at \(times.sorted()) s after the dose")
            #expect(raised.contains { $0.detail == "the +40 min check" })
        }
    }
}
