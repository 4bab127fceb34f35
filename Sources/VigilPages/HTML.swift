import Foundation

/// Text made safe for HTML: every page builds its markup from these, so a patient reference,
/// a note or an alarm detail can never become markup.
public enum HTML {
    /// Escapes text for an element's content or a quoted attribute value.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A number as the pages print it: whole numbers without a decimal point, others to one place.
    public static func number(_ value: Double?, places: Int = 0) -> String {
        guard let value, value.isFinite else { return "–" }
        return places == 0 ? String(Int(value.rounded())) : String(format: "%.\(places)f", value)
    }

    /// A UTC time as the review pages print it (`2026-12-01 09:14:03`).
    public static func time(_ date: Date) -> String {
        date.formatted(utcSeconds)
    }

    /// One format for every page (a chart draws hundreds of times).
    private static let utcSeconds = Date.VerbatimFormatStyle(
        format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: TimeZone(identifier: "UTC")!, calendar: Calendar(identifier: .gregorian))
}
