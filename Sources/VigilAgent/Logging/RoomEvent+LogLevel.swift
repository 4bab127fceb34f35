import Logging
import VigilCore

extension RoomEvent {
    /// How loud the event is in the log: an alarm raised or escalated is a warning (an error when
    /// high), so `journalctl -u vigil -p warning` lists every alarm the room sounded; the rest of
    /// the session's story is a notice.
    public var logLevel: Logger.Level {
        guard case .alarm(let alarm) = self, [.raised, .escalated].contains(alarm.state) else { return .notice }
        return alarm.priority == .high ? .error : .warning
    }
}
