import Foundation

/// A session timeline written as `seconds,name,value` lines: what the devices sent and what the
/// staff did. It drives `vigil replay` and, later, the device simulators.
///
/// ```
/// 0,session.start,
/// 300,dose,
/// 310,spo2,97          # the oximeter sends 97 % every second until told otherwise
/// 2400,systolic,172    # one BP measurement: its readings share a second
/// 2400,diastolic,96
/// 2500,ack,nurse:systolic_high   # one alarm, by its condition or its id
/// 2600,probe_off,oximeter
/// 7300,session.end,
/// ```
///
/// A `#hold:` line before the first timed line says how the oximeter's lines are read:
/// `#hold: until-next` (the default) holds each value and sends it every second until the next
/// line, as a live device does; `#hold: each-line` makes each line one reading, so that the time
/// between two lines is silence (a recorded session, written out reading by reading).
public struct Scenario: Sendable, Hashable {
    public var steps: [Step]
    /// How the continuous vitals' lines are read.
    public var hold: Hold = .untilNext

    /// How a continuous vital's line is played.
    public enum Hold: String, Sendable, Hashable, CaseIterable {
        /// The value is held and sent every second until the next line changes it.
        case untilNext = "until-next"
        /// Each line is one reading at its time; between lines the device says nothing.
        case eachLine = "each-line"
    }

    /// One line of a scenario.
    public struct Step: Sendable, Hashable {
        public var seconds: Double
        public var line: Int
        public var action: Action

        public init(seconds: Double, line: Int, action: Action) {
            self.seconds = seconds
            self.line = line
            self.action = action
        }
    }

    public enum Action: Sendable, Hashable {
        case command(RoomCommand)
        /// A continuous vital's value, held and sent every second by the simulated oximeter.
        case hold(Vital, Double)
        /// One intermittent (BP) reading.
        case measure(Vital, Double)
        /// The oximeter's signal: probe off, artifact, searching, or back to valid.
        case signal(device: String, ReadingQuality)
        /// The device stays connected but sends nothing until its next value.
        case silence(device: String)
        case unplug(device: String)
        case replug(device: String)
        /// Bytes that no protocol accepts; for simulators (a replay has no bytes to corrupt).
        case corrupt(device: String)
    }

    public init(steps: [Step], hold: Hold = .untilNext) {
        self.steps = steps
        self.hold = hold
    }

    /// How long the scenario runs: the time of its last line.
    public var length: Double { steps.last?.seconds ?? 0 }

    /// The scenario played `times` times in a row on one clock: each copy starts `gap` seconds
    /// after the previous one's last line, staff and device lines shifted alike, so that the
    /// simulators and the staff stay in step. Line numbers stay those of the file.
    public func repeated(_ times: Int, gap: Double) -> Scenario {
        let period = length + gap
        return Scenario(steps: (0..<max(times, 1)).flatMap { copy in
            steps.map { Step(seconds: $0.seconds + Double(copy) * period, line: $0.line, action: $0.action) }
        }, hold: hold)
    }

    /// The steps a clinician or the staff take (start, dose, acknowledge, end…), without the
    /// device lines; the demo's staff plays these while simulators play the rest.
    public var staffSteps: [Step] {
        steps.filter {
            guard case .command(let command) = $0.action else { return false }
            if case .measurementFailed = command { return false }
            return true
        }
    }
}

extension Scenario.Action {
    /// The device a device line names (`unplug,nibp` → `nibp`), `nil` for other lines.
    public var device: String? {
        switch self {
        case .signal(let d, _), .silence(let d), .unplug(let d), .replug(let d), .corrupt(let d): d
        case .command(.measurementFailed(let d, _)): d
        default: nil
        }
    }
}

/// A scenario line that cannot be read: printed as `FILE:LINE: reason`.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String

    public var description: String { "\(file):\(line): \(reason)" }
}

extension Scenario {
    public static let oximeter = "oximeter"
    public static let bloodPressureMonitor = "nibp"

    /// Parses a scenario; the first bad line throws with its number and what is wrong.
    public static func parse(_ text: String, file: String = "scenario") throws -> Scenario {
        var steps: [Step] = []
        var hold: (Hold, line: Int)?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let setting = try holdSetting(raw, line: index + 1, file: file, after: steps.first, previous: hold?.line) {
                hold = (setting, index + 1)
                continue
            }
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let lineNumber = index + 1
            func fail(_ reason: String) -> ScenarioError { ScenarioError(file: file, line: lineNumber, reason: reason) }
            let fields = trimmed.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2 else { throw fail("expected seconds,name,value but found \"\(trimmed)\"") }
            guard let seconds = Double(fields[0]), seconds >= 0, seconds.isFinite else {
                throw fail("time \"\(fields[0])\" is not a number of seconds")
            }
            if let last = steps.last, seconds < last.seconds {
                throw fail("time \(fields[0]) goes back before \(JSONLine.number(last.seconds))")
            }
            let value = fields.count > 2 ? fields[2] : ""
            do {
                steps.append(Step(seconds: seconds, line: lineNumber, action: try action(fields[1], value)))
            } catch let reason as Reason {
                throw fail(reason.text)
            }
        }
        return Scenario(steps: steps, hold: hold?.0 ?? .untilNext)
    }

    /// The `#hold:` line's setting, or `nil` for any other line. It must come once, before the
    /// first timed line, and name one of the two ways.
    private static func holdSetting(_ raw: Substring, line: Int, file: String, after first: Step?,
                                    previous: Int?) throws -> Hold? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("#hold:") else { return nil }
        func fail(_ reason: String) -> ScenarioError { ScenarioError(file: file, line: line, reason: reason) }
        let value = text.dropFirst("#hold:".count).split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            .first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let hold = Hold(rawValue: value) else {
            throw fail("#hold: \"\(value)\" is neither until-next (each value held and sent every second until the next line, the default) nor each-line (each line is one reading; between lines the device is silent)")
        }
        if let previous { throw fail("#hold: a second hold setting (the first is on line \(previous))") }
        if let first { throw fail("#hold: must come before the first timed line (line \(first.line))") }
        return hold
    }

    private struct Reason: Error { var text: String }

    private static func action(_ name: String, _ value: String) throws -> Action {
        let device = value.isEmpty ? oximeter : value
        switch name {
        case "session.start": return .command(.startSession(by: try role(value, default: .doula), patientReference: nil))
        case "dose": return .command(.markDose(by: try role(value, default: .doula)))
        case "booster": return .command(.markBooster(by: try role(value, default: .doula)))
        case "note":
            guard !value.isEmpty else { throw Reason(text: "note: the note's text is missing") }
            return .command(.addNote(value, by: .doula))
        case "session.end": return .command(.endSession(by: try role(value, default: .doula)))
        case "ack", "pause":
            let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
            let who = try role(parts.first ?? "", default: .nurse)
            guard parts.count > 1, !parts[1].isEmpty else {
                throw Reason(text: "\(name) names one alarm: \(name),nurse:spo2_low (its condition) or \(name),nurse:A3 (its id)")
            }
            let id = parts[1]
            return .command(name == "ack" ? .acknowledge(by: who, alarm: id) : .pauseAudio(by: who, alarm: id))
        case "probe_off": return .signal(device: device, .sensorOff)
        case "probe_on": return .signal(device: device, .valid)
        case "artifact": return .signal(device: device, .artifact)
        case "poor_signal": return .signal(device: device, .poorSignal)
        case "searching": return .signal(device: device, .searching)
        case "silent": return .silence(device: device)
        case "unplug": return .unplug(device: device)
        case "replug": return .replug(device: device)
        case "corrupt": return .corrupt(device: device)
        case "bp_failed":
            return .command(.measurementFailed(bloodPressureMonitor, reason: value.isEmpty ? "measurement failed" : value))
        default:
            guard let vital = Vital(rawValue: name) else {
                throw Reason(text: "unknown name \"\(name)\" (a vital such as spo2 or systolic, or an event such as dose)")
            }
            guard let number = Double(value), number.isFinite else {
                throw Reason(text: "\(name): value \"\(value)\" is not a number")
            }
            return vital.isIntermittent ? .measure(vital, number) : .hold(vital, number)
        }
    }

    private static func role(_ text: String, default fallback: Role) throws -> Role {
        if text.isEmpty { return fallback }
        guard let role = Role(rawValue: text) else {
            throw Reason(text: "unknown role \"\(text)\" (nurse, doula, provider or station)")
        }
        return role
    }
}
