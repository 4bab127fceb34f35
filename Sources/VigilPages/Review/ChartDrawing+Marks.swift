import Foundation
import VigilCore

/// What the chart marks on top of the traces: the phases, the blood pressures, the doses, the alarms.
extension ChartDrawing {
    /// Each phase as a band of its colour across the ribbon, named where the name fits, and a
    /// faint shade of it behind the panels.
    var phases: String {
        var out = "<g class=\"phases\">"
        for span in review.phases {
            let x = frame.x(span.start), width = frame.x(span.end) - x
            guard width > 0 else { continue }
            let colour = TrendChart.phaseColour[span.phase] ?? TrendChart.dimColour
            let from = review.text.offset(span.start), to = review.text.offset(span.end)
            out += "<rect class=\"phase-shade \(span.phase.rawValue)\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(frame.panelsTop))\" "
                + "width=\"\(svgNumber(width))\" height=\"\(svgNumber(frame.panelsBottom - frame.panelsTop))\" fill=\"\(colour)\" opacity=\"0.1\"/>"
            out += "<rect class=\"phase \(span.phase.rawValue)\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(ChartFrame.ribbon.top))\" "
                + "width=\"\(svgNumber(width))\" height=\"\(svgNumber(ChartFrame.ribbon.bottom - ChartFrame.ribbon.top))\" fill=\"\(colour)\">"
                + "<title>\(span.phase.rawValue.capitalized): \(HTML.escape(from)) to \(HTML.escape(to))</title></rect>"
            if let label = Self.label(span.phase.rawValue, fitting: width) {
                out += "<text class=\"phase-name\" x=\"\(svgNumber(x + width / 2))\" y=\"\(svgNumber(ChartFrame.ribbon.bottom - 6))\" "
                    + "text-anchor=\"middle\" fill=\"#0b0e12\" font-size=\"12\">\(label)</text>"
            }
        }
        return out + "</g>"
    }

    /// The phase's name, cut short, or nothing, so that no label spills into the next phase.
    static func label(_ name: String, fitting width: Double) -> String? {
        let characterWidth = 7.0
        if Double(name.count) * characterWidth + 6 <= width { return name }
        if 4 * characterWidth + 6 <= width { return String(name.prefix(3)) + "." }
        return nil
    }

    /// Each measurement as a bar from diastolic to systolic with a cap at each end, so a rise
    /// and its repeat read at a glance.
    var bloodPressures: String {
        let scale = frame.bloodPressure
        var out = "<g class=\"bp-marks\">"
        for p in review.summary.allBloodPressures {
            let x = frame.x(p.time), top = scale.y(p.systolic)
            let bottom = p.diastolic.map(scale.y) ?? top
            let when = review.text.offset(p.time)
            let c = TrendChart.bloodPressureColour
            out += "<g class=\"bp\" data-time=\"\(HTML.escape(HTML.time(p.time)))\"><title>\(HTML.escape(ReviewText.pressure(p))) at \(HTML.escape(when))</title>"
            out += "<line x1=\"\(svgNumber(x))\" x2=\"\(svgNumber(x))\" y1=\"\(svgNumber(top))\" y2=\"\(svgNumber(bottom))\" stroke=\"\(c)\" stroke-width=\"3\"/>"
            for y in p.diastolic == nil ? [top] : [top, bottom] {
                out += "<line x1=\"\(svgNumber(x - 5))\" x2=\"\(svgNumber(x + 5))\" y1=\"\(svgNumber(y))\" y2=\"\(svgNumber(y))\" stroke=\"\(c)\" stroke-width=\"2.5\"/>"
            }
            out += "</g>"
        }
        return out + "</g>"
    }

    /// The baseline systolic and diastolic as dashed lines: discharge wants BP back within 20 % of them.
    var bloodPressureBaseline: String {
        let scale = frame.bloodPressure
        var out = ""
        for key in ["systolic", "diastolic"] {
            guard let value = review.summary.baseline[key] else { continue }
            let y = svgNumber(scale.y(value))
            out += "<line class=\"baseline-line\" x1=\"\(svgNumber(ChartFrame.plotLeft))\" x2=\"\(svgNumber(ChartFrame.plotRight))\" "
                + "y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(TrendChart.bloodPressureColour)\" stroke-dasharray=\"2 5\" opacity=\"0.8\">"
                + "<title>Baseline \(key) \(HTML.number(value)) mmHg</title></line>"
            out += "<text class=\"baseline-label\" x=\"\(svgNumber(ChartFrame.plotRight + 5))\" y=\"\(svgNumber(scale.y(value) - 2))\" "
                + "fill=\"\(TrendChart.dimColour)\" font-size=\"11\">baseline<tspan x=\"\(svgNumber(ChartFrame.plotRight + 5))\" dy=\"12\" "
                + "fill=\"\(TrendChart.bloodPressureColour)\">\(HTML.number(value))</tspan></text>"
        }
        return out
    }

    /// A solid line through every panel at the dose and at each booster, named at the foot of the
    /// BP panel, where the lowest pressures leave room.
    var doses: String {
        review.doses.map { dose in
            let x = svgNumber(frame.x(dose.time))
            let name = dose.kind == .booster ? "booster" : "dose"
            let who = dose.by.map { " by \($0.rawValue)" } ?? ""
            return "<g class=\"dose\"><title>\(name.capitalized) at \(HTML.escape(HTML.time(dose.time))) UTC\(who)</title>"
                + "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(svgNumber(frame.panelsTop))\" y2=\"\(svgNumber(frame.panelsBottom))\" "
                + "stroke=\"\(TrendChart.textColour)\" stroke-width=\"1.5\"/>"
                + "<text x=\"\(svgNumber(frame.x(dose.time) + 4))\" y=\"\(svgNumber(frame.panelsBottom - 6))\" fill=\"\(TrendChart.textColour)\" "
                + "font-size=\"12\">\(name)</text></g>"
        }.joined()
    }

    /// Each alarm in the lane under the ribbon, from raised to cleared (or the end), in its
    /// priority's colour, with a dashed line down the panels at the moment it was raised.
    var alarms: String {
        var out = "<g class=\"chart-alarms\">"
        for line in review.alarms {
            let a = line.record
            let colour = TrendChart.priorityColour[a.priority] ?? TrendChart.dimColour
            let x = frame.x(a.raisedAt)
            let width = max(frame.x(a.clearedAt ?? frame.end) - x, 3)
            let ack = a.acknowledgedAt.map { " acknowledged by \(a.acknowledgedBy?.rawValue ?? "?") at \(review.text.offset($0))," } ?? " not acknowledged,"
            let cleared = a.clearedAt.map { " cleared \(review.text.offset($0))" } ?? " not cleared"
            let words = "\(a.priority.rawValue.capitalized) alarm: \(ReviewText.condition(a.condition)) at \(review.text.offset(a.raisedAt));\(ack)\(cleared)"
            out += "<g class=\"chart-alarm \(a.priority.rawValue)\" data-alarm=\"\(HTML.escape(a.id))\"><title>\(HTML.escape(words))</title>"
            let rowTop = frame.alarmRowTop(alarmRow[a.id] ?? 0)
            out += "<line class=\"alarm-line \(a.priority.rawValue)\" x1=\"\(svgNumber(x))\" x2=\"\(svgNumber(x))\" y1=\"\(svgNumber(rowTop + 6))\" "
                + "y2=\"\(svgNumber(frame.panelsBottom))\" stroke=\"\(colour)\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\" opacity=\"0.75\"/>"
            out += "<rect class=\"alarm-mark \(a.priority.rawValue)\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(rowTop))\" "
                + "width=\"\(svgNumber(width))\" height=\"6\" fill=\"\(colour)\" rx=\"1.5\"/>"
            out += "</g>"
        }
        return out + "</g>"
    }
}
