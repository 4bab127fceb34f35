import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore
@testable import VigilWeb

/// Every state-changing route refuses a request without a login, from a role the clinic's table
/// does not allow, or without the login's CSRF token — changes nothing, answers a clear JSON
/// error with 401/403, and leaves the refusal in the audit log.
@Suite("The web API's refusals")
struct RefusalTests {
    static let changingRoutes = [
        "/api/session/start", "/api/session/dose", "/api/session/booster", "/api/session/note", "/api/session/end",
        "/api/alarms/A1/ack", "/api/alarms/A1/pause", "/api/music/play", "/api/music/pause", "/api/music/volume", "/api/logout",
    ]

    @Test("Without a login every state-changing route answers 401; the refusal is audited as anonymous, once a minute per address")
    func noLogin() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            for route in Self.changingRoutes + ["/api/session/explode", "/api/music/louder"] {
                let reply = try await client.post(route)
                #expect(reply.status == 401, "\(route): an unknown command is not told apart before a login")
                #expect(reply.error?.contains("log in") == true, "\(route): \(reply.error ?? "-")")
            }
        }
        let audit = try room.audit()
        #expect(audit == ["anonymous refused web session.start: not logged in"],
                "a flood of anonymous refusals writes one row a minute, not one each: \(audit)")
        #expect(await room.agent.sessionID == nil, "nothing changed")
    }

    @Test("Anonymous refusals from one address: the first is written, the next minute's are counted into the one after")
    func anonymousDamping() {
        let guardian = LoginGuard()
        let t0 = Date(timeIntervalSince1970: 1_000)
        func audit(_ address: String, _ after: TimeInterval) -> String {
            let r = guardian.shouldAudit(anonymous: address, at: t0.addingTimeInterval(after))
            return "\(r.write) \(r.leftOut)"
        }
        #expect(audit("10.0.0.7", 0) == "true 0")
        #expect(audit("10.0.0.7", 1) == "false 0")
        #expect(audit("10.0.0.7", 2) == "false 0")
        #expect(audit("10.0.0.8", 2) == "true 0", "another address is its own")
        #expect(audit("10.0.0.7", 61) == "true 2")
    }

    @Test("A state-changing request from another site's page (its Origin), or not sent as JSON, is refused")
    func crossSite() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let nurse = try await client.logIn(.nurse)
            var headers = nurse.headers()
            headers[.origin] = "http://evil.example"
            let forged = try await client.post("/api/session/start", headers: headers)
            #expect(forged.status == 403, "\(forged)")
            var form = nurse.headers()
            form[.contentType] = "text/plain"
            let plain = try await client.post("/api/session/start", headers: form)
            #expect(plain.status == 415 && plain.error == "send the body as application/json", "\(plain)")
            let login = try await client.post("/api/login", #"{"role":"nurse","pin":"2580"}"#, headers: [.contentType: "text/plain"])
            #expect(login.status == 415, "a cross-site form cannot log a device in or lock it out")
        }
        #expect(await room.agent.sessionID == nil)
    }

    @Test("A login without the CSRF token, or with another's, is refused with 403 on every state-changing route")
    func csrf() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let nurse = try await client.logIn(.nurse)
            let other = try await client.logIn(.nurse)
            for route in Self.changingRoutes {
                let missing = try await client.post(route, headers: nurse.headers(csrf: false))
                let wrong = try await client.post(route, headers: nurse.headers(token: other.csrf))
                #expect(missing.status == 403 && wrong.status == 403, "\(route): \(missing) \(wrong)")
                #expect(missing.error?.contains("CSRF") == true, "\(route)")
            }
        }
        let refusals = try room.audit().filter { $0.contains(" refused ") }
        #expect(refusals.count == 2 * Self.changingRoutes.count, "\(refusals)")
        #expect(refusals.allSatisfy { $0.hasPrefix("nurse refused web ") && $0.hasSuffix("missing or wrong CSRF token") })
        #expect(await room.agent.sessionID == nil)
    }

    @Test("A doula may not acknowledge or pause an alarm, a provider may not run the session or the music: 403, audited with the role")
    func wrongRole() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let doula = try await client.logIn(.doula)
            let provider = try await client.logIn(.provider)
            try await client.execute(uri: "/api/sessions", method: .get, headers: doula.headers(csrf: false)) {
                #expect($0.status == .forbidden, "a doula does not review")
            }
            let cases: [(Login, String, String)] = [
                (doula, "/api/alarms/A1/ack", "a doula may not respond to alarms"),
                (doula, "/api/alarms/A1/pause", "a doula may not respond to alarms"),
                (provider, "/api/session/start", "a provider may not run the session"),
                (provider, "/api/session/dose", "a provider may not run the session"),
                (provider, "/api/music/play", "a provider may not control the music"),
            ]
            for (login, route, reason) in cases {
                let reply = try await client.post(route, headers: login.headers())
                #expect(reply.status == 403, "\(route)")
                #expect(reply.error == reason, "\(route): \(reply.error ?? "-")")
            }
        }
        let refusals = try room.audit().filter { $0.contains(" refused ") }
        #expect(refusals == [
            "doula refused web sessions: a doula may not review sessions",
            "doula refused web session.ack: a doula may not respond to alarms",
            "doula refused web session.pause: a doula may not respond to alarms",
            "provider refused web session.start: a provider may not run the session",
            "provider refused web session.dose: a provider may not run the session",
            "provider refused web music.play: a provider may not control the music",
        ])
    }

    @Test("A doula starts and doses through the API: the commands are audited with her role and source web")
    func allowedCommand() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let doula = try await client.logIn(.doula)
            #expect(try await client.post("/api/session/start", #"{"patient_reference":"P-0042"}"#, headers: doula.headers()).status == 200)
            #expect(try await client.post("/api/session/dose", headers: doula.headers()).status == 200)
        }
        #expect(await room.agent.phase == .onset)
        let audit = try room.audit()
        #expect(audit.contains("doula session.start web patient reference P-0042"), "\(audit)")
        #expect(audit.contains("doula dose web -"), "\(audit)")
    }

    @Test("A body cannot name its own role: the role is the login's")
    func roleFromLogin() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let doula = try await client.logIn(.doula)
            let reply = try await client.post("/api/session/start", #"{"role":"nurse"}"#, headers: doula.headers())
            #expect(reply.status == 400)
            #expect(reply.error == "the role comes from your login, not the request")
        }
        #expect(await room.agent.sessionID == nil)
    }

    @Test("A cookie whose expiry was edited, or that this server never issued, is no login")
    func forgedCookie() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let nurse = try await client.logIn(.nurse)
            let parts = nurse.cookie.split(separator: ".").map(String.init)
            let later = "\(parts[0]).\(Int(parts[1])! + 86_400).\(parts[2])"
            for cookie in [later, "abc.9999999999.def", nurse.cookie + "x"] {
                var headers = Login(cookie: cookie, csrf: nurse.csrf).headers()
                headers[.accept] = "application/json"
                #expect(try await client.post("/api/session/start", headers: headers).status == 401, "\(cookie)")
            }
            #expect(try await client.post("/api/session/start", headers: nurse.headers()).status == 200, "the real one still works")
        }
    }

    @Test("A provider is refused every command route, a doula every alarm route, each with 403 and an audit row")
    func wrongRoleEverywhere() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let doula = try await client.logIn(.doula)
            let provider = try await client.logIn(.provider)
            for route in Self.changingRoutes where route != "/api/logout" {
                #expect(try await client.post(route, headers: provider.headers()).status == 403, "provider \(route)")
            }
            for route in Self.changingRoutes where route.hasPrefix("/api/alarms/") {
                #expect(try await client.post(route, headers: doula.headers()).status == 403, "doula \(route)")
            }
        }
        let refusals = try room.audit().filter { $0.contains(" refused ") }
        #expect(refusals.count == Self.changingRoutes.count - 1 + 2, "\(refusals)")
        #expect(await room.agent.sessionID == nil)
    }

    @Test("A script with the provider's token reads the session list without a cookie or CSRF token, and may not dose")
    func bearerToken() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(WebRoom.providerToken)"
            try await client.execute(uri: "/api/sessions", method: .get, headers: headers) { #expect($0.status == .ok) }
            #expect(try await client.post("/api/session/dose", headers: headers).status == 403)
            headers[.authorization] = "Bearer not-the-token-0123456789"
            try await client.execute(uri: "/api/sessions", method: .get, headers: headers) { #expect($0.status == .unauthorized) }
        }
    }
}
