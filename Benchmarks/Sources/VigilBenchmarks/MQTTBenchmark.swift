import Foundation
import Synchronization
import VigilAgent
import VigilCore
import VigilDevices
import VigilMQTT
import VigilStore
import VigilTestSupport

/// Through a real mosquitto on loopback: raw publish rates, and how long Vigil adds between the
/// reading that crosses a limit and its alarm event reaching a subscriber (the event is committed
/// to SQLite with its outbox row first, then published with QoS 1).
enum MQTTBenchmark {
    static func connected(_ options: MQTTOptions) async throws -> MQTTClient {
        let client = try MQTTClient(options: options)
        try client.start()
        for await event in client.events { if case .connected = event { break } }
        return client
    }

    static func run() async throws {
        say("\nMQTT through a local mosquitto")
        let broker = try Broker()
        let subscriber = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-sub"))
        let publisher = try await connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-pub"))
        defer { subscriber.stop(); publisher.stop() }

        for (qos, count) in [(0, 50_000), (1, 5_000)] {
            let topic = "bench/qos\(qos)"
            let messages = subscriber.subscribe(topic, qos: qos)
            try await Task.sleep(for: .milliseconds(300))
            let start = ContinuousClock.now
            let receiving = Task {
                var n = 0
                for await _ in messages {
                    n += 1
                    if n == count { break }
                }
                return ContinuousClock.now - start
            }
            if qos == 0 {
                for i in 0..<count {
                    // The client's queue is finite: pace the sender as a room would never need to.
                    while (try? publisher.send(topic, "{\"n\":\(i)}", qos: 0)) == nil { try await Task.sleep(for: .milliseconds(1)) }
                }
            } else {
                // The outbox's way: one message at a time, each waiting for its PUBACK.
                for i in 0..<count { try await publisher.publish(topic, "{\"n\":\(i)}", qos: 1) }
            }
            let sent = ContinuousClock.now - start
            let received = await receiving.value
            let label = qos == 0 ? "QoS 0, not waiting" : "QoS 1, each acknowledged before the next"
            say("  \(label.padding(toLength: 42, withPad: " ", startingAt: 0)) sent \(String(format: "%8.0f", Double(count) / sent.seconds))/s"
                  + "  received \(String(format: "%8.0f", Double(count) / received.seconds))/s")
        }

        try await alarmLatency(port: broker.port, subscriber: subscriber)
    }

    /// A systolic of 205 after the dose alarms at once (no condition delay): the time from handing the reading
    /// to the agent to the alarm event arriving at a subscriber, repeated.
    static func alarmLatency(port: Int, subscriber: MQTTClient) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-mqtt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
        let topics = RoomTopics(site: "bench", room: "room-1")
        let roomPublisher = try RoomPublisher(options: MQTTOptions(host: "127.0.0.1", port: port, clientID: "bench-room"),
                                              topics: topics, outbox: StoreOutbox(store: store))
        let agent = RoomAgent(clock: SystemClock(), profile: .clinicDefault, identity: RoomIdentity(site: "bench", room: "room-1"),
                              store: store, output: { _ in })
        await agent.publish(to: roomPublisher)
        let publishing = Task { await roomPublisher.run() }
        defer { publishing.cancel() }
        let raised = subscriber.subscribe(topics.alarms, qos: 1)
        try await Task.sleep(for: .milliseconds(500))
        try await agent.perform(.startSession(by: .nurse, patientReference: nil))
        var iterator = raised.makeAsyncIterator()
        var latencies: [Double] = []
        func bp(_ systolic: Double) async {
            await agent.handle(.message(device: "nibp", .values([DeviceValue(.systolic, systolic, .valid), DeviceValue(.diastolic, 80, .valid)],
                                                                deviceTime: nil)))
        }
        // After the dose (≥ 200 alarms on one reading from onset on; before it, a repeat confirms).
        await bp(120)
        try await agent.perform(.markDose(by: .nurse))
        for _ in 0..<300 {
            let start = ContinuousClock.now
            await bp(205)
            while let message = await iterator.next() {
                if message.text.contains("\"condition\":\"systolic_high\"") && message.text.contains("\"state\":\"raised\"") { break }
            }
            latencies.append((ContinuousClock.now - start).seconds * 1000)
            for alarm in await agent.activeAlarms where alarm.condition == "systolic_high" {
                try? await agent.perform(.acknowledge(by: .nurse, alarm: alarm.id))
            }
            await bp(120)
            try await Task.sleep(for: .milliseconds(5))
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        say("  reading → alarm event at a subscriber (\(latencies.count) alarms)   p50 \(String(format: "%.2f", percentile(0.5))) ms"
              + "  p99 \(String(format: "%.2f", percentile(0.99))) ms  (SQLite commit + QoS 1 publish)")
    }
}
