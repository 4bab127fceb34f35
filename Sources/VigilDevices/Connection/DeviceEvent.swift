/// What a device connection reports to the room.
public enum DeviceEvent: Sendable, Hashable {
    /// Valid frames are arriving (reported on the first valid frame after opening, so a port
    /// that opens but stays silent never counts as connected).
    case connected(device: String)
    /// The device went away: unplugged, the path vanished, or silent past the watchdog.
    case disconnected(device: String, reason: String)
    case message(device: String, DeviceMessage)
}
