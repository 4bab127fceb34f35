import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore
@testable import VigilWeb

/// Logging in: a wrong PIN is 401 and audited; after five failures from one address even the
/// right PIN waits (429 with Retry-After); a page without a login sends the browser to log in.
@Suite("Logging in")
struct LoginTests {
    @Test("Five wrong nurse PINs from one device lock nurse logins there for five minutes, even with the right PIN and after a doula logs in; each is audited")
    func throttle() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            for _ in 0..<5 {
                let reply = try await client.post("/api/login", #"{"role":"nurse","pin":"0000"}"#)
                #expect(reply.status == 401 && reply.error == "wrong role or PIN")
            }
            _ = try await client.logIn(.doula)
            try await client.execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"role":"nurse","pin":"2580"}"#)) { r in
                #expect(r.status == .tooManyRequests)
                #expect(Int(r.headers[.retryAfter] ?? "") ?? 0 > 200, "\(r.headers)")
                #expect(String(buffer: r.body).contains("too many failed logins from this device"))
            }
        }
        let audit = try room.audit()
        #expect(audit.filter { $0.hasPrefix("anonymous refused web login: wrong role or PIN as nurse from ") }.count == 5, "\(audit)")
        #expect(audit.last?.hasPrefix("anonymous refused web login: too many failed logins as nurse") == true, "\(audit)")
    }

    @Test("Bodies no form encoder would make (a space, a stray %, a #, text/plain) are refused, and the server goes on")
    func garbledForms() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            for (body, type) in [("a b", "application/x-www-form-urlencoded"), ("role=%zz&pin=1", "application/x-www-form-urlencoded"),
                                 ("csrf=#&pin=\"1\"", "application/x-www-form-urlencoded"), ("role=nurse&pin=2580", "text/plain")] {
                for path in ["/login", "/logout"] {
                    let reply = try await client.post(path, body, headers: [.contentType: type])
                    #expect([400, 401, 403, 415].contains(reply.status), "\(path) \(body): \(reply.status)")
                }
            }
            try await client.execute(uri: "/login", method: .get) { #expect($0.status == .ok, "still serving") }
        }
    }

    @Test("The throttle forgets failures older than its window, and a success clears them")
    func throttleWindow() {
        var throttle = LoginThrottle(limit: 3, window: 60)
        let t0 = Date(timeIntervalSince1970: 1_000)
        for i in 0..<3 { throttle.failed("10.0.0.7", at: t0.addingTimeInterval(Double(i))) }
        #expect(throttle.wait(for: "10.0.0.7", at: t0.addingTimeInterval(3)) == 57)
        #expect(throttle.wait(for: "10.0.0.8", at: t0.addingTimeInterval(3)) == nil, "another device is not locked out")
        #expect(throttle.wait(for: "10.0.0.7", at: t0.addingTimeInterval(61)) == nil, "the first failure left the window")
        throttle.failed("10.0.0.9", at: t0)
        throttle.succeeded("10.0.0.9")
        throttle.failed("10.0.0.9", at: t0)
        throttle.failed("10.0.0.9", at: t0)
        #expect(throttle.wait(for: "10.0.0.9", at: t0) == nil)
        for _ in 0..<3 { #expect(throttle.attempt("10.0.0.10", at: t0) == nil) }
        #expect(throttle.attempt("10.0.0.10", at: t0) != nil, "each try counts from its start: three in flight use up the limit")
        #expect(LoginThrottle.key(address: "2001:db8:1:2:aaaa::1", role: "nurse") == LoginThrottle.key(address: "2001:db8:1:2:bbbb::9", role: "nurse"),
                "an IPv6 device is one /64")
        #expect(LoginThrottle.key(address: "fe80::a:b:c:d", role: "nurse") == LoginThrottle.key(address: "fe80::1:2:3:4", role: "nurse"),
                "a compressed address too")
        #expect(LoginThrottle.key(address: "2001:db8:1:2::1", role: "nurse") != LoginThrottle.key(address: "2001:db8:1:3::1", role: "nurse"))
    }

    @Test("After logging in, the browser goes only to a page of this server")
    func safeNext() {
        #expect(WebServer<ManualClock>.safeNext("/sessions?from=2026-12-01") == "/sessions?from=2026-12-01")
        for evil in ["//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example", "/\n/x", "", nil] {
            #expect(WebServer<ManualClock>.safeNext(evil) == "/", "\(String(describing: evil))")
        }
    }

    @Test("A page without a login redirects to the login page and back; the API answers 401; assets need no login")
    func pagesNeedLogin() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            for page in ["/", "/doula", "/sessions", "/sessions/S1"] {
                try await client.execute(uri: page, method: .get) { r in
                    #expect(r.status == .seeOther, "\(page)")
                    #expect(r.headers[.location]?.hasPrefix("/login?next=") == true, "\(page)")
                }
            }
            for api in ["/api/state", "/api/sessions", "/api/sessions/S1", "/live"] {
                try await client.execute(uri: api, method: .get) { #expect($0.status == .unauthorized, "\(api)") }
            }
            try await client.execute(uri: "/assets/vigil.css", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("Each role lands on its own page; a doula sent to the nurse's view is redirected to hers")
    func homes() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let doula = try await client.logIn(.doula)
            try await client.execute(uri: "/", method: .get, headers: doula.headers(csrf: false)) { r in
                #expect(r.status == .seeOther && r.headers[.location] == "/doula")
            }
            try await client.execute(uri: "/doula", method: .get, headers: doula.headers(csrf: false)) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("name=\"csrf-token\" content=\"\(doula.csrf)\""))
            }
            let provider = try await client.logIn(.provider)
            try await client.execute(uri: "/doula", method: .get, headers: provider.headers(csrf: false)) { r in
                #expect(r.status == .seeOther && r.headers[.location] == "/sessions")
            }
        }
    }

    @Test("Logging out ends the login at once")
    func logout() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let nurse = try await client.logIn(.nurse)
            #expect(try await client.post("/api/logout", headers: nurse.headers()).status == 200)
            try await client.execute(uri: "/api/state", method: .get, headers: nurse.headers()) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("A login lasts its lifetime and no longer")
    func expiry() {
        let now = ManualClock()
        let sessions = StaffSessions(lifetime: .seconds(3600), now: { now.wallNow })
        let (_, cookie) = sessions.open(role: .nurse)
        #expect(sessions.session(cookie: cookie)?.role == .nurse)
        now.advance(by: .seconds(3601))
        #expect(sessions.session(cookie: cookie) == nil)
    }
}
