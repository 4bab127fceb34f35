import Foundation

/// How far back a list of sessions reaches, as a person writes it on the command line or in a
/// page's address: an age (`30d`, `2w`, `12h`) or, where a start is asked for, a UTC date.
public enum SessionAge {
    /// `30d`, `2w`, `12h` in seconds; `nil` for anything else (zero, negative, infinite).
    public static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["d": 86_400, "w": 604_800, "h": 3_600]
        guard let unit = text.last, let factor = units[unit], let amount = Double(text.dropLast()), amount > 0,
              amount.isFinite else { return nil }
        return amount * factor
    }

    /// Where the list starts: an age before `now`, or a date (`2026-11-01`, midnight UTC).
    public static func start(_ text: String, now: Date = Date()) -> Date? {
        if let date = JSONLine.date(from: text + "T00:00:00Z") { return date }
        return seconds(text).map { now.addingTimeInterval(-$0) }
    }
}
