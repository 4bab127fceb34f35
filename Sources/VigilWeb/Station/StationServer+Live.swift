import Foundation
import Hummingbird
import HummingbirdWebSocket
import ServiceLifecycle
import VigilCore

/// `/live` at the station: the board at once, then again within 100 ms of every change and
/// every second regardless (a page that hears nothing for 5 s says it is not live).
extension StationServer {
    func addLiveRoute(to router: Router<WebContext>) {
        router.ws("/live") { request, context in
            guard context.staff != nil else {
                await self.auditAnonymous("live", "not logged in", from: context.remoteAddress)
                throw WebRefusal(.unauthorized, "log in first: no session, or it has expired")
            }
            guard Self.isSameOrigin(request) else { throw WebRefusal(.forbidden, "/live is for this server's own pages") }
            guard request.headers[.upgrade]?.lowercased() == "websocket", request.headers[.secWebSocketKey] != nil else {
                throw WebRefusal(.upgradeRequired, "/live is a WebSocket: open it with a WebSocket client")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let staff = context.requestContext.staff, staff.role.may(.respondToAlarm) else { return }
            let (id, messages, dropped) = self.hub.join()
            defer { self.hub.leave(id) }
            try await outbound.write(.text(await self.station.snapshot().json))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await message in messages {
                        guard staff.isToken || self.sessions.session(id: staff.id) != nil else { return }
                        try await outbound.write(.text(message))
                    }
                }
                group.addTask { for try await _ in inbound {} }
                group.addTask { for await _ in dropped {} }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Sends the board on every change (at most every 100 ms) and every second, until cancelled.
    func feed() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in self.station.changes { self.hub.markChanged() }
            }
            group.addTask {
                var last = ContinuousClock.now
                while !Task.isCancelled {
                    let now = ContinuousClock.now
                    if self.hub.takeChange() || now - last >= .seconds(1) {
                        last = now
                        if self.hub.clientCount > 0 { self.hub.broadcast(await self.station.snapshot().json) }
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}

/// The station's feed as a service beside its HTTP server.
struct StationFeed<C: VigilClock>: Service {
    let server: StationServer<C>

    func run() async throws {
        await cancelWhenGracefulShutdown { await server.feed() }
    }
}
