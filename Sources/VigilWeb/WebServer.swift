import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import Synchronization
import VigilAgent
import VigilCore
import VigilStore

/// The staff's pages and their JSON API, served by the room's agent itself: the nurse's live
/// view, the doula's controls, the provider's review. Every command goes through the room's
/// ``RoomControl`` (source `web`), exactly as the control socket's and the station's do.
public final class WebServer<C: VigilClock>: Sendable {
    public let settings: HTTPSettings
    let control: RoomControl<C>
    let store: Store?
    public let hub: LiveHub
    let sessions: StaffSessions
    let directory: StaffDirectory
    let reviewWork = ReviewWork()
    let guardian = LoginGuard()
    let roomName: String
    let log: Logger
    /// `GET /metrics` is served when the process counts (`RoomMetrics.bootstrap()`).
    let metrics: RoomMetrics?

    /// `control` must have been made with source `web`; `hub` must be the one the agent feeds.
    public init(settings: HTTPSettings, control: RoomControl<C>, store: Store?, hub: LiveHub, identity: RoomIdentity,
                metrics: RoomMetrics? = nil, log: Logger = .vigil("web")) {
        self.log = log
        self.metrics = metrics
        self.settings = settings
        self.control = control
        self.store = store
        self.hub = hub
        sessions = StaffSessions(lifetime: settings.sessionLifetime)
        directory = StaffDirectory(logins: settings.logins)
        roomName = "\(identity.site)/\(identity.room)"
    }

    var agent: RoomAgent<C> { control.agent }
    var isTLS: Bool { settings.certificate != nil }

    /// Every route: pages, assets, the API and `/live`.
    public func router() -> Router<WebContext> {
        let router = staffRouter()
        addPageRoutes(to: router)
        addCommandRoutes(to: router)
        addReviewRoutes(to: router)
        addLiveRoute(to: router)
        addHealthRoute(to: router)
        return router
    }

    /// The server with its live feed as a service beside it, ready to run; `onListening` gets the
    /// port it bound (for `port: 0`).
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> Application<RouterResponder<WebContext>> {
        let log = self.log
        let logger = Logger(label: "vigil.web") { _ in WebLog(room: log) }
        let router = router()
        return Application(router: router, server: try WebReply.server(settings, router: router),
                           configuration: .init(address: .hostname(settings.address, port: settings.port), serverName: "Vigil"),
                           services: [LiveFeed(server: self)],
                           onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    /// Runs the server and its live feed until cancelled.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).run()
    }
}
