import Crypto
import Foundation
import HummingbirdBcrypt
import Synchronization
import VigilAgent
import VigilCore

/// Who may log in, from `http.logins`: PINs and tokens as bcrypt hashes only. A token a script
/// sends on every request is checked with bcrypt once, then remembered by its SHA-256 (bcrypt
/// is slow on purpose; a request must not be).
public final class StaffDirectory: Sendable {
    let logins: [HTTPSettings.Login]
    private let knownTokens = Mutex<[String: Role]>([:])

    public init(logins: [HTTPSettings.Login]) {
        self.logins = logins
    }

    public var isEmpty: Bool { logins.isEmpty }

    /// Whether `pin` is a PIN of `role`.
    public func verify(pin: String, role: Role) -> Bool {
        guard !pin.isEmpty, pin.utf8.count <= 72 else { return false }
        return logins.contains { $0.role == role && $0.kind == .pin && Bcrypt.verify(pin, hash: $0.hash) }
    }

    /// The role a bearer token belongs to.
    public func role(token: String) -> Role? {
        guard token.utf8.count >= 16, token.utf8.count <= 72 else { return nil }
        let digest = Data(SHA256.hash(data: Data(token.utf8))).base64URL
        if let role = knownTokens.withLock({ $0[digest] }) { return role }
        guard let login = logins.first(where: { $0.kind == .token && Bcrypt.verify(token, hash: $0.hash) }) else { return nil }
        knownTokens.withLock { $0[digest] = login.role }
        return login.role
    }
}
