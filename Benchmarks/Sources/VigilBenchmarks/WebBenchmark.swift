import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import HummingbirdBcrypt
import HummingbirdWSClient
import Logging
import Synchronization
import VigilAgent
import VigilCore
import VigilDevices
import VigilStore
import VigilWeb

/// How long a reading takes from the agent to an open page over `/live`, with 1, 50 and 200
/// pages connected, and — for the same readings, in the same run — to its row in SQLite (the
/// reading writer commits every 250 ms, so that delay is the batching's, on purpose).
enum WebBenchmark {
    static let readings = 200

    static func run() async throws {
        say("\nWeb: a reading's delay to an open page over /live, and to its SQLite row (same readings)")
        for pages in [1, 50, 200] { try await measure(pages: pages) }
    }

    static func measure(pages: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-web-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("bench.sqlite").path)
        let hub = LiveHub()
        let agent = RoomAgent(clock: SystemClock(), profile: .clinicDefault, store: store, output: { hub.receive($0) })
        let settings = HTTPSettings(port: 0, logins: [.init(role: .nurse, kind: .pin, hash: Bcrypt.hash("2580", cost: 4))])
        let server = WebServer(settings: settings, control: RoomControl(agent: agent, music: nil, source: "web"), store: store,
                               hub: hub, identity: RoomIdentity(site: "bench", room: "room"))
        let port = Shared<Int?>(nil)
        let serving = Task { try await server.run { p in port.value.withLock { $0 = p } } }
        let agentLoop = Task { await agent.run() }
        defer { serving.cancel(); agentLoop.cancel() }
        while port.value.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let url = "127.0.0.1:\(port.value.withLock { $0 }!)"
        let cookie = try await logIn(url)

        let arrivals = Shared<[Int: [ContinuousClock.Instant]]>([:])
        let connected = Shared(0)
        var clients: [Task<Void, any Error>] = []
        for _ in 0..<pages {
            var config = WebSocketClientConfiguration()
            config.additionalHeaders[.cookie] = "vigil_session=\(cookie)"
            let configuration = config
            clients.append(Task {
                try await WebSocketClient.connect(url: "ws://\(url)/live", configuration: configuration, logger: Logger(label: "bench")) { inbound, _, _ in
                    connected.value.withLock { $0 += 1 }
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        guard case .text(let text) = message, text.hasPrefix(#"{"type":"reading""#),
                              let range = text.range(of: #""device":"bench-"#) else { continue }
                        let now = ContinuousClock.now
                        let digits = text[range.upperBound...].prefix { $0.isNumber }
                        if let i = Int(digits) { arrivals.value.withLock { $0[i, default: []].append(now) } }
                    }
                }
            })
        }
        defer { clients.forEach { $0.cancel() } }
        while connected.value.withLock({ $0 }) < pages { try await Task.sleep(for: .milliseconds(10)) }

        var sent: [ContinuousClock.Instant] = []
        var toRow: [Duration] = []
        for i in 0..<readings {
            let start = ContinuousClock.now
            sent.append(start)
            await agent.handle(.message(device: "bench-\(i)", .values([DeviceValue(.spo2, 97, .valid)], deviceTime: nil)))
            while try await store.writer.read({ try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM reading WHERE device = ?", arguments: ["bench-\(i)"]) }) == 0 {
                try await Task.sleep(for: .milliseconds(1))
            }
            toRow.append(ContinuousClock.now - start)
        }
        try await Task.sleep(for: .milliseconds(500))
        let toPage = arrivals.value.withLock { all in
            (0..<readings).flatMap { i in (all[i] ?? []).map { $0 - sent[i] } }
        }
        let missing = readings * pages - toPage.count
        say("  \(pad("\(pages) page\(pages == 1 ? "" : "s")", 9)) to the page p50 \(ms(toPage, 0.5)) p99 \(ms(toPage, 0.99))"
            + "   to SQLite p50 \(ms(toRow, 0.5)) p99 \(ms(toRow, 0.99))" + (missing > 0 ? "   (\(missing) not received)" : ""))
    }

    static func logIn(_ address: String) async throws -> String {
        var request = URLRequest(url: URL(string: "http://\(address)/api/login")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"role":"nurse","pin":"2580"}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        guard let header = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie"),
              let value = header.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last else {
            throw SetupError("the benchmark could not log in")
        }
        return String(value)
    }

    static func ms(_ values: [Duration], _ q: Double) -> String {
        guard !values.isEmpty else { return "–" }
        let sorted = values.sorted()
        let v = sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
        return String(format: "%6.2f ms", v.seconds * 1000)
    }
}

/// A value the benchmark's tasks share.
final class Shared<T: Sendable>: Sendable {
    let value: Mutex<T>
    init(_ initial: T) { value = Mutex(initial) }
}
