import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Testing
import VigilTestSupport

/// The clinic's station end to end: three real rooms on simulated oximeters, the deployed ACL,
/// one `vigil station`, and a nurse at its API.
@Suite("The clinic station, end to end", .serialized)
struct StationEndToEndTests {
    /// A simulator ends with its scenario: each holds its last values for an hour.
    static let steady = "0,spo2,97\n0,pulse_rate,72\n3600,spo2,97\n"
    /// SpO2 97, then from 20 s a desaturation to 80 % that lasts.
    static let desaturating = "0,spo2,97\n0,pulse_rate,72\n20,spo2,80\n3600,spo2,80\n"

    @Test("Room 2 desaturates: its tile shows the high alarm within 2 s; a nurse acknowledges it at the station and room 2's own record says nurse over mqtt; room 2 killed is a station alarm; restarted, its re-sent outbox is kept once")
    func aClinicMorning() async throws {
        let clinic = try StationClinic(rooms: ["room-1", "room-2", "room-3"])
        defer { clinic.stopAll() }
        let observer = try await Station(port: clinic.broker.port, filter: "vigil/north/+/#", login: ("station", "pw-station"))
        _ = try await clinic.startStation()
        var agents: [String: RunningVigil] = [:]
        for room in ["room-1", "room-2", "room-3"] {
            agents[room] = try clinic.startRoom(room, scenario: room == "room-2" ? Self.desaturating : Self.steady)
        }
        for (room, agent) in agents {
            #expect(await agent.wait(for: "mqtt: connected to 127.0.0.1:\(clinic.broker.port)"), "\(room): \(agent.text)")
            try await observer.send("vigil/north/\(room)/cmd/start", #"{"request":"start-\#(room)","role":"nurse"}"#)
        }
        var nurse = StationNurse(base: clinic.stationURL)
        try await nurse.logIn()
        let all = await nurse.wait(seconds: 20) { board in
            ["room-1", "room-2", "room-3"].allSatisfy { (board[$0]?["session"] as? [String: Any])?["state"] as? String == "running" }
        }
        let board = try await nurse.rooms()
        #expect(all != nil, "three rooms running on the board: \(board)")

        // The desaturation: raised in the room, on the tile within 2 s of the room's own event.
        #expect(await observer.wait(seconds: 60) { s in
            s.objects(on: "vigil/north/room-2/alarms").contains { $0["condition"] as? String == "spo2_low" && $0["priority"] as? String == "high" }
        }, "room 2 raised no high spo2_low: \(agents["room-2"]!.text)")
        let raisedAt = Date()
        let alarmed = await nurse.wait(seconds: 2) { board in
            (board["room-2"]?["alarms"] as? [[String: Any]])?.contains { $0["priority"] as? String == "high" } == true
        }
        let tile = try #require(alarmed?["room-2"], "the tile did not show the alarm within 2 s")
        #expect(Date().timeIntervalSince(raisedAt) <= 2)
        #expect(tile["loudest"] as? String == "high")
        #expect(alarmed?["room-1"]?["loudest"] is NSNull, "room 1 is quiet")
        let alarm = try #require((tile["alarms"] as? [[String: Any]])?.first { $0["priority"] as? String == "high" })
        let id = try #require(alarm["id"] as? String)

        // The nurse acknowledges that one alarm from the desk; the tile follows the room's word.
        let (body, response) = try await nurse.send("POST", "api/rooms/north/room-2/alarms/\(id)/ack", body: "{}")
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
        let acknowledged = await nurse.wait(seconds: 5) { board in
            (board["room-2"]?["alarms"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["acknowledged_by"] as? String == "nurse"
        }
        #expect(acknowledged != nil)
        let audit = try clinic.rows("SELECT role, source FROM audit WHERE action = 'ack' AND detail = '\(id)'", in: clinic.database(of: "room-2"))
        #expect(audit.map { "\($0["role"] as String) \($0["source"] as String)" } == ["nurse mqtt"], "the room's own record")
        let (_, forged) = try await StationNurse(base: clinic.stationURL).send("POST", "api/rooms/north/room-2/alarms/\(id)/ack", body: "{}")
        #expect((forged as? HTTPURLResponse)?.statusCode == 401, "no login, no acknowledgement")

        // Room 2's agent dies mid-session: the station says so, high.
        let sentBefore = observer.objects(on: "vigil/north/room-2/alarms")
        clinic.kill(agents["room-2"]!)
        let offline = await nurse.wait(seconds: 20) { ($0["room-2"]?["station_alarm"] as? [String: Any])?["reason"] as? String == "room_offline" }
        #expect((offline?["room-2"]?["station_alarm"] as? [String: Any])?["priority"] as? String == "high", "offline mid-session is high")
        #expect(offline?["room-2"]?["link"] as? String == "offline")
        #expect(offline?["room-1"]?["link"] as? String == "ok", "the others are fine")

        // It restarts, with every alarm event it had sent back in its outbox (acknowledgements lost in the crash).
        try clinic.requeue(sentBefore.map { ("vigil/north/room-2/alarms", Self.json($0), $0["event_id"] as! String) }, in: "room-2")
        let restarted = try clinic.startRoom("room-2", scenario: Self.desaturating)
        #expect(await restarted.wait(for: "mqtt: connected"), "\(restarted.text)")
        #expect(await nurse.wait(seconds: 20) { $0["room-2"]?["link"] as? String == "ok" && $0["room-2"]?["station_alarm"] is NSNull } != nil)
        #expect(await observer.wait(seconds: 20) { $0.objects(on: "vigil/north/room-2/alarms").count >= 2 * sentBefore.count },
                "the outbox was sent again")

        // The session ends: its summary is kept; the room killed and restarted sends it again.
        try await observer.send("vigil/north/room-2/cmd/stop", #"{"request":"stop-2","role":"nurse"}"#)
        #expect(await observer.wait(seconds: 30) { !$0.objects(on: "vigil/north/room-2/summary").isEmpty }, "\(restarted.text)")
        let summary = try #require(observer.objects(on: "vigil/north/room-2/summary").first)
        clinic.kill(restarted)
        try clinic.requeue([("vigil/north/room-2/summary", Self.json(summary), summary["event_id"] as! String)], in: "room-2")
        let again = try clinic.startRoom("room-2", scenario: Self.desaturating)
        #expect(await observer.wait(seconds: 20) { $0.objects(on: "vigil/north/room-2/summary").count >= 2 }, "\(again.text)")

        // Exactly once each in the station's database, however often they came.
        let heard = Set(observer.objects(on: "vigil/north/room-2/alarms").compactMap { $0["event_id"] as? String })
        var kept: [Row] = []
        for _ in 0..<50 {  // the archive writes off the board's path: a moment after the board
            kept = try clinic.rows("SELECT event_id, kind FROM room_event WHERE room = 'room-2'", in: clinic.path("station.sqlite"))
            if kept.filter({ $0["kind"] as String == "alarm" }).count >= heard.count, kept.contains(where: { $0["kind"] as String == "summary" }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(kept.filter { $0["kind"] as String == "alarm" }.map { $0["event_id"] as String }.sorted() == heard.sorted())
        #expect(kept.filter { $0["kind"] as String == "summary" }.count == 1)
        let sessions = try await VigilCommand.run(["station", "sessions", "--db", clinic.path("station.sqlite")])
        #expect(sessions.stdout.contains("north/room-2"), "\(sessions.stdout)\(sessions.stderr)")
    }

    @Test("A second station on the same archive is refused, naming the first: it would split the broker's session with it")
    func oneStationPerArchive() async throws {
        let broker = try Broker()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-station-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("station.sqlite").path
        let first = try RunningVigil(["station", "--mqtt", "127.0.0.1:\(broker.port)", "--site", "north", "--db", db, "--http", "off"])
        defer { kill(first.process.processIdentifier, SIGKILL); first.process.waitUntilExit() }
        #expect(await first.wait(for: "station: connected to 127.0.0.1:\(broker.port)"), "\(first.text)")
        let second = try await VigilCommand.run(["station", "--mqtt", "127.0.0.1:\(broker.port)", "--site", "north", "--db", db, "--http", "off"],
                                                timeout: 20)
        #expect(second.status == 1)
        #expect((second.stdout + second.stderr).contains("another vigil (pid \(first.process.processIdentifier)) is running the station on \(db)"),
                "\(second.stdout)\(second.stderr)")
        #expect(first.process.isRunning, "the first goes on")
    }

    static func json(_ object: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
