import Foundation
import Logging
import ServiceLifecycle
import Testing
import VigilAgent
import VigilCore
import VigilTestSupport

/// The room under systemd, in-process, against real datagram sockets standing in for journald
/// and the notify socket.
@Suite("systemd: the journal and the watchdog")
struct SystemdTests {
    func socketPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(name)-\(UUID().uuidString.prefix(8)).sock").path
    }

    /// The fields of one native-protocol entry (`NAME=value` lines, or a length-prefixed value).
    func fields(_ datagram: [UInt8]) -> [String: String] {
        var out: [String: String] = [:], i = 0
        while i < datagram.count {
            let end = datagram[i...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") }) ?? datagram.count
            let name = String(decoding: datagram[i..<end], as: UTF8.self)
            if end < datagram.count, datagram[end] == UInt8(ascii: "=") {
                let stop = datagram[(end + 1)...].firstIndex(of: UInt8(ascii: "\n")) ?? datagram.count
                out[name] = String(decoding: datagram[(end + 1)..<stop], as: UTF8.self)
                i = stop + 1
            } else {
                let length = datagram[(end + 1)..<(end + 9)].reversed().reduce(0) { $0 << 8 | Int($1) }
                out[name] = String(decoding: datagram[(end + 9)..<(end + 9 + length)], as: UTF8.self)
                i = end + 9 + length + 1
            }
        }
        return out
    }

    @Test("Each log line is one journal entry with its priority, vigil's identifier and the part that said it")
    func journalEntries() async throws {
        let journal = try DatagramListener(path: socketPath("journal"))
        var log = Logger(label: "vigil.mqtt") { JournalLogHandler(label: $0, socket: DatagramSocket(path: journal.path)) }
        log[metadataKey: "room"] = "room-2"
        log.warning("mqtt: lost the broker at 10.0.0.5:1883 (connection refused); alarm events wait in the outbox")
        log.critical("storage: the database refuses writes\n(disk full)")
        log.debug("not at the info level")
        #expect(await journal.wait(seconds: 5) { $0.count == 2 })
        let entries = journal.datagrams.map(fields)
        #expect(entries.count == 2, "the debug line is below the level")
        #expect(entries.first?["MESSAGE"] == "mqtt: lost the broker at 10.0.0.5:1883 (connection refused); alarm events wait in the outbox")
        #expect(entries.first?["PRIORITY"] == "4")
        #expect(entries.first?["SYSLOG_IDENTIFIER"] == "vigil")
        #expect(entries.first?["VIGIL_PART"] == "vigil.mqtt")
        #expect(entries.first?["VIGIL_ROOM"] == "room-2")
        #expect(entries.first?["CODE_FILE"]?.hasSuffix("SystemdTests.swift") == true)
        #expect(entries.last?["MESSAGE"] == "storage: the database refuses writes\n(disk full)", "a message with a newline, length-prefixed")
        #expect(entries.last?["PRIORITY"] == "2")
    }

    @Test("A journald too busy to take a line costs that line, never a wait; the next entry says how many were dropped")
    func busyJournal() async throws {
        let journal = try DatagramListener(path: socketPath("busy"), reading: false)
        let log = Logger(label: "vigil.agent") { JournalLogHandler(label: $0, socket: DatagramSocket(path: journal.path)) }
        for n in 0..<5_000 { log.info("line \(n)") }   // far past a datagram socket's queue; returns at once
        journal.resume()
        #expect(await journal.wait(seconds: 30) { !$0.isEmpty })
        try await Task.sleep(for: .milliseconds(300))
        log.warning("after the storm")
        #expect(await journal.wait(seconds: 30) { $0.contains { $0.contains("MESSAGE=after the storm") } && $0.contains { $0.contains("too busy") } })
        let entries = journal.messages
        let queued = entries.filter { $0.contains("MESSAGE=line ") }.count
        #expect(queued < 5_000, "the queue filled: \(queued) taken")
        let note = try #require(entries.first { $0.contains("too busy") }, "\(entries.suffix(3))")
        #expect(note.contains("journald was too busy for \(5_000 - queued) of vigil's log lines"), "\(note)")
    }

    @Test("systemd's watchdog is fed only while the alarm engine ticks: a stuck engine starves it and says why")
    func watchdogFollowsTheEngine() async throws {
        let notify = try DatagramListener(path: socketPath("notify"))
        let agent = RoomAgent(clock: ManualClock(), profile: .clinicDefault, identity: RoomIdentity(site: "north", room: "room-2"),
                              output: { _ in })
        let notifier = try #require(SystemdNotifier(agent: agent, environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000"],
                                                    stuckAfter: .seconds(1), every: .milliseconds(100)))
        var quiet = Logger(label: "vigil.test")
        quiet.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [.init(service: notifier)], logger: quiet))
        let running = Task { try await group.run() }

        #expect(await notify.wait(seconds: 90) { $0.first == "READY=1\nSTATUS=monitoring north/room-2" }, "\(notify.messages)")
        #expect(await notify.wait(seconds: 90) { $0.contains("STATUS=the alarm engine has not started") },
                "said once the start-up's grace has passed")
        #expect(!notify.messages.contains { $0.hasPrefix("WATCHDOG=1") }, "no feed before the engine has ticked")

        let engine = Task { await agent.run() }
        #expect(await notify.wait(seconds: 90) { $0.filter { $0.hasPrefix("WATCHDOG=1") }.count >= 3 }, "\(notify.messages)")
        #expect(notify.messages.contains("WATCHDOG=1\nSTATUS=monitoring north/room-2"), "the status restored when the feed resumes")
        engine.cancel()
        await engine.value
        #expect(await notify.wait(seconds: 90) { $0.contains { $0.hasPrefix("STATUS=the alarm engine has not ticked for") } })
        let fedBefore = notify.messages.filter { $0.hasPrefix("WATCHDOG=1") }.count
        try await Task.sleep(for: .milliseconds(500))
        #expect(notify.messages.filter { $0.hasPrefix("WATCHDOG=1") }.count == fedBefore, "a stuck engine is not fed for")

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(await notify.wait(seconds: 90) { $0.last == "STOPPING=1\nSTATUS=stopping" })
    }

    @Test("Outside a notify unit there is no notifier, and a watchdog meant for another process is not fed")
    func notifierOnlyUnderSystemd() {
        let agent = RoomAgent(clock: ManualClock(), profile: .clinicDefault, output: { _ in })
        #expect(SystemdNotifier(agent: agent, environment: [:]) == nil)
        let other = SystemdNotifier(agent: agent, environment: ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"])
        #expect(other?.feedsWatchdog == false)
    }
}
