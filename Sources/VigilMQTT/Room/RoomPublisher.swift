import Foundation
import Logging
import Synchronization
import VigilCore

/// The room on the clinic's broker: a retained `online` status (the will turns it `offline`
/// when the agent vanishes), the latest retained state per topic, and the outbox drained in
/// order whenever the broker is there.
///
/// Callers never wait on the network. Retained state goes through one ordered queue and is
/// published again on every reconnect; alarm events and summaries are written to the
/// ``Outbox`` by the caller (in the same transaction as their records), and ``outboxChanged()``
/// wakes the sender, which publishes one message at a time with QoS 1 and deletes it only
/// after the broker's acknowledgement. After an outage everything pending goes out oldest first.
public final class RoomPublisher: Sendable {
    public let topics: RoomTopics
    public let payloads: RoomPayloads
    public let client: MQTTClient
    private let outbox: (any Outbox)?
    private let log: Logger
    private let queue: (stream: AsyncStream<Outgoing>, continuation: AsyncStream<Outgoing>.Continuation)
    private let wake: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    /// Whether the broker has ever taken the connection (a refusal or a silence is said once).
    private let everConnected = Atomic(false)
    /// The latest payload of each retained topic, republished after every reconnect.
    private let retained = Mutex<[String: (payload: String, qos: Int)]>([:])

    private struct Outgoing: Sendable {
        var topic: String
        var payload: String
        var qos: Int
        var retain: Bool
    }

    /// How long the sender waits for the broker to acknowledge one outbox message.
    public static var acknowledgementTimeout: Duration { .seconds(10) }

    /// `options` needs no will: the room's retained `offline` status is set here.
    public init(options: MQTTOptions, topics: RoomTopics, outbox: (any Outbox)?,
                log: Logger = .init(label: "vigil.mqtt")) throws {
        var options = options
        options.will = MQTTOptions.Will(topic: topics.status, payload: "offline", retain: true)
        client = try MQTTClient(options: options)
        self.topics = topics
        payloads = RoomPayloads(topics: topics)
        self.outbox = outbox
        self.log = log
        queue = AsyncStream<Outgoing>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Publishes retained state (latest vitals, session, active alarms): superseded by the next
    /// one, so it is sent when connected and otherwise waits for the reconnect.
    public func retain(_ topic: String, _ payload: String, qos: Int) {
        retained.withLock { $0[topic] = (payload, qos) }
        queue.continuation.yield(Outgoing(topic: topic, payload: payload, qos: qos, retain: true))
    }

    /// A message that matters only now (a command's result): sent if connected, else dropped.
    public func send(_ topic: String, _ payload: String) {
        queue.continuation.yield(Outgoing(topic: topic, payload: payload, qos: 1, retain: false))
    }

    /// Removes the broker's retained message on `topic` (an empty retained payload), e.g. a
    /// command someone sent with retain; unlike ``retain(_:_:qos:)`` it is not repeated on reconnect.
    public func clearRetained(_ topic: String) {
        queue.continuation.yield(Outgoing(topic: topic, payload: "", qos: 1, retain: true))
    }

    /// New messages are in the outbox.
    public func outboxChanged() { wake.continuation.yield() }

    /// Waits (at most `timeout`) until the outbox is empty, e.g. before a planned stop.
    public func waitUntilSent(timeout: Duration) async {
        guard let outbox else { return }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, client.isConnected, (try? outbox.pendingMessages(limit: 1).isEmpty) == false {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Commands from the station, on `…/cmd/<verb>`; renewed on every reconnect.
    public func commands() -> AsyncStream<MQTTMessage> { client.subscribe(topics.commands, qos: 1) }

    /// Connects and keeps the room published until cancelled; then sets the status `offline`
    /// (a clean disconnect sends no will) and disconnects.
    public func run() async {
        do {
            if let failed = try client.start() {
                log.warning("mqtt: cannot reach the broker at \(client.options.host):\(client.options.port) yet (\(failed)); trying again, alarm events wait in the outbox")
            }
        } catch {
            log.error("mqtt: \(error); the room runs without the broker")
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchConnection() }
            group.addTask { await self.sendQueued() }
            group.addTask { await self.drainOutbox() }
            group.addTask { await self.sayIfNeverConnected() }
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            queue.continuation.finish()
            wake.continuation.finish()
            group.cancelAll()
        }
        if client.isConnected {
            // The last state may still have been queued: send it, then say offline after it.
            for (topic, last) in retained.withLock({ $0 }) { try? client.send(topic, last.payload, qos: last.qos, retain: true) }
            try? await client.publish(topics.status, "offline", retain: true, timeout: .seconds(2))
        }
        client.stop()
    }

    /// A broker that never answers (down, or a firewall dropping the packets) gives libmosquitto
    /// no event to report: said once after 10 s, so the log shows why alarms stay in the outbox.
    private func sayIfNeverConnected() async {
        try? await Task.sleep(for: .seconds(10))
        guard !Task.isCancelled, !client.isConnected, !everConnected.load(ordering: .relaxed) else { return }
        log.warning("mqtt: no answer from the broker at \(client.options.host):\(client.options.port) after 10 s; trying again, alarm events wait in the outbox")
    }

    private func watchConnection() async {
        let address = "\(client.options.host):\(client.options.port)"
        var refusals = 0
        for await event in client.events {
            switch event {
            case .connected:
                refusals = 0
                everConnected.store(true, ordering: .relaxed)
                log.notice("mqtt: connected to \(address) as \(topics.base)")
                try? client.send(topics.status, "online", qos: 1, retain: true)
                for (topic, last) in retained.withLock({ $0 }) { try? client.send(topic, last.payload, qos: last.qos, retain: true) }
                wake.continuation.yield()
            case .refused(let reason):
                // Said once, not at every retry: a wrong password does not fix itself.
                if refusals == 0 { log.error("mqtt: the broker at \(address) refused the connection: \(reason); check the mqtt: section") }
                refusals += 1
            case .disconnected(let reason):
                if Task.isCancelled { return }
                log.warning("mqtt: lost the broker at \(address) (\(reason)); alarm events wait in the outbox")
            }
        }
    }

    private func sendQueued() async {
        for await message in queue.stream where client.isConnected {
            try? client.send(message.topic, message.payload, qos: message.qos, retain: message.retain)
        }
    }

    private func drainOutbox() async {
        guard let outbox else { return }
        for await _ in wake.stream {
            while client.isConnected, !Task.isCancelled {
                let batch: [OutboxMessage]
                do { batch = try outbox.pendingMessages(limit: 100) } catch {
                    log.error("mqtt: cannot read the outbox: \(error)")
                    break
                }
                if batch.isEmpty { break }
                do {
                    for message in batch {
                        try await client.publish(message.topic, message.payload, qos: 1, timeout: Self.acknowledgementTimeout)
                        try outbox.removeMessage(id: message.id)
                    }
                } catch {
                    break  // the next connection wakes the sender again
                }
            }
        }
    }
}
