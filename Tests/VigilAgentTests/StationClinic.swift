import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import VigilTestSupport

/// A clinic on loopback for the station's end-to-end test: a real mosquitto with the deployed
/// ACL, `vigil run` rooms on simulated oximeters over pseudo-terminals, one `vigil station`.
final class StationClinic: @unchecked Sendable {
    static let site = "north"
    let folder: URL
    let broker: Broker
    var simulators: [String: RunningVigil] = [:]
    var rooms: [String: RunningVigil] = [:]
    var station: RunningVigil?
    var stationURL = ""

    init(rooms names: [String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-clinic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var users = ["station": "pw-station"]
        for name in names { users["\(Self.site)/\(name)"] = "pw-\(name)" }
        broker = try Broker(security: .users(users, aclFile: VigilCommand.packageRoot.appendingPathComponent("deploy/mosquitto/vigil.acl").path),
                            persistent: true)
        try "pw-station\n".write(to: folder.appendingPathComponent("station.pw"), atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    func database(of room: String) -> String { path("\(room).sqlite") }

    /// A room on its own simulated Contec V7, driven by `scenario` in real time.
    func startRoom(_ room: String, scenario: String) throws -> RunningVigil {
        if simulators[room] == nil {
            try scenario.write(toFile: path("\(room).csv"), atomically: true, encoding: .utf8)
            simulators[room] = try RunningVigil(["simulate", "contec-v7", "--link", path("\(room).tty"), "--scenario", path("\(room).csv")])
        }
        try "pw-\(room)\n".write(toFile: path("\(room).pw"), atomically: true, encoding: .utf8)
        try """
            site: \(Self.site)
            room: \(room)
            database: \(room).sqlite
            devices:
              - { name: oximeter, profile: \(VigilCommand.packageRoot.path)/Devices/contec-cms50-v7.yaml, port: \(path("\(room).tty")) }
            mqtt: { host: 127.0.0.1, port: \(broker.port), username: \(Self.site)/\(room), password_file: \(room).pw }
            """.write(toFile: path("\(room).yaml"), atomically: true, encoding: .utf8)
        let agent = try RunningVigil(["run", "--config", path("\(room).yaml"), "--socket", path("\(room).sock"), "--http", "off"])
        rooms[room] = agent
        return agent
    }

    /// The station, with a nurse whose PIN is 2580 (the example's hash: a test login).
    func startStation(silentAfter: String = "30s") async throws -> RunningVigil {
        try """
            station: { site: \(Self.site), database: station.sqlite, silent_after: \(silentAfter) }
            mqtt: { host: 127.0.0.1, port: \(broker.port), username: station, password_file: station.pw }
            http:
              logins:
                - { role: nurse, pin: "\(WebRunTests.hash)" }
            """.write(toFile: path("station.yaml"), atomically: true, encoding: .utf8)
        let station = try RunningVigil(["station", "--config", path("station.yaml"), "--http", "127.0.0.1:0"])
        self.station = station
        guard await station.wait(for: "station's pages are on http://127.0.0.1:"),
              let line = station.text.split(separator: "\n").first(where: { $0.contains("station's pages are on") }),
              let url = line.split(separator: " ").last else { throw StationTestError("the station did not serve its pages: \(station.text)") }
        stationURL = String(url)
        return station
    }

    /// Kills with SIGKILL: no clean stop, only the broker's will says the room is gone.
    func kill(_ process: RunningVigil) {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.process.waitUntilExit()
    }

    func stopAll() {
        for p in [station].compactMap({ $0 }) + Array(rooms.values) + Array(simulators.values) where p.process.isRunning {
            Foundation.kill(p.processIdentifier, SIGKILL)
            p.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Puts messages back in a stopped room's outbox, as if the broker's acknowledgements had
    /// been lost in the crash: the restarted room sends them all again.
    func requeue(_ messages: [(topic: String, payload: String, eventID: String)], in room: String) throws {
        let db = try DatabaseQueue(path: database(of: room))
        try db.write { db in
            for m in messages {
                try db.execute(sql: "INSERT INTO outbox (createdAt, topic, payload, eventId) VALUES (?, ?, ?, ?)",
                               arguments: [Date().timeIntervalSince1970, m.topic, m.payload, m.eventID])
            }
        }
    }

    /// Rows of one of the room's or the station's tables.
    func rows(_ sql: String, in file: String) throws -> [Row] {
        try DatabaseQueue(path: file).read { try Row.fetchAll($0, sql: sql) }
    }
}

extension RunningVigil {
    var processIdentifier: Int32 { process.processIdentifier }
}

struct StationTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A nurse at the station's API: logged in with a role and PIN, the session cookie and CSRF token kept.
struct StationNurse {
    let base: String
    var cookie = ""
    var csrf = ""
    let session = URLSession(configuration: .ephemeral)

    init(base: String) { self.base = base }

    mutating func logIn(pin: String = "2580") async throws {
        let (data, response) = try await send("POST", "api/login", body: #"{"role":"nurse","pin":"\#(pin)"}"#)
        guard (response as? HTTPURLResponse)?.statusCode == 200,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let token = object["csrf_token"] as? String,
              let setCookie = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie") else {
            throw StationTestError("the nurse could not log in: \(String(decoding: data, as: UTF8.self))")
        }
        csrf = token
        cookie = String(setCookie.split(separator: ";")[0])
    }

    func send(_ method: String, _ path: String, body: String? = nil) async throws -> (Data, URLResponse) {
        var request = URLRequest(url: URL(string: base + path)!, timeoutInterval: 10)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if !cookie.isEmpty { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        if !csrf.isEmpty { request.setValue(csrf, forHTTPHeaderField: "X-CSRF-Token") }
        return try await session.data(for: request)
    }

    /// `GET /api/rooms`: each room's object by name.
    func rooms() async throws -> [String: [String: Any]] {
        let (data, _) = try await send("GET", "api/rooms")
        let board = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        var out: [String: [String: Any]] = [:]
        for room in board?["rooms"] as? [[String: Any]] ?? [] { out[room["room"] as? String ?? "?"] = room }
        return out
    }

    /// Waits (at most `seconds`) until the board satisfies `condition`.
    func wait(seconds: Double, until condition: ([String: [String: Any]]) -> Bool) async -> [String: [String: Any]]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let board = try? await rooms(), condition(board) { return board }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
