import HummingbirdBcrypt
import VigilAgent
import VigilCore

/// The PINs `vigil demo` prints so a newcomer can open every page. Only for the demo, which
/// listens on 127.0.0.1: a room's own PINs come from `http.logins`, as bcrypt hashes.
public enum DemoLogins {
    public static let pins: [(role: Role, pin: String)] = [(.nurse, "2580"), (.doula, "1470"), (.provider, "3690")]

    /// The demo's logins, hashed with a low cost (they are printed anyway).
    public static var logins: [HTTPSettings.Login] {
        pins.map { HTTPSettings.Login(role: $0.role, kind: .pin, hash: Bcrypt.hash($0.pin, cost: 6)) }
    }

    public static var summary: String { pins.map { "\($0.role.rawValue) \($0.pin)" }.joined(separator: ", ") }
}

/// `vigil hash-pin`: the bcrypt hash of a PIN or token, for `http.logins`.
public enum PINHash {
    /// Cost 12: about a quarter of a second per check, which is what makes guessing slow.
    public static func hash(_ secret: String, cost: UInt8 = 12) -> String { Bcrypt.hash(secret, cost: cost) }
}
