/// The only thing about a patient Vigil keeps: an opaque code the clinic maps to its own
/// records. A code has no spaces, so a typed name ("Jane Doe") is refused rather than stored.
public enum PatientReference {
    public static func isOpaque(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 32
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }
}
