import Foundation

/// What the clinic's station knows of every room, decided from the rooms' messages and the
/// clock alone (the station's MQTT client and pages are thin edges around it).
///
/// A room is built from its retained topics (status, session, vitals, active alarms), so a
/// station that restarts has every tile back as soon as the broker hands them over. The board
/// raises its own alarm about a room it can no longer see: a retained `offline` that lasts past
/// ``offlineGrace``, or an online room silent past ``silentAfter`` (a room republishes its
/// session every few seconds).
public struct ClinicBoard<C: VigilClock>: Sendable {
    public let clock: C
    /// An online room heard from less recently than this is silent.
    public let silentAfter: Duration
    /// How long a room may read `offline` before it is an alarm. A broker that shuts down sends
    /// every room's will just before the station loses it too: without this, one broker restart
    /// was a false high alarm for every room. A room that is really gone is one a moment later.
    public let offlineGrace: Duration
    /// After the station reconnects (not at its first connection), how long rooms get to
    /// reconnect too before a retained `offline` is an alarm: longer than a room's longest
    /// reconnect delay (16 s).
    public let reconnectGrace: Duration
    public private(set) var tiles: [RoomKey: RoomTile] = [:]
    /// Whether the station is connected to the broker; while it is not, no tile can be trusted.
    public private(set) var brokerConnected = false
    private var heard: [RoomKey: C.Instant] = [:]
    /// Since when each room not yet in alarm has read `offline`.
    private var offlineSince: [RoomKey: C.Instant] = [:]
    /// Until when, after a reconnect, rooms reading offline are not yet alarms.
    private var rejoining: C.Instant?
    private var everConnected = false

    public init(clock: C, silentAfter: Duration = .seconds(30), offlineGrace: Duration = .seconds(5),
                reconnectGrace: Duration = .seconds(20)) {
        self.clock = clock
        self.silentAfter = silentAfter
        self.offlineGrace = offlineGrace
        self.reconnectGrace = reconnectGrace
    }

    /// A change the station acts on: a tile to redraw, a station alarm raised or cleared.
    public enum Change: Sendable, Hashable {
        case tile(RoomKey)
        case raised(RoomKey, StationAlarm)
        case cleared(RoomKey, StationAlarm)
    }

    /// Takes one message from a room.
    public mutating func receive(_ message: RoomMessage) -> [Change] {
        let key = message.room
        // The station's own commands, heard back, say nothing of the room.
        if case .command = message.report { return [] }
        var tile = tiles[key] ?? RoomTile(room: key)
        // A retained copy fills the tile but is not the room speaking: a stuck room's topics are
        // replayed at every reconnect and must not make it look alive. A room first seen that way
        // gets `silentAfter` from now to be heard.
        if !message.retained || heard[key] == nil {
            heard[key] = clock.now
            tile.lastHeard = clock.wallNow
        }
        var changes: [Change] = [.tile(key)]
        if !message.retained, tile.stationAlarm?.reason == .silent { changes += clear(&tile) }
        switch message.report {
        case .status(let online):
            tile.status = online ? .online : .offline
            if online {
                offlineSince[key] = nil
                if tile.stationAlarm?.reason == .offline { changes += clear(&tile) }
            } else if tile.stationAlarm == nil, offlineSince[key] == nil {
                offlineSince[key] = clock.now
            }
        case .vital(let vital):
            tile.vitals[vital.vital] = vital
        case .session(let session):
            // A new patient: not the last one's numbers (the first session heard keeps the
            // retained vitals that may have come before it).
            if let last = tile.session, last.id != session.id { tile.vitals = [:] }
            tile.session = session
            // The alarm's priority follows whether a patient is being watched.
            if var alarm = tile.stationAlarm, alarm.priority != Self.priority(for: tile) {
                alarm.priority = Self.priority(for: tile)
                tile.stationAlarm = alarm
                changes.append(.raised(key, alarm))
            }
        case .activeAlarms(let alarms):
            tile.alarms = alarms
            // The list says which are escalated, so a station started after the event still knows.
            tile.escalated.formIntersection(alarms.map(\.id))
            tile.escalated.formUnion(alarms.filter { $0.escalatedAt != nil }.map(\.id))
        case .alarmEvent(_, let state, let alarm):
            if state == .escalated { tile.escalated.insert(alarm) }
            if state == .cleared { tile.escalated.remove(alarm) }
        case .summary, .commandResult, .command:
            break
        }
        tiles[key] = tile
        return changes
    }

    /// Looks for rooms gone offline or silent; call it every second or so.
    public mutating func check() -> [Change] {
        guard brokerConnected else { return [] }
        let now = clock.now
        var changes: [Change] = []
        let rejoined = rejoining.map { now >= $0 } ?? true
        for (key, var tile) in tiles where tile.stationAlarm == nil {
            if tile.status == .offline, rejoined, let since = offlineSince[key], since.duration(to: now) >= offlineGrace {
                offlineSince[key] = nil
                changes += raise(.offline, on: &tile)
            } else if tile.status == .online, let last = heard[key], last.duration(to: now) > silentAfter {
                changes += raise(.silent, on: &tile)
            } else {
                continue
            }
            tiles[key] = tile
        }
        return changes
    }

    /// The station's own link to the broker came or went. While it is down nothing is heard, and
    /// silence is nobody's fault; once it is back, each room has `silentAfter` to be heard again.
    public mutating func broker(connected: Bool) -> [Change] {
        guard connected != brokerConnected else { return [] }
        brokerConnected = connected
        if connected {
            for key in tiles.keys { heard[key] = clock.now }
            if everConnected { rejoining = clock.now.advanced(by: reconnectGrace) }
            everConnected = true
        }
        return tiles.keys.sorted().map { .tile($0) }
    }

    /// A nurse silenced the station's alarm about a room; it stays on the tile until the room is back.
    public mutating func acknowledgeStationAlarm(of key: RoomKey, by role: Role) -> StationAlarm? {
        guard var alarm = tiles[key]?.stationAlarm, alarm.acknowledgedBy == nil else { return nil }
        alarm.acknowledgedBy = role
        tiles[key]?.stationAlarm = alarm
        return alarm
    }

    /// The loudest alarm still sounding in any room, for the station's one alarm sound.
    public var loudestSounding: AlarmPriority? { tiles.values.compactMap(\.loudestSounding).max() }

    private func raise(_ reason: StationAlarm.Reason, on tile: inout RoomTile) -> [Change] {
        let alarm = StationAlarm(reason: reason, priority: Self.priority(for: tile), raisedAt: clock.wallNow)
        tile.stationAlarm = alarm
        return [.raised(tile.room, alarm)]
    }

    private func clear(_ tile: inout RoomTile) -> [Change] {
        guard let alarm = tile.stationAlarm else { return [] }
        tile.stationAlarm = nil
        return [.cleared(tile.room, alarm)]
    }

    /// High while a session runs (or the station cannot tell); low for a room with none.
    static func priority(for tile: RoomTile) -> AlarmPriority {
        guard let session = tile.session else { return .high }
        return session.isRunning ? .high : .low
    }
}
