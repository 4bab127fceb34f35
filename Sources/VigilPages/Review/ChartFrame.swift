import Foundation

/// Where things go on the trend chart: a fixed drawing space (the `viewBox`, scaled by the
/// browser to the page's width), the session's time across it, and three stacked panels —
/// SpO2, pulse, blood pressure — each with its own value scale, so no line hides another.
struct ChartFrame {
    static let width = 960.0
    static let plotLeft = 60.0
    /// The right margin holds the BP panel's baseline labels, clear of the last measurement.
    static let plotRight = width - 62
    /// The phase ribbon along the top, then the alarm lane under it: a row for each alarm that
    /// overlaps another in time, so that none hides another.
    static let ribbon = (top: 0.0, bottom: 22.0)
    static let alarmLaneTop = 27.0, alarmRowHeight = 8.0, mostAlarmRows = 4
    /// Above each panel, room for its name clear of the previous panel's lowest tick label.
    static let panelHeader = 26.0

    var start: Date
    var end: Date
    /// Time zero of the axis: the first dose, or the start when no dose was marked.
    var origin: Date
    var spo2: ValueScale
    var pulse: ValueScale
    var bloodPressure: ValueScale
    /// Rows in the alarm lane, 1 to `mostAlarmRows`.
    var alarmRows: Int

    init(start: Date, end: Date, origin: Date, alarmRows: Int = 1,
         spo2: ClosedRange<Double>?, pulse: ClosedRange<Double>?, bloodPressure: ClosedRange<Double>?) {
        self.start = start
        self.alarmRows = min(max(alarmRows, 1), Self.mostAlarmRows)
        // A session a few seconds old still gets a readable axis.
        self.end = max(end, start.addingTimeInterval(60))
        self.origin = origin
        var top = Self.alarmLaneTop + Double(self.alarmRows) * Self.alarmRowHeight + Self.panelHeader
        self.spo2 = ValueScale.spo2(seen: spo2, top: top, height: 170)
        top = self.spo2.bottom + Self.panelHeader
        self.pulse = ValueScale.pulse(seen: pulse, top: top, height: 135)
        top = self.pulse.bottom + Self.panelHeader
        self.bloodPressure = ValueScale.bloodPressure(seen: bloodPressure, top: top, height: 170)
    }

    var alarmLaneBottom: Double { Self.alarmLaneTop + Double(alarmRows) * Self.alarmRowHeight }
    /// The top of the alarm row `row` (0 first).
    func alarmRowTop(_ row: Int) -> Double { Self.alarmLaneTop + Double(row) * Self.alarmRowHeight }
    var panelsTop: Double { spo2.top }
    var panelsBottom: Double { bloodPressure.bottom }
    var height: Double { panelsBottom + 52 }
    var plotWidth: Double { Self.plotRight - Self.plotLeft }

    /// Seconds of the session one unit of the drawing's width covers: the width of a bucket of
    /// readings, below which more points could not be told apart anyway.
    var secondsPerUnit: Double { end.timeIntervalSince(start) / plotWidth }

    func x(_ date: Date) -> Double {
        let f = date.timeIntervalSince(start) / end.timeIntervalSince(start)
        return Self.plotLeft + min(max(f, 0), 1) * plotWidth
    }

    /// Minutes from `origin` at the axis's ticks: a step from 1 to 60 minutes that gives at most
    /// ten labels across, so the axis stays legible on a phone.
    var minuteTicks: [Int] {
        let first = start.timeIntervalSince(origin) / 60, last = end.timeIntervalSince(origin) / 60
        let step = [1, 2, 5, 10, 15, 20, 30, 60, 120].first { (last - first) / Double($0) <= 10 } ?? 240
        let lowest = Int((first / Double(step)).rounded(.up)) * step
        return Array(stride(from: lowest, through: Int(last.rounded(.down)), by: step))
    }
}

/// One panel's values from bottom to top, with round tick values.
struct ValueScale {
    var low: Double
    var high: Double
    var step: Double
    /// The panel's top and bottom in the drawing.
    var top: Double
    var bottom: Double

    func y(_ value: Double) -> Double {
        let f = (min(max(value, low), high) - low) / (high - low)
        return bottom - f * (bottom - top)
    }

    var ticks: [Double] { Array(stride(from: low, through: high + 0.001, by: step)) }

    /// 80–100 % unless the readings went lower: a dip to 72 % is drawn, never clipped.
    static func spo2(seen: ClosedRange<Double>?, top: Double, height: Double) -> ValueScale {
        let lowest = seen?.lowerBound ?? 100
        let low = max(0, min(80, ((lowest - 2) / 5).rounded(.down) * 5))
        return ValueScale(low: low, high: 100, step: 100 - low > 30 ? 10 : 5, top: top, bottom: top + height)
    }

    /// 40–140 /min, widened to what was seen.
    static func pulse(seen: ClosedRange<Double>?, top: Double, height: Double) -> ValueScale {
        let low = max(0, min(40, (((seen?.lowerBound ?? 40) - 5) / 10).rounded(.down) * 10))
        let high = max(140, (((seen?.upperBound ?? 140) + 5) / 10).rounded(.up) * 10)
        return ValueScale(low: low, high: high, step: high - low > 150 ? 40 : 20, top: top, bottom: top + height)
    }

    /// 40–180 mmHg, widened to what was seen.
    static func bloodPressure(seen: ClosedRange<Double>?, top: Double, height: Double) -> ValueScale {
        let low = max(0, min(40, (((seen?.lowerBound ?? 40) - 10) / 20).rounded(.down) * 20))
        let high = max(180, (((seen?.upperBound ?? 180) + 10) / 20).rounded(.up) * 20)
        return ValueScale(low: low, high: high, step: high - low > 200 ? 40 : 20, top: top, bottom: top + height)
    }
}

/// A coordinate as the SVG writes it: one decimal at most, so a two-hour trace stays small.
func svgNumber(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(r)
}
