import Foundation
import VigilCore

/// Turns room events into the short lines a person watches scroll by in a terminal.
public struct LivePrinter: Sendable {
    public init() {}

    public func line(for event: RoomEvent) -> String {
        switch event {
        case .session(let s):
            let what = switch s.kind {
            case .started: "session started"
            case .dose: "dose marked"
            case .booster: "booster dose marked"
            case .note: "note: \(s.text ?? "")"
            case .phaseChanged: "phase → \(s.phase.rawValue)"
            case .resumed: "session resumed after a restart, in \(s.phase.rawValue)"
            case .ended: "session ended"
            }
            let by = s.by.map { " by \($0.rawValue)" } ?? ""
            return "\(clock(s.sinceDose)) \(pad(s.phase.rawValue)) SESSION \(what)\(by)"
        case .alarm(let a):
            var parts = ["\(clock(a.sinceDose)) \(pad(a.phase.rawValue)) ALARM  \(a.id)",
                         a.state.rawValue.replacingOccurrences(of: "_", with: " "),
                         a.priority.rawValue.uppercased(), a.condition]
            if let v = a.value { parts.append("value \(JSONLine.number(v))") }
            if let l = a.limit { parts.append("limit \(JSONLine.number(l))") }
            if let d = a.device { parts.append("device \(d)") }
            if let by = a.by { parts.append("by \(by.rawValue)") }
            if let detail = a.detail { parts.append("(\(detail))") }
            return parts.joined(separator: " ")
        }
    }

    /// Time since the dose as +MM:SS, or "pre-dose".
    public func clock(_ sinceDose: Double?) -> String {
        guard let s = sinceDose else { return " pre-dose" }
        let total = Int(s.rounded(.down))
        return String(format: "%+4d:%02d", total / 60, total % 60).replacingOccurrences(of: " ", with: " ")
    }

    public func pad(_ text: String) -> String { text.padding(toLength: 9, withPad: " ", startingAt: 0) }
}
