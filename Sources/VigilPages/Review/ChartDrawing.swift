import Foundation
import VigilCore

/// One session's chart being drawn: the frame fitted to its values, and its traces thinned to
/// the frame's width.
struct ChartDrawing {
    var review: SessionReview
    var frame: ChartFrame
    var spo2: VitalTrace
    var pulse: VitalTrace
    /// The alarm lane's row of each alarm, by id.
    var alarmRow: [String: Int]

    init(_ review: SessionReview) {
        self.review = review
        let s = review.summary
        func range(_ values: [Double]) -> ClosedRange<Double>? {
            guard let low = values.min(), let high = values.max() else { return nil }
            return low...high
        }
        let spo2Values = review.spo2.filter(VitalTrace.isDrawn).compactMap(\.value)
        let pulseValues = review.pulse.filter(VitalTrace.isDrawn).compactMap(\.value)
        let pressures = s.allBloodPressures.flatMap { [$0.systolic] + ($0.diastolic.map { [$0] } ?? []) }
        alarmRow = Self.rows(review.alarms.map(\.record), end: s.endedAt, slack: (s.endedAt.timeIntervalSince(s.startedAt) / 200))
        frame = ChartFrame(start: s.startedAt, end: s.endedAt, origin: s.doseAt ?? s.startedAt,
                           alarmRows: (alarmRow.values.max() ?? 0) + 1,
                           spo2: range(spo2Values), pulse: range(pulseValues), bloodPressure: range(pressures))
        let bucket = frame.secondsPerUnit
        spo2 = VitalTrace(review.spo2, from: frame.start, to: frame.end, bucket: bucket, keep: .lowest)
        pulse = VitalTrace(review.pulse, from: frame.start, to: frame.end, bucket: bucket, keep: .lowestAndHighest)
    }

    /// Each alarm in the first row free from its raising (with `slack` seconds to spare) to its
    /// clearing; past the last row, the row that frees first.
    static func rows(_ alarms: [SessionSummary.AlarmRecord], end: Date, slack: Double) -> [String: Int] {
        var busyUntil: [Date] = []
        var out: [String: Int] = [:]
        for a in alarms.sorted(by: { $0.raisedAt < $1.raisedAt }) {
            let until = max(a.clearedAt ?? end, a.raisedAt).addingTimeInterval(slack)
            if let free = busyUntil.firstIndex(where: { $0 <= a.raisedAt }) {
                busyUntil[free] = until
                out[a.id] = free
            } else if busyUntil.count < ChartFrame.mostAlarmRows {
                busyUntil.append(until)
                out[a.id] = busyUntil.count - 1
            } else {
                let soonest = busyUntil.indices.min { busyUntil[$0] < busyUntil[$1] }!
                busyUntil[soonest] = max(busyUntil[soonest], until)
                out[a.id] = soonest
            }
        }
        return out
    }

    var svg: String {
        let w = svgNumber(ChartFrame.width), h = svgNumber(frame.height)
        let since = review.summary.doseAt == nil ? "minutes since the start (no dose marked)" : "minutes since the dose"
        var out = "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(w) \(h)\" "
            + "role=\"img\" aria-labelledby=\"trend-title trend-desc\" font-size=\"14\">"
        out += "<title id=\"trend-title\">SpO2, pulse and blood pressure, \(since)</title>"
        out += "<desc id=\"trend-desc\">\(HTML.escape(description))</desc>"
        out += "<defs><pattern id=\"no-data\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<line class=\"hatch\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"\(TrendChart.dimColour)\" stroke-width=\"1.5\"/></pattern></defs>"
        out += phases + grid
        out += panel(title: "SpO2 %", scale: frame.spo2, colour: TrendChart.spo2Colour, className: "spo2")
        out += threshold(90, scale: frame.spo2)
        out += gaps(spo2, scale: frame.spo2, vital: "SpO2") + line(spo2, scale: frame.spo2, className: "spo2", colour: TrendChart.spo2Colour)
        out += panel(title: "Pulse /min", scale: frame.pulse, colour: TrendChart.pulseColour, className: "pulse")
        out += gaps(pulse, scale: frame.pulse, vital: "pulse") + line(pulse, scale: frame.pulse, className: "pulse", colour: TrendChart.pulseColour)
        out += panel(title: "BP mmHg", scale: frame.bloodPressure, colour: TrendChart.bloodPressureColour, className: "bp")
        out += bloodPressureBaseline + bloodPressures
        out += doses + alarms + timeAxis(since)
        return out + "</svg>"
    }

    /// What the chart shows, in words, for a screen reader.
    var description: String {
        let s = review.summary
        func count(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
        var parts = [count(s.allBloodPressures.count, "blood pressure measurement"), count(s.alarms.count, "alarm"),
                     count(s.dataGaps.count, "gap") + " in the SpO2 data"]
        if let low = s.minimumSpO2 { parts.insert("lowest SpO2 \(HTML.number(low)) %", at: 0) }
        return parts.joined(separator: ", ")
    }

    /// A panel's frame, its value ticks on the left and its name inside the top left corner.
    func panel(title: String, scale: ValueScale, colour: String, className: String) -> String {
        let left = svgNumber(ChartFrame.plotLeft), right = svgNumber(ChartFrame.plotRight)
        var out = "<g class=\"chart-panel \(className)\">"
        for tick in scale.ticks {
            let y = svgNumber(scale.y(tick))
            out += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(right)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(TrendChart.gridColour)\"/>"
            out += "<text class=\"tick\" x=\"\(svgNumber(ChartFrame.plotLeft - 6))\" y=\"\(svgNumber(scale.y(tick) + 4))\" "
                + "text-anchor=\"end\" fill=\"\(TrendChart.dimColour)\">\(svgNumber(tick))</text>"
        }
        out += "<rect class=\"frame\" x=\"\(left)\" y=\"\(svgNumber(scale.top))\" width=\"\(svgNumber(frame.plotWidth))\" "
            + "height=\"\(svgNumber(scale.bottom - scale.top))\" fill=\"none\" stroke=\"\(TrendChart.gridColour)\"/>"
        out += "<text class=\"panel-title \(className)\" x=\"\(svgNumber(ChartFrame.plotLeft))\" y=\"\(svgNumber(scale.top - 8))\" "
            + "fill=\"\(colour)\" font-weight=\"700\" font-size=\"15\">\(HTML.escape(title))</text>"
        return out + "</g>"
    }

    /// A dashed line at a limit the provider reads against (SpO2 90 %).
    func threshold(_ value: Double, scale: ValueScale) -> String {
        guard value > scale.low, value < scale.high else { return "" }
        let y = svgNumber(scale.y(value))
        return "<line class=\"threshold\" x1=\"\(svgNumber(ChartFrame.plotLeft))\" x2=\"\(svgNumber(ChartFrame.plotRight))\" "
            + "y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(TrendChart.priorityColour[.high]!)\" stroke-width=\"1\" stroke-dasharray=\"6 4\" opacity=\"0.7\"/>"
    }

    /// The trace as one path of unbroken stretches (`M` starts each one); a stretch of a single
    /// reading is a dot, since a path of one point draws nothing.
    func line(_ trace: VitalTrace, scale: ValueScale, className: String, colour: String) -> String {
        var path = "", dots = ""
        for stretch in trace.stretches {
            if stretch.count == 1 {
                dots += "<circle class=\"\(className)\" cx=\"\(svgNumber(frame.x(stretch[0].time)))\" "
                    + "cy=\"\(svgNumber(scale.y(stretch[0].value!)))\" r=\"2\" fill=\"\(colour)\"/>"
                continue
            }
            let ys = stretch.map { svgNumber(scale.y($0.value!)) }
            for (i, r) in stretch.enumerated() {
                // A point level with both neighbours adds nothing to the line: a steady 98 % is one segment.
                if i > 0, i < stretch.count - 1, ys[i - 1] == ys[i], ys[i + 1] == ys[i] { continue }
                path += (i == 0 ? "M" : "L") + svgNumber(frame.x(r.time)) + " " + ys[i]
            }
        }
        let drawn = path.isEmpty ? "" : "<path class=\"trace \(className)\" d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" "
            + "stroke-width=\"1.8\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>"
        return drawn + dots
    }

    /// Hatched bands where the trace has no valid readings, so that a gap reads as one.
    func gaps(_ trace: VitalTrace, scale: ValueScale, vital: String) -> String {
        trace.gaps.map { gap in
            let x = frame.x(gap.start), width = max(frame.x(gap.end) - x, 1)
            let seconds = Int(gap.end.timeIntervalSince(gap.start).rounded())
            return "<rect class=\"gap\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(scale.top))\" width=\"\(svgNumber(width))\" "
                + "height=\"\(svgNumber(scale.bottom - scale.top))\" fill=\"url(#no-data)\" opacity=\"0.5\">"
                + "<title>No valid \(vital) for \(ReviewText.duration(Double(seconds))) from \(HTML.escape(review.text.offset(gap.start)))</title></rect>"
        }.joined()
    }

    /// Vertical lines at the time ticks through every panel.
    var grid: String {
        frame.minuteTicks.map { minute in
            let x = svgNumber(frame.x(frame.origin.addingTimeInterval(Double(minute) * 60)))
            return "<line class=\"grid\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(svgNumber(frame.panelsTop))\" "
                + "y2=\"\(svgNumber(frame.panelsBottom))\" stroke=\"\(TrendChart.gridColour)\"/>"
        }.joined()
    }

    /// Minutes since the dose (`−10`, `0`, `+15` …) under the bottom panel, and what they count.
    func timeAxis(_ since: String) -> String {
        var out = "<g class=\"time-axis\">"
        let y = frame.panelsBottom
        for minute in frame.minuteTicks {
            let x = svgNumber(frame.x(frame.origin.addingTimeInterval(Double(minute) * 60)))
            let label = minute > 0 && review.summary.doseAt != nil ? "+\(minute)" : minute < 0 ? "−\(-minute)" : "\(minute)"
            out += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(svgNumber(y))\" y2=\"\(svgNumber(y + 5))\" stroke=\"\(TrendChart.dimColour)\"/>"
            out += "<text class=\"tick\" x=\"\(x)\" y=\"\(svgNumber(y + 19))\" text-anchor=\"middle\" fill=\"\(TrendChart.dimColour)\">\(label)</text>"
        }
        out += "<text class=\"axis-title\" x=\"\(svgNumber(ChartFrame.plotLeft + frame.plotWidth / 2))\" y=\"\(svgNumber(y + 40))\" "
            + "text-anchor=\"middle\" fill=\"\(TrendChart.textColour)\">\(HTML.escape(since))</text>"
        return out + "</g>"
    }
}
