import Logging
import ServiceLifecycle
import VigilAgent
import VigilCore
import VigilStore

/// The staff's pages as one of the room's services (`RoomParts.services`): served until the room
/// shuts down; a failure to serve them is said once and ends only them.
public struct StaffPagesService<C: VigilClock>: Service {
    let settings: HTTPSettings
    let agent: RoomAgent<C>
    let music: RoomMusic?
    let store: Store?
    let hub: LiveHub
    let metrics: RoomMetrics?
    let log: Logger
    let listening: @Sendable (String) -> Void

    public init(_ settings: HTTPSettings, agent: RoomAgent<C>, music: RoomMusic?, store: Store?, hub: LiveHub,
                metrics: RoomMetrics? = nil, log: Logger = .vigil("web"), listening: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.agent = agent
        self.music = music
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.log = log
        self.listening = listening
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            await WebRunner.serve(settings, agent: agent, music: music, store: store, hub: hub, identity: agent.identity,
                                  metrics: metrics, log: log, listening: listening)
        }
    }
}
