import ServiceLifecycle
import VigilCore

/// The state the open pages hear every second, and at once after an event: a service beside
/// the HTTP server in the application's service group, so it starts and stops with it.
struct LiveFeed<C: VigilClock>: Service {
    let server: WebServer<C>

    func run() async throws {
        await cancelWhenGracefulShutdown { await server.feedLive() }
    }
}
