import Hummingbird
import VigilAgent
import VigilCore

/// `GET /healthz`, for the clinic's monitoring: no login (it carries no vital sign and no alarm's
/// condition, only whether the agent works, which devices it hears and how many alarms are
/// active), 200 while the agent can do its job, 503 with the reasons when it cannot. And
/// `GET /metrics` in Prometheus's text format, also without a login and with no more in it.
extension WebServer {
    func addHealthRoute(to router: Router<WebContext>) {
        if let metrics {
            router.get("/metrics") { _, _ in
                let text = await metrics.exposition(for: self.agent)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        router.get("/healthz") { _, _ in
            let health = await self.agent.health()
            return WebReply.json(Self.json(health), status: health.problems.isEmpty ? .ok : .serviceUnavailable)
        }
    }

    static func json(_ h: RoomHealth) -> String {
        var j = JSONLine()
        j.add("ok", .bool(h.problems.isEmpty))
        j.add("room", "\(h.identity.site)/\(h.identity.room)")
        j.add("problems", .raw("[" + h.problems.map { JSONLine.quote($0) }.joined(separator: ",") + "]"))
        j.add("engine_tick_age_s", h.sinceTick.map { ($0 * 10).rounded() / 10 })
        j.add("database_writes", .raw(h.databaseWrites.map { $0 ? "true" : "false" } ?? "null"))
        j.add("outbox", h.outbox)
        j.add("broker_connected", .raw(h.brokerConnected.map { $0 ? "true" : "false" } ?? "null"))
        j.add("devices", .raw("[" + h.devices.map { d in
            var o = JSONLine()
            o.add("name", d.name)
            o.add("connected", .bool(!d.isDisconnected))
            o.add("since_reading_s", (d.secondsSinceReading * 10).rounded() / 10)
            return o.description
        }.joined(separator: ",") + "]"))
        // Counts only: which conditions are active is the patient's, behind a login.
        var alarms = JSONLine()
        for priority in [AlarmPriority.high, .medium, .low] {
            alarms.add(priority.rawValue, h.activeAlarms.filter { $0.priority == priority }.count)
        }
        j.add("active_alarms", .raw(alarms.description))
        return j.description
    }
}
