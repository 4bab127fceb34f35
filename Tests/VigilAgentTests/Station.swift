import Foundation
import Synchronization
import VigilMQTT

/// A test's stand-in for the clinic's station: subscribes to a room's topics on the real
/// broker, keeps every message, and can send commands.
final class Station: Sendable {
    let client: MQTTClient
    private final class Inbox: Sendable { let items = Mutex<[MQTTMessage]>([]) }
    private let received = Inbox()
    private let listening: Task<Void, Never>

    /// `persistent`: the broker keeps the subscription and queues QoS 1 messages while the
    /// station is away (needs a broker with persistence to survive a restart).
    init(port: Int, filter: String = "vigil/#", persistent: Bool = false, login: (user: String, password: String)? = nil,
         caFile: String? = nil) async throws {
        client = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: port, clientID: "station-\(UUID().uuidString.prefix(8))",
                                                     username: login?.user, password: login?.password,
                                                     tls: caFile.map { MQTTOptions.TLS(caFile: $0) },
                                                     reconnectDelay: (1, 1), cleanSession: !persistent))
        let messages = client.subscribe(filter, qos: 1)
        try client.start()
        // Never hang a test run on a broker that will not have us: give up after 15 s.
        let events = client.events
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events { if case .connected = event { return } }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(15))
                throw MQTTError("the station could not connect to the broker within 15 s")
            }
            try await group.next()
            group.cancelAll()
        }
        let inbox = received
        listening = Task { for await m in messages { inbox.items.withLock { $0.append(m) } } }
        try await Task.sleep(for: .milliseconds(200))  // the SUBACK
    }

    deinit {
        listening.cancel()
        client.stop()
    }

    var messages: [MQTTMessage] { received.items.withLock { $0 } }

    func messages(on topic: String) -> [MQTTMessage] { messages.filter { $0.topic == topic } }

    /// Payloads on `topic` as JSON objects.
    func objects(on topic: String) -> [[String: Any]] {
        messages(on: topic).compactMap { (try? JSONSerialization.jsonObject(with: Data($0.payload))) as? [String: Any] }
    }

    /// Waits until `condition` holds (polling), at most `seconds`.
    @discardableResult
    func wait(seconds: Double = 20, until condition: (Station) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(self)
    }

    func send(_ topic: String, _ payload: String) async throws {
        try await client.publish(topic, payload, qos: 1)
    }
}
