import Foundation

/// A flat JSON object written with its keys in a fixed order and `null` for missing values, so
/// that a line printed today compares equal to the line printed tomorrow (replay fixtures,
/// logs a person reads).
public struct JSONLine: Sendable, CustomStringConvertible {
    public enum Value: Sendable {
        case string(String?)
        case number(Double?)
        case int(Int?)
        case bool(Bool)
        /// Already-encoded JSON (an array, a nested object), written as it is.
        case raw(String)
    }

    public private(set) var fields: [(String, Value)] = []

    public init() {}

    public mutating func add(_ key: String, _ value: Value) { fields.append((key, value)) }
    public mutating func add(_ key: String, _ value: String?) { add(key, .string(value)) }
    public mutating func add(_ key: String, _ value: Double?) { add(key, .number(value)) }
    public mutating func add(_ key: String, _ value: Int?) { add(key, .int(value)) }

    public var description: String {
        "{" + fields.map { "\(Self.quote($0.0)):\(Self.render($0.1))" }.joined(separator: ",") + "}"
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .string(let s): s.map(quote) ?? "null"
        case .int(let i): i.map(String.init) ?? "null"
        case .bool(let b): b ? "true" : "false"
        case .raw(let json): json
        case .number(let d): d.map(number) ?? "null"
        }
    }

    /// Whole numbers print without a fraction; others with at most three decimals.
    public static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        var s = String(format: "%.3f", d)
        while s.hasSuffix("0") { s.removeLast() }
        // 0.0001 prints as "0.000": what is left must still be a JSON number ("0", not "0.").
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// ISO 8601 in UTC, with milliseconds when they are not zero.
    public static func timestamp(_ date: Date) -> String {
        let ms = Int((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(ms.quotient(1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var s = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                       Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        let fraction = ms - ms.quotient(1000) * 1000
        if fraction != 0 { s += String(format: ".%03d", fraction) }
        return s + "Z"
    }

    /// Reads back what ``timestamp(_:)`` writes (with or without milliseconds); `nil` for anything else.
    public static func date(from text: String) -> Date? {
        let plain = Date.ISO8601FormatStyle(timeZone: .gmt)
        if let date = try? Date(text, strategy: plain) { return date }
        return try? Date(text, strategy: plain.time(includingFractionalSeconds: true))
    }
}

extension AlarmEvent {
    /// The event as one JSON line, keys in the order the architecture names them.
    public var jsonLine: JSONLine {
        var j = JSONLine()
        j.add("time", JSONLine.timestamp(time))
        j.add("id", id)
        j.add("seq", seq)
        j.add("kind", kind.rawValue)
        j.add("condition", condition)
        j.add("vital", vital?.rawValue)
        j.add("device", device)
        j.add("priority", priority.rawValue)
        j.add("state", state.rawValue)
        j.add("value", value)
        j.add("worst_value", worstValue)
        j.add("limit", limit)
        j.add("phase", phase.rawValue)
        j.add("since_dose_s", sinceDose)
        j.add("by", by?.rawValue)
        j.add("detail", detail)
        return j
    }
}

extension SessionEvent {
    public var jsonLine: JSONLine {
        var j = JSONLine()
        j.add("time", JSONLine.timestamp(time))
        j.add("event", kind.rawValue)
        j.add("phase", phase.rawValue)
        j.add("since_dose_s", sinceDose)
        j.add("by", by?.rawValue)
        j.add("text", text)
        return j
    }
}

extension Int {
    /// Division rounding towards minus infinity, for times before 1970 as well as after.
    fileprivate func quotient(_ d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
