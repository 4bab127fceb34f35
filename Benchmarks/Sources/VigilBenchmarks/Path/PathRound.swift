import Foundation
import VigilAgent
import VigilTestSupport
import Histogram
import Synchronization

/// One round of the whole-path benchmark: N oximeters (the feeder), N rooms of one kind on
/// them, idle for a while and then at the native rate with crossings; what the rooms cost and
/// how long each crossing took to reach (a) the room's committed alarm line and (b) an MQTT
/// subscriber.
struct PathRound {
    var kind: PathRoom.Kind
    var devices: Int
    /// Of the rooms together, per wall second: CPU seconds with the devices silent for a few
    /// seconds, and at 60 frames/s each.
    var idleCPU = 0.0
    var nativeCPU = 0.0
    /// Of the rooms together, at the end of the native window.
    var residentMB = 0.0
    var threads = 0
    /// Microseconds from the crossing frame's last byte.
    var committed = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var subscriber = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// Leg (c), when the rooms' pages are on: to the first `/live` state showing the alarm.
    var page = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var crossings = 0
    var missed = 0
    /// Of room 0 alone: the busiest system calls a second.
    var systemCalls: [(name: String, rate: Double)] = []
}

extension PathBenchmark {
    static func round(_ kind: PathRoom.Kind, devices: Int, seconds: Int, tools: Tools) async throws -> PathRound {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-path-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let feeder = try FeederProcess(count: devices, folder: folder)
        defer { feeder.stop() }
        let rooms = try (0..<devices).map {
            try PathRoom(kind: kind, index: $0, folder: folder, tools: tools)
        }
        defer { for room in rooms { room.stop() } }
        feeder.send("go")
        if kind == .vigil { try startSessions(rooms, folder: folder, vigil: tools.vigil) }
        let pages = PageWatcher()
        defer { pages.stop() }
        for room in rooms { if let port = room.webPort { try await pages.watch(room: room.index, port: port) } }
        try await Task.sleep(for: .seconds(5))
        let pids = rooms.map(\.pid)
        var result = PathRound(kind: kind, devices: devices)

        let from = Monotonic.now, nativeStart = ProcessFigures.total(pids)
        try await Task.sleep(for: .seconds(seconds))
        let to = Monotonic.now, nativeEnd = ProcessFigures.total(pids)
        result.nativeCPU = (nativeEnd.cpu - nativeStart.cpu) / elapsed(since: from)
        result.residentMB = nativeEnd.residentMB
        result.threads = nativeEnd.threads
        // The window's last crossings get their alarms; then room 0's system calls.
        try await Task.sleep(for: .seconds(3))
        result.systemCalls = SystemCalls.perSecond(pid: pids[0], seconds: 10) ?? []
        // Idle: the devices silent, measured within the watchdog's 5 s (past it a room reopens
        // its port and raises technical alarms: no longer idle).
        feeder.send("pause")
        try await Task.sleep(for: .milliseconds(500))
        let idleStart = ProcessFigures.total(pids), idleFrom = Monotonic.now
        try await Task.sleep(for: .seconds(4))
        result.idleCPU = (ProcessFigures.total(pids).cpu - idleStart.cpu) / elapsed(since: idleFrom)

        guard kind != .floor else { return result }
        let events = tools.events.snapshot(), shown = pages.snapshot()
        for (k, marks) in feeder.marks() {
            let window = marks.filter { $0 >= from && $0 < to }
            for (i, mark) in window.enumerated() {
                let next = i + 1 < window.count ? window[i + 1] : UInt64.max
                result.crossings += 1
                let line = rooms[k].raised.first { $0 >= mark && $0 < next }
                let heard = events[PathRoom.alarmTopic(kind, room: k)]?.first { $0 >= mark && $0 < next }
                guard let line, let heard else { result.missed += 1; continue }
                _ = result.committed.record((line - mark) / 1_000)
                _ = result.subscriber.record((heard - mark) / 1_000)
                if let page = shown[k]?.first(where: { $0 >= mark && $0 < next }) { _ = result.page.record((page - mark) / 1_000) }
            }
        }
        if result.crossings == 0 || result.missed == result.crossings {
            say("    no alarm heard; room 0 printed:\n" + rooms[0].output.split(separator: "\n").suffix(15).joined(separator: "\n"))
        }
        return result
    }

    static func elapsed(since start: UInt64) -> Double { Double(Monotonic.now - start) / 1e9 }

    /// A session in every Vigil room (`vigil session start`), once its control socket answers.
    static func startSessions(_ rooms: [PathRoom], folder: String, vigil: String) throws {
        for room in rooms {
            let deadline = Date().addingTimeInterval(30)
            while true {
                let start = Process()
                start.executableURL = URL(fileURLWithPath: vigil)
                start.arguments = ["session", "start", "--socket", "\(folder)/room-\(room.index).sock", "--role", "nurse"]
                start.standardOutput = FileHandle.nullDevice
                start.standardError = FileHandle.nullDevice
                try Spawn.run(start)
                start.waitUntilExit()
                if start.terminationStatus == 0 { break }
                guard Date() < deadline, room.process.isRunning else {
                    throw SetupError("room \(room.index) never took its session:\n\(room.output.suffix(2000))")
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }
}

/// The alarm events the subscriber heard, by topic, when each arrived.
final class HeardEvents: Sendable {
    private let heard = Mutex<[String: [UInt64]]>([:])

    func append(_ topic: String, at: UInt64) { heard.withLock { $0[topic, default: []].append(at) } }
    func snapshot() -> [String: [UInt64]] { heard.withLock { $0 } }
}
