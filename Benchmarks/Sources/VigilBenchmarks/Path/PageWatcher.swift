import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import VigilTestSupport

/// Leg (c) of the whole path: a nurse's page on each room's `/live`, logged in over HTTP like a
/// browser, timestamping the first `state` message that shows a new `spo2_low` alarm (the room
/// sends a state at once after an alarm event). `VIGIL_PATH_WEB=1` turns the rooms' pages on.
final class PageWatcher: Sendable {
    /// When each room's page first showed each new desaturation alarm, by room.
    private let shown = Mutex<[Int: [UInt64]]>([:])
    private let tasks = Mutex<[Task<Void, any Error>]>([])

    /// The nurse's PIN in the benchmark rooms' configs (a cheap bcrypt cost: logins are not measured).
    static let pin = "2580"

    func watch(room: Int, port: Int) async throws {
        let address = "127.0.0.1:\(port)"
        let cookie = try await Self.logIn(address)
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders[.cookie] = "vigil_session=\(cookie)"
        let settings = configuration
        let task = Task { [self] in
            _ = try await WebSocketClient.connect(url: "ws://\(address)/live", configuration: settings, logger: Logger(label: "bench")) { inbound, _, _ in
                var seen = Set<String>()
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case .text(let text) = message, text.hasPrefix(#"{"type":"state""#) else { continue }
                    let at = Monotonic.now
                    let ids = Self.desaturationIDs(text)
                    if !ids.subtracting(seen).isEmpty { self.shown.withLock { $0[room, default: []].append(at) } }
                    seen = ids
                }
            }
        }
        tasks.withLock { $0.append(task) }
    }

    func snapshot() -> [Int: [UInt64]] { shown.withLock { $0 } }

    func stop() { for task in tasks.withLock({ $0 }) { task.cancel() } }

    /// The ids of the `spo2_low` alarms a state message lists.
    static func desaturationIDs(_ text: String) -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let alarms = object["alarms"] as? [[String: Any]] else { return [] }
        return Set(alarms.filter { $0["condition"] as? String == "spo2_low" }.compactMap { $0["id"] as? String })
    }

    static func logIn(_ address: String) async throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do { return try await WebBenchmark.logIn(address) } catch {
                guard Date() < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
