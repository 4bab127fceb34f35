import Foundation
import Hummingbird
import VigilAgent
import VigilCore
import VigilPages

/// Logging in and out: the login page's form (`/login`, `/logout`) and the API's
/// (`/api/login`, `/api/logout`). Failed logins are throttled per address and audited.
extension StaffGate {
    static var loginCookie: String { "vigil_login" }

    func addAuthRoutes(to router: Router<WebContext>) {
        router.get("/login") { request, context in
            self.loginPage(next: request.uri.queryParameters.get("next"), message: nil, status: .ok)
        }
        router.post("/login") { request, context in
            let form = try await Self.form(request, context)
            // The login form's own anti-forgery token: the cookie set with the form must come back with it.
            guard let sent = form["csrf"], let cookie = request.cookies[Self.loginCookie]?.value, constantTimeEqual(sent, cookie) else {
                await self.auditAnonymous("login", "missing or wrong CSRF token", from: context.remoteAddress)
                return self.loginPage(next: form["next"], message: "The form had expired: please log in again.", status: .forbidden)
            }
            switch await self.logIn(role: form["role"], pin: form["pin"], from: context.remoteAddress) {
            case .success(let cookie):
                var response = Response.redirect(to: Self.safeNext(form["next"]), type: .normal)
                response.setCookie(cookie)
                return response
            case .failure(let refusal):
                var page = self.loginPage(next: form["next"], message: refusal.reason, status: refusal.status)
                for field in refusal.headers { page.headers.append(field) }
                return page
            }
        }
        router.post("/logout") { request, context in
            let form = try await Self.form(request, context)
            let staff = try await self.require(context, request, nil, "logout", changes: true, formToken: form["csrf"])
            self.sessions.close(id: staff.id)
            var response = Response.redirect(to: "/login", type: .normal)
            response.setCookie(self.sessionCookie("", maxAge: 0))
            return response
        }
        router.post("/api/login") { request, context in
            try Self.requireJSON(request)
            let body = try await Self.bodyObject(request, context)
            switch await self.logIn(role: body["role"] as? String, pin: body["pin"] as? String, from: context.remoteAddress) {
            case .success(let cookie):
                guard let session = self.sessions.session(cookie: cookie.value) else { throw WebRefusal(.internalServerError, "login lost") }
                var response = WebReply.json(#"{"ok":true,"role":"\#(session.role.rawValue)","csrf_token":"\#(session.csrfToken)","expires_in_s":\#(self.sessions.lifetimeSeconds)}"#)
                response.setCookie(cookie)
                return response
            case .failure(let refusal):
                throw refusal
            }
        }
        router.post("/api/logout") { request, context in
            try Self.requireJSON(request)
            let staff = try await self.require(context, request, nil, "logout", changes: true)
            self.sessions.close(id: staff.id)
            var response = WebReply.json(#"{"ok":true}"#)
            response.setCookie(self.sessionCookie("", maxAge: 0))
            return response
        }
    }

    /// Checks a role and PIN against the throttle and the directory; audits every failure.
    /// The audit's role is `anonymous` (nobody has logged in); the role tried is in the detail.
    func logIn(role name: String?, pin: String?, from address: String) async -> Result<Cookie, WebRefusal> {
        let role = name.flatMap(Role.init(rawValue:)).flatMap { HTTPSettings.staffRoles.contains($0) ? $0 : nil }
        let tried = role.map { " as \($0.rawValue)" } ?? ""
        let key = LoginThrottle.key(address: address, role: role?.rawValue ?? "-")
        if let wait = guardian.attempt(key) {
            await auditAnonymous("login", "too many failed logins\(tried) from \(address)", from: address)
            return .failure(WebRefusal(.tooManyRequests, "too many failed logins from this device: try again in \(Int(wait.rounded(.up))) s",
                                       headers: [.retryAfter: "\(Int(wait.rounded(.up)))"]))
        }
        guard let role, let pin, await directory.verify(pin: pin, role: role) else {
            await auditRefusal("login", by: "anonymous", reason: "wrong role or PIN\(tried) from \(address)")
            return .failure(WebRefusal(.unauthorized, "wrong role or PIN"))
        }
        guardian.succeeded(key)
        let (_, cookie) = sessions.open(role: role)
        await audit("login", role: role, detail: address)
        return .success(sessionCookie(cookie, maxAge: sessions.lifetimeSeconds))
    }

    func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: StaffSessions.cookieName, value: value, maxAge: maxAge, path: "/", secure: isTLS, httpOnly: true, sameSite: .strict)
    }

    func loginPage(next: String?, message: String?, status: HTTPResponse.Status) -> Response {
        let token = RandomToken.make()
        var response = WebReply.html(LoginPage.render(formToken: token, next: Self.safeNext(next), message: message,
                                                      noLogins: directory.isEmpty), status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, maxAge: 3600, path: "/login", secure: isTLS,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only a path on this server: a login link can never send a nurse to another site (no
    /// `//host`, no backslash, no tab or other control a browser would strip into one).
    static func safeNext(_ next: String?) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.?=&%")
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count <= 512,
              next.unicodeScalars.allSatisfy(allowed.contains) else { return "/" }
        return next
    }

    /// An `application/x-www-form-urlencoded` body, parsed by hand: any bytes a client sends
    /// (a space, a stray `%`, a `#`) are a 400, never a crash.
    static func form(_ request: Request, _ context: WebContext) async throws -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw WebRefusal(.unsupportedMediaType, "send the form as application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw WebRefusal(.contentTooLarge, "the form is larger than \(context.maxUploadSize / 1024) KiB")
        }
        var out: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) throws -> String {
                guard let text = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw WebRefusal(.badRequest, "the form is not URL-encoded")
                }
                return text
            }
            out[try decode(parts[0])] = parts.count > 1 ? try decode(parts[1]) : ""
        }
        return out
    }
}
