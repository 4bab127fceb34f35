import Foundation
import VigilCore

/// Whether the agent can do its job, for `GET /healthz`: it is unhealthy (503) only when the
/// alarm path is stuck — the engine has not ticked for 5 s — or the database refuses writes.
/// An unplugged device is a room alarm, not an unhealthy agent: it is in the body, with the
/// active alarms, and the answer stays 200.
public struct RoomHealth: Sendable {
    public var identity: RoomIdentity
    /// Seconds since the engine last ticked; `nil` if it never has (the agent is not running).
    public var sinceTick: Double?
    public var databaseWrites: Bool?
    public var outbox: Int?
    public var brokerConnected: Bool?
    public var devices: [DeviceHealth]
    public var activeAlarms: [Alarm]

    /// The engine must have ticked within this long (it ticks at its deadlines and at least once a second).
    public static let tickDeadline: Double = 5

    /// Whether the alarm path is alive: the engine ticked within ``tickDeadline``.
    public var engineTicks: Bool { sinceTick.map { $0 <= Self.tickDeadline } ?? false }

    /// Why the agent cannot do its job; empty when it can.
    public var problems: [String] {
        var out: [String] = []
        if let sinceTick {
            if sinceTick > Self.tickDeadline { out.append("the alarm engine has not ticked for \(Int(sinceTick)) s") }
        } else {
            out.append("the alarm engine has not started")
        }
        if databaseWrites == false { out.append("the database refuses writes") }
        return out
    }
}

extension RoomAgent {
    /// The agent's health now.
    public func health() -> RoomHealth {
        RoomHealth(identity: identity, sinceTick: lastTick.map { $0.duration(to: monitor.clock.now).seconds },
                          databaseWrites: store == nil ? nil : !storageFailing,
                          outbox: try? store?.outboxCount(), brokerConnected: publisher.map { $0.client.isConnected },
                          devices: monitor.alarms.deviceHealth, activeAlarms: monitor.alarms.activeAlarms)
    }
}
