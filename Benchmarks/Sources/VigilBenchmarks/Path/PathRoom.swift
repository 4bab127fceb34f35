import Foundation
import Synchronization
import VigilTestSupport

/// One room under the whole-path benchmark: `vigil run` (release build) or the Python peer on
/// one of the feeder's oximeters, its database in the round's folder, publishing to the broker.
/// Its printed `ALARM … raised … spo2_low` lines are timestamped as they arrive: both print one
/// once the alarm is committed to SQLite.
final class PathRoom: Sendable {
    /// `floor` is ``FloorReader``: no room at all, only the wake-ups every room pays.
    enum Kind: String, Sendable { case vigil, peer, floor }

    let kind: Kind
    let index: Int
    let process: Process
    private let raisedAt = Mutex<[UInt64]>([])
    private let printed = Mutex<String>("")

    /// The MQTT topic its alarm events arrive on, per kind and room.
    static func alarmTopic(_ kind: Kind, room: Int) -> String {
        kind == .vigil ? "vigil/bench/room-\(room)/alarms" : "peer/bench/room-\(room)/alarms"
    }

    /// Its pages' port, when the benchmark watches them (leg (c)).
    let webPort: Int?

    init(kind: Kind, index: Int, folder: String, tools: PathBenchmark.Tools) throws {
        self.kind = kind
        self.index = index
        let brokerPort = tools.broker.port
        webPort = kind == .vigil && tools.web ? try Broker.freePort() : nil
        let tty = "\(folder)/oximeter-\(index).tty"
        let database = "\(folder)/\(kind.rawValue)-\(index).sqlite"
        process = Process()
        switch kind {
        case .vigil:
            let config = "\(folder)/room-\(index).yaml"
            try """
            site: bench
            room: room-\(index)
            database: \(database)
            devices:
              - { name: oximeter, profile: \(PathBenchmark.root.path)/Devices/contec-cms50-v7.yaml, port: \(tty) }
            mqtt: { host: 127.0.0.1, port: \(brokerPort) }
            alarms:
              gap_tolerance: 1s
              limits:
                - { vital: spo2, phases: [baseline, onset, peak, recovery, discharge], below: 93, priority: medium, delay: 0s }
            \(webPort.map { "http: { address: 127.0.0.1, port: \($0), logins: [{ role: nurse, pin: \"\(tools.pinHash)\" }] }" } ?? "")

            """.write(toFile: config, atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: tools.vigil)
            process.arguments = ["run", "--config", config, "--socket", "\(folder)/room-\(index).sock", "--no-music"]
                + (webPort == nil ? ["--http", "off"] : [])
        case .peer:
            process.executableURL = URL(fileURLWithPath: tools.python)
            process.arguments = ["\(PathBenchmark.root.path)/Benchmarks/peer/peer.py", "--port", tty, "--db", database,
                                 "--mqtt", "127.0.0.1:\(brokerPort)", "--topic", Self.alarmTopic(.peer, room: index),
                                 "--spo2-low", "93"]
        case .floor:
            let benchmark = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            process.executableURL = URL(fileURLWithPath: benchmark)
            process.environment = ProcessInfo.processInfo.environment.merging(["VIGIL_BENCH": "floor", "VIGIL_FLOOR_PORT": tty]) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        try Spawn.run(process)
        let reading = pipe.fileHandleForReading
        let thread = Thread { [self] in self.read(reading) }
        thread.start()
    }

    private func read(_ handle: FileHandle) {
        var pending = ""
        while true {
            let data = handle.availableData
            if data.isEmpty { return }
            let at = Monotonic.now
            pending += String(decoding: data, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                let line = pending[..<newline]
                if line.contains("ALARM"), line.contains(" raised "), line.contains("spo2_low") {
                    raisedAt.withLock { $0.append(at) }
                }
                printed.withLock { $0 += line + "\n" }
                pending = String(pending[pending.index(after: newline)...])
            }
        }
    }

    /// When each of its alarms' lines arrived.
    var raised: [UInt64] { raisedAt.withLock { $0 } }

    var output: String { printed.withLock { $0 } }

    var pid: Int32 { process.processIdentifier }

    /// SIGTERM, and SIGKILL if it has not stopped within 10 s.
    func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }
}
