import Logging

/// Hummingbird's own log lines, in the room's log: warnings and worse only, and not what a clean
/// shutdown reports (a cancellation; "Already closed" when the room's graceful shutdown and the
/// cancellation that follows it both close the server): the server stopping is not a fault.
struct WebLog: LogHandler {
    let room: Logger
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.message)"
        guard !text.contains("CancellationError"), !text.hasSuffix("Already closed") else { return }
        room.log(level: event.level, "web     \(text)")
    }
}
