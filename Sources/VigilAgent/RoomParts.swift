import Foundation
import VigilCore
import VigilDevices
import VigilMQTT

/// Everything around a room's agent that runs alongside it: serial devices, devices on the
/// broker, and the clinic's broker itself. `vigil run` builds it from `vigil.yaml`, `vigil demo`
/// from its simulators; both start it the same way.
public struct RoomParts: Sendable {
    /// A device on a serial port, read with the first of its protocols that yields valid frames.
    public struct SerialDevice: Sendable {
        public var name: String
        public var path: String
        public var protocols: [DeviceProtocol]
        public var settings: SerialSettings?
        public var watchdog: Duration

        public init(name: String, path: String, protocols: [DeviceProtocol], settings: SerialSettings? = nil,
                    watchdog: Duration = .seconds(5)) {
            self.name = name
            self.path = path
            self.protocols = protocols
            self.settings = settings
            self.watchdog = watchdog
        }
    }

    public var serial: [SerialDevice]
    public var mqttDevices: [MQTTDeviceSource]
    /// `nil`: the room runs alone.
    public var publisher: RoomPublisher?

    public init(serial: [SerialDevice] = [], mqttDevices: [MQTTDeviceSource] = [], publisher: RoomPublisher? = nil) {
        self.serial = serial
        self.mqttDevices = mqttDevices
        self.publisher = publisher
    }

    /// The parts `vigil.yaml` names: its devices, and its broker when it has one.
    public init(config: VigilConfig, outbox: (any Outbox)?, log: @escaping @Sendable (String) -> Void) throws {
        var serial: [SerialDevice] = [], mqtt: [MQTTDeviceSource] = []
        for device in config.devices {
            if device.profile.transport == .mqtt, let source = device.profile.mqtt, let topic = device.topic {
                mqtt.append(MQTTDeviceSource(name: device.name, topic: topic, source: source))
            } else if let port = device.port {
                serial.append(SerialDevice(name: device.name, path: port, protocols: device.profile.protocols,
                                           settings: device.profile.protocols.count == 1 ? device.profile.settings : nil,
                                           watchdog: device.profile.watchdog))
            }
        }
        let publisher = try config.mqtt?.publisher(for: RoomIdentity(site: config.site, room: config.room), outbox: outbox, log: log)
        if publisher == nil && !mqtt.isEmpty {
            throw SetupError("\(mqtt.map(\.name).joined(separator: ", ")) publish on MQTT: give the broker in mqtt: or --mqtt")
        }
        self.init(serial: serial, mqttDevices: mqtt, publisher: publisher)
    }

    /// Runs `agent` with every part until cancelled.
    public func run<C: VigilClock>(_ agent: RoomAgent<C>, log: @escaping @Sendable (String) -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            await start(agent, in: &group, log: log)
            try await group.waitForAll()
        }
    }

    /// Attaches every part to `agent` and adds their tasks to `group`: device connections, the
    /// broker, station commands, the agent's own loop. Cancelling the group stops them all.
    public func start<C: VigilClock>(_ agent: RoomAgent<C>, in group: inout ThrowingTaskGroup<Void, Error>,
                                     log: @escaping @Sendable (String) -> Void) async {
        let (events, sink) = AsyncStream<DeviceEvent>.makeStream()
        group.addTask {
            for await event in events { await agent.handle(event) }
        }
        for device in serial {
            let connection = DeviceConnection(name: device.name, path: device.path, probing: device.protocols,
                                              settings: device.settings, watchdog: device.watchdog) { sink.yield($0) }
            await agent.attach(connection)
            group.addTask { await connection.run() }
        }
        if let publisher {
            group.addTask { await publisher.run() }
            let commands = publisher.commands()
            group.addTask { await agent.serve(commands: commands) }
            let clock = await agent.clock
            for device in mqttDevices {
                await agent.watch(device: device.name, continuous: device.source.continuous)
                group.addTask {
                    await device.run(client: publisher.client, now: { clock.wallNow }, log: log) { sink.yield($0) }
                }
            }
        }
        group.addTask {
            await withTaskCancellationHandler {
                await agent.run()
            } onCancel: {
                sink.finish()
            }
        }
    }
}

/// A room that cannot start as configured, in words for the person starting it.
public struct SetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
