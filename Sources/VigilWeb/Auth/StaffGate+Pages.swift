import Hummingbird
import HummingbirdWebSocket
import VigilCore
import VigilPages

/// What every staff server is made of: the same middleware and login routes, the same rule
/// for who sees a page, and the same life of a page on `/live`.
extension StaffGate {
    /// A router with the security headers, the JSON 404, the login's authenticator and the
    /// login routes; the server adds its own.
    func staffRouter() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeaders())
        router.add(middleware: NotFound())
        router.add(middleware: StaffAuthenticator(sessions: sessions, directory: directory, guardian: guardian))
        addAuthRoutes(to: router)
        return router
    }

    /// A page for those whose role may take `action`: the login page without a login, the
    /// role's own first page for a role this one is not for.
    func page(_ request: Request, _ context: WebContext, _ action: StaffAction,
              render: (Viewer) async throws -> String) async throws -> Response {
        guard let staff = context.staff, !staff.isToken else { return Self.toLogin(from: request) }
        let viewer = viewer(for: staff)
        guard staff.role.may(action) else {
            if let home = viewer.home, home != request.uri.path { return .redirect(to: home, type: .normal) }
            let refusal = "\(PermissionDenied(role: staff.role, action: action))"
            let message = viewer.home == nil
                ? "No page here is for a \(staff.role.rawValue) (\(refusal)): log out to sign in as another role." : refusal
            return WebReply.html(MessagePage.render(title: "403 Forbidden", message: message, viewer: viewer), status: .forbidden)
        }
        return WebReply.html(try await render(viewer))
    }

    /// One open page on `/live`: `first`, then each message of the hub, until whichever ends
    /// first — its login ending, the page closing, or the hub dropping it (a write to a page
    /// that stopped reading may hang; cancelling it and returning closes the socket).
    func servePage(_ hub: LiveHub, staff: StaffSession, first: String,
                   inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (id, messages, dropped) = hub.join()
        defer { hub.leave(id) }
        try await outbound.write(.text(first))
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
