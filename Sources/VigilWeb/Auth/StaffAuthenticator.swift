import HTTPTypes
import Hummingbird

/// Finds who is asking: the session cookie, or `Authorization: Bearer <token>` for a script.
/// It only identifies; each route decides what the role may do, so that every refusal is
/// answered and audited where its reason is known.
/// A bearer token is looked at only on the API and `/live`; each try counts against the address
/// from its start, as a PIN's does, and a right one gives it back.
struct StaffAuthenticator: RouterMiddleware {
    let sessions: StaffSessions
    let directory: StaffDirectory
    let guardian: LoginGuard

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let cookie = request.cookies[StaffSessions.cookieName]?.value {
            context.staff = sessions.session(cookie: cookie)
        }
        let path = request.uri.path
        if context.staff == nil, path.hasPrefix("/api/") || path == "/live",
           let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            let key = LoginThrottle.key(address: context.remoteAddress, role: "token")
            if guardian.attempt(key) == nil, let role = await directory.role(token: String(header.dropFirst(7))) {
                guardian.succeeded(key)
                context.staff = StaffSession(id: "token", role: role, csrfToken: "", expires: .distantFuture, isToken: true)
            }
        }
        return try await next(request, context)
    }
}

/// Headers on every response: the pages load nothing from elsewhere, are never framed, and
/// never leak their address (which may name a session) to another site (`same-origin`: with
/// `no-referrer` a browser sends `Origin: null` on a form post, and the logout form is refused).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = WebContext
    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}
