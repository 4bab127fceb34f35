import Foundation
import VigilAgent
import VigilAudio
import VigilCore
import VigilMQTT

/// The JSON the live pages read (`/live` and `GET /api/state`), one object per message:
/// `{"type": "reading", …}` as each reading comes, and `{"type": "state", …}` every second and
/// at once after an alarm or session event. The first state a page gets carries `trend`.
enum LiveMessage {
    static func reading(_ r: Reading) -> String {
        var j = JSONLine()
        j.add("type", "reading")
        j.add("vital", r.vital.rawValue)
        j.add("value", r.validValue)
        j.add("quality", r.quality.rawValue)
        j.add("time", .raw(epoch(r.time)))
        j.add("device", r.device)
        return j.description
    }

    static func state(_ room: RoomLiveState, vitals: [Vital: Reading], music: MusicStatus?, trend: [Vital: [Reading]]?) -> String {
        var j = JSONLine()
        j.add("type", "state")
        j.add("time", .raw(epoch(room.time)))
        j.add("site", room.identity.site)
        j.add("room", room.identity.room)
        j.add("session", .raw(session(room)))
        j.add("vitals", .raw(object(vitals.sorted { $0.key < $1.key }.map { ($0.key.rawValue, reading($0.value, at: room.time)) })))
        j.add("alarms", .raw("[" + room.alarms.map(alarm).joined(separator: ",") + "]"))
        j.add("questionable", .raw("[" + room.questionable.map { rule in
            var q = JSONLine()
            q.add("condition", rule.condition)
            q.add("vital", rule.vital.rawValue)
            return q.description
        }.joined(separator: ",") + "]"))
        if let due = room.bloodPressureDue {
            var d = JSONLine()
            d.add("at", .raw(epoch(due.at)))
            d.add("in_s", due.at.timeIntervalSince(room.time).rounded())
            d.add("reason", due.reason)
            j.add("bp_due", .raw(d.description))
        } else {
            j.add("bp_due", .raw("null"))
        }
        j.add("music", .raw(music.map { m in
            var o = JSONLine()
            for (key, value) in m.fields.sorted(by: { $0.key < $1.key }) { o.add(key, value) }
            return o.description
        } ?? "null"))
        if let trend {
            j.add("trend", .raw(object(trend.sorted { $0.key < $1.key }.map { vital, points in
                (vital.rawValue, "[" + points.map { "[\(epoch($0.time)),\($0.validValue.map(JSONLine.number) ?? "null")]" }.joined(separator: ",") + "]")
            })))
        }
        return j.description
    }

    private static func session(_ room: RoomLiveState) -> String {
        let state = room.session
        var s = JSONLine()
        s.add("id", state.id)
        s.add("status", state.status)
        s.add("phase", state.phase.rawValue)
        s.add("started_at", .raw(state.startedAt.map(epoch) ?? "null"))
        s.add("dose_at", .raw(state.doseAt.map(epoch) ?? "null"))
        s.add("since_dose_s", state.sinceDose.map { $0.rounded() })
        s.add("elapsed_s", state.startedAt.map { state.time.timeIntervalSince($0).rounded() })
        s.add("patient_reference", state.patientReference)
        let t = room.timeline
        s.add("timeline", .raw(object([("peak_s", JSONLine.number(t.peakStarts.seconds)),
                                       ("recovery_s", JSONLine.number(t.recoveryStarts.seconds)),
                                       ("discharge_s", JSONLine.number(t.dischargeStarts.seconds))])))
        return s.description
    }

    private static func reading(_ r: Reading, at now: Date) -> String {
        var j = JSONLine()
        j.add("value", r.validValue)
        j.add("quality", r.quality.rawValue)
        j.add("time", .raw(epoch(r.time)))
        j.add("age_s", max(0, now.timeIntervalSince(r.time)).rounded())
        return j.description
    }

    private static func alarm(_ a: Alarm) -> String {
        var j = JSONLine()
        j.add("id", a.id)
        j.add("priority", a.priority.rawValue)
        j.add("kind", a.kind.rawValue)
        j.add("condition", a.condition)
        j.add("vital", a.vital?.rawValue)
        j.add("device", a.device)
        j.add("value", a.value)
        j.add("worst", a.worstValue)
        j.add("limit", a.limit)
        j.add("raised_at", .raw(epoch(a.raisedAt)))
        j.add("acknowledged_by", a.acknowledgedBy?.rawValue)
        j.add("audio_paused", .bool(a.isAudioPaused))
        j.add("condition_present", .bool(a.isConditionPresent))
        j.add("sounding", .bool(a.isSounding))
        return j.description
    }

    /// Seconds since 1970 with milliseconds: what JavaScript's `Date` takes (times 1000).
    static func epoch(_ d: Date) -> String { JSONLine.number((d.timeIntervalSince1970 * 1000).rounded() / 1000) }

    private static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
