import Logging

/// Where the room's log goes, chosen once when a command starts: the journal when systemd runs
/// Vigil as a unit, the console otherwise (a person at a terminal, `vigil demo`).
public enum VigilLogging {
    /// Installs the process's log handler. Call once, before any part of the room is made.
    public static func bootstrap(level: Logger.Level, journal: Bool = JournalLogHandler.standardErrorIsJournal) {
        LoggingSystem.bootstrap { label in
            journal ? JournalLogHandler(label: label, level: level) as any LogHandler : ConsoleLogHandler(level: level)
        }
    }
}

extension Logger {
    /// A logger for one part of the room (`vigil.mqtt`, `vigil.music`, …), named as the
    /// journal's `VIGIL_PART` shows it.
    public static func vigil(_ part: String) -> Logger {
        Logger(label: "vigil.\(part)")
    }
}
