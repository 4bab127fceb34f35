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
            guard let root = try Yams.compose(yaml: text) else {
                // An empty file is a truncated copy or the wrong file far more often than a wish
                // for every default, so it is refused rather than read as "nothing to change".
                problems.append(ConfigProblem(file: file, line: 1, key: "(file)",
                                              message: "is empty (nothing but blank lines or comments): nothing to check or run"))
                return nil
            }
            return root
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                 .composer(_, let problem, let mark, _):
                // At the end of a file with no last newline, libyaml's mark is one line past it.
                problems.append(ConfigProblem(file: file, line: min(mark.line, Self.lineCount(text)), key: "(yaml)", message: problem))
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

    /// The lines of `text` as YAML counts them: a break is \r\n, \r, \n, NEL, LS or PS.
    static func lineCount(_ text: String) -> Int {
        var lines = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": if previous != "\r" { lines += 1 }
            case "\r", "\u{85}", "\u{2028}", "\u{2029}": lines += 1
            default: break
            }
            previous = scalar
        }
        return lines
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

    /// The longest duration any setting takes: a session lasts hours, not days, and anything
    /// longer is a typo (or `1e300`, which would overflow the clock).
    public static let longestDuration: Duration = .seconds(24 * 3600)

    /// `90`, `90s`, `15m`, `2h` or `1h30m`; a bare number is seconds. Refuses anything outside
    /// `range` (by default 0 to ``longestDuration``) with its line.
    public func duration(_ node: Node, _ key: String, in range: ClosedRange<Duration> = .zero...YAMLReader.longestDuration) -> Duration? {
        guard let text = string(node, key) else { return nil }
        guard let seconds = Self.parseSeconds(text) else {
            report(node, key, "\"\(text)\" is not a duration (e.g. 30s, 15m, 2h)")
            return nil
        }
        // Compared as seconds before conversion: Duration from a huge Double traps.
        guard seconds >= range.lowerBound.seconds else {
            report(node, key, range.lowerBound == .zero ? "\"\(text)\" is negative"
                                                        : "\"\(text)\" is shorter than \(Self.describe(range.lowerBound))")
            return nil
        }
        guard seconds <= range.upperBound.seconds else {
            report(node, key, "\"\(text)\" is longer than \(Self.describe(range.upperBound)), the most this setting takes")
            return nil
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
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

    /// The seconds `text` names (`-5` included, so that the caller can say it is negative), or
    /// `nil` when it is not a finite duration.
    static func parseSeconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let seconds = Double(text) { return seconds.isFinite ? seconds : nil }
        var total = 0.0
        var digits = ""
        for ch in text.replacingOccurrences(of: "min", with: "m") {
            if ch.isNumber || ch == "." { digits.append(ch); continue }
            guard let unit = units[ch], let amount = Double(digits) else { return nil }
            total += amount * unit
            digits = ""
        }
        guard digits.isEmpty, !text.isEmpty, total.isFinite else { return nil }
        return total
    }

    /// `2m`, `24h`, `1h30m`, `90s`, `0s`: as a person writes it.
    static func describe(_ duration: Duration) -> String {
        let total = Int(duration.seconds.rounded())
        let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60)
        let parts = [h > 0 ? "\(h)h" : "", m > 0 ? "\(m)m" : "", s > 0 ? "\(s)s" : ""].joined()
        return parts.isEmpty ? "0s" : parts
    }
}
