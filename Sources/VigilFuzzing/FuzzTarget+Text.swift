import Foundation
import VigilAgent
import VigilCore
import VigilDevices

extension FuzzTarget {
    /// A JSON oximeter's payload through the shipped bridge's mapping: no crash, and every value
    /// it gives the alarm engine is a finite number (a NaN compares false with every limit, so
    /// a desaturation read as NaN would never alarm).
    static let jsonDeviceMapping = FuzzTarget(name: "json-device-mapping", seeds: {
        [#"{"deviceId":"ox-1","ts":1795400000123,"vitals":{"spO2":97,"heartRate":72}}"#,
         #"{"ts":1795400000123,"vitals":{"spO2":-999,"heartRate":null}}"#, #"{"vitals":{"spO2":"88","heartRate":"131.5"}}"#,
         #"{"vitals":{"spO2":true}}"#, "97"].map { Array($0.utf8) }
    }) { bytes in
        guard let mapping = bridge else { return "Devices/json-oximeter-bridge.yaml did not load" }
        guard case .values(let values, _) = try? mapping.decode(bytes) else { return nil }
        if let bad = values.first(where: { $0.value.map { !$0.isFinite } ?? false }) {
            return "the mapping passed on a value that is not a number: \(bad)"
        }
        return nil
    }

    private static let bridge: JSONDeviceMapping? = {
        let path = checkout.appendingPathComponent("Devices/json-oximeter-bridge.yaml").path
        return (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { try? DeviceProfile.load(yaml: $0, file: path).mqtt?.mapping }
    }()

    /// A staff command from MQTT or the control socket, the verb picked by the first byte: no
    /// crash, never the agent's own `system` role, and no text that would not reach the record
    /// whole.
    static let staffCommand = FuzzTarget(name: "staff-command", seeds: {
        [#"{"request":"r-17","role":"nurse","alarm":"a-1"}"#, #"{"patient_reference":"PT-0042","expires_at":"2026-12-01T10:00:05Z"}"#,
         #"{"text":"patient asked for water","role":"doula"}"#, #"{"role":"system"}"#, "[]"]
            .enumerated().map { [UInt8($0.offset)] + Array($0.element.utf8) }
    }) { bytes in
        guard let first = bytes.first else { return nil }
        let verbs = StaffCommand.verbs + ["reboot"]
        let verb = verbs[Int(first) % verbs.count]
        guard let command = try? StaffCommand.parse(verb: verb, payload: Array(bytes.dropFirst()), defaultRole: .station) else { return nil }
        let said: (role: Role, text: String?) = switch command.command {
        case .acknowledge(let role, let alarm), .pauseAudio(let role, let alarm): (role, alarm)
        case .startSession(let role, let reference): (role, reference)
        case .addNote(let text, let role): (role, text)
        case .markDose(let role), .markBooster(let role), .endSession(let role, _): (role, nil)
        default: (.system, nil)
        }
        if said.role == .system { return "a command from outside was taken as the agent's own: \(command)" }
        if let text = said.text, text.unicodeScalars.contains(where: { $0 == "\0" }) { return "a NUL reached the command: \(command)" }
        return nil
    }

    /// A replay scenario: read, or refused at one of its own lines.
    static let scenario = FuzzTarget(name: "scenario", seeds: { files(in: "Tests/Fixtures/scenarios", ending: ".csv") }) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        do {
            _ = try Scenario.parse(text, file: "fuzz.csv")
            return nil
        } catch let error as ScenarioError {
            return error.file == "fuzz.csv" && (1...lines).contains(error.line) && !error.reason.isEmpty ? nil
                : "refused at a line the file does not have: \(error)"
        } catch {
            return "refused with an error that names no line: \(type(of: error)): \(error)"
        }
    }

    static let alarmProfile = yaml("alarm-profile", seeds: ["deploy/alarms.default.yaml"], folder: "Tests/Fixtures/quality/profiles") {
        _ = try AlarmProfile.load(yaml: $0, file: $1)
    }
    static let roomConfig = yaml("room-config", seeds: ["deploy/vigil.example.yaml"]) { _ = try VigilConfig.parse(yaml: $0, file: $1) }
    static let stationConfig = yaml("station-config", seeds: ["deploy/station.example.yaml"]) {
        _ = try StationConfig.parse(yaml: $0, file: $1)
    }
    static let deviceProfile = yaml("device-profile", seeds: [], folder: "Devices") { _ = try DeviceProfile.load(yaml: $0, file: $1) }

    /// A YAML file a clinic edits: read, or refused with every problem at a line of the file
    /// (`FILE:LINE: key: what`), never a raw parser error.
    static func yaml(_ name: String, seeds: [String], folder: String? = nil,
                     parse: @escaping @Sendable (String, String) throws -> Void) -> FuzzTarget {
        FuzzTarget(name: name, seeds: {
            seeds.compactMap { FileManager.default.contents(atPath: checkout.appendingPathComponent($0).path).map { [UInt8]($0) } }
                + (folder.map { files(in: $0, ending: ".yaml") } ?? [])
        }) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            // Every break YAML counts: \n, \r, NEL, LS and PS (a \r\n counted twice, which only widens the range).
            let lines = text.unicodeScalars.filter { ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) }.count + 1
            do {
                try parse(text, "fuzz.yaml")
                return nil
            } catch let refused as ConfigProblems {
                if refused.problems.isEmpty { return "refused, naming no problem" }
                if let bad = refused.problems.first(where: { $0.file != "fuzz.yaml" || !(1...lines).contains($0.line) || $0.message.isEmpty }) {
                    return "a problem at no line of the file: \(bad)"
                }
                return nil
            } catch {
                return "refused with an error that names no line: \(type(of: error)): \(error)"
            }
        }
    }

    /// The checkout this was built from: seeds are its shipped files and test fixtures.
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func files(in folder: String, ending suffix: String) -> [[UInt8]] {
        let url = checkout.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
            .compactMap { FileManager.default.contents(atPath: url.appendingPathComponent($0).path).map { [UInt8]($0) } }
    }
}
