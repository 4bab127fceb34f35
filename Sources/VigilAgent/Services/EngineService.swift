import ServiceLifecycle
import VigilCore

/// The alarm engine's loop: deadlines, automatic BP checks, the reading writer, which writes
/// what readings are still buffered before it returns. It ends only when the room shuts down:
/// ending by itself is a failure, so that the process exits non-zero and systemd restarts it.
struct EngineService<C: VigilClock>: Service {
    let agent: RoomAgent<C>

    func run() async throws {
        await cancelWhenGracefulShutdown { await agent.run() }
        guard Task.isShuttingDownGracefully || Task.isCancelled else { throw StoppedByItself(part: "the alarm engine") }
    }
}

/// A part of the room that must run until the room shuts down returned by itself.
struct StoppedByItself: Error, CustomStringConvertible {
    var part: String
    var description: String { "\(part) stopped by itself; the room stops so that it is restarted" }
}
