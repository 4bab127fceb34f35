import VigilCore
import VigilPages

/// A server the staff log in to: the room's pages (``WebServer``) and the clinic's station
/// share one login, one throttle and one set of access rules; each keeps its own audit.
protocol StaffGate: Sendable {
    var sessions: StaffSessions { get }
    var directory: StaffDirectory { get }
    var guardian: LoginGuard { get }
    /// Cookies are `Secure` only over TLS.
    var isTLS: Bool { get }
    /// Records what a person did (a login).
    func audit(_ action: String, role: Role, detail: String) async
    /// Records a refusal; `who` is a role's name, or `anonymous`.
    func auditRefusal(_ verb: String, by who: String, reason: String) async
    /// Who a page is drawn for: the header's name and pages.
    func viewer(for staff: StaffSession) -> Viewer
}
