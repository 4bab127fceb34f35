import Logging
import ServiceLifecycle
import VigilCore
import VigilMQTT

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
        // These end only when told to: one ending by itself throws, and the room stops (and is
        // restarted) rather than run on without its engine or its devices.
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
