import Foundation

/// Runs a `Scenario` through a `RoomMonitor` on a `ManualClock`: the clock jumps from one thing
/// that happens to the next (a scenario line, a reading from the simulated oximeter, an alarm
/// deadline), so two hours replay in a fraction of a second and every alarm lands at its exact
/// second. ``step()`` hands back one moment at a time, which is how `vigil demo` paces it.
///
/// With `#hold: until-next` (the default) the simulated oximeter sends its held values every
/// ``readingInterval``; with `#hold: each-line` each oximeter line is one reading (a signal line
/// such as `probe_off` one reading of each vital the oximeter has sent), and between lines it is
/// silent, so a gap raises `no_data` as it would in the room.
public struct ScenarioReplay: Sendable {
    public let clock: ManualClock
    public private(set) var monitor: RoomMonitor<ManualClock>
    private let scenario: Scenario
    private let file: String
    private var nextStep = 0
    private var streams: [String: Stream] = [:]
    /// How often the simulated oximeter sends its held values.
    public var readingInterval: Double = 1
    /// Keep every reading fed to the monitor in ``readings`` (to store a replayed session).
    public var keepsReadings = false
    public private(set) var readings: [Reading] = []

    /// What one simulated continuous device is sending.
    struct Stream: Sendable {
        var values: [Vital: Double] = [:]
        var quality: ReadingQuality = .valid
        var nextAt: Double?
        var isUnplugged = false
    }

    public init(scenario: Scenario, profile: AlarmProfile, file: String = "scenario",
                wallStart: Date = Date(timeIntervalSince1970: 1_767_258_000)) {
        self.scenario = scenario
        self.file = file
        clock = ManualClock(wallStart: wallStart)
        monitor = RoomMonitor(clock: clock, profile: profile)
    }

    /// Replays the whole scenario.
    public mutating func run() throws -> [RoomEvent] {
        var out: [RoomEvent] = []
        while let moment = try step() { out += moment.events }
        return out
    }

    /// Moves to the next moment at which something happens and returns what it produced;
    /// `nil` once the last line has been played.
    public mutating func step() throws -> (seconds: Double, events: [RoomEvent])? {
        guard nextStep < scenario.steps.count else { return nil }
        let lineAt = scenario.steps[nextStep].seconds
        let emitAt = streams.values.compactMap(\.nextAt).min()
        let deadline = monitor.nextDeadline().map { $0.offset.seconds }
        let t = [lineAt, emitAt, deadline].compactMap { $0 }.min()!
        clock.advance(to: ManualClock.Instant(offset: .milliseconds(Int64((t * 1000).rounded()))))

        var out = monitor.tick()
        var measurement: [Reading] = []
        while nextStep < scenario.steps.count, scenario.steps[nextStep].seconds <= t {
            if case .measure(let vital, let value) = scenario.steps[nextStep].action {
                measurement.append(Reading(time: clock.wallNow, vital: vital, value: value, device: Scenario.bloodPressureMonitor))
            } else {
                out += receive(measurement: measurement)
                measurement = []
                out += try apply(scenario.steps[nextStep])
            }
            nextStep += 1
        }
        out += receive(measurement: measurement)
        for name in streams.keys.sorted() where streams[name]!.nextAt.map({ $0 <= t }) ?? false {
            out += emit(name)
            streams[name]!.nextAt = t + readingInterval
        }
        return (t, out)
    }

    private mutating func apply(_ step: Scenario.Step) throws -> [RoomEvent] {
        let now = clock.now.offset.seconds
        switch step.action {
        case .command(let command):
            do {
                return try monitor.perform(monitor.resolvingAlarmName(command))
            } catch is AlarmCommandError {
                return []  // an ack for an alarm this profile never raised (a what-if replay) is skipped
            } catch {
                throw ScenarioError(file: file, line: step.line, reason: "\(error)")
            }
        case .hold(let vital, let value):
            streams[Scenario.oximeter, default: Stream()].values[vital] = value
            streams[Scenario.oximeter]!.quality = .valid
            if scenario.hold == .eachLine { return sendOnce(Scenario.oximeter, only: vital) }
            startSending(Scenario.oximeter, at: now)
        case .measure:
            break  // gathered into one measurement by step()
        case .signal(let device, let quality):
            streams[device, default: Stream()].quality = quality
            if scenario.hold == .eachLine { return sendOnce(device) }
            startSending(device, at: now)
        case .silence(let device):
            streams[device]?.nextAt = nil
        case .unplug(let device):
            streams[device]?.nextAt = nil
            streams[device]?.isUnplugged = true
            return try monitor.perform(.deviceDisconnected(device, reason: "unplugged"))
        case .replug(let device):
            streams[device]?.isUnplugged = false
            startSending(device, at: now)
            return try monitor.perform(.deviceConnected(device))
        case .corrupt:
            break
        }
        return []
    }

    private mutating func startSending(_ device: String, at now: Double) {
        guard scenario.hold == .untilNext, let stream = streams[device], !stream.isUnplugged, stream.nextAt == nil,
              !stream.values.isEmpty else { return }
        streams[device]!.nextAt = now
    }

    /// `#hold: each-line`: one reading of `vital` (or of each vital the device has sent) now,
    /// unless the device is unplugged.
    private mutating func sendOnce(_ device: String, only vital: Vital? = nil) -> [RoomEvent] {
        guard let stream = streams[device], !stream.isUnplugged else { return [] }
        return emit(device, only: vital)
    }

    private mutating func emit(_ device: String, only: Vital? = nil) -> [RoomEvent] {
        let stream = streams[device]!
        return stream.values.keys.sorted().filter { only == nil || $0 == only }.flatMap { vital in
            let value = stream.quality == .sensorOff || stream.quality == .searching ? nil : stream.values[vital]
            return receive(Reading(time: clock.wallNow, vital: vital, value: value, device: device, quality: stream.quality))
        }
    }

    private mutating func receive(_ reading: Reading) -> [RoomEvent] {
        if keepsReadings { readings.append(reading.markingLostSignal()) }
        return monitor.receive(reading)
    }

    /// One BP measurement's readings (those of one second), with a derived MAP where none came.
    private mutating func receive(measurement: [Reading]) -> [RoomEvent] {
        guard !measurement.isEmpty else { return [] }
        let (all, events) = monitor.receive(measurement: measurement)
        if keepsReadings { readings += all }
        return events
    }
}

extension ScenarioReplay {
    /// Performs a command now, outside the timeline: the score's stand-in nurse acknowledges a
    /// latched alarm whose condition has passed (see ``ScoredReplay``).
    public mutating func perform(_ command: RoomCommand) throws -> [RoomEvent] {
        try monitor.perform(command)
    }
}
