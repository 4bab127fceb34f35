import Foundation
import Hummingbird
import HummingbirdWebSocket
import ServiceLifecycle
import VigilCore

/// `/live` at the station: the board at once, then again at once after an alarm or a link
/// changes, and every second regardless (a page that hears nothing for 5 s says it is not live).
extension StationServer {
    func addLiveRoute(to router: Router<WebContext>) {
        router.ws("/live") { request, context in
            // Refused before the upgrade (hummingbird-websocket answers any refused upgrade 400): a
            // role the board is not for never gets a socket that opens and then closes.
            try await self.mayOpenLive(request, context, for: .respondToAlarm)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let staff = context.requestContext.staff, staff.role.may(.respondToAlarm) else { return }
            try await self.servePage(self.hub, staff: staff, first: await self.station.snapshot().json,
                                     inbound: inbound, outbound: outbound)
        }
    }

    /// Sends the board at once on every change that matters now (an alarm, a room's link; at most
    /// every 50 ms, changes meanwhile sent together), and every second regardless: the vitals
    /// (each room's come once a second) ride on that.
    func feed() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in self.station.changes {
                    await self.broadcast()
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await self.broadcast()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func broadcast() async {
        if hub.clientCount > 0 { hub.broadcast(await station.snapshot().json) }
    }
}

/// The station's feed as a service beside its HTTP server.
struct StationFeed<C: VigilClock>: Service {
    let server: StationServer<C>

    func run() async throws {
        await cancelWhenGracefulShutdown { await server.feed() }
    }
}
