import Foundation
import Logging
import VigilCore
import VigilStore

extension RoomAgent {
    /// Records a room event before it is passed on: a session row when a session starts, every
    /// session event, every alarm event, and the summary when the session ends.
    func record(_ event: RoomEvent) {
        if case .session(let s) = event {
            if s.kind == .started { sessionTimes = (s.time, nil) }
            if s.kind == .dose { sessionTimes.dose = s.time }
        }
        guard let store else { return }
        switch event {
        case .alarm(let alarm):
            let session = sessionID, announcement = announcement(of: alarm)
            write { try store.record(alarm, session: session, announcing: announcement) }
        case .session(let s):
            if s.kind == .started {
                let id = Self.newSessionID(at: s.time)
                let record = SessionRecord(id: id, site: identity.site, room: identity.room,
                                           patientReference: monitor.session.patientReference, route: nil,
                                           startedAt: s.time.timeIntervalSince1970, startedBy: s.by?.rawValue ?? "system")
                sessionID = id
                write { try store.insert(record) }
            }
            guard let id = sessionID else { return }
            write { try store.record(s, session: id) }
            if s.kind == .ended { endedSession = id }
        }
    }

    /// Writes a record now, or — while the database refuses writes, or earlier records still
    /// wait — queues it behind them, in order, for ``retryPendingWrites()``. The alarm path
    /// never waits on a database another program holds locked for longer than the store's short
    /// busy timeout, and no alarm, session event, device event or audit row is lost meanwhile
    /// (as long as the process lives: they are in memory, like the readings).
    func write(_ record: @escaping () throws -> Void) {
        if pendingWrites.isEmpty {
            do {
                try record()
                return
            } catch {
                // Queued before the storage alarm, whose own record waits behind it.
                pendingWrites.append(record)
                storage(.failed("\(error)"))
                return
            }
        }
        pendingWrites.append(record)
    }

    /// Tries the waiting records again, at most once a second; the disk taking them all ends
    /// the storage alarm, as the reading writer's recovery does.
    func retryPendingWritesIfDue() {
        guard !pendingWrites.isEmpty else { return }
        let now = monitor.clock.now
        if let last = lastWriteRetry, last.duration(to: now) < .seconds(1) { return }
        lastWriteRetry = now
        retryPendingWrites()
        if pendingWrites.isEmpty { storage(.recovered) }
    }

    /// Writes what waits, oldest first, stopping at the first refusal; the run loop calls this
    /// about once a second while anything waits.
    func retryPendingWrites() {
        while let first = pendingWrites.first {
            do { try first() } catch { return }
            pendingWrites.removeFirst()
        }
        lastWriteRetry = nil
    }

    /// Computes, stores and hands on the finished session's summary.
    func summarize(session id: String) throws {
        guard let store, let record = try store.session(id) else { return }
        readingWriter?.flush()
        let summary = SessionSummary.compute(
            readings: try store.readings(session: id), alarms: try store.alarmEvents(session: id),
            events: try store.sessionEvents(session: id),
            startedAt: Date(timeIntervalSince1970: record.startedAt), doseAt: record.doseAt.map(Date.init(timeIntervalSince1970:)),
            endedAt: record.endedAt.map(Date.init(timeIntervalSince1970:)) ?? monitor.clock.wallNow,
            timeline: profile.timeline, noDataAfter: profile.technical.noDataAfter.seconds)
        try store.save(summary, session: id, announcing: announcement(of: summary, session: id))
        output(.summary(session: id, summary))
    }

    func recordDevice(_ device: String, _ event: String, _ detail: String?) {
        guard let store else { return }
        let at = monitor.clock.wallNow
        write { try store.recordDevice(device, event: event, detail: detail, at: at) }
    }

    func audit(_ command: RoomCommand, source: String) {
        guard let role = command.role else { return }
        let (action, detail): (String, String?) = switch command {
        case .startSession(_, let ref): ("session.start", ref.map { "patient reference \($0)" })
        case .markDose: ("dose", nil)
        case .markBooster: ("booster", nil)
        case .addNote(let text, _): ("note", text)
        case .endSession: ("session.end", nil)
        case .acknowledge(_, let id): ("ack", id)
        case .pauseAudio(_, let id): ("pause", id)
        default: ("", nil)
        }
        audit(action: action, role: role, detail: detail, source: source)
    }

    /// Audits an action that is not a room command (the music), with its role and source.
    public func audit(action: String, role: Role, detail: String?, source: String) {
        audit(action: action, who: role.rawValue, detail: detail, source: source)
    }

    private func audit(action: String, who: String, detail: String?, source: String) {
        guard let store else { return }
        let record = AuditRecord(time: monitor.clock.wallNow, sessionId: sessionID, who: who, action: action,
                                 detail: detail, source: source)
        write { try store.audit(record) }
    }

    /// Audits a staff command that was refused (malformed, not allowed, or refused by the
    /// session): action `refused`, detail `verb: reason`. The one helper for every channel.
    func auditRefusal(_ verb: String, role: Role, reason: String, source: String) {
        auditRefusal(verb, by: role.rawValue, reason: reason, source: source)
    }

    /// The same for a request refused before anyone could be named (no login, an expired
    /// session, a forged form): `who` is `anonymous`, or the role of a login that was refused.
    public func auditRefusal(_ verb: String, by who: String, reason: String, source: String) {
        audit(action: "refused", who: who, detail: "\(verb): \(reason)", source: source)
    }

    /// The disk refused or accepts again: a technical alarm and one clear log line, never a crash.
    func storage(_ status: ReadingWriter.StorageStatus) {
        switch status {
        case .failed(let reason):
            guard !storageFailing else { return }
            storageFailing = true
            log.critical("storage: the database refuses writes (\(reason)); readings are kept in memory until it accepts them")
            if let events = try? monitor.perform(.storageFailed(reason: reason)) {
                for event in events { output(.room(event)) }
                // The outbox is in the database that just failed: tell the clinic directly, and
                // keep the event for the record behind what already waits (without the outbox
                // entry it already had), so that the record's storage alarm is raised before it
                // clears (the disk-full drill found only its clearing).
                let session = sessionID
                for case .alarm(let alarm) in events {
                    announceDirectly(alarm)
                    if let store { pendingWrites.append { try store.record(alarm, session: session) } }
                }
                publishActiveAlarms()
                chime?.sound(for: monitor.alarms.activeAlarms)
            }
        case .recovered:
            retryPendingWrites()
            guard storageFailing, pendingWrites.isEmpty else { return }
            storageFailing = false
            log.notice("storage: the database accepts writes again")
            emit(try? monitor.perform(.storageRecovered))
        }
    }

    /// How far back a restart looks for alarms still open between sessions.
    static var openAlarmLookback: TimeInterval { 24 * 3600 }

    /// Picks up a session that was running when the agent stopped, if there is one, in the
    /// phase its last dose gives. Alarms the log shows open — the session's, and those still open
    /// between sessions — stay open with their state (latched, acknowledged, paused): a restart
    /// never silences an alarm that still needs a person. Returns what to tell the user,
    /// including whether the clock moved.
    public func resumeUnfinishedSession() throws -> String? {
        guard let store else { return nil }
        var message = try store.unfinishedSession().map { try resume($0, from: store) }
        let outside = try store.alarmEvents(since: monitor.clock.wallNow.addingTimeInterval(-Self.openAlarmLookback),
                                            excludingSession: sessionID)
        let before = Set(monitor.alarms.activeAlarms.map(\.id))
        monitor.continueSequence(after: outside.map(\.seq).max() ?? 0)
        emit(monitor.restoreOpenAlarms(outside))
        let restored = monitor.alarms.activeAlarms.filter { !before.contains($0.id) }
        if !restored.isEmpty {
            message = (message.map { $0 + "; " } ?? "") + "still open from outside a session: " + Self.list(restored)
        }
        // Restored without events, so nothing else republishes them: the station showed the
        // retained empty list of the start, and a latched alarm vanished from the desk.
        publishSessionState()
        publishActiveAlarms()
        return message
    }

    private func resume(_ record: SessionRecord, from store: Store) throws -> String {
        let id = record.id
        let started = Date(timeIntervalSince1970: record.startedAt)
        let doses = try store.sessionEvents(session: id).filter { $0.kind == .dose || $0.kind == .booster }.map(\.time)
        let lastDose = doses.max() ?? record.doseAt.map(Date.init(timeIntervalSince1970:))
        let previous = try store.alarmEvents(session: id)
        sessionID = id
        sessionTimes = (started, record.doseAt.map(Date.init(timeIntervalSince1970:)))
        monitor.continueSequence(after: previous.map(\.seq).max() ?? 0)
        emit(try monitor.resume(startedAt: started, firstDoseAt: record.doseAt.map(Date.init(timeIntervalSince1970:)), lastDoseAt: lastDose, patientReference: record.patientReference,
                                readings: try store.readings(session: id), alarmEvents: previous))
        var message = "resumed session \(id) in \(monitor.session.phase.rawValue)"
        if let since = monitor.session.sinceDose { message += ", \(Int(since.seconds / 60)) min after the dose" }
        let open = monitor.alarms.activeAlarms
        if !open.isEmpty {
            message += "; still open: " + Self.list(open)
        }
        if let last = try store.lastRecordTime(session: id) {
            let gap = monitor.clock.wallNow.timeIntervalSince(last)
            if gap < -1 {
                message += "; the wall clock is \(Int(-gap)) s behind the last record: it was moved back, so times after this may overlap earlier ones"
            } else if gap > 60 {
                message += "; nothing was recorded for \(Int(gap / 60)) min while the agent was down"
            }
        }
        return message
    }

    /// Alarms as the resume line names them: `HIGH spo2_low 3f2a-A4, …`.
    static func list(_ alarms: [Alarm]) -> String {
        alarms.map { "\($0.priority.rawValue.uppercased()) \($0.condition) \($0.id)" }.joined(separator: ", ")
    }

    static func newSessionID(at time: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "S\(f.string(from: time))-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
    }
}
