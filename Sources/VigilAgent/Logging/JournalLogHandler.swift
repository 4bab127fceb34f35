import Foundation
import Logging

/// The log under systemd: each message one entry in the journal, sent over journald's native
/// socket with its priority, `SYSLOG_IDENTIFIER=vigil`, the part of the room that said it and
/// its source line, so `journalctl -u vigil -p warning` shows what needs a person.
///
/// No libsystemd: the protocol is a datagram of `FIELD=value` lines (`systemd.journal-fields(7)`,
/// "Native Journal Protocol"). If the socket refuses a message, the line goes to standard error
/// with its `<priority>` prefix, which journald's stream reader understands too, so nothing
/// the room says is dropped for want of a socket. A journald too busy to take a line at once
/// costs that line (counted, and said in the next entry), never a wait on the alarm path.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let socket: DatagramSocket

    public init(label: String, level: Logger.Level = .info, socket: DatagramSocket = .journal) {
        self.label = label
        self.logLevel = level
        self.socket = socket
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let message = "\(event.message)"
        var fields: [(String, String)] = [
            ("MESSAGE", message),
            ("PRIORITY", String(event.level.syslogPriority)),
            ("SYSLOG_IDENTIFIER", "vigil"),
            ("VIGIL_PART", label),
            ("CODE_FILE", event.file),
            ("CODE_LINE", String(event.line)),
            ("CODE_FUNC", event.function),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields.append(("VIGIL_" + Self.fieldName(key), "\(value)"))
        }
        switch socket.send(Self.datagram(fields)) {
        case .sent:
            let dropped = socket.dropped.exchange(0, ordering: .relaxed)
            if dropped > 0 {
                _ = socket.send(Self.datagram([("MESSAGE", "journald was too busy for \(dropped) of vigil's log lines; they were dropped, not waited for"),
                                               ("PRIORITY", "4"), ("SYSLOG_IDENTIFIER", "vigil"), ("VIGIL_PART", label)]))
            }
        case .busy:
            socket.dropped.add(1, ordering: .relaxed)
        case .refused:
            Console.standardError("<\(event.level.syslogPriority)>\(message)")
        }
    }

    /// The native protocol's encoding: `NAME=value\n`, or, for a value with a newline in it,
    /// `NAME\n`, its length as 64-bit little-endian, the value, `\n`.
    static func datagram(_ fields: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in fields {
            out += Array(name.utf8)
            let bytes = Array(value.utf8)
            if bytes.contains(UInt8(ascii: "\n")) {
                out.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { out += $0 }
            } else {
                out.append(UInt8(ascii: "="))
            }
            out += bytes
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Journal field names are upper-case letters, digits and `_`, not starting with `_`.
    static func fieldName(_ key: String) -> String {
        let mapped = key.uppercased().unicodeScalars.map { scalar -> Character in
            ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        return String(mapped)
    }

    /// Whether standard error is the journal's (systemd sets `JOURNAL_STREAM` to its device and
    /// inode), the sign that this process runs as a unit whose log is the journal.
    public static var standardErrorIsJournal: Bool {
        guard let stream = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":").compactMap { UInt64($0) }
        var info = stat()
        guard parts.count == 2, fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == parts[0] && UInt64(info.st_ino) == parts[1]
    }
}

extension Logger.Level {
    /// syslog's priority for the level, as journald files it.
    var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
