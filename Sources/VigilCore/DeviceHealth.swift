/// A watched device as the health check reports it: connected or not, and how long since its
/// last reading. (Its alarms, if any, are the room's active alarms.)
public struct DeviceHealth: Sendable, Hashable {
    public var name: String
    public var isDisconnected: Bool
    public var secondsSinceReading: Double

    public init(name: String, isDisconnected: Bool, secondsSinceReading: Double) {
        self.name = name
        self.isDisconnected = isDisconnected
        self.secondsSinceReading = secondsSinceReading
    }
}
