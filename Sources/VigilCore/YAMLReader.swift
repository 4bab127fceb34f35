import Foundation
import Yams

/// Reads typed values out of a YAML document while collecting every problem with its file, line
/// and key. Readers return `nil` for a bad value and carry on, so one run of `vigil
/// check-config` lists everything that needs fixing.
public final class YAMLReader {
    public let file: String
    public private(set) var problems: [ConfigProblem] = []

    public init(file: String) { self.file = file }

    /// The document's root node, or `nil` (with a problem recorded) if the YAML does not parse.
    public func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                 .composer(_, let problem, let mark, _):
                problems.append(ConfigProblem(file: file, line: mark.line, key: "(yaml)", message: problem))
            case .duplicatedKeysInMapping(let duplicates, let context):
                problems.append(ConfigProblem(file: file, line: context.mark.line, key: duplicates.joined(separator: ", "),
                                              message: "key appears more than once"))
            default:
                problems.append(ConfigProblem(file: file, line: 1, key: "(yaml)", message: "\(error)"))
            }
        } catch {
            problems.append(ConfigProblem(file: file, line: 1, key: "(yaml)", message: "\(error)"))
        }
        return nil
    }

    public func report(_ node: Node?, _ key: String, _ message: String) {
        problems.append(ConfigProblem(file: file, line: node?.mark?.line ?? 1, key: key, message: message))
    }

    /// A mapping's entries by key; keys not in `known` are reported as unknown.
    public func fields(_ node: Node, _ key: String, known: [String]) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            report(node, key, "expected a mapping of keys to values")
            return nil
        }
        var out: [String: Node] = [:]
        for (k, v) in mapping {
            let name = k.string ?? "\(k)"
            let path = key.isEmpty ? name : "\(key).\(name)"
            if known.contains(name) { out[name] = v } else {
                report(k, path, "unknown key (expected one of: \(known.joined(separator: ", ")))")
            }
        }
        return out
    }

    public func list(_ node: Node, _ key: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, key, "expected a list")
            return nil
        }
        return Array(sequence)
    }

    public func string(_ node: Node, _ key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, key, "expected a single value")
            return nil
        }
        return scalar.string
    }

    public func number(_ node: Node, _ key: String, in range: ClosedRange<Double>? = nil) -> Double? {
        guard let text = string(node, key) else { return nil }
        guard let value = Double(text), value.isFinite else {
            report(node, key, "\"\(text)\" is not a number")
            return nil
        }
        if let range, !range.contains(value) {
            report(node, key, "\(JSONLine.number(value)) is outside \(JSONLine.number(range.lowerBound))…\(JSONLine.number(range.upperBound))")
            return nil
        }
        return value
    }

    public func bool(_ node: Node, _ key: String) -> Bool? {
        guard let text = string(node, key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, key, "\"\(text)\" is not true or false")
            return nil
        }
    }

    /// `90`, `90s`, `15m`, `2h` or `1h30m`; a bare number is seconds.
    public func duration(_ node: Node, _ key: String) -> Duration? {
        guard let text = string(node, key) else { return nil }
        guard let duration = Self.parseDuration(text) else {
            report(node, key, "\"\(text)\" is not a duration (e.g. 30s, 15m, 2h)")
            return nil
        }
        return duration
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, as type: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(node, key) else { return nil }
        guard let value = T(rawValue: text) else {
            report(node, key, "\"\(text)\" is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let seconds = Double(text), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        var total = 0.0
        var digits = ""
        for ch in text.replacingOccurrences(of: "min", with: "m") {
            if ch.isNumber || ch == "." { digits.append(ch); continue }
            guard let unit = units[ch], let amount = Double(digits) else { return nil }
            total += amount * unit
            digits = ""
        }
        guard digits.isEmpty, !text.isEmpty else { return nil }
        return .milliseconds(Int64(total * 1000))
    }
}
