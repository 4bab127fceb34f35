import Foundation
import VigilCore

/// A session's record for the chart: CSV (one row per reading), JSON (everything), or a FHIR
/// R4 `Bundle` of vital-sign `Observation`s with LOINC codes and UCUM units. No patient name
/// appears anywhere; FHIR carries the session's opaque patient reference as an identifier.
public enum SessionExport {
    public enum Format: String, Sendable, CaseIterable { case csv, json, fhir }

    public static func export(_ id: String, from store: Store, as format: Format) throws -> String {
        guard let session = try store.session(id) else { throw StoreError.noSuchSession(id) }
        let readings = try store.readings(session: id)
        switch format {
        case .csv: return csv(readings)
        case .json: return try json(session, readings: readings, store: store)
        case .fhir: return try fhir(session, readings: readings)
        }
    }

    static func iso(_ d: Date) -> String { JSONLine.timestamp(d) }

    public static func csv(_ readings: [Reading]) -> String {
        var out = "time,vital,value,unit,quality,device\n"
        for r in readings {
            out += "\(iso(r.time)),\(r.vital.rawValue),\(r.value.map(JSONLine.number) ?? ""),\(r.vital.unit),\(r.quality.rawValue),\(r.device)\n"
        }
        return out
    }

    static func json(_ session: SessionRecord, readings: [Reading], store: Store) throws -> String {
        var lines = ["{", "\"schema_version\":1,", "\"session\":\(sessionJSON(session)),"]
        lines.append("\"events\":[" + (try store.sessionEvents(session: session.id)).map { $0.jsonLine.description }.joined(separator: ",") + "],")
        lines.append("\"alarms\":[" + (try store.alarmEvents(session: session.id)).map { $0.jsonLine.description }.joined(separator: ",") + "],")
        lines.append("\"readings\":[" + readings.map(readingJSON).joined(separator: ",") + "]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A session row as the JSON export and the web API list it.
    public static func sessionJSON(_ s: SessionRecord) -> String {
        var j = JSONLine()
        j.add("id", s.id)
        j.add("site", s.site)
        j.add("room", s.room)
        j.add("patient_reference", s.patientReference)
        j.add("started_at", iso(Date(timeIntervalSince1970: s.startedAt)))
        j.add("started_by", s.startedBy)
        j.add("dose_at", s.doseAt.map { iso(Date(timeIntervalSince1970: $0)) })
        j.add("ended_at", s.endedAt.map { iso(Date(timeIntervalSince1970: $0)) })
        j.add("ended_by", s.endedBy)
        return j.description
    }

    static func readingJSON(_ r: Reading) -> String {
        var j = JSONLine()
        j.add("time", iso(r.time))
        j.add("vital", r.vital.rawValue)
        j.add("value", r.value)
        j.add("device", r.device)
        j.add("quality", r.quality.rawValue)
        return j.description
    }

    /// LOINC code and display for each vital FHIR has a code for.
    static let loinc: [Vital: (code: String, display: String)] = [
        .spo2: ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
        .pulseRate: ("8867-4", "Heart rate"),
        .systolic: ("8480-6", "Systolic blood pressure"),
        .diastolic: ("8462-4", "Diastolic blood pressure"),
        .meanArterial: ("8478-0", "Mean blood pressure"),
        .nibpPulse: ("8867-4", "Heart rate"),
    ]

    static func fhir(_ session: SessionRecord, readings: [Reading]) throws -> String {
        let entries: [[String: Any]] = readings.enumerated().compactMap { index, r in
            guard let value = r.validValue, let code = loinc[r.vital] else { return nil }
            var observation: [String: Any] = [
                "resourceType": "Observation",
                "id": "\(session.id)-\(index)",
                "status": "final",
                "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                           "code": "vital-signs", "display": "Vital Signs"]]]],
                "code": ["coding": [["system": "http://loinc.org", "code": code.code, "display": code.display]],
                         "text": r.vital.rawValue],
                "effectiveDateTime": iso(r.time),
                "valueQuantity": ["value": value, "unit": r.vital.unit, "system": "http://unitsofmeasure.org",
                                  "code": r.vital.unit],
                "device": ["display": r.device],
            ]
            if let reference = session.patientReference {
                observation["subject"] = ["identifier": ["system": "urn:vigil:patient-reference", "value": reference]]
            }
            return ["fullUrl": "urn:uuid:\(session.id)-\(index)", "resource": observation]
        }
        let bundle: [String: Any] = ["resourceType": "Bundle", "type": "collection",
                                     "timestamp": iso(Date(timeIntervalSince1970: session.endedAt ?? session.startedAt)),
                                     "identifier": ["system": "urn:vigil:session", "value": session.id],
                                     "entry": entries]
        let data = try JSONSerialization.data(withJSONObject: bundle, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// What the store cannot do, in words for the person at the terminal.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case noSuchSession(String)

    public var description: String {
        switch self {
        case .noSuchSession(let id): "no session \(id) in this database (vigil sessions lists them)"
        }
    }
}
