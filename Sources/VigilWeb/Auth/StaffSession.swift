import Foundation
import VigilCore

/// A person logged in to the pages: their role, the anti-forgery token their forms and API
/// calls must carry, and when the login ends. A script with a token gets one per request and
/// needs no anti-forgery token (it sends no cookie a forged page could ride on).
public struct StaffSession: Sendable, Hashable {
    public var id: String
    public var role: Role
    public var csrfToken: String
    public var expires: Date
    /// Logged in with a bearer token rather than a cookie.
    public var isToken: Bool

    public init(id: String, role: Role, csrfToken: String, expires: Date, isToken: Bool = false) {
        self.id = id
        self.role = role
        self.csrfToken = csrfToken
        self.expires = expires
        self.isToken = isToken
    }
}

/// Random text for ids and tokens: 32 bytes from the system's secure generator, base64url.
enum RandomToken {
    static func make(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return data.base64URL
    }
}

extension Data {
    /// Base64 without padding, with `-` and `_`: safe in a cookie and a URL.
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
