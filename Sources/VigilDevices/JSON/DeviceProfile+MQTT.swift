import VigilCore
import Yams

extension DeviceProfile {
    /// `transport: mqtt`: a topic, and a `json:` section mapping fields to vitals:
    ///
    /// ```yaml
    /// json:
    ///   fields:
    ///     spo2: { path: vitals.spO2, unit: "%" }
    ///     pulse_rate: { path: vitals.heartRate, unit: bpm }
    ///   time: { path: ts, format: epoch_ms }
    ///   invalid: [-1, 0, 127]
    /// ```
    static func readMQTT(_ f: [String: Node], root: Node, model: String?, reader: YAMLReader) -> DeviceProfile? {
        for key in ["protocol", "probe", "port", "usb"] where f[key] != nil {
            reader.report(f[key], key, "is for serial devices; an MQTT device has topic and json")
        }
        let topic = f["topic"].flatMap { reader.string($0, "topic") }
        if let topic, topic.contains("+") || topic.contains("#") {
            reader.report(f["topic"], "topic", "must name one device's topic, without wildcards")
        }
        var vitals: [Vital] = []
        if let n = f["vitals"], let items = reader.list(n, "vitals") {
            vitals = items.compactMap { reader.choice($0, "vitals", as: Vital.self) }
        } else if f["vitals"] == nil {
            reader.report(root, "vitals", "missing")
        }
        guard let json = f["json"] else {
            reader.report(root, "json", "missing (which field holds which vital)")
            return nil
        }
        let mapping = readMapping(json, reader: reader)
        if let mapping {
            for field in mapping.fields where !vitals.contains(field.vital) {
                reader.report(json, "json.fields", "\(field.vital.rawValue) is mapped but not in vitals")
            }
        }
        let continuous = f["continuous"].flatMap { reader.bool($0, "continuous") } ?? true
        let watchdog = f["watchdog"].flatMap { reader.duration($0, "watchdog") } ?? .seconds(10)
        guard let model, let mapping else { return nil }
        return DeviceProfile(model: model, transport: .mqtt, protocols: [],
                             mqtt: MQTTSource(topic: topic, mapping: mapping, continuous: continuous),
                             settings: SerialSettings(baud: 9_600), vitals: vitals, usbVendor: nil, usbProduct: nil, watchdog: watchdog)
    }

    static func readMapping(_ node: Node, reader: YAMLReader) -> JSONDeviceMapping? {
        guard let f = reader.fields(node, "json", known: ["fields", "time", "invalid"]) else { return nil }
        var fields: [JSONDeviceMapping.Field] = []
        if let n = f["fields"], let entries = reader.fields(n, "json.fields", known: Vital.allCases.map(\.rawValue)) {
            for (name, spec) in entries.sorted(by: { $0.key < $1.key }) {
                let key = "json.fields.\(name)"
                guard let vital = Vital(rawValue: name),
                      let s = reader.fields(spec, key, known: ["path", "unit", "scale"]) else { continue }
                guard let pathNode = s["path"], let path = reader.string(pathNode, "\(key).path") else {
                    reader.report(spec, "\(key).path", "missing (a dotted path such as vitals.spO2, or $ for a bare number)")
                    continue
                }
                let unit = s["unit"].flatMap { reader.choice($0, "\(key).unit", as: IncomingUnit.self) }
                if let unit, !unit.fits(vital) {
                    reader.report(s["unit"], "\(key).unit", "\(unit.rawValue) is not a unit of \(vital.rawValue)")
                }
                let scale = s["scale"].flatMap { reader.number($0, "\(key).scale") } ?? 1
                fields.append(JSONDeviceMapping.Field(vital: vital, path: path == "$" ? [] : path.split(separator: ".").map(String.init),
                                                      unit: unit, scale: scale))
            }
        }
        if fields.isEmpty { reader.report(node, "json.fields", "maps no vital") }
        var timePath: [String]?
        var format = JSONDeviceMapping.TimeFormat.epochSeconds
        if let n = f["time"], let t = reader.fields(n, "json.time", known: ["path", "format"]) {
            timePath = t["path"].flatMap { reader.string($0, "json.time.path") }?.split(separator: ".").map(String.init)
            format = t["format"].flatMap { reader.choice($0, "json.time.format", as: JSONDeviceMapping.TimeFormat.self) } ?? format
        }
        var invalid: Set<Double> = []
        if let n = f["invalid"], let items = reader.list(n, "json.invalid") {
            invalid = Set(items.compactMap { reader.number($0, "json.invalid") })
        }
        guard !fields.isEmpty else { return nil }
        return JSONDeviceMapping(fields: fields, timePath: timePath, timeFormat: format, invalid: invalid)
    }
}
