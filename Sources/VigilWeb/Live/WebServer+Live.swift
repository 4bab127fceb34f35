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
            try await self.servePage(self.hub, staff: staff, first: await self.stateMessage(withTrend: true),
                                     inbound: inbound, outbound: outbound)
        }
    }

    /// The room's state as the pages read it.
    func stateMessage(withTrend: Bool) async -> String {
        let room = await agent.liveState()
        return LiveMessage.state(room, vitals: hub.latest, music: control.music?.player.status,
                                 trend: withTrend ? hub.trend(until: room.time) : nil)
    }

    /// Sends the state every second, and at once after an event, until cancelled. The event
    /// wakes it (no polling loop: the page hears an alarm in a few milliseconds, and an idle
    /// room wakes once a second for its pages).
    func feedLive() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [hub] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.stateInterval)
                    hub.markChanged()
                }
            }
            for await _ in hub.changes {
                if hub.clientCount > 0 { hub.broadcast(await stateMessage(withTrend: false)) }
            }
            group.cancelAll()
        }
    }
}
