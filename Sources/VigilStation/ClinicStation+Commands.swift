import Foundation
import VigilCore
import VigilMQTT

/// A nurse answering one alarm from the desk: the command goes to the room on its `cmd/` topic,
/// and the station reports what the room answered. The tile itself changes only when the room's
/// active-alarm list says so, never on the station's word.
extension ClinicStation {
    /// What became of a command.
    public enum CommandOutcome: Sendable, Hashable {
        /// The room did it.
        case done
        /// The room refused it, and why.
        case refused(String)
        /// No such room or alarm on the board.
        case unknown(String)
        /// The room did not answer in time; the command expires, so it will not be done later.
        case noAnswer
        /// It was not sent: the station has lost the broker, or the room is offline.
        case unreachable(String)
    }

    /// How long the station waits for a room's answer.
    public static var answerTimeout: Duration { .seconds(5) }

    /// Acknowledges (`ack`) or pauses the sound of (`pause`) one alarm of one room, as `role`.
    public func respond(_ verb: String, alarm: String, in room: RoomKey, by role: Role) async -> CommandOutcome {
        guard ["ack", "pause"].contains(verb) else { return .unknown("no such command: \(verb)") }
        guard let tile = board.tiles[room] else { return .unknown("no room \(room) on the board") }
        guard tile.alarms.contains(where: { $0.id == alarm }) else { return .unknown("\(room) has no active alarm \(alarm)") }
        guard board.brokerConnected else { return .unreachable("the station has lost the broker: nothing was sent") }
        guard tile.status != .offline else { return .unreachable("\(room.room) is offline: nothing was sent") }
        let request = "station-\(UUID().uuidString.prefix(12).lowercased())"
        var j = JSONLine()
        j.add("request", request)
        j.add("role", role.rawValue)
        j.add("alarm", alarm)
        // The room refuses it after this: once the nurse is told it was not done, it never is.
        j.add("expires_at", JSONLine.timestamp(Date().addingTimeInterval(Self.answerTimeout.seconds)))
        let topic = RoomTopics(site: room.site, room: room.room).command(verb)
        let payload = j.description
        let client = self.client
        // The room answers on …/result; wait for it, or give up after the timeout.
        let answer: CommandResult? = await withCheckedContinuation { continuation in
            waiting[request] = continuation
            // One deadline for the broker's acknowledgement and the room's answer together:
            // the nurse waits 5 s at most, as the command's expiry says.
            let deadline = ContinuousClock.now + Self.answerTimeout
            Task {
                do { try await client.publish(topic, payload, qos: 1, timeout: Self.answerTimeout) } catch {
                    self.answer(request, with: nil)
                    return
                }
                try? await Task.sleep(until: deadline)
                self.answer(request, with: nil)
            }
        }
        guard let answer else {
            log.warning("station: \(room) did not answer \(verb) \(alarm) within \(Self.answerTimeout)")
            return .noAnswer
        }
        if let error = answer.error {
            log.warning("station: \(room) refused \(verb) \(alarm): \(error)")
            return .refused(error)
        }
        log.notice("station: \(room) took \(verb) \(alarm) by \(role.rawValue)")
        return .done
    }

    func answer(_ request: String, with result: CommandResult?) {
        waiting.removeValue(forKey: request)?.resume(returning: result)
    }

    /// Silences the station's own alarm about a room (it stays on the tile until the room is back).
    public func acknowledgeStationAlarm(of room: RoomKey, by role: Role) -> Bool {
        guard let alarm = board.acknowledgeStationAlarm(of: room, by: role) else { return false }
        log.notice("station: \(alarm.reason.rawValue) of \(room) acknowledged by \(role.rawValue) at the station")
        apply([.tile(room)])
        return true
    }
}
