import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore
import VigilWeb

/// Bad input through the API: a clear JSON error with the reason, the status that says what
/// kind of refusal it is, and nothing changed.
@Suite("Bad input to the web API")
struct BadInputTests {
    @Test("Dose before start is 409, a malformed body 400, an unknown alarm 404, a too-long note 400, end twice 409")
    func refusedCommands() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let nurse = try await client.logIn(.nurse)
            let h = nurse.headers()
            let dose = try await client.post("/api/session/dose", headers: h)
            #expect(dose.status == 409 && dose.error == "no session is running", "\(dose)")
            let garbled = try await client.post("/api/session/start", "{not json", headers: h)
            #expect(garbled.status == 400 && garbled.error == "the body must be one JSON object", "\(garbled)")
            let unknown = try await client.post("/api/session/start", #"{"colour":"red"}"#, headers: h)
            #expect(unknown.status == 400 && unknown.error == "unknown field \"colour\"", "\(unknown)")
            #expect(try await client.post("/api/session/start", headers: h).status == 200)
            let alarm = try await client.post("/api/alarms/no-such-alarm/ack", headers: h)
            #expect(alarm.status == 404 && alarm.error == "no active alarm has the id no-such-alarm", "\(alarm)")
            let long = String(repeating: "a", count: 2_001)
            let note = try await client.post("/api/session/note", #"{"text":"\#(long)"}"#, headers: h)
            #expect(note.status == 400 && note.error == "a note may have at most 2000 characters", "\(note)")
            let name = try await client.post("/api/session/booster", headers: h)
            #expect(name.status == 409 && name.error == "no dose has been marked yet", "\(name)")
            #expect(try await client.post("/api/session/end", headers: h).status == 200)
            let twice = try await client.post("/api/session/end", headers: h)
            #expect(twice.status == 409, "\(twice)")
            let verb = try await client.post("/api/session/explode", headers: h)
            #expect(verb.status == 404 && verb.error?.contains("known: start, dose") == true, "\(verb)")
            let music = try await client.post("/api/music/play", headers: h)
            #expect(music.status == 503 && music.error == "this room has no music (no sound device or no playlist)", "\(music)")
        }
        let events = try room.store.sessions()
        #expect(events.count == 1, "one session, started once and ended once")
        #expect(try room.store.sessionEvents(session: events[0].id).filter { $0.kind == .note }.isEmpty, "the long note was not kept")
    }

    @Test("A download of a session that does not exist is 404; an unknown format 400; a bad date in the list 400")
    func review() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let provider = try await client.logIn(.provider)
            var h = HTTPFields()
            h[.cookie] = "vigil_session=\(provider.cookie)"
            try await client.execute(uri: "/api/sessions/S-none/export?format=fhir", method: .get, headers: h) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == #"{"ok":false,"error":"no session S-none"}"#)
            }
            try await client.execute(uri: "/api/sessions/S-none/export?format=pdf", method: .get, headers: h) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/sessions?from=yesterday", method: .get, headers: h) {
                #expect($0.status == .badRequest, "\(String(buffer: $0.body))")
            }
        }
    }
}

/// What the OpenAPI run found at the edges of the API.
@Suite("The API's edges")
struct EdgeTests {
    @Test("An address nobody serves is a JSON 404; a plain GET of /live asks for a WebSocket; an id in the path is decoded")
    func edges() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let nurse = try await client.logIn(.nurse)
            try await client.execute(uri: "/api/nope", method: .get, headers: nurse.headers(csrf: false)) { r in
                #expect(r.status == .notFound)
                #expect(String(buffer: r.body) == #"{"ok":false,"error":"nothing here: GET /api/nope"}"#)
            }
            try await client.execute(uri: "/live", method: .get, headers: nurse.headers(csrf: false)) { r in
                #expect(r.status == .upgradeRequired, "\(String(buffer: r.body))")
            }
            let spaced = try await client.post("/api/alarms/A%201/ack", headers: nurse.headers())
            #expect(spaced.error == "no active alarm has the id A 1", "\(spaced)")
        }
    }

    @Test("A note of only a newline is refused")
    func lookalikes() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            let nurse = try await client.logIn(.nurse)
            #expect(try await client.post("/api/session/start", headers: nurse.headers()).status == 200)
            let note = try await client.post("/api/session/note", #"{"text":"\n"}"#, headers: nurse.headers())
            #expect(note.status == 400 && note.error == "text must be a non-empty string", "\(note)")
            let nul = try await client.post("/api/session/note", #"{"text":"nul\u0000 byte"}"#, headers: nurse.headers())
            #expect(nul.status == 400 && nul.error == "text may not contain control characters", "a NUL would cut the stored note short: \(nul)")
        }
    }
}
