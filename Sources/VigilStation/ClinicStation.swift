import Foundation
import Logging
import Synchronization
import VigilCore
import VigilMQTT

/// The clinic's station at work: hears every room on the broker, keeps the ``ClinicBoard``
/// up to date, keeps each alarm event and summary once in the ``StationArchive``, and sends a
/// nurse's acknowledgement to the room, answering only once the room has.
///
/// The station's MQTT session is persistent (`clean session` off, a fixed client id): alarm
/// events and summaries published while it was away wait at the broker for it.
public actor ClinicStation<C: VigilClock> {
    public let client: MQTTClient
    public let reader: RoomMessageReader
    public nonisolated let archive: any StationArchive
    let log: Logger
    var board: ClinicBoard<C>
    /// The session of each room last kept as started, so that its pulse every 10 s is not
    /// written again each time.
    var startsKept: [RoomKey: String] = [:]
    /// When a refusal was last logged, and how many past the first 20 were said then.
    private var lastRefusalLine = ContinuousClock.now
    private var refusalsSaid = 0
    /// Commands sent and not yet answered, by request id.
    var waiting: [String: CheckedContinuation<CommandResult?, Never>] = [:]
    private let counts = Mutex(StationCounts())
    private let changed: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    /// What is to be kept, in order, off the board's path: an archive that is slow or gone (a
    /// PostgreSQL across the WAN) must never hold back the next alarm on the board.
    private let toKeep: (stream: AsyncStream<ArchivedEvent>, continuation: AsyncStream<ArchivedEvent>.Continuation)

    public init(options: MQTTOptions, site: String?, archive: any StationArchive, clock: C,
                silentAfter: Duration = .seconds(30), log: Logger = Logger(label: "vigil.station")) throws {
        client = try MQTTClient(options: options)
        reader = RoomMessageReader(site: site)
        self.archive = archive
        self.log = log
        board = ClinicBoard(clock: clock, silentAfter: silentAfter)
        changed = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        toKeep = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(Self.keepBacklog))
    }

    /// Messages waiting for the archive before more are refused (and counted as failures): an
    /// hour of a busy clinic's alarm events.
    static var keepBacklog: Int { 10_000 }

    /// Something on the board changed that pages must hear of now (an alarm, a room's link).
    public nonisolated var changes: AsyncStream<Void> { changed.stream }

    /// What came in, what was kept and what was refused, since the start.
    public nonisolated var statistics: StationCounts { counts.withLock { $0 } }

    /// Hears the broker until cancelled.
    public func run() async {
        let messages = client.subscribe(reader.filter, qos: 1)
        let address = "\(client.options.host):\(client.options.port)"
        do {
            if let failed = try client.start() {
                log.warning("station: cannot reach the broker at \(address) yet (\(failed)); every tile shows the station disconnected until it answers")
            }
        } catch {
            log.error("station: \(error)")
            return
        }
        let stream = toKeep.stream
        let writer = Task { for await event in stream { await self.keep(event) } }
        // Messages are taken until the stream ends: at a stop the client is stopped first, so
        // what libmosquitto already acknowledged to the broker is still read and kept.
        let reading = Task { for await m in messages { self.take(m) } }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watch(self.client.events, address: address) }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await self.checkSilence()
                }
            }
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            group.cancelAll()
        }
        for (_, waiter) in waiting { waiter.resume(returning: nil) }
        waiting = [:]
        client.stop()
        await reading.value
        // What the broker handed over is kept before the archive closes (5 s at most).
        toKeep.continuation.finish()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await writer.value }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
        writer.cancel()
        await archive.close()
    }

    func checkSilence() { apply(board.check()) }

    /// Every room's tile, in room order, and whether the station hears the broker.
    public func snapshot() -> StationSnapshot {
        StationSnapshot(time: board.clock.wallNow, brokerConnected: board.brokerConnected,
                        tiles: board.tiles.values.sorted { $0.room < $1.room }, loudest: board.brokerConnected ? board.loudestSounding : .high)
    }

    private func watch(_ events: AsyncStream<MQTTConnectionEvent>, address: String) async {
        var refused = false
        for await event in events {
            switch event {
            case .connected:
                refused = false
                log.notice("station: connected to \(address); following \(reader.filter)")
                apply(board.broker(connected: true))
            case .refused(let reason):
                if !refused { log.error("station: the broker at \(address) refused the station: \(reason); check the mqtt: section") }
                refused = true
                apply(board.broker(connected: false))
            case .disconnected(let reason):
                if Task.isCancelled { return }  // the station stopping, not the broker going
                log.error("station: lost the broker at \(address) (\(reason)); every tile shows the station disconnected")
                apply(board.broker(connected: false))
            }
        }
    }

    /// One message from the broker: read, put on the board, kept if it is to be kept.
    func take(_ message: MQTTMessage) {
        // An empty retained payload is the broker clearing a topic, not a message.
        guard !message.payload.isEmpty else { return }
        var read: RoomMessage
        do { read = try reader.read(topic: message.topic, payload: message.payload) } catch {
            refused(error)
            return
        }
        read.retained = message.retained
        counts.withLock { $0.received += 1 }
        apply(board.receive(read), urgent: Self.isUrgent(read.report))
        switch read.report {
        case .alarmEvent(let event, _, _), .summary(let event):
            queueForArchive(event)
        case .session(let session):
            guard let id = session.id, let started = session.startedAt, startsKept[read.room] != id else { break }
            startsKept[read.room] = id
            queueForArchive(ArchivedEvent(kind: .session, room: read.room, eventID: "session/\(id)", session: id, time: started,
                                          payload: String(decoding: message.payload, as: UTF8.self)))
        case .commandResult(let result):
            if let request = result.request, let waiter = waiting.removeValue(forKey: request) { waiter.resume(returning: result) }
        default:
            break
        }
    }

    /// Says why a message was refused: the first 20 each, then one line a minute with how many
    /// more and the latest, so a flood neither fills the journal nor goes unsaid.
    private func refused(_ error: RoomMessageReader.Refusal) {
        let count = counts.withLock { c in c.refused += 1; return c.refused }
        let now = ContinuousClock.now
        if count <= 20 {
            log.warning("station: refused a message on \(error)")
            lastRefusalLine = now
        } else if now - lastRefusalLine >= .seconds(60) {
            log.warning("station: \(count - 20 - refusalsSaid) more messages refused since; the latest on \(error)")
            refusalsSaid = count - 20
            lastRefusalLine = now
        }
    }

    private func queueForArchive(_ event: ArchivedEvent) {
        if case .dropped = toKeep.continuation.yield(event) {
            let first = counts.withLock { c in c.notQueued += 1; return c.notQueued == 1 }
            if first { log.error("station: the archive is \(Self.keepBacklog) messages behind; further alarm events and summaries are not kept (see /healthz)") }
        }
    }

    /// Keeps one message, trying again every 2 s for a minute while the archive fails (a
    /// PostgreSQL restarting, a WAN blip): the broker has already been told it arrived, so this
    /// is the only copy the station has. A retry is safe: the archive keeps each `event_id` once.
    private nonisolated func keep(_ event: ArchivedEvent) async {
        for attempt in 1...30 {
            do {
                let new = try await archive.keep(event)
                counts.withLock { c in if new { c.kept += 1 } else if event.kind != .session { c.duplicates += 1 } }
                if attempt > 1 { log.notice("station: the archive takes messages again (\(event.eventID) of \(event.room) kept)") }
                return
            } catch {
                if attempt == 1 { log.error("station: cannot keep \(event.kind.rawValue) \(event.eventID) of \(event.room) yet: \(error); trying again") }
                if Task.isCancelled { break }
                try? await Task.sleep(for: .seconds(2))
            }
        }
        counts.withLock { $0.archiveFailures += 1 }
        log.error("station: gave up keeping \(event.kind.rawValue) \(event.eventID) of \(event.room); the room's own database has it")
    }

    /// Whether pages must hear of a report at once: an alarm or a room's link, not its vitals
    /// or its session's pulse (sent with the next second's board).
    static func isUrgent(_ report: RoomReport) -> Bool {
        switch report {
        case .status, .activeAlarms, .alarmEvent: true
        case .vital, .session, .summary, .commandResult, .command: false
        }
    }

    func apply(_ changes: [ClinicBoard<C>.Change], urgent: Bool = true) {
        guard !changes.isEmpty else { return }
        var urgent = urgent
        for change in changes {
            switch change {
            case .raised(let room, let alarm):
                urgent = true
                log.critical("station: \(alarm.priority.rawValue.uppercased()) \(alarm.reason.rawValue) \(room): \(Self.words(alarm.reason))")
            case .cleared(let room, let alarm):
                urgent = true
                log.notice("station: \(room) is heard again; \(alarm.reason.rawValue) cleared")
            case .tile:
                break
            }
        }
        if urgent { changed.continuation.yield() }
    }

    static func words(_ reason: StationAlarm.Reason) -> String {
        switch reason {
        case .offline: "the room's agent is offline: nobody at the station sees its alarms"
        case .silent: "the room has said nothing for too long: its agent or its network may be stuck"
        }
    }
}

/// The board as the station's pages and API show it.
public struct StationSnapshot: Sendable {
    public var time: Date
    public var brokerConnected: Bool
    public var tiles: [RoomTile]
    /// The loudest alarm sounding anywhere; high while the station cannot hear the broker.
    public var loudest: AlarmPriority?
}

/// The station's counters, for its health and its log.
public struct StationCounts: Sendable, Hashable {
    public var received = 0
    /// Not JSON, of a newer schema, another room's, or on a topic no room publishes.
    public var refused = 0
    public var kept = 0
    public var duplicates = 0
    /// Given up on after a minute of the archive failing.
    public var archiveFailures = 0
    /// Not even queued: the archive was ``ClinicStation/keepBacklog`` messages behind.
    public var notQueued = 0
}
