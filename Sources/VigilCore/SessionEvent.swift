import Foundation

/// Something that happened to the session, stamped with wall-clock time and the role behind it.
public struct SessionEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case started, dose, booster, note
        case phaseChanged = "phase_changed"
        /// The agent restarted and picked the session up where the clock says it is.
        case resumed
        case ended
    }

    public var time: Date
    public var kind: Kind
    /// The phase after the event.
    public var phase: Phase
    public var sinceDose: Double?
    public var by: Role?
    public var text: String?

    public init(time: Date, kind: Kind, phase: Phase, sinceDose: Double?, by: Role?, text: String? = nil) {
        self.time = time
        self.kind = kind
        self.phase = phase
        self.sinceDose = sinceDose
        self.by = by
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case time, kind = "event", phase, sinceDose = "since_dose_s", by, text
    }
}

/// Why a session command was refused.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    case notStarted, alreadyStarted, alreadyDosed, notDosed, ended
    /// A patient reference that could be a name: only an opaque code is kept.
    case patientReferenceNotOpaque
    /// A note longer than ``Session/maxNoteLength`` characters.
    case noteTooLong

    /// A note is a few sentences; anything longer is refused rather than stored.
    public static let maxNoteLength = 2_000

    public var description: String {
        switch self {
        case .notStarted: "no session is running"
        case .alreadyStarted: "a session is already running"
        case .alreadyDosed: "the dose is already marked; use a booster for a second dose"
        case .notDosed: "no dose has been marked yet"
        case .ended: "the session has ended"
        case .patientReferenceNotOpaque: "a patient reference must be an opaque code (letters, digits, - or _, at most 32), never a name"
        case .noteTooLong: "a note may have at most \(Self.maxNoteLength) characters"
        }
    }
}
