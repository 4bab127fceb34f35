import Logging

/// Hummingbird's own log lines, in the room's log: warnings and worse only, and not the
/// cancellation a clean shutdown reports (the server stopping is not a fault).
struct WebLog: LogHandler {
    let write: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.message)"
        guard !text.contains("CancellationError") else { return }
        write("web     \(text)")
    }
}
