import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization
import VigilAgent
import VigilCore

/// Who may log in, from `http.logins`: PINs and tokens as bcrypt hashes only. bcrypt is slow
/// on purpose (about a quarter of a second at cost 12), so every check runs on a thread of its
/// own, one at a time — never on the threads that carry the room's readings and alarms. A
/// token a script sends on every request is checked once, then remembered by its SHA-256; a
/// wrong one is remembered too, so repeating it costs nothing.
public final class StaffDirectory: Sendable {
    let logins: [HTTPSettings.Login]
    private let knownTokens = Mutex<[String: Role?]>([:])
    private let pool: NIOThreadPool

    public init(logins: [HTTPSettings.Login]) {
        self.logins = logins
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    public var isEmpty: Bool { logins.isEmpty }

    /// Whether `pin` is a PIN of `role`. A role with no logins still costs one bcrypt, so the
    /// answer's time does not tell which roles exist.
    public func verify(pin: String, role: Role) async -> Bool {
        guard !pin.isEmpty, pin.utf8.count <= 72 else { return false }
        let hashes = logins.filter { $0.role == role && $0.kind == .pin }.map(\.hash)
        return (try? await pool.runIfActive {
            guard !hashes.isEmpty else { _ = Bcrypt.verify(pin, hash: Self.decoy); return false }
            return hashes.contains { Bcrypt.verify(pin, hash: $0) }
        }) ?? false
    }

    /// The role a bearer token belongs to.
    public func role(token: String) async -> Role? {
        guard token.utf8.count >= 16, token.utf8.count <= 72 else { return nil }
        let digest = Data(SHA256.hash(data: Data(token.utf8))).base64URL
        if let known = knownTokens.withLock({ $0[digest] }) { return known }
        let tokens = logins.filter { $0.kind == .token }
        let role = (try? await pool.runIfActive { tokens.first { Bcrypt.verify(token, hash: $0.hash) }?.role }) ?? nil
        knownTokens.withLock { cache in
            if cache.count > 1_000 { cache = cache.filter { $0.value != nil } }
            cache[digest] = .some(role)
        }
        return role
    }

    /// A hash no PIN matches, checked when a role has none so that its answer takes as long.
    static let decoy = "$2b$12$YrEuIvdJQmJ06AHjaPuFc.Venm.QJMUxfbiha/73.KMzNZqlXiz/K"
}
