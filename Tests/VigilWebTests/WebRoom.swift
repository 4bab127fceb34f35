import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import NIOCore
import VigilAgent
import VigilCore
import VigilStore
import VigilWeb

/// A room with its pages, for the API tests: a real SQLite file, an agent on a hand-moved
/// clock, the demo's three PINs and a provider's token.
struct WebRoom {
    static let pins: [Role: String] = [.nurse: "2580", .doula: "1470", .provider: "3690"]
    static let providerToken = "tok-provider-0123456789abcdef"

    let folder: URL
    let store: Store
    let clock = ManualClock()
    let agent: RoomAgent<ManualClock>
    let hub = LiveHub()
    let server: WebServer<ManualClock>

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
        let hub = self.hub
        agent = RoomAgent(clock: clock, profile: .clinicDefault, store: store, output: { hub.receive($0) })
        var logins = Self.pins.map { HTTPSettings.Login(role: $0.key, kind: .pin, hash: Bcrypt.hash($0.value, cost: 4)) }
        logins.append(HTTPSettings.Login(role: .provider, kind: .token, hash: Bcrypt.hash(Self.providerToken, cost: 4)))
        server = WebServer(settings: HTTPSettings(port: 0, logins: logins), control: RoomControl(agent: agent, music: nil, source: "web"),
                           store: store, hub: hub, identity: RoomIdentity(site: "north", room: "room-2"))
    }

    /// The audit log as `role action source detail` lines.
    func audit() throws -> [String] {
        try store.auditLog().map { "\($0.role) \($0.action) \($0.source) \($0.detail ?? "-")" }
    }
}

/// A logged-in person's cookie and CSRF token.
struct Login {
    var cookie: String
    var csrf: String

    /// Headers for a state-changing request: the cookie, and the CSRF token unless left out.
    func headers(csrf sendToken: Bool = true, token override: String? = nil) -> HTTPFields {
        var h = HTTPFields()
        h[.cookie] = "vigil_session=\(cookie)"
        if sendToken { h[HTTPField.Name("X-CSRF-Token")!] = override ?? csrf }
        return h
    }
}

extension TestClientProtocol {
    /// Logs in through the API; fails the test if that does not work.
    func logIn(_ role: Role, pin: String? = nil) async throws -> Login {
        let body = #"{"role":"\#(role.rawValue)","pin":"\#(pin ?? WebRoom.pins[role]!)"}"#
        return try await execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: body)) { response in
            guard response.status == .ok, let setCookie = response.headers[.setCookie],
                  let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last,
                  let json = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any],
                  let csrf = json["csrf_token"] as? String else {
                throw LoginFailed(status: response.status.code, body: String(buffer: response.body))
            }
            return Login(cookie: String(value), csrf: csrf)
        }
    }

    /// POSTs a JSON body; returns the status and the body's `error`, if any.
    func post(_ uri: String, _ body: String = "", headers: HTTPFields = [:]) async throws -> (status: Int, error: String?) {
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let json = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return (response.status.code, json?["error"] as? String)
        }
    }
}

struct LoginFailed: Error, CustomStringConvertible {
    var status: Int
    var body: String
    var description: String { "login failed: \(status) \(body)" }
}

