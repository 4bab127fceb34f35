import Logging

/// The log as a person at a terminal reads it (`vigil demo`, `vigil run` by hand): each message
/// on its own line of standard output, exactly as the room words it, with no timestamp or label
/// in front (the lines say "WARNING" themselves where it matters). Under systemd the journal
/// gets the same words with their priority: `JournalLogHandler`.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(level: Logger.Level = .info) {
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        Console.line("\(event.message)")
    }
}
