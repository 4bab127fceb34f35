import Foundation
import Testing
import VigilAgent
#if canImport(Glibc)
import Glibc
#endif

/// The control socket against clients that misbehave, on the real `vigil demo` process: a room
/// must keep monitoring whatever a client (or whoever reads the agent's output) does.
@Suite("The control socket under misbehaving clients")
struct ControlSocketFaultTests {
    @Test("Twenty clients ask for the session status and hang up without reading: the agent lives and answers the next one")
    func clientsThatHangUp() async throws {
        let room = try FaultRoom()
        defer { room.stop() }
        #expect(await room.demo.wait(for: "VITALS"), "\(room.demo.text)")

        for _ in 0..<20 {
            let fd = try #require(RawClient.connect(room.socket), "connecting to \(room.socket)")
            #expect(RawClient.send(fd, #"{"command":"session.status"}"# + "\n"))
            close(fd)
        }
        let status = try await VigilCommand.run(["session", "status", "--socket", room.socket], timeout: 20)
        #expect(status.status == 0 && status.stdout.contains("\"ok\":true"), "\(status.stdout)\(status.stderr)\n\(room.demo.text)")
        #expect(room.demo.process.isRunning, "the agent ended (\(room.exitStatus)): \(room.demo.text)")
    }

    @Test("Under a 1024-file limit, 2,000 idle connections neither crash the agent nor lock out a normal request; the idle ones are closed")
    func idleConnectionsUnderTheFileLimit() async throws {
        let limit = min(RawClient.raiseOwnFileLimit(to: 8_192), 8_192)
        // 2,000 connections held at once, numbered above 1024 so that this process's other clients keep the low ones.
        try #require(limit >= 3_100, "this test holds 2,000 connections above descriptor 1024; the hard file limit is \(limit)")
        let room = try FaultRoom(fileLimit: 1024)
        defer { room.stop() }
        #expect(await room.demo.wait(for: "VITALS"), "\(room.demo.text)")

        let (idle, failure) = await onThread { RawClient.connectMany(2_000, to: room.socket, above: Int32(limit - 2_050)) }
        #expect(idle.count == 2_000, "only \(idle.count) of 2,000 connected: \(failure ?? "")\n\(room.demo.text)")
        #expect(room.demo.process.isRunning, "the agent ended (\(room.exitStatus)): \(room.demo.text)")

        // Asked in-process: Foundation's Process.run crashes while this process holds thousands of
        // descriptors, so nothing is spawned until the idle connections are closed.
        let socket = room.socket
        let status = await onThread { Result { try ControlSocket.request(#"{"command":"session.status"}"#, path: socket) } }
        #expect((try? status.get())?.contains("\"ok\":true") == true,
                "a normal request while idle connections are open: \(status)\n\(room.demo.text)")

        // Every idle connection is closed by the agent: made room for a newer one, or timed out.
        let closed = await onThread { RawClient.waitUntilClosed(idle, seconds: 30) }
        #expect(closed.count == idle.count, "\(idle.count - closed.count) idle connections still open after 30 s")
        let timedOut = closed.values.filter { $0.contains("no request") }
        #expect(!timedOut.isEmpty, "some idle connections were closed by the request timeout: \(Array(Set(closed.values)).prefix(5))")
        #expect(closed.values.allSatisfy { $0.isEmpty || $0.hasPrefix("{\"ok\":false") }, "\(Array(Set(closed.values)).prefix(5))")
        #expect(room.demo.process.isRunning, "the agent ended (\(room.exitStatus)): \(room.demo.text)")
        for fd in idle { close(fd) }
        let after = try await VigilCommand.run(["session", "status", "--socket", room.socket], timeout: 20)
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
    }

    @Test("Whoever reads the agent's output exits: the agent says so once on stderr and keeps monitoring and answering")
    func standardOutputGone() async throws {
        let room = try FaultRoom(speed: 120, separateStandardOutput: true)
        defer { room.stop() }
        let stdout = try #require(room.standardOutput)
        let first = await onThread { RawClient.read(stdout.fileHandleForReading.fileDescriptor, until: "VITALS", seconds: 30) }
        #expect(first.contains("VITALS"), "\(first)\(room.demo.text)")
        try stdout.fileHandleForReading.close()

        #expect(await room.demo.wait(for: "standard output", seconds: 60), "the agent tells stderr once: \(room.demo.text)")
        let notice = room.demo.text.count
        #expect(await room.demo.wait(seconds: 60) { String($0.dropFirst(notice)).contains("VITALS") },
                "the room's lines carry on: \(room.demo.text)")
        let status = try await VigilCommand.run(["session", "status", "--socket", room.socket], timeout: 20)
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)\n\(room.demo.text)")
        #expect(room.demo.process.isRunning, "the agent ended (\(room.exitStatus)): \(room.demo.text)")
        #expect(room.demo.text.components(separatedBy: "standard output").count == 2, "said once: \(room.demo.text)")
    }
}
