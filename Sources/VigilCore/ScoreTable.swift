import Foundation

/// The table a medical director chooses limits by, in Markdown: one row per monitor (the naive
/// one first), then how each caught each kind of true event.
public enum ScoreTable {
    public static func markdown(_ rows: [ScoreRow]) -> String {
        let naive = rows.first { $0.isNaive }?.nuisances
        var lines = [
            "| monitor | sessions | session-hours | true events | caught | missed | median lateness | max lateness "
                + "| nuisance alarms | vs naive | nuisance / session-hour | alarm-seconds | low notices | technical alarms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in rows {
            let cells = [
                row.name, "\(row.sessions.count)", fixed(row.hours, 1), "\(row.outcomes().count)",
                "\(row.latenesses().count)", "\(row.missed().count)", seconds(row.medianLateness()),
                seconds(row.latenesses().last), "\(row.nuisances)", versus(row.nuisances, naive, row.isNaive),
                fixed(row.nuisancesPerHour, 2), "\(Int(row.alarmSeconds.rounded()))", "\(row.notices)",
                row.isNaive ? "–" : "\(row.technical)",
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "| monitor | true event | events | caught | missed | median lateness | max lateness |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in rows {
            for kind in TrueEvent.Kind.allCases where !row.outcomes(kind).isEmpty {
                let cells = [row.name, kind.rawValue, "\(row.outcomes(kind).count)", "\(row.latenesses(kind).count)",
                             "\(row.missed(kind).count)", seconds(row.medianLateness(kind)), seconds(row.latenesses(kind).last)]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Each missed event, for the reader to look at: `session-07.csv: desaturation 3053–3133 s`.
    public static func missed(_ rows: [ScoreRow]) -> [String] {
        rows.flatMap { row in
            row.sessions.flatMap { session in
                session.outcomes.filter { $0.lateness == nil }.map {
                    "\(row.name): \(session.scenario): \($0.event.kind.rawValue) "
                        + "\(JSONLine.number($0.event.start))–\(JSONLine.number($0.event.end)) s missed"
                }
            }
        }
    }

    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    static func seconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value == value.rounded() ? "\(Int(value)) s" : "\(fixed(value, 1)) s"
    }

    static func versus(_ count: Int, _ naive: Int?, _ isNaive: Bool) -> String {
        guard !isNaive, let naive, naive > 0 else { return "–" }
        let change = (Double(count) / Double(naive) - 1) * 100
        return "\(change <= 0 ? "−" : "+")\(Int(abs(change).rounded())) %"
    }
}
