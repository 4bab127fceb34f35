import Logging
import ServiceLifecycle
import VigilCore
import VigilDevices

/// Every device of the room — serial connections and devices on the broker — and the one
/// stream that carries their events to the agent, drained to its end before this returns.
struct DevicesService<C: VigilClock>: Service {
    let parts: RoomParts
    let agent: RoomAgent<C>
    let log: Logger

    func run() async throws {
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
        guard Task.isShuttingDownGracefully || Task.isCancelled else { throw StoppedByItself(part: "the devices") }
    }
}
