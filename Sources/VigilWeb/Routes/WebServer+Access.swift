import HTTPTypes
import Hummingbird
import VigilCore

/// Who may reach a route, decided once per request: logged in, allowed by the clinic's role
/// table, and — for anything that changes the room — carrying the login's anti-forgery token.
/// Every refusal of a state-changing request is audited with what is known of who asked.
extension WebServer {
    /// The logged-in person, if `action` (when given) is theirs to take. `changes` marks a
    /// state-changing request: it must also carry the CSRF token (`X-CSRF-Token`, or the
    /// form's `csrf` field).
    func require(_ context: WebContext, _ request: Request, _ action: StaffAction?, changes verb: String? = nil,
                 formToken: String? = nil) async throws -> StaffSession {
        guard let staff = context.staff else {
            if let verb { await agent.auditRefusal(verb, by: "anonymous", reason: "not logged in", source: "web") }
            throw WebRefusal(.unauthorized, "log in first: no session, or it has expired")
        }
        if let verb, !staff.isToken {
            let sent = request.headers[.csrfToken] ?? formToken ?? ""
            guard !sent.isEmpty, constantTimeEqual(sent, staff.csrfToken) else {
                await agent.auditRefusal(verb, by: staff.role.rawValue, reason: "missing or wrong CSRF token", source: "web")
                throw WebRefusal(.forbidden, "the request lacks this login's CSRF token (reload the page)")
            }
        }
        if let action, !staff.role.may(action) {
            let denied = PermissionDenied(role: staff.role, action: action)
            if let verb { await agent.auditRefusal(verb, by: staff.role.rawValue, reason: "\(denied)", source: "web") }
            throw WebRefusal(.forbidden, "\(denied)")
        }
        return staff
    }
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}
