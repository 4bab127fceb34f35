import Testing
import VigilAgent
import VigilCore

/// The `http:` section: a PIN is only ever a bcrypt hash, each login names a staff role, and a
/// mistake names its file, line and key.
@Suite("The pages' settings in vigil.yaml")
struct HTTPSettingsTests {
    static let hash = "$2b$12$VnGXVFU9BPjpVnkdOsd0uu9Gu5NJ/VNn5R6EvTPHABpR2v9FvekVa"

    func parse(_ http: String) throws -> VigilConfig {
        try VigilConfig.parse(yaml: "site: north\nroom: room-2\nhttp:\n" + http, file: "vigil.yaml")
    }

    @Test("Logins by role with bcrypt hashes, a port and a lifetime are read as given")
    func reads() throws {
        let config = try parse("  port: 8443\n  session_lifetime: 8h\n  logins:\n    - { role: nurse, pin: \"\(Self.hash)\" }\n    - { role: provider, token: \"\(Self.hash)\" }\n")
        #expect(config.http?.port == 8443)
        #expect(config.http?.sessionLifetime == .seconds(8 * 3600))
        #expect(config.http?.logins.map(\.role) == [.nurse, .provider])
        #expect(config.http?.logins.map(\.kind) == [.pin, .token])
    }

    @Test("A PIN written in clear, a role that does not log in, and a login with both pin and token are each refused at their line")
    func refuses() {
        let yaml = "  logins:\n    - { role: nurse, pin: \"2580\" }\n    - { role: station, pin: \"\(Self.hash)\" }\n    - { role: doula, pin: \"\(Self.hash)\", token: \"\(Self.hash)\" }\n"
        #expect {
            try parse(yaml)
        } throws: { error in
            let text = "\(error)"
            return text.contains("vigil.yaml:5: http.logins[0].pin: is not a bcrypt hash; a PIN is never kept in the config")
                && text.contains("vigil.yaml:6: http.logins[1].role: \"station\" is not one of nurse, doula, provider")
                && text.contains("vigil.yaml:7: http.logins[2]: needs exactly one of pin or token")
        }
    }

    @Test("--http takes ADDRESS:PORT, IPv6 in brackets too")
    func address() {
        #expect(HTTPSettings.parse(address: "0.0.0.0:8443")! == ("0.0.0.0", 8443))
        #expect(HTTPSettings.parse(address: "[::1]:8080")! == ("::1", 8080))
        #expect(HTTPSettings.parse(address: "8080") == nil)
        #expect(HTTPSettings.parse(address: "host:99999") == nil)
    }
}
