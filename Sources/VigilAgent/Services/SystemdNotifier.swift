import Foundation
import Logging
import ServiceLifecycle
import VigilCore

/// Tells systemd how the room stands (`sd_notify(3)`, without libsystemd): `READY=1` once the
/// room runs, `WATCHDOG=1` every second **only while the alarm engine ticks**, and `STOPPING=1`
/// when the room shuts down. An engine that has not ticked for ``stuckAfter`` stops the feed, and
/// systemd restarts the agent (`WatchdogSec=` in `deploy/vigil.service`), where a hung process
/// would otherwise stay silent, showing old vitals.
///
/// The engine's pulse is read from its ``Heartbeat`` with no wait on the agent, so a stuck agent
/// cannot stall the notifier too. A database that refuses writes does not stop the feed: alarms
/// still work then, and a restart would lose the readings held in memory.
public struct SystemdNotifier<C: VigilClock>: Service {
    let agent: RoomAgent<C>
    let socket: DatagramSocket
    /// Whether systemd keeps a watchdog on this process (`WATCHDOG_USEC`, for this pid).
    public let feedsWatchdog: Bool
    /// An engine silent this long is stuck. Ten seconds is ten missed ticks at least: no busy disk
    /// (SQLite waits 5 s for a lock at most) comes near it, a wedged actor does.
    let stuckAfter: Duration
    /// How often the heartbeat is looked at and the watchdog fed.
    let every: Duration
    let log: Logger

    /// The notifier systemd asked for in the environment, or `nil` outside a `Type=notify` unit.
    public init?(agent: RoomAgent<C>, environment: [String: String] = ProcessInfo.processInfo.environment,
                 stuckAfter: Duration = .seconds(10), every: Duration = .seconds(1), log: Logger = .vigil("systemd")) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        self.agent = agent
        socket = DatagramSocket(path: path)
        self.stuckAfter = stuckAfter
        self.every = every
        self.log = log
        let forUs = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        feedsWatchdog = forUs && (environment["WATCHDOG_USEC"].flatMap(UInt64.init) ?? 0) > 0
    }

    public func run() async {
        let status = "STATUS=monitoring \(agent.identity.site)/\(agent.identity.room)"
        await notify("READY=1\n\(status)", retrying: true)
        if feedsWatchdog {
            await cancelWhenGracefulShutdown { await feed(status) }
        } else {
            try? await gracefulShutdown()
        }
        await notify("STOPPING=1\nSTATUS=stopping", retrying: true)
    }

    /// Feeds the watchdog while the engine ticks; says once when it stops, and when it is back.
    private func feed(_ status: String) async {
        var starving = false, warned = false
        while !Task.isCancelled {
            let heartbeat = agent.heartbeat
            let age = heartbeat.sinceLastBeat
            if let age, age <= stuckAfter {
                let sent = await notify(starving ? "WATCHDOG=1\n\(status)" : "WATCHDOG=1", quietly: warned)
                warned = warned || !sent
                if starving { log.notice("agent   the alarm engine ticks again; systemd's watchdog is fed") }
                starving = false
            } else if !starving, age != nil || heartbeat.sinceStart > stuckAfter {
                starving = true
                let why = age.map { "the alarm engine has not ticked for \(Int($0.seconds)) s" } ?? "the alarm engine has not started"
                log.critical("agent   \(why): systemd's watchdog is no longer fed and will restart the agent")
                await notify("STATUS=\(why)")
            }
            try? await Task.sleep(for: every)
        }
    }

    /// Sends one message; whether it went. `READY=1` and `STOPPING=1` matter once each: a notify
    /// socket that does not take them at once, busy or refusing, is tried again for a second
    /// (nothing waits on this).
    @discardableResult
    private func notify(_ message: String, retrying: Bool = false, quietly: Bool = false) async -> Bool {
        let attempts = retrying ? 10 : 1
        var why = ""
        for attempt in 1...attempts {
            switch socket.send(Array(message.utf8)) {
            case .sent: return true
            case .busy: why = "its queue is full"
            case .refused(let error): why = String(cString: strerror(error))
            }
            if attempt < attempts { try? await Task.sleep(for: .milliseconds(100)) }
        }
        if !quietly {
            log.warning("agent   systemd's notify socket \(socket.path) did not take \"\(message.prefix { $0 != "\n" })\" (\(why))")
        }
        return false
    }
}
