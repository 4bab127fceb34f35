import Metrics
import Prometheus
import VigilCore

/// The room's figures in Prometheus's text format, for `GET /metrics`.
///
/// What happens is counted where it happens, through swift-metrics: readings per device, frames
/// decoded and rejected per device, audio underruns, each database commit's time. What the room
/// *is* now — devices connected, alarms active by priority, the outbox's depth, the broker, the
/// engine's last tick — is read from the agent's health when a scrape asks, so a room nobody
/// scrapes does no work for it.
public final class RoomMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Commit times worth telling apart: SQLite in WAL commits in well under a millisecond on a
    /// healthy disk, and an SD card going bad takes hundreds.
    static let commitBuckets: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
                                            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                            .milliseconds(100), .milliseconds(250), .seconds(1)]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Sends this process's swift-metrics here. Once per process, before the room's parts are
    /// made (a counter made earlier counts nowhere).
    public static func bootstrap() -> RoomMetrics {
        let metrics = RoomMetrics()
        var factory = PrometheusMetricsFactory(registry: metrics.registry)
        factory.durationHistogramBuckets["vigil_database_commit_seconds"] = commitBuckets
        MetricsSystem.bootstrap(factory)
        return metrics
    }

    /// The exposition, with the room's present state read just now.
    public func exposition<C: VigilClock>(for agent: RoomAgent<C>) async -> String {
        let health = await agent.health()
        for device in health.devices {
            Gauge(label: "vigil_device_connected", dimensions: [("device", device.name)]).record(device.isDisconnected ? 0 : 1)
        }
        for priority in AlarmPriority.allCases {
            let count = health.activeAlarms.filter { $0.priority == priority }.count
            Gauge(label: "vigil_active_alarms", dimensions: [("priority", priority.rawValue)]).record(count)
        }
        if let outbox = health.outbox { Gauge(label: "vigil_outbox_messages").record(outbox) }
        if let connected = health.brokerConnected { Gauge(label: "vigil_broker_connected").record(connected ? 1 : 0) }
        if let writes = health.databaseWrites { Gauge(label: "vigil_database_writable").record(writes ? 1 : 0) }
        if let sinceTick = health.sinceTick { Gauge(label: "vigil_engine_tick_age_seconds").record(sinceTick) }
        return registry.emitToString()
    }
}
