import Foundation
import VigilCore

/// The board as JSON, for `GET /api/rooms` and the station page's WebSocket: one object per
/// room, its link judged here (`ok`, `offline`, `silent`, or `station_disconnected` while the
/// station cannot hear the broker: then no tile may look like a room that is fine).
extension StationSnapshot {
    public var json: String {
        var j = JSONLine()
        j.add("type", "board")
        j.add("time", JSONLine.timestamp(time))
        j.add("broker_connected", .bool(brokerConnected))
        j.add("loudest", loudest?.rawValue)
        j.add("rooms", .raw("[" + tiles.map { tile($0) }.joined(separator: ",") + "]"))
        return j.description
    }

    func link(_ t: RoomTile) -> String {
        guard brokerConnected else { return "station_disconnected" }
        if let alarm = t.stationAlarm { return alarm.reason == .offline ? "offline" : "silent" }
        return t.status == .offline ? "offline" : "ok"
    }

    func tile(_ t: RoomTile) -> String {
        var j = JSONLine()
        j.add("site", t.room.site)
        j.add("room", t.room.room)
        j.add("status", t.status.rawValue)
        j.add("link", link(t))
        j.add("last_heard", t.lastHeard.map(JSONLine.timestamp))
        j.add("loudest", (brokerConnected ? t.loudestSounding : nil)?.rawValue)
        j.add("highest", (brokerConnected ? t.highest : nil)?.rawValue)
        let vitals = t.vitals.values.sorted { $0.vital < $1.vital }.map { v -> String in
            var o = JSONLine()
            o.add("value", v.value)
            o.add("time", JSONLine.timestamp(v.time))
            o.add("quality", v.quality)
            return JSONLine.quote(v.vital) + ":" + o.description
        }
        j.add("vitals", .raw("{" + vitals.joined(separator: ",") + "}"))
        if let s = t.session {
            var o = JSONLine()
            o.add("id", s.id)
            o.add("state", s.state)
            o.add("phase", s.phase)
            o.add("time", JSONLine.timestamp(s.time))
            o.add("started_at", s.startedAt.map(JSONLine.timestamp))
            o.add("dose_at", s.doseAt.map(JSONLine.timestamp))
            o.add("since_dose_s", s.sinceDose)
            j.add("session", .raw(o.description))
        } else {
            j.add("session", .raw("null"))
        }
        let alarms = t.alarms.map { a -> String in
            var o = JSONLine()
            o.add("id", a.id)
            o.add("kind", a.kind)
            o.add("condition", a.condition)
            o.add("vital", a.vital)
            o.add("priority", a.priority.rawValue)
            o.add("value", a.value)
            o.add("limit", a.limit)
            o.add("raised_at", JSONLine.timestamp(a.raisedAt))
            o.add("acknowledged_by", a.acknowledgedBy)
            o.add("audio_paused", .bool(a.audioPaused))
            o.add("sounding", .bool(a.isSounding))
            o.add("escalated", .bool(t.escalated.contains(a.id)))
            return o.description
        }
        j.add("alarms", .raw("[" + alarms.joined(separator: ",") + "]"))
        if let s = t.stationAlarm {
            var o = JSONLine()
            o.add("reason", s.reason.rawValue)
            o.add("priority", s.priority.rawValue)
            o.add("raised_at", JSONLine.timestamp(s.raisedAt))
            o.add("acknowledged_by", s.acknowledgedBy?.rawValue)
            j.add("station_alarm", .raw(o.description))
        } else {
            j.add("station_alarm", .raw("null"))
        }
        return j.description
    }
}
