import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import VigilAgent
import VigilCore
import VigilPages
import VigilStation

/// The clinic station's pages and API (`vigil station`): the board of every room, a nurse's
/// acknowledgement of one alarm sent to its room, the station's own alarms, and the sessions
/// every room reported. The same logins, throttle and access rules as a room's pages
/// (``StaffGate``); the station's audit is its log (the journal under systemd).
public final class StationServer<C: VigilClock>: Sendable, StaffGate {
    public let settings: HTTPSettings
    let station: ClinicStation<C>
    let sessions: StaffSessions
    let directory: StaffDirectory
    let guardian = LoginGuard()
    let hub = LiveHub()
    let title: String
    let log: Logger

    public init(settings: HTTPSettings, station: ClinicStation<C>, site: String?, log: Logger = .vigil("station")) {
        self.settings = settings
        self.station = station
        self.log = log
        sessions = StaffSessions(lifetime: settings.sessionLifetime)
        directory = StaffDirectory(logins: settings.logins)
        title = "\(site ?? "every site") · station"
    }

    var isTLS: Bool { settings.certificate != nil }

    func audit(_ action: String, role: Role, detail: String) async {
        log.notice("station: \(action) by \(role.rawValue) (\(detail))")
    }

    func auditRefusal(_ verb: String, by who: String, reason: String) async {
        log.warning("station: refused \(verb) by \(who): \(reason)")
    }

    public func router() -> Router<WebContext> {
        let router = staffRouter()
        addBoardRoutes(to: router)
        addSessionRoutes(to: router)
        addLiveRoute(to: router)
        return router
    }

    /// Serves until cancelled; `onListening` gets the bound port.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let log = self.log
        let router = router()
        let app = Application(router: router, server: try WebReply.server(settings, router: router),
                              configuration: .init(address: .hostname(settings.address, port: settings.port), serverName: "Vigil station"),
                              services: [StationFeed(server: self)],
                              onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "vigil.web") { _ in WebLog(room: log) })
        try await app.run()
    }

    func viewer(for staff: StaffSession) -> Viewer {
        Viewer(role: staff.role, csrfToken: staff.csrfToken, room: title, atStation: true)
    }
}
