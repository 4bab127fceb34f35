import ServiceLifecycle
import VigilCore
import VigilMQTT

/// The clinic's broker: the room's retained topics and outbox, and the station's commands.
/// Shut down, it first gives the outbox (the last alarm events) a few seconds to go out while the
/// broker is there, then sets the retained status `offline` and disconnects.
struct BrokerService<C: VigilClock>: Service {
    let publisher: RoomPublisher
    let agent: RoomAgent<C>

    func run() async {
        let commands = publisher.commands()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await publisher.run() }
            group.addTask { await agent.serve(commands: commands) }
            try? await gracefulShutdown()
            await publisher.waitUntilSent(timeout: .seconds(5))
            group.cancelAll()
        }
    }
}
