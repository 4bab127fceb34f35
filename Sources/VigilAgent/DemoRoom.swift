import Foundation
import VigilCore
import VigilDevices
import VigilStore

/// `vigil demo`: a CMS50 V7 oximeter and a SunTech NIBP module simulated on pseudo-terminals,
/// and the agent reading them through the real serial path — ports, decoders, reconnects —
/// while a simulated staff plays the scenario's session lines (start, dose, acknowledge, end).
/// Everything runs on one `ScaledClock`, `speed` times faster than real time. With a store, a
/// demo stopped mid-session (even by SIGKILL) resumes where its records end.
public struct DemoRoom: Sendable {
    public var scenario: Scenario
    public var speed: Double
    /// Where the simulated devices' stable symlinks live (like `/dev/serial/by-id/`).
    public var deviceFolder: String
    public var profile: AlarmProfile
    public var store: Store?

    public init(scenario: Scenario, speed: Double, deviceFolder: String, profile: AlarmProfile = .clinicDefault,
                store: Store? = nil) {
        self.scenario = scenario
        self.speed = speed
        self.deviceFolder = deviceFolder
        self.profile = profile
        self.store = store
    }

    /// Plays the scenario to its last line. `output` sees everything the agent does; `log`
    /// gets a line per simulated device, per resumed session and per refused staff command.
    public func run(output: @escaping @Sendable (AgentOutput) -> Void,
                    log write: @escaping @Sendable (String) -> Void) async throws {
        try FileManager.default.createDirectory(atPath: deviceFolder, withIntermediateDirectories: true)
        let devices: [(name: String, proto: DeviceProtocol)] = [("oximeter", .contecV7), ("nibp", .suntech)]
        let resumeAt = try resumePoint()
        let clock = ScaledClock(speed: speed, wallStart: resumeAt?.startedAt ?? Date(),
                                startingAt: .milliseconds(Int64((resumeAt?.elapsed ?? 0) * 1000)))
        let agent = RoomAgent(clock: clock, profile: profile, store: store, output: output, log: write)
        if let message = try await agent.resumeUnfinishedSession() { write("agent   \(message)") }
        let (events, sink) = AsyncStream<DeviceEvent>.makeStream()

        try await withThrowingTaskGroup(of: Void.self) { group in
            var connections: [DeviceConnection] = []
            for device in devices {
                let link = (deviceFolder as NSString).appendingPathComponent(device.name)
                try? FileManager.default.removeItem(atPath: link)
                let simulator = try DeviceSimulator(protocol: device.proto, scenario: scenario, speed: speed,
                                                    link: link, name: device.name)
                group.addTask { try await simulator.run(origin: clock.zero) { path in write("device  \(device.name) (\(device.proto.rawValue)) on \(path) via \(link)") } }
                while !FileManager.default.fileExists(atPath: link) { try await Task.sleep(for: .milliseconds(5)) }
                let connection = DeviceConnection(name: device.name, path: link, protocol: device.proto) { sink.yield($0) }
                await agent.attach(connection)
                connections.append(connection)
            }
            group.addTask { for await event in events { await agent.handle(event) } }
            for connection in connections { group.addTask { await connection.run() } }
            group.addTask { await agent.run() }

            let from = resumeAt?.elapsed ?? -1
            for step in scenario.staffSteps where step.seconds > from {
                try await clock.sleep(until: ManualClock.Instant(offset: .milliseconds(Int64(step.seconds * 1000))))
                guard case .command(let command) = step.action else { continue }
                do {
                    try await agent.perform(command, source: "demo")
                } catch {
                    write("staff   line \(step.line): \(error)")
                }
            }
            let last = scenario.steps.last?.seconds ?? 0
            try await clock.sleep(until: ManualClock.Instant(offset: .milliseconds(Int64(last * 1000))))
            sink.finish()
            group.cancelAll()
        }
    }

    /// Where an interrupted demo session stands: when it started, and how far its records got.
    func resumePoint() throws -> (startedAt: Date, elapsed: Double)? {
        guard let store, let session = try store.unfinishedSession() else { return nil }
        let started = Date(timeIntervalSince1970: session.startedAt)
        let last = try store.lastRecordTime(session: session.id) ?? started
        return (started, max(0, last.timeIntervalSince(started)))
    }
}
