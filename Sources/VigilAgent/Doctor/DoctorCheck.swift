/// One line of `vigil doctor`: what was checked, what was found and, when something is wrong,
/// what to do about it, in words for the clinic's IT person.
///
/// `✓ oximeter: /dev/vigil/oximeter speaks contec-v7: 61 valid frames in 1.1 s`
/// `✗ oximeter: /dev/vigil/oximeter does not exist — is the cable plugged in? …`
public struct DoctorCheck: Sendable, Equatable {
    public enum Mark: String, Sendable, Equatable {
        /// Works.
        case ok = "✓"
        /// Will stop the room working as configured: `vigil doctor` exits 1.
        case failed = "✗"
        /// Worth a look, but not a fault: the exit status stays 0.
        case warning = "!"
        /// Not checked (the reason is in the line).
        case skipped = "-"
    }

    public var mark: Mark
    /// What was checked, in the room's words: `config`, a device's name, `music`, `broker`, …
    public var subject: String
    public var finding: String
    public var advice: String?
    /// Further lines under it (each problem of an invalid config).
    public var details: [String]

    public init(_ mark: Mark, _ subject: String, _ finding: String, advice: String? = nil, details: [String] = []) {
        self.mark = mark
        self.subject = subject
        self.finding = finding
        self.advice = advice
        self.details = details
    }

    public static func ok(_ subject: String, _ finding: String) -> DoctorCheck { DoctorCheck(.ok, subject, finding) }

    public static func failed(_ subject: String, _ finding: String, advice: String, details: [String] = []) -> DoctorCheck {
        DoctorCheck(.failed, subject, finding, advice: advice, details: details)
    }

    public static func warning(_ subject: String, _ finding: String, advice: String) -> DoctorCheck {
        DoctorCheck(.warning, subject, finding, advice: advice)
    }

    /// The line as printed, with any details indented under it.
    public var text: String {
        var line = "\(mark.rawValue) \(subject): \(finding)"
        if let advice { line += " — \(advice)" }
        return ([line] + details.map { "    \($0)" }).joined(separator: "\n")
    }
}

extension Array where Element == DoctorCheck {
    /// Whether any check failed: `vigil doctor` then exits 1.
    public var anyFailed: Bool { contains { $0.mark == .failed } }
}
