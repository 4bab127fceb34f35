import Foundation
import VigilCore

/// A session summary as a room published it (`RoomPayloads.summary`: snake_case keys, ISO 8601
/// times), read back into the ``SessionSummary`` the room computed.
public enum RoomSummary {
    /// The summary inside a kept `summary` message's payload.
    public static func decode(payload: String) throws -> SessionSummary {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any],
              let summary = object["summary"] as? [String: Any] else {
            throw ArchiveError("the summary message holds no summary object")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = JSONLine.date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a time: \(text)"))
            }
            return date
        }
        do {
            var decoded = try decoder.decode(SessionSummary.self, from: try JSONSerialization.data(withJSONObject: summary))
            // The key strategy renames dictionary keys too (`pulse_rate` → `pulseRate`): put back the vitals' and phases' names.
            decoded.phases = decoded.phases.mapKeys(snake).mapValues { $0.mapKeys(snake) }
            decoded.baseline = decoded.baseline.mapKeys(snake)
            decoded.discharge = decoded.discharge.mapKeys(snake)
            decoded.alarmsByPriority = decoded.alarmsByPriority.mapKeys(snake)
            return decoded
        } catch {
            throw ArchiveError("the room's summary does not read as a summary of this Vigil: \(error)")
        }
    }

    /// `pulseRate` → `pulse_rate`; a name already in snake case is left as it is.
    static func snake(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

extension Dictionary where Key == String {
    func mapKeys(_ f: (String) -> String) -> [String: Value] {
        Dictionary(map { (f($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
