import Foundation
import Logging
import ServiceLifecycle
import VigilCore

/// Tells systemd how the room stands (`sd_notify(3)`, without libsystemd): `READY=1` once the
/// room runs, `WATCHDOG=1` every half watchdog period **only while the alarm engine ticks**, and
/// `STOPPING=1` when the room shuts down. An agent whose alarm path is stuck stops feeding the
/// watchdog, and systemd restarts it (`WatchdogSec=` in `deploy/vigil.service`), where a hung
/// process would otherwise stay silent. A database that refuses writes does not stop the feed:
/// alarms still work then, and a restart would lose the readings held in memory.
public struct SystemdNotifier<C: VigilClock>: Service {
    let agent: RoomAgent<C>
    let socket: DatagramSocket
    /// Half of `WATCHDOG_USEC`; `nil` when systemd keeps no watchdog on this unit.
    let feedEvery: Duration?
    let log: Logger

    /// The notifier systemd asked for in the environment, or `nil` outside a `Type=notify` unit.
    public init?(agent: RoomAgent<C>, environment: [String: String] = ProcessInfo.processInfo.environment,
                 log: Logger = .vigil("systemd")) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        self.agent = agent
        socket = DatagramSocket(path: path)
        self.log = log
        let forUs = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        if forUs, let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            feedEvery = .microseconds(Int64(usec / 2))
        } else {
            feedEvery = nil
        }
    }

    /// Whether systemd watches this process with a watchdog the notifier feeds.
    public var feedsWatchdog: Bool { feedEvery != nil }

    public func run() async {
        let identity = agent.identity
        notify("READY=1\nSTATUS=monitoring \(identity.site)/\(identity.room)")
        if let feedEvery {
            await cancelWhenGracefulShutdown {
                var starving = false
                while !Task.isCancelled {
                    let health = await agent.health()
                    if health.engineTicks {
                        notify(starving ? "WATCHDOG=1\nSTATUS=monitoring \(identity.site)/\(identity.room)" : "WATCHDOG=1")
                        starving = false
                    } else if !starving {
                        starving = true
                        let why = health.problems.first ?? "the alarm engine has stopped"
                        log.critical("agent   \(why): systemd's watchdog is no longer fed and will restart the agent")
                        notify("STATUS=\(why)")
                    }
                    try? await Task.sleep(for: feedEvery)
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        notify("STOPPING=1\nSTATUS=stopping")
    }

    private func notify(_ message: String) {
        if socket.send(Array(message.utf8)) != .sent {
            log.warning("agent   systemd's notify socket \(socket.path) refused \"\(message.prefix(while: { $0 != "\n" }))\"")
        }
    }
}
