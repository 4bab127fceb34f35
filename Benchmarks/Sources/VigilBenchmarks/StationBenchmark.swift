import Foundation
import HummingbirdBcrypt
import HummingbirdWSClient
import Logging
import VigilAgent
import VigilCore
import VigilMQTT
import VigilTestSupport

/// One `vigil station` process following 50 rooms that publish at their real rates through a
/// local mosquitto (each room here is an MQTT client speaking the room's payloads, not a whole
/// agent: the station's cost is what is measured). Reports the station's CPU and resident memory
/// over a minute, and how long a room's alarm takes to reach a page on the station's WebSocket.
enum StationBenchmark {
    static let rooms = 50
    static let site = "bench"

    static func run(root: URL) async throws {
        say("\nStation following \(rooms) rooms at their real rates (one vigil station process)")
        let binary = ["release", "debug"].map { root.appendingPathComponent(".build/\($0)/vigil") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let binary else { throw SetupError("no vigil binary: make bench builds it first") }
        let broker = try Broker()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-station-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            station: { site: \(site), database: station.sqlite }
            mqtt: { host: 127.0.0.1, port: \(broker.port) }
            http:
              logins:
                - { role: nurse, pin: "\(Bcrypt.hash("2580", cost: 4))" }
            """.write(to: folder.appendingPathComponent("station.yaml"), atomically: true, encoding: .utf8)
        let station = Process()
        station.executableURL = binary
        station.arguments = ["station", "--config", folder.appendingPathComponent("station.yaml").path, "--http", "127.0.0.1:0", "--log-level", "notice"]
        // To a file, not a pipe: a pipe nobody drains would stop the station at its first full buffer.
        let log = folder.appendingPathComponent("station.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        station.standardOutput = output
        station.standardError = output
        try station.run()
        defer { station.terminate() }

        // The rooms, each with its own connection, as a clinic's rooms have.
        var clients: [MQTTClient] = []
        for i in 0..<rooms { clients.append(try await MQTTBenchmark.connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "room-\(i)"))) }
        defer { clients.forEach { $0.stop() } }
        let roomClients = clients
        let publishing = Task { await publishAtRealRates(roomClients) }
        defer { publishing.cancel() }

        let port = try await stationPort(log: log)
        let cookie = try await WebBenchmark.logIn("127.0.0.1:\(port)")
        let arrivals = Shared<[String: ContinuousClock.Instant]>([:])
        var config = WebSocketClientConfiguration()
        config.additionalHeaders[.cookie] = "vigil_session=\(cookie)"
        config.maxFrameSize = 1 << 22  // the board of 50 rooms is one frame of ~40 KB
        let configuration = config
        let page = Task {
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/live", configuration: configuration, logger: Logger(label: "bench")) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 24) {
                    guard case .text(let text) = message else { continue }
                    let now = ContinuousClock.now
                    var from = text.startIndex
                    while let r = text.range(of: #""id":"bench-alarm-"#, range: from..<text.endIndex) {
                        let id = "bench-alarm-" + text[r.upperBound...].prefix { $0.isNumber }
                        arrivals.value.withLock { if $0[id] == nil { $0[id] = now } }
                        from = r.upperBound
                    }
                }
            }
        }
        defer { page.cancel() }
        try await Task.sleep(for: .seconds(5))  // every room on the board

        let before = ProcessFigures.of(station.processIdentifier)
        let window = Duration.seconds(60)
        let start = ContinuousClock.now
        var sent: [String: ContinuousClock.Instant] = [:]
        var n = 0
        while ContinuousClock.now - start < window {
            // One alarm every 0.5 s, round the rooms: raised, then cleared the next time round.
            let room = n % rooms, id = "bench-alarm-\(n)"
            let topics = RoomTopics(site: site, room: "room-\(room)")
            let payloads = RoomPayloads(topics: topics)
            let alarm = Alarm(id: id, kind: .physiological, condition: "spo2_low", vital: .spo2, device: "oximeter", priority: .high,
                              value: 84, limit: 85, raisedAt: Date())
            sent[id] = ContinuousClock.now
            try clients[room].send(topics.activeAlarms, payloads.activeAlarms([alarm], at: Date()), qos: 1, retain: true)
            n += 1
            try await Task.sleep(for: .milliseconds(500))
        }
        let elapsed = ContinuousClock.now - start
        let after = ProcessFigures.of(station.processIdentifier)
        try await Task.sleep(for: .seconds(1))
        let latencies = arrivals.value.withLock { got in sent.compactMap { id, at in got[id].map { $0 - at } } }
        guard let before, let after else { throw SetupError("the station stopped during the benchmark") }
        let cpu = (after.cpu - before.cpu) / elapsed.seconds * 100
        say("  station CPU \(String(format: "%.2f", cpu)) % of a core, resident \(Int(after.residentMB)) MB"
            + "  (\(rooms) rooms, ~\(rooms * 3) messages/s, \(binary.deletingLastPathComponent().lastPathComponent) build)")
        say("  a room's alarm → a page on the station's /live   p50 \(WebBenchmark.ms(latencies, 0.5))  p99 \(WebBenchmark.ms(latencies, 0.99))"
            + "  (\(latencies.count) of \(sent.count) alarms)")
    }

    /// Every room: SpO2, pulse and perfusion index once a second (retained, QoS 0), its session every 10 s.
    static func publishAtRealRates(_ clients: [MQTTClient]) async {
        var second = 0
        while !Task.isCancelled {
            for (i, client) in clients.enumerated() {
                let topics = RoomTopics(site: site, room: "room-\(i)")
                let payloads = RoomPayloads(topics: topics)
                for (vital, value) in [(Vital.spo2, 97.0), (.pulseRate, 72), (.perfusionIndex, 2.3)] {
                    let reading = Reading(time: Date(), vital: vital, value: value, device: "oximeter")
                    try? client.send(topics.vitals(vital), payloads.reading(reading), qos: 0, retain: true)
                }
                if second % 10 == 0 {
                    let state = SessionState(time: Date(), id: "S-\(i)", status: "running", phase: .peak, startedAt: Date(),
                                             doseAt: Date(), sinceDose: 2400, patientReference: nil)
                    try? client.send(topics.session, payloads.session(state), qos: 1, retain: true)
                    try? client.send(topics.status, "online", qos: 1, retain: true)
                }
            }
            second += 1
            try? await Task.sleep(for: .seconds(1))
        }
    }

    static func stationPort(log: URL) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        var text = ""
        while ContinuousClock.now < deadline {
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: "pages are on http://127.0.0.1:"), let port = Int(text[r.upperBound...].prefix { $0.isNumber }) { return port }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SetupError("the station did not start: \(text)")
    }
}
