import Foundation
import Logging
import ServiceLifecycle
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

    /// The parts `vigil.yaml` names, for a room that must run whatever its broker does: when the
    /// broker's part cannot be made (a password or CA file this user cannot read), that is said
    /// once, critically, and the room runs alone on its serial devices — never not at all.
    public static func monitoring(_ config: VigilConfig, outbox: (any Outbox)?, log: Logger = .vigil("mqtt")) -> RoomParts {
        do {
            return try RoomParts(config: config, outbox: outbox, log: log)
        } catch {
            log.critical("mqtt: \(error); the room runs without the broker and its devices on it until this is fixed")
            var alone = config
            alone.mqtt = nil
            alone.devices = config.devices.filter { $0.profile.transport != .mqtt }
            return (try? RoomParts(config: alone, outbox: nil, log: log)) ?? RoomParts()
        }
    }

    /// The parts `vigil.yaml` names: its devices, and its broker when it has one.
    public init(config: VigilConfig, outbox: (any Outbox)?, log: Logger = .vigil("mqtt")) throws {
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

    /// Runs `agent` with every part until cancelled (tests, the demo); `vigil run` puts the
    /// same ``services(for:pages:notifier:log:)`` in a group of its own with the signals.
    public func run<C: VigilClock>(_ agent: RoomAgent<C>, log: Logger = .vigil("device")) async throws {
        var quiet = Logger.vigil("lifecycle")
        quiet.logLevel = .warning
        try await ServiceGroup(configuration: .init(services: services(for: agent, log: log), logger: quiet)).run()
    }

    /// Opens every device and adds its task to `group`, each event going into `sink`.
    func attach<C: VigilClock>(_ agent: RoomAgent<C>, to group: inout TaskGroup<Void>,
                               sink: AsyncStream<DeviceEvent>.Continuation, log: Logger) async {
        // A demo's clock runs faster: the port's real-time pace shrinks in proportion.
        let steadyEvery = await agent.clock.realDuration(DeviceConnection.steadyEveryByDefault)
        for device in serial {
            let connection = DeviceConnection(name: device.name, path: device.path, probing: device.protocols,
                                              settings: device.settings, watchdog: device.watchdog,
                                              steadyEvery: steadyEvery) { sink.yield($0) }
            await agent.attach(connection)
            group.addTask { await connection.run() }
        }
        guard let publisher else { return }
        let clock = await agent.clock
        for device in mqttDevices {
            await agent.watch(device: device.name, continuous: device.source.continuous)
            group.addTask {
                await device.run(client: publisher.client, now: { clock.wallNow }, log: log) { sink.yield($0) }
            }
        }
    }
}

/// A room that cannot start as configured, in words for the person starting it.
public struct SetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
