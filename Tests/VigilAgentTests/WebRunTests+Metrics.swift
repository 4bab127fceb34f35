import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import VigilTestSupport

extension WebRunTests {
    /// One Prometheus sample's value, by its name and labels as the exposition writes them.
    static func sample(_ exposition: String, _ series: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: URL(string: url)!, timeoutInterval: 5))
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("/metrics counts while an oximeter streams; unplugged it is 0 connected and /healthz stays 200; an unwritable database is 503")
    func metricsAndHealth() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let database = dir.appendingPathComponent("vigil.sqlite").path
        defer {
            _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/chattr"), arguments: ["-i", database, database + "-wal", database + "-shm"]).waitUntilExit()
            try? FileManager.default.removeItem(at: dir)
        }
        let link = dir.appendingPathComponent("oximeter").path
        let simulator = try RunningVigil(["simulate", "contec-v7", "--link", link])
        defer { kill(simulator.process.processIdentifier, SIGKILL) }
        let config = dir.appendingPathComponent("vigil.yaml")
        try """
            site: north
            room: room-2
            database: vigil.sqlite
            devices:
              - { name: oximeter, profile: contec-cms50-v7, port: \(link) }
            """.write(to: config, atomically: true, encoding: .utf8)
        let agent = try RunningVigil(["run", "--config", config.path, "--http", "127.0.0.1:0",
                                      "--socket", dir.appendingPathComponent("ctl.sock").path])
        defer { kill(agent.process.processIdentifier, SIGTERM); agent.process.waitUntilExit() }
        #expect(await agent.wait(for: "pages are on http://127.0.0.1:"), "\(agent.text)")
        let port = try #require(agent.text.split(separator: "http://127.0.0.1:").last?.prefix { $0.isNumber }, "\(agent.text)")
        let base = "http://127.0.0.1:\(port)"
        #expect(await agent.wait(for: "oximeter: speaks contec-v7"), "\(agent.text)")

        let first = try await Self.get("\(base)/metrics")
        #expect(first.status == 200)
        try await Task.sleep(for: .seconds(1.5))
        let second = try await Self.get("\(base)/metrics").body
        let readings = (Self.sample(first.body, #"vigil_readings_total{device="oximeter"}"#) ?? 0,
                        Self.sample(second, #"vigil_readings_total{device="oximeter"}"#) ?? 0)
        #expect(readings.1 > readings.0 + 30, "a V7 sends 60 frames a second: \(readings); \(second)")
        #expect((Self.sample(second, #"vigil_frames_total{device="oximeter"}"#) ?? 0) > 60, "\(second)")
        #expect(Self.sample(second, #"vigil_frames_rejected_total{device="oximeter"}"#) != nil, "\(second)")
        #expect(Self.sample(second, #"vigil_device_connected{device="oximeter"}"#) == 1)
        #expect(Self.sample(second, #"vigil_active_alarms{priority="high"}"#) == 0)
        #expect((Self.sample(second, "vigil_database_commit_seconds_count") ?? 0) >= 2, "commits every 250 ms are timed: \(second)")
        #expect(second.contains("# TYPE vigil_database_commit_seconds histogram"))

        kill(simulator.process.processIdentifier, SIGKILL)
        #expect(await agent.wait(for: "ALARM"), "\(agent.text)")
        let unplugged = try await Self.get("\(base)/healthz")
        #expect(unplugged.status == 200, "an unplugged device is the room's alarm, not an unhealthy agent: \(unplugged.body)")
        #expect(unplugged.body.contains(#""name":"oximeter","connected":false"#), "\(unplugged.body)")
        let metrics = try await Self.get("\(base)/metrics").body
        #expect(Self.sample(metrics, #"vigil_device_connected{device="oximeter"}"#) == 0, "\(metrics)")
        #expect(Self.sample(metrics, #"vigil_active_alarms{priority="medium"}"#) == 1, "\(metrics)")

        // Plugged in again, the oximeter's readings go to a database that refuses them. Root
        // ignores file modes; an immutable file refuses even root's writes.
        let replugged = try RunningVigil(["simulate", "contec-v7", "--link", link])
        defer { kill(replugged.process.processIdentifier, SIGKILL) }
        #expect(await agent.wait(seconds: 15) { $0.components(separatedBy: "cleared").count > 1 }, "\(agent.text)")
        let chattr = try Process.run(URL(fileURLWithPath: "/usr/bin/chattr"), arguments: ["+i", database, database + "-wal"])
        chattr.waitUntilExit()
        try #require(chattr.terminationStatus == 0, "chattr +i is needed to make the database unwritable")
        var refused = (status: 0, body: "")
        for _ in 0..<50 {
            refused = try await Self.get("\(base)/healthz")
            if refused.status == 503 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(refused.status == 503, "\(refused.body); \(agent.text)")
        #expect(refused.body.contains("the database refuses writes"), "\(refused.body)")
    }
}
