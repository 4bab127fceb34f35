import VigilCore

/// What ``RoomControl`` answers: what was asked for, or why nothing changed. The control socket
/// sends it as one JSON line; the web API sends the same line with the status its refusal's kind
/// maps to.
public struct ControlReply: Sendable {
    /// Why a command was refused, and what sort of refusal it is.
    public struct Refusal: Sendable, Error, CustomStringConvertible {
        /// Kinds a caller can act on differently (the web maps them to 400/403/404/409/503/500).
        public enum Kind: Sendable, Hashable {
            /// Not a command: not JSON, an unknown field, a value out of range, a note too long.
            case malformed
            /// The role may not do this.
            case forbidden
            /// It names an alarm or session that is not there.
            case notFound
            /// The session refuses it now: dose before start, end twice, end over an unacknowledged high alarm.
            case conflict
            /// The room cannot do it at all (no music here).
            case unavailable
            /// Something went wrong that is not the request's fault.
            case failed
        }
        public var reason: String
        public var kind: Kind
        public var description: String { reason }
        public init(_ reason: String, kind: Kind) { self.reason = reason; self.kind = kind }
    }

    public var fields: [String: JSONLine.Value]
    public var refusal: Refusal?
    public var isOK: Bool { refusal == nil }

    public static func ok(_ fields: [String: JSONLine.Value] = [:]) -> ControlReply { ControlReply(fields: fields, refusal: nil) }
    public static func refused(_ refusal: Refusal) -> ControlReply { ControlReply(fields: [:], refusal: refusal) }

    /// `{"ok":true,…}` with the fields in order, or `{"ok":false,"error":"…"}`.
    public var line: String {
        var j = JSONLine()
        j.add("ok", .bool(isOK))
        if let refusal {
            j.add("error", refusal.reason)
        } else {
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) { j.add(key, value) }
        }
        return j.description
    }
}

extension ControlReply.Refusal {
    /// The kind of refusal an error from the core stands for.
    static func from(_ error: any Error) -> ControlReply.Refusal {
        let kind: Kind = switch error {
        case is PermissionDenied: .forbidden
        case AlarmCommandError.unknownAlarm: .notFound
        case SessionError.noteTooLong, SessionError.patientReferenceNotOpaque: .malformed
        case is StaffCommand.Rejection: .malformed
        case is SessionError, is AlarmGuardError: .conflict
        default: .failed
        }
        return ControlReply.Refusal("\(error)", kind: kind)
    }
}
