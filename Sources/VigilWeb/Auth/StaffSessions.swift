import Crypto
import Foundation
import Synchronization
import VigilCore

/// The logins in force. A session cookie is `id.expiry.signature`, the signature an HMAC-SHA256
/// of the rest under a key made at start: a cookie that was not issued here, or whose expiry was
/// edited, is refused before any lookup. The session itself stays on the server, so logging out
/// ends it at once; a restart of the agent logs everyone out (its key and sessions are gone).
public final class StaffSessions: Sendable {
    public static let cookieName = "vigil_session"
    private let key = SymmetricKey(size: .bits256)
    private let lifetime: Duration
    private let now: @Sendable () -> Date
    private let sessions = Mutex<[String: StaffSession]>([:])

    public init(lifetime: Duration, now: @escaping @Sendable () -> Date = Date.init) {
        self.lifetime = lifetime
        self.now = now
    }

    /// A new login for `role`, and the cookie value that carries it.
    public func open(role: Role) -> (session: StaffSession, cookie: String) {
        let expires = now().addingTimeInterval(lifetime.seconds)
        let session = StaffSession(id: RandomToken.make(), role: role, csrfToken: RandomToken.make(), expires: expires)
        sessions.withLock { all in
            let current = now()
            all = all.filter { $0.value.expires > current }
            all[session.id] = session
        }
        let payload = "\(session.id).\(Int(expires.timeIntervalSince1970))"
        return (session, payload + "." + sign(payload))
    }

    /// The session a cookie carries, if it is ours, unexpired and not logged out.
    public func session(cookie: String) -> StaffSession? {
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let payload = "\(parts[0]).\(parts[1])"
        guard constantTimeEqual(sign(payload), String(parts[2])),
              let expiry = Double(parts[1]), Date(timeIntervalSince1970: expiry) > now() else { return nil }
        return session(id: String(parts[0]))
    }

    /// The session with this id, while it lasts.
    public func session(id: String) -> StaffSession? {
        sessions.withLock { all in
            guard let s = all[id] else { return nil }
            guard s.expires > now() else { all[id] = nil; return nil }
            return s
        }
    }

    public func close(id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    public var lifetimeSeconds: Int { Int(lifetime.seconds) }

    private func sign(_ payload: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)).base64URL
    }
}

/// Compares two secrets in time that does not depend on where they first differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}
