import Foundation
import Hummingbird
import HummingbirdWebSocket
import VigilAgent
import VigilCore

/// `/live`: a WebSocket per open page. It gets the room's state with the ten-minute trend at
/// once, then each reading as it comes and the state every second (at once after an alarm or
/// session event). The page answers nothing; a page that falls behind is dropped by the hub,
/// and one whose login ends is closed.
extension WebServer {
    /// How often the state goes out when nothing happens; a page that hears nothing for 5 s says it is stale.
    static var stateInterval: Duration { .seconds(1) }

    func addLiveRoute(to router: Router<WebContext>) {
        router.ws("/live") { request, context in
            try await self.mayOpenLive(request, context)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let staff = context.requestContext.staff else { return }
            let (id, messages, dropped) = self.hub.join()
            defer { self.hub.leave(id) }
            try await outbound.write(.text(await self.stateMessage(withTrend: true)))
            // Whichever ends first ends the page: its login ending, the page closing, or the hub
            // dropping it (a write to a page that stopped reading may hang; cancelling it and
            // returning closes the socket).
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

    /// The room's state as the pages read it.
    func stateMessage(withTrend: Bool) async -> String {
        let room = await agent.liveState()
        return LiveMessage.state(room, vitals: hub.latest, music: control.music?.player.status,
                                 trend: withTrend ? hub.trend(until: room.time) : nil)
    }

    /// Sends the state every second, and within 100 ms of an event, until cancelled.
    func feedLive() async {
        var last = ContinuousClock.now
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if hub.takeChange() || now - last >= Self.stateInterval {
                last = now
                if hub.clientCount > 0 { hub.broadcast(await stateMessage(withTrend: false)) }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
