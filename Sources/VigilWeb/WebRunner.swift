import Foundation
import Logging
import VigilAgent
import VigilCore
import VigilStore

/// Runs the pages beside a room. The pages are never the room: a port in use or a bad
/// certificate is said once, and the room goes on monitoring without them.
public enum WebRunner {
    /// Serves `settings` until cancelled; `listening` gets the address once bound.
    public static func serve<C: VigilClock>(_ settings: HTTPSettings, agent: RoomAgent<C>, music: RoomMusic?, store: Store?,
                                            hub: LiveHub, identity: RoomIdentity, metrics: RoomMetrics? = nil,
                                            log: Logger = .vigil("web"),
                                            listening: @escaping @Sendable (String) -> Void) async {
        await seed(hub, from: store, agent: agent)
        let server = WebServer(settings: settings, control: RoomControl(agent: agent, music: music, source: "web"), store: store,
                               hub: hub, identity: identity, metrics: metrics, log: log)
        for (level, line) in settings.startupWarnings(pages: "the pages") { log.log(level: level, "web     \(line)") }
        do {
            try await server.run { port in
                let scheme = settings.certificate == nil ? "http" : "https"
                let host = settings.address.contains(":") ? "[\(settings.address)]" : settings.address
                listening("\(scheme)://\(host):\(port)/")
            }
        } catch is CancellationError {
        } catch {
            log.error("web     the pages are not served on \(settings.address):\(settings.port) (\(describe(error))); the room goes on without them")
        }
    }

    /// After a restart the pages start with what the record holds of the session resumed: the
    /// last value of each vital (the BP taken before the restart) and the last ten minutes of trend.
    static func seed<C: VigilClock>(_ hub: LiveHub, from store: Store?, agent: RoomAgent<C>) async {
        guard let store, let id = await agent.sessionID, let readings = try? store.readings(session: id),
              let last = readings.last?.time else { return }
        var latest: [Vital: Reading] = [:]
        for reading in readings { latest[reading.vital] = reading }
        let recent = readings.filter { last.timeIntervalSince($0.time) <= LiveHub.trendSpan }
        for reading in Set(latest.values).subtracting(recent).sorted(by: { $0.time < $1.time }) + recent {
            hub.receive(.reading(reading))
        }
    }

    /// A bind or TLS failure in words, not NIO's type names.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("errno: 98") { return "the address is already in use" }
        if text.contains("Permission denied") || text.contains("errno: 13") { return "no permission to listen there" }
        if text.contains("Cannot assign requested address") || text.contains("errno: 99") { return "this machine has no such address" }
        return text
    }
}
