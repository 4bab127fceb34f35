import Foundation
import Testing
import VigilTestSupport

extension RunCommandTests {
    @Test("vigil run as a systemd unit: READY once monitoring, the watchdog fed, lines with their priority on the journal's stream, STOPPING on SIGTERM")
    func runUnderSystemd() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
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
        let notify = try DatagramListener(path: dir.appendingPathComponent("notify.sock").path)
        // systemd names the journal's stream by its device and inode; here it is the test's pipe,
        // and with no journald socket on this machine the agent writes `<priority>line` to it.
        let stderr = Pipe()
        var info = stat()
        fstat(stderr.fileHandleForWriting.fileDescriptor, &info)
        let agent = try RunningVigil(["run", "--config", config.path, "--socket", dir.appendingPathComponent("vigil.sock").path],
                                     standardError: stderr,
                                     environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000",
                                                   "JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"])
        #expect(await notify.wait(seconds: 20) { $0.first == "READY=1\nSTATUS=monitoring north/room-2" }, "\(agent.text)")
        #expect(await notify.wait(seconds: 10) { $0.filter { $0 == "WATCHDOG=1" }.count >= 3 }, "fed every half second")
        #expect(await agent.wait(for: "<6>device  oximeter: speaks contec-v7"), "\(agent.text)")
        #expect(agent.text.contains("<5>vigil run: north/room-2, 1 device(s)"))

        kill(agent.process.processIdentifier, SIGTERM)
        agent.process.waitUntilExit()
        #expect(agent.process.terminationStatus == 0)
        #expect(await notify.wait(seconds: 5) { $0.last == "STOPPING=1\nSTATUS=stopping" })
        #expect(await agent.wait(for: "<5>vigil run: stopped"), "\(agent.text)")
        #expect(!agent.text.split(separator: "\n").contains { !$0.hasPrefix("<") }, "every line carries its priority: \(agent.text)")
    }
}

extension RunCommandTests {
    @Test("A second vigil run on the same room's database is refused, naming the first, and leaves its control socket alone")
    func secondAgentRefused() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("vigil.yaml")
        try "site: north\nroom: room-2\ndatabase: vigil.sqlite\n".write(to: config, atomically: true, encoding: .utf8)
        let socket = dir.appendingPathComponent("vigil.sock").path
        let first = try RunningVigil(["run", "--config", config.path, "--socket", socket])
        defer { kill(first.process.processIdentifier, SIGTERM); first.process.waitUntilExit() }
        #expect(await first.wait(for: "vigil run: north/room-2"), "\(first.text)")

        let second = try await VigilCommand.run(["run", "--config", config.path, "--socket", socket], timeout: 20)
        #expect(second.status == 1)
        #expect((second.stdout + second.stderr).contains("another vigil (pid \(first.process.processIdentifier)) is running this room"),
                "\(second.stdout)\(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: socket), "the first agent's control socket is still there")
        let status = try await VigilCommand.run(["session", "status", "--socket", socket])
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
    }
}
