import Foundation
import Logging
import VigilAudio
import VigilCore
import VigilDevices
import VigilMQTT
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
    public var identity: RoomIdentity
    /// The clinic's broker, when the demo should publish (`--mqtt`).
    public var mqtt: MQTTSettings?
    /// The patient's music (`nil`: none).
    public var audio: AudioSettings?
    /// Where `vigil music` and `vigil session` reach the demo (`nil`: no control socket).
    public var controlSocket: String?
    /// After the last line, the room stays up (watching between sessions, its pages served)
    /// until cancelled, instead of ending with the scenario.
    public var stays = false

    public init(scenario: Scenario, speed: Double, deviceFolder: String, profile: AlarmProfile = .clinicDefault,
                store: Store? = nil, identity: RoomIdentity = RoomIdentity(site: "demo", room: "room-1"), mqtt: MQTTSettings? = nil,
                audio: AudioSettings? = nil, controlSocket: String? = nil) {
        self.audio = audio
        self.controlSocket = controlSocket
        self.scenario = scenario
        self.speed = speed
        self.deviceFolder = deviceFolder
        self.profile = profile
        self.store = store
        self.identity = identity
        self.mqtt = mqtt
    }

    /// Plays the scenario to its last line. `output` sees everything the agent does; `log`
    /// gets a line per simulated device, per resumed session and per refused staff command (the
    /// room's parts log under their own names).
    /// `alongside` runs beside the room for as long as it does (the staff's pages).
    public func run(output: @escaping @Sendable (AgentOutput) -> Void,
                    log: Logger = .vigil("demo"),
                    alongside: (@Sendable (RoomAgent<ScaledClock>, RoomMusic?) async -> Void)? = nil) async throws {
        try FileManager.default.createDirectory(atPath: deviceFolder, withIntermediateDirectories: true)
        let devices: [(name: String, proto: DeviceProtocol)] = [("oximeter", .contecV7), ("nibp", .suntech)]
        let resumeAt = try resumePoint()
        let clock = ScaledClock(speed: speed, wallStart: resumeAt?.startedAt ?? Date(),
                                startingAt: .milliseconds(Int64((resumeAt?.elapsed ?? 0) * 1000)))
        let music = RoomMusic.startIfPossible(audio)
        let chime = Chime.startIfConfigured(audio)
        defer { chime?.stop() }
        let agent = RoomAgent(clock: clock, profile: profile, identity: identity, store: store,
                              output: { music?.handle($0); output($0) })
        let publisher = try mqtt?.publisher(for: identity, outbox: store.map(StoreOutbox.init), log: .vigil("mqtt"))
        let control = try controlSocket.map { path in
            try ControlSocket(path: path, handle: RoomControl(agent: agent, music: music).handle)
        }
        defer { control?.close() }
        if let chime { await agent.sound(alarmsOn: chime) }
        // Before resuming, so that alarms closed by the restart are announced too.
        if let publisher { await agent.publish(to: publisher) }
        if let message = try await agent.resumeUnfinishedSession() { log.notice("agent   \(message)") }

        try await withThrowingTaskGroup(of: Void.self) { group in
            var parts = RoomParts(publisher: publisher)
            for device in devices {
                let link = (deviceFolder as NSString).appendingPathComponent(device.name)
                try? FileManager.default.removeItem(atPath: link)
                let simulator = try DeviceSimulator(protocol: device.proto, scenario: scenario, speed: speed,
                                                    link: link, name: device.name)
                group.addTask { try await simulator.run(origin: clock.zero, untilCancelled: true) { path in log.notice("device  \(device.name) (\(device.proto.rawValue)) on \(path) via \(link)") } }
                while !FileManager.default.fileExists(atPath: link) { try await Task.sleep(for: .milliseconds(5)) }
                parts.serial.append(RoomParts.SerialDevice(name: device.name, path: link, protocols: [device.proto]))
            }
            let room = parts
            group.addTask { try await room.run(agent) }
            if let alongside { group.addTask { await alongside(agent, music) } }

            let from = resumeAt?.elapsed ?? -1
            for step in scenario.staffSteps where step.seconds > from {
                try await clock.sleep(until: ManualClock.Instant(offset: .milliseconds(Int64(step.seconds * 1000))))
                guard case .command(let command) = step.action else { continue }
                do {
                    try await agent.perform(await agent.resolvingAlarmName(command), source: "demo")
                } catch {
                    log.warning("staff   line \(step.line): \(error)")
                }
            }
            let last = scenario.steps.last?.seconds ?? 0
            if stays {
                try await clock.sleep(until: ManualClock.Instant(offset: .milliseconds(Int64(last * 1000))))
                log.notice("vigil demo: the scenario is over; the room and its pages stay up (Ctrl-C to stop)")
                while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
            }
            // The simulators stop with the scenario's last line: from here on that is the demo ending.
            await agent.stopping()
            try await clock.sleep(until: ManualClock.Instant(offset: .milliseconds(Int64(last * 1000))))
            await publisher?.waitUntilSent(timeout: .seconds(5))
            group.cancelAll()
        }
        await music?.stop()
    }

    /// Where an interrupted demo session stands: when it started, and how far its records got.
    func resumePoint() throws -> (startedAt: Date, elapsed: Double)? {
        guard let store, let session = try store.unfinishedSession() else { return nil }
        let started = Date(timeIntervalSince1970: session.startedAt)
        let last = try store.lastRecordTime(session: session.id) ?? started
        return (started, max(0, last.timeIntervalSince(started)))
    }
}
