import Foundation
import Testing
import VigilCore
import VigilDevices

@Suite("JSON devices over MQTT")
struct JSONDeviceTests {
    static let bridge: DeviceProfile = {
        let file = DeviceProfileTests.folder.appendingPathComponent("json-oximeter-bridge.yaml")
        return try! DeviceProfile.load(yaml: String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent)
    }()

    func values(_ json: String, _ mapping: JSONDeviceMapping = bridge.mqtt!.mapping) throws -> ([DeviceValue], Date?) {
        guard case .values(let values, let time) = try mapping.decode(Array(json.utf8)) else {
            Issue.record("no values")
            return ([], nil)
        }
        return (values.sorted { $0.vital.rawValue > $1.vital.rawValue }, time)
    }

    @Test("The ESP32 bridge's payload gives SpO2 and pulse with the board's own timestamp")
    func bridgePayload() throws {
        let (v, time) = try values(#"{"deviceId":"ox-1","ts":1795400000123,"vitals":{"spO2":97,"heartRate":72}}"#)
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid)])
        #expect(time == Date(timeIntervalSince1970: 1_795_400_000.123))
    }

    @Test("No finger on the sensor (-999, 0 or null) is a reading without a value, never a desaturation to 0")
    func sentinels() throws {
        let (v, _) = try values(#"{"ts":1795400000000,"vitals":{"spO2":-999,"heartRate":null}}"#)
        #expect(v == [DeviceValue(.spo2, nil, .sensorOff), DeviceValue(.pulseRate, nil, .sensorOff)])
    }

    @Test("A bare number on a topic of its own, a fraction, and numbers sent as strings")
    func bareAndUnits() throws {
        let bare = JSONDeviceMapping(fields: [.init(vital: .spo2, path: [], unit: .fraction)])
        #expect(try values("0.93", bare).0 == [DeviceValue(.spo2, 93, .valid)])
        let tenths = JSONDeviceMapping(fields: [.init(vital: .pulseRate, path: ["hr"], scale: 0.1)])
        #expect(try values(#"{"hr":"725"}"#, tenths).0 == [DeviceValue(.pulseRate, 72.5, .valid)])
    }

    @Test("\"nan\", \"inf\" and a number past a Double are problems, never a reading no limit can catch (found by fuzzing)",
          arguments: [#"{"vitals":{"spO2":"nan"}}"#, #"{"vitals":{"heartRate":"inf"}}"#, #"{"vitals":{"spO2":"-Infinity"}}"#,
                      #"{"vitals":{"spO2":1e999}}"#])
    func notANumber(payload: String) {
        #expect(throws: JSONDeviceMapping.Problem.self) { try Self.bridge.mqtt!.mapping.decode(Array(payload.utf8)) }
        let huge = JSONDeviceMapping(fields: [.init(vital: .spo2, path: [], unit: .fraction)])
        #expect(throws: JSONDeviceMapping.Problem.self) { try huge.decode(Array("1.7e308".utf8)) }
    }

    @Test("Garbage, a flag where a number belongs, and a payload with no mapped field are problems, not readings")
    func problems() {
        let mapping = Self.bridge.mqtt!.mapping
        #expect(throws: JSONDeviceMapping.Problem.self) { try mapping.decode(Array("[MAX30102] SpO2=97%".utf8)) }
        #expect(throws: JSONDeviceMapping.Problem.self) { try mapping.decode(Array(#"{"vitals":{"spO2":true}}"#.utf8)) }
        #expect(throws: JSONDeviceMapping.Problem.self) { try mapping.decode(Array(#"{"battery":80}"#.utf8)) }
        #expect(throws: JSONDeviceMapping.Problem.self) { try mapping.decode(Array(#"{"ts":"soon","vitals":{"spO2":97}}"#.utf8)) }
    }

    @Test("A bad MQTT profile names file, line and key")
    func badProfile() throws {
        let text = """
            model: Bridge
            transport: mqtt
            topic: clinic/+/vitals
            port: { baud: 9600 }
            vitals: [spo2]
            json:
              fields:
                spo2: { path: o2, unit: kPa }
                pulse_rate: { unit: bpm }
            """
        let error = try #require(throws: ConfigProblems.self) { try DeviceProfile.load(yaml: text, file: "bridge.yaml") }
        let lines = error.problems.map(\.description)
        #expect(lines.contains("bridge.yaml:3: topic: must name one device's topic, without wildcards"))
        #expect(lines.contains("bridge.yaml:4: port: is for serial devices; an MQTT device has topic and json"))
        #expect(lines.contains("bridge.yaml:8: json.fields.spo2.unit: kPa is not a unit of spo2"))
        #expect(lines.contains { $0.hasPrefix("bridge.yaml:9: json.fields.pulse_rate.path: missing") })
    }
}
