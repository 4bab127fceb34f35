import Foundation
import HummingbirdBcrypt
import Histogram
import VigilMQTT
import VigilTestSupport

/// The whole path, byte to subscriber, for N = 1, 10, 100 oximeters: N `vigil run` rooms (one
/// oximeter each: a room process watches one patient, so N devices are N rooms) against N
/// Python peers (`Benchmarks/peer/peer.py`) on the same feeder and broker, round after round,
/// interleaved, and N bare readers (``FloorReader``: what the wake-ups alone cost).
/// `VIGIL_BENCH=path make bench`; `VIGIL_PATH_DEVICES=1,10`, `VIGIL_PATH_ROUNDS` and
/// `VIGIL_PATH_SECONDS` (the native window) shorten it; `VIGIL_PATH_KINDS=vigil` leaves the
/// peer and the floor out; `VIGIL_PATH_WEB=1` turns Vigil's pages on and adds leg (c), a page on
/// each room's `/live` (``PageWatcher``).
enum PathBenchmark {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What every round shares: the programs under test, the broker, and what its subscriber heard.
    struct Tools: Sendable {
        var vigil: String
        var python: String
        var broker: Broker
        var events: HeardEvents
        /// Leg (c): each Vigil room's pages on, with a nurse's page on its `/live`.
        var web: Bool
        /// The bcrypt hash of ``PageWatcher/pin`` the rooms' configs carry.
        var pinHash: String
    }

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let counts = (environment["VIGIL_PATH_DEVICES"] ?? "1,10,100").split(separator: ",").compactMap { Int($0) }
        let rounds = Int(environment["VIGIL_PATH_ROUNDS"] ?? "") ?? 2
        let seconds = Int(environment["VIGIL_PATH_SECONDS"] ?? "") ?? 60
        let kinds = (environment["VIGIL_PATH_KINDS"] ?? "vigil,peer,floor").split(separator: ",").compactMap { PathRoom.Kind(rawValue: String($0)) }
        let broker = try Broker()
        let subscriber = try await MQTTBenchmark.connected(MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-path"))
        defer { subscriber.stop() }
        let events = HeardEvents()
        for filter in ["vigil/bench/+/alarms", "peer/bench/+/alarms"] {
            let messages = subscriber.subscribe(filter, qos: 1)
            Task {
                for await message in messages where isRaisedDesaturation(message.text) {
                    events.append(message.topic, at: Monotonic.now)
                }
            }
        }
        let tools = Tools(vigil: environment["VIGIL_BIN"] ?? root.appendingPathComponent(".build/release/vigil").path,
                          python: environment["VIGIL_PEER_PYTHON"] ?? root.appendingPathComponent(".build/peer-venv/bin/python3").path,
                          broker: broker, events: events, web: environment["VIGIL_PATH_WEB"] == "1",
                          pinHash: Bcrypt.hash(PageWatcher.pin, cost: 4))
        say("\nThe whole path: N oximeters at 60 frames/s, N rooms (one oximeter each), SpO2 97 → 88 crossings "
            + "against a zero-delay limit; \(seconds) s native windows, \(rounds) interleaved round(s)")
        say("  latency from the crossing frame's last byte: (a) the room's alarm line, printed once committed to SQLite; "
            + "(b) the alarm event at an MQTT subscriber" + (tools.web ? "; (c) a nurse's page on the room's /live" : ""))
        var all: [PathRound] = []
        for devices in counts {
            for r in 1...rounds {
                for kind in kinds {
                    let result = try await round(kind, devices: devices, seconds: seconds, tools: tools)
                    say(describe(result, round: r))
                    all.append(result)
                }
            }
        }
        say("\n  Python peer ÷ Vigil, medians over the rounds (above 1: Vigil is cheaper or faster)")
        for devices in counts {
            let vigil = all.filter { $0.kind == .vigil && $0.devices == devices }
            let peer = all.filter { $0.kind == .peer && $0.devices == devices }
            func ratio(_ f: (PathRound) -> Double) -> String { String(format: "%5.2f", median(peer.map(f)) / median(vigil.map(f))) }
            say("    N=\(pad("\(devices)", 4)) CPU at native rate \(ratio { $0.nativeCPU })   RSS \(ratio { $0.residentMB })"
                + "   p99 to subscriber \(ratio { Double($0.subscriber.valueAtPercentile(99)) })")
            let floor = all.filter { $0.kind == .floor && $0.devices == devices }
            if !floor.isEmpty, !vigil.isEmpty {
                let bare = median(floor.map(\.nativeCPU))
                say(String(format: "           the bare reader: %.3f %% of a core a device; Vigil %.1f× it, the peer %.1f× it",
                           bare * 100 / Double(devices), median(vigil.map(\.nativeCPU)) / bare, median(peer.map(\.nativeCPU)) / bare))
            }
        }
        try await saturation(tools, kinds: kinds)
    }

    static func isRaisedDesaturation(_ text: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return false }
        return object["condition"] as? String == "spo2_low" && object["state"] as? String == "raised"
    }

    static func describe(_ r: PathRound, round: Int) -> String {
        func ms(_ h: Histogram<UInt64>, _ p: Double) -> String { String(format: "%7.2f", Double(h.valueAtPercentile(p)) / 1000) }
        func ms(_ value: UInt64) -> String { String(format: "%7.2f", Double(value) / 1000) }
        let calls = r.systemCalls.prefix(5).map { "\($0.name) \(Int($0.rate.rounded()))" }.joined(separator: ", ")
        let total = Int(r.systemCalls.reduce(0) { $0 + $1.rate }.rounded())
        let latency = r.kind == .floor ? "a bare reader: no alarms" : """
            \(r.crossings) crossings, \(r.missed) unheard; ms p50/p99/max: (a) \(ms(r.committed, 50)) \(ms(r.committed, 99)) \
            \(ms(r.committed.max))   (b) \(ms(r.subscriber, 50)) \(ms(r.subscriber, 99)) \(ms(r.subscriber.max))\
            \(r.page.totalCount == 0 ? "" : "   (c) \(ms(r.page, 50)) \(ms(r.page, 99)) \(ms(r.page.max))")
            """
        return """
          \(pad(r.kind.rawValue, 5)) N=\(pad("\(r.devices)", 4)) round \(round): CPU \(String(format: "%6.2f", r.nativeCPU * 100)) % of a core \
        at 60 frames/s (\(String(format: "%.3f", r.nativeCPU * 100 / Double(r.devices))) % a room), \
        idle \(String(format: "%.3f", r.idleCPU * 100)) %; RSS \(String(format: "%.1f", r.residentMB)) MB \
        (\(String(format: "%.1f", r.residentMB / Double(r.devices))) a room), \(r.threads) threads
                 \(latency)
                 room 0's system calls a second: \(total) — \(calls.isEmpty ? "strace not installed" : calls)
        """
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    /// One room, one oximeter sending as fast as the room reads: readings per CPU second.
    static func saturation(_ tools: Tools, kinds: [PathRoom.Kind]) async throws {
        let frames = 200_000
        say("\n  Saturation: \(frames) frames written to one room's port as fast as it reads them, the pulse changing on each")
        var perSecond: [PathRoom.Kind: Double] = [:]
        for kind in kinds where kind != .floor {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-path-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let feeder = try FeederProcess(count: 1, folder: folder)
            defer { feeder.stop() }
            let room = try PathRoom(kind: kind, index: 0, folder: folder, tools: tools)
            defer { room.stop() }
            try await Task.sleep(for: .seconds(3))
            let before = ProcessFigures.of(room.pid)?.cpu ?? 0, from = Monotonic.now
            feeder.send("blast 0 \(frames)")
            try feeder.wait(for: "blasted 0")
            let wall = elapsed(since: from)
            try await Task.sleep(for: .milliseconds(500))
            guard let after = ProcessFigures.of(room.pid)?.cpu else {
                say("    \(pad(kind.rawValue, 5)) stopped during the blast:\n\(room.output.suffix(1500))")
                continue
            }
            let cpu = after - before
            perSecond[kind] = Double(frames) / cpu
            say("    \(pad(kind.rawValue, 5)) \(String(format: "%8.0f", Double(frames) / cpu)) readings per CPU second "
                + "(\(String(format: "%.2f", cpu)) CPU-s; \(String(format: "%.0f", Double(frames) / wall)) frames/s taken)")
        }
        if let vigil = perSecond[.vigil], let peer = perSecond[.peer] {
            say(String(format: "    Vigil ÷ peer: %.1f× the readings per CPU second", vigil / peer))
        }
    }
}
