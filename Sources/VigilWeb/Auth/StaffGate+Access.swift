import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore

/// Who may reach a route, decided once per request: logged in, allowed by the clinic's role
/// table, and — for anything that changes the room — sent by our own pages (the login's CSRF
/// token, and no other site's `Origin`). Every refusal is audited with what is known of who
/// asked (a refusal of nobody in particular once a minute per address, with the count).
extension StaffGate {
    /// The logged-in person, if `action` (when given) is theirs to take. `verb` names the
    /// request in the audit log; `changes` marks a state-changing one, which must also carry
    /// the CSRF token (`X-CSRF-Token`, or the form's `csrf` field).
    func require(_ context: WebContext, _ request: Request, _ action: StaffAction?, _ verb: String,
                 changes: Bool = false, formToken: String? = nil) async throws -> StaffSession {
        guard let staff = context.staff else {
            await auditAnonymous(verb, "not logged in", from: context.remoteAddress)
            throw WebRefusal(.unauthorized, "log in first: no session, or it has expired")
        }
        if changes, !staff.isToken {
            let sent = request.headers[.csrfToken] ?? formToken ?? ""
            guard !sent.isEmpty, constantTimeEqual(sent, staff.csrfToken), Self.isSameOrigin(request) else {
                await auditRefusal(verb, by: staff.role.rawValue, reason: "missing or wrong CSRF token")
                throw WebRefusal(.forbidden, "the request lacks this login's CSRF token (reload the page)")
            }
        }
        if let action, !staff.role.may(action) {
            let denied = PermissionDenied(role: staff.role, action: action)
            await auditRefusal(verb, by: staff.role.rawValue, reason: "\(denied)")
            throw WebRefusal(.forbidden, "\(denied)")
        }
        return staff
    }

    /// Whether `/live` may be opened: a login, one of this server's own pages (SameSite does not
    /// tell ports apart: a page on another port of this host must not read the room), a WebSocket.
    func mayOpenLive(_ request: Request, _ context: WebContext, for action: StaffAction? = nil) async throws {
        guard let staff = context.staff else {
            await auditAnonymous("live", "not logged in", from: context.remoteAddress)
            throw WebRefusal(.unauthorized, "log in first: no session, or it has expired")
        }
        if let action, !staff.role.may(action) {
            throw WebRefusal(.forbidden, "\(PermissionDenied(role: staff.role, action: action))")
        }
        guard Self.isSameOrigin(request) else { throw WebRefusal(.forbidden, "/live is for this server's own pages") }
        guard request.headers[.upgrade]?.lowercased() == "websocket", request.headers[.secWebSocketKey] != nil else {
            throw WebRefusal(.upgradeRequired, "/live is a WebSocket: open it with a WebSocket client")
        }
    }

    /// The login page, and back to this address afterwards.
    static func toLogin(from request: Request) -> Response {
        let next = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
        return .redirect(to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"), type: .normal)
    }

    /// Audits a refusal of nobody in particular, at most once a minute per address (with the
    /// count left out since): a flood of them must not keep the room's database busy.
    func auditAnonymous(_ verb: String, _ reason: String, from address: String) async {
        let (write, leftOut) = guardian.shouldAudit(anonymous: address)
        guard write else { return }
        let more = leftOut > 0 ? " (and \(leftOut) more from \(address) in the last minute)" : ""
        await auditRefusal(verb, by: "anonymous", reason: reason + more)
    }

    /// A browser sends `Origin` with every POST and WebSocket: it must be this server, port and
    /// all (SameSite does not tell ports apart). A client that is not a browser may send none, or
    /// a `ws://` one without the port (it could forge any: it is judged by its login alone).
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let authority = request.head.authority else { return false }
        if origin == "http://\(authority)" || origin == "https://\(authority)" { return true }
        let host = hostOnly(authority)
        return ["ws://\(host)", "wss://\(host)", "ws://\(authority)", "wss://\(authority)"].contains(origin)
    }

    /// `host:port` without its port (`[::1]:8080` → `[::1]`).
    static func hostOnly(_ authority: String) -> String {
        if let close = authority.lastIndex(of: "]") { return String(authority[...close]) }
        if let colon = authority.lastIndex(of: ":") { return String(authority[..<colon]) }
        return authority
    }

    /// The API's POST bodies are JSON: a form another site posts cannot be (without a preflight
    /// this server never answers).
    static func requireJSON(_ request: Request) throws {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
            throw WebRefusal(.unsupportedMediaType, "send the body as application/json")
        }
    }

    /// The request's body as a JSON object; an empty body is an empty object.
    static func bodyObject(_ request: Request, _ context: WebContext) async throws -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw WebRefusal(.contentTooLarge, "the body is larger than \(context.maxUploadSize / 1024) KiB")
        }
        guard buffer.readableBytes > 0 else { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] else {
            throw WebRefusal(.badRequest, "the body must be one JSON object")
        }
        return object
    }
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}
