import Foundation
import VigilStore

/// The review list's date filter: sessions started between two days, both included, in UTC
/// (the times the review pages print). A field left empty leaves that side open.
public struct SessionFilter: Sendable, Hashable {
    /// The first moment of the first day kept, or `nil` for no lower bound.
    public var from: Date?
    /// The first moment of the last day kept (that whole day is kept), or `nil` for no upper bound.
    public var to: Date?

    /// Parses the form's `from` and `to` fields as `YYYY-MM-DD`; an empty or missing field is no
    /// bound. A date that is not one (`2026-02-30`, `1/12/2026`) or a `from` after `to` is refused
    /// with a message a provider can act on.
    public init(from: String?, to: String?) throws {
        self.from = try Self.day(from, field: "from")
        self.to = try Self.day(to, field: "to")
        if let start = self.from, let end = self.to, start > end {
            throw SessionFilterError(field: "from", text: Self.format(start),
                                     reason: "is after \"to\" (\(Self.format(end))); the first day must come first")
        }
    }

    /// The sessions started on the days kept, newest first.
    public func apply(_ sessions: [SessionRecord]) -> [SessionRecord] {
        let lower = from?.timeIntervalSince1970 ?? -.infinity
        let upper = to.map { $0.timeIntervalSince1970 + Self.day } ?? .infinity
        return sessions.filter { $0.startedAt >= lower && $0.startedAt < upper }.sorted { $0.startedAt > $1.startedAt }
    }

    /// Whether a bound is set: the list says what it shows.
    public var isOpen: Bool { from == nil && to == nil }

    /// A day as the form and the pages write it (`2026-12-01`).
    static func format(_ day: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    static let day: TimeInterval = 86_400

    static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    /// Strictly `YYYY-MM-DD` and a real day: the calendar would quietly turn 2026-02-30 into
    /// 2026-03-02, so the day it makes must give back the same year, month and day.
    static func day(_ raw: String?, field: String) throws -> Date? {
        guard let text = raw?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = parts.map(\.count)
        guard widths == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]) else {
            throw SessionFilterError(field: field, text: text, reason: "is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01")
        }
        let wanted = DateComponents(year: year, month: month, day: dayOfMonth)
        guard year >= 1970, let date = calendar.date(from: wanted),
              case let made = calendar.dateComponents([.year, .month, .day], from: date),
              made.year == year, made.month == month, made.day == dayOfMonth else {
            throw SessionFilterError(field: field, text: text, reason: "is not a day of the calendar")
        }
        return date
    }
}

/// A date filter the review cannot use, said in words: `from: "2026-13-01" is not a day of the calendar`.
public struct SessionFilterError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The form field at fault: `from` or `to`.
    public var field: String
    /// What was typed.
    public var text: String
    public var reason: String

    public var description: String { "\(field): \"\(text)\" \(reason)" }
    public var errorDescription: String? { description }
}
