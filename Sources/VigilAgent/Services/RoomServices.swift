import Logging
import ServiceLifecycle
import VigilDevices
import VigilMQTT
import VigilCore

extension RoomParts {
    /// The room as services for a `ServiceGroup`, in the order they start. The group stops them
    /// in the reverse order, so a shutdown is: systemd told "stopping", the devices closed, the
    /// engine's last tick and buffered readings written, the pages closed, the broker told
    /// `offline`; the database closes when the group has returned.
    ///
    /// The pages and the broker ending early (a port in use, no broker) never end the room.
    public func services<C: VigilClock>(for agent: RoomAgent<C>, pages: (any Service)? = nil,
                                        notifier: SystemdNotifier<C>? = nil,
                                        log: Logger = .vigil("device")) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let publisher {
            services.append(.init(service: BrokerService(publisher: publisher, agent: agent),
                                  successTerminationBehavior: .ignore, serviceName: "broker"))
        }
        if let pages {
            services.append(.init(service: pages, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore,
                                  serviceName: "pages"))
        }
        // Either ending shuts the whole room down in order (they end only when told to).
        services.append(.init(service: EngineService(agent: agent), successTerminationBehavior: .gracefullyShutdownGroup,
                              serviceName: "engine"))
        services.append(.init(service: DevicesService(parts: self, agent: agent, log: log),
                              successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "devices"))
        if let notifier {
            services.append(.init(service: notifier, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "systemd"))
        }
        return services
    }
}

/// The clinic's broker: the room's retained topics and outbox, and the station's commands.
struct BrokerService<C: VigilClock>: Service {
    let publisher: RoomPublisher
    let agent: RoomAgent<C>

    func run() async {
        let commands = publisher.commands()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await publisher.run() }
                group.addTask { await agent.serve(commands: commands) }
                await group.waitForAll()
            }
        }
    }
}

/// The alarm engine's loop: deadlines, automatic BP checks, the reading writer. Stopped, it
/// writes what readings are still buffered before it returns.
struct EngineService<C: VigilClock>: Service {
    let agent: RoomAgent<C>

    func run() async {
        await cancelWhenGracefulShutdown { await agent.run() }
        await agent.flushReadings()
    }
}

/// Every device of the room — serial connections and devices on the broker — and the one
/// stream that carries their events to the agent, drained to its end before this returns.
struct DevicesService<C: VigilClock>: Service {
    let parts: RoomParts
    let agent: RoomAgent<C>
    let log: Logger

    func run() async {
        let (events, sink) = AsyncStream<DeviceEvent>.makeStream()
        let agent = agent
        async let pump: Void = { for await event in events { await agent.handle(event) } }()
        await withTaskGroup(of: Void.self) { group in
            await parts.attach(agent, to: &group, sink: sink, log: log)
            // Told before the ports close, so that their closing is logged, not raised as alarms.
            try? await gracefulShutdown()
            await agent.stopping()
            group.cancelAll()
        }
        sink.finish()
        await pump
    }
}
