import Foundation
import Logging
import VigilCore
import VigilMQTT
import VigilStore

extension RoomAgent {
    /// Publishes the room on the clinic's broker from now on: the current session state and
    /// active alarms at once, then every change.
    public func publish(to publisher: RoomPublisher) {
        self.publisher = publisher
        publishSessionState()
        publishActiveAlarms()
    }

    /// The message that announces an alarm event, written to the outbox with the event.
    func announcement(of alarm: AlarmEvent) -> OutboxEntry? {
        guard let publisher else { return nil }
        return OutboxEntry(topic: publisher.topics.alarms, payload: publisher.payloads.alarmEvent(alarm, session: sessionID),
                           eventId: RoomPayloads.eventID(alarm), createdAt: alarm.time)
    }

    func announcement(of summary: SessionSummary, session id: String) -> OutboxEntry? {
        guard let publisher, let payload = try? publisher.payloads.summary(summary, session: id) else { return nil }
        return OutboxEntry(topic: publisher.topics.summary, payload: payload, eventId: RoomPayloads.eventID(summaryOf: id))
    }

    /// After events were recorded: wake the outbox sender and refresh the retained state.
    func publish(_ events: [RoomEvent]) {
        guard let publisher, !events.isEmpty else { return }
        var alarms = false, session = false
        for event in events {
            switch event {
            case .alarm(let a):
                alarms = true
                // Without a database there is no outbox: sent once, lost in an outage.
                if store == nil { announceDirectly(a) }
            case .session: session = true
            }
        }
        if store != nil { publisher.outboxChanged() }
        if alarms { publishActiveAlarms() }
        if session { publishSessionState() }
    }

    /// Sends an alarm event without the outbox (no database, or the database failing).
    func announceDirectly(_ alarm: AlarmEvent) {
        guard let publisher else { return }
        publisher.send(publisher.topics.alarms, publisher.payloads.alarmEvent(alarm, session: sessionID))
    }

    func publish(_ reading: Reading) {
        guard let publisher else { return }
        publisher.retain(publisher.topics.vitals(reading.vital), publisher.payloads.reading(reading), qos: 0)
    }

    func publishActiveAlarms() {
        guard let publisher else { return }
        publisher.retain(publisher.topics.activeAlarms,
                         publisher.payloads.activeAlarms(monitor.alarms.activeAlarms, at: monitor.clock.wallNow), qos: 1)
    }

    func publishSessionState() {
        guard let publisher else { return }
        publisher.retain(publisher.topics.session, publisher.payloads.session(sessionState()), qos: 1)
    }

    /// Serves the station's commands until the stream ends: each is checked, performed and
    /// audited with source `mqtt`, and answered on `…/cmd/<verb>/result`. A command that is
    /// malformed, unknown or refused by the session changes nothing; its refusal is audited too.
    ///
    /// A retained command (`mosquitto_pub -r`) is refused and cleared from the broker: the broker
    /// would hand it over again at every reconnect, and a stop sent once would end each later
    /// session. An empty payload is the broker's way to clear a retained message (ours comes
    /// back to us), not a command.
    public func serve(commands: AsyncStream<MQTTMessage>) async {
        for await message in commands {
            guard let publisher, let verb = publisher.topics.verb(of: message.topic), !message.payload.isEmpty else { continue }
            if message.retained { publisher.clearRetained(message.topic) }
            var request: String?
            var refusal: String?
            var role = Role.station
            do {
                let command = try StaffCommand.parse(verb: verb, payload: message.payload, defaultRole: .station)
                request = command.request
                role = command.command.role ?? .station
                if message.retained {
                    refusal = Self.retainedRefusal
                } else if let expired = command.expiresAt, expired < Date() {
                    // Real time, not the room's clock (a demo's runs fast): the station has
                    // already told the nurse this was not done.
                    refusal = "the command expired on its way (the sender stopped waiting at \(JSONLine.timestamp(expired))); it was not done: send it again"
                } else {
                    do { try perform(command.command, source: "mqtt") } catch { refusal = "\(error)" }
                }
            } catch {
                request = error.request
                refusal = message.retained ? Self.retainedRefusal : error.reason
            }
            if let refusal {
                auditRefusal(verb, role: role, reason: refusal, source: "mqtt")
                log.warning("mqtt: refused \(verb) from the station: \(refusal)")
            }
            publisher.send(publisher.topics.commandResult(verb),
                           publisher.payloads.commandResult(request: request, verb: verb, error: refusal, at: monitor.clock.wallNow))
        }
    }

    static var retainedRefusal: String {
        "a retained command is never applied (the broker would replay it at every reconnect); it was cleared: send it again without retain"
    }
}
