import Foundation
import Synchronization
import Testing
import VigilMQTT
import VigilTestSupport

/// The client against a real mosquitto on loopback.
@Suite("MQTT client")
struct MQTTClientTests {
    func connected(_ options: MQTTOptions) async throws -> MQTTClient {
        let client = try MQTTClient(options: options)
        try client.start()
        for await event in client.events {
            switch event {
            case .connected: return client
            case .refused(let reason): throw MQTTError("refused: \(reason)")
            case .disconnected: continue
            }
        }
        throw MQTTError("no connection")
    }

    @Test("Publish with QoS 1 returns after the broker's acknowledgement; a subscriber receives it")
    func publishSubscribe() async throws {
        let broker = try Broker()
        let subscriber = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "sub"))
        defer { subscriber.stop() }
        let messages = subscriber.subscribe("vigil/#")
        try await Task.sleep(for: .milliseconds(200))
        let publisher = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "pub"))
        defer { publisher.stop() }
        for i in 0..<20 { try await publisher.publish("vigil/test/\(i)", "{\"n\":\(i)}") }
        var received: [String] = []
        for await m in messages {
            received.append(m.text)
            if received.count == 20 { break }
        }
        #expect(received == (0..<20).map { "{\"n\":\($0)}" })
    }

    @Test("The will publishes a retained offline status when a client vanishes")
    func will() async throws {
        let broker = try Broker()
        let options = MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "room",
                                  will: MQTTOptions.Will(topic: "vigil/north/room-2/status", payload: "offline"), keepAlive: 2)
        // A separate process is needed to vanish without a clean disconnect: mosquitto_sub with a will.
        let vanishing = Process()
        vanishing.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_sub")
        vanishing.arguments = ["-p", "\(broker.port)", "-h", "127.0.0.1", "-t", "x", "-k", "5", "--will-topic", options.will!.topic,
                               "--will-payload", "offline", "--will-retain", "--will-qos", "1"]
        try Spawn.run(vanishing)
        try await Task.sleep(for: .milliseconds(300))
        kill(vanishing.processIdentifier, SIGKILL)
        vanishing.waitUntilExit()
        let watcher = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "watcher"))
        defer { watcher.stop() }
        var iterator = watcher.subscribe("vigil/north/room-2/status").makeAsyncIterator()
        let status = await iterator.next()
        #expect(status?.text == "offline")
        #expect(status?.retained == true)
    }

    @Test("A wrong password is reported clearly")
    func wrongPassword() async throws {
        let broker = try Broker(security: .password(user: "room-2", password: "right"))
        let client = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "room-2",
                                                         username: "room-2", password: "wrong"))
        defer { client.stop() }
        try client.start()
        var iterator = client.events.makeAsyncIterator()
        let event = await iterator.next()
        guard case .refused(let reason) = event else { Issue.record("expected a refusal, got \(String(describing: event))"); return }
        #expect(reason.lowercased().contains("not authori") || reason.lowercased().contains("bad user name or password"), "\(reason)")
        let right = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "room-2b",
                                                    username: "room-2", password: "right"))
        right.stop()
    }

    @Test("A room that boots before its broker connects once the broker is up, without a restart")
    func brokerComesUpLater() async throws {
        let broker = try Broker()
        broker.stop()
        let client = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "early", reconnectDelay: (1, 2)))
        defer { client.stop() }
        let events = client.events
        #expect(try client.start() != nil, "nothing listens yet: the first attempt fails")
        try await Task.sleep(for: .seconds(2))
        try broker.start()
        let connected = await withTaskGroup(of: Bool.self) { group in
            group.addTask { for await event in events { if case .connected = event { return true } }; return false }
            group.addTask { try? await Task.sleep(for: .seconds(15)); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(connected, "the client never connected to the broker that came up after it")
        #expect(client.isConnected)
    }

    @Test("Publishing while the broker is down fails fast instead of hanging")
    func brokerDown() async throws {
        let broker = try Broker()
        let client = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "c"))
        defer { client.stop() }
        broker.stop()
        try await Task.sleep(for: .milliseconds(500))
        await #expect(throws: MQTTError.self) { try await client.publish("vigil/x", "1", timeout: .seconds(2)) }
    }

    @Test("Over TLS the client trusts a broker its CA signed, and a client without that CA is refused")
    func tls() async throws {
        let broker = try Broker(tls: true)
        let ca = try #require(broker.caFile)
        let secure = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "room-tls",
                                                     tls: MQTTOptions.TLS(caFile: ca)))
        defer { secure.stop() }
        let messages = secure.subscribe("vigil/tls")
        try await Task.sleep(for: .milliseconds(200))
        try await secure.publish("vigil/tls", "over tls")
        var iterator = messages.makeAsyncIterator()
        #expect(await iterator.next()?.text == "over tls")

        let plain = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "room-plain"))
        defer { plain.stop() }
        try plain.start()
        try await Task.sleep(for: .seconds(1))
        #expect(!plain.isConnected)
    }
}
