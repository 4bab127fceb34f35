import Foundation
import Testing
import VigilCore
import VigilStore
@testable import VigilPages

@Suite("The session's trend chart, drawn from a real database")
struct TrendChartTests {
    @Test("A probe taken off for a minute breaks the SpO2 line there, and the gap is hatched")
    func probeOffBreaksTheLine() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        let replay = try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            120,dose,doula
            600,probe_off,oximeter
            660,probe_on,oximeter
            1200,session.end,doula
            """)
        let start = replay.clock.wallStart
        let review = try db.review()
        let drawing = ChartDrawing(review)
        let parts = stretches(ofPath: try tracePath("spo2", in: drawing.svg))

        #expect(parts.count == 2)
        let lastBefore = drawing.frame.x(start.addingTimeInterval(599)), firstAfter = drawing.frame.x(start.addingTimeInterval(660))
        let across = parts.flatMap { $0 }.filter { $0.x > lastBefore + 0.2 && $0.x < firstAfter - 0.2 }
        #expect(across.isEmpty, "no point of the line lies inside the probe-off minute")
        #expect(parts.first?.last.map { abs($0.x - lastBefore) < 0.2 } == true)
        #expect(parts.last?.first.map { abs($0.x - firstAfter) < 0.2 } == true)
        #expect(drawing.spo2.gaps.count == 1)
        #expect(drawing.svg.contains("<title>No valid SpO2 for 1 min 1 s from +7:59</title>"))
    }

    @Test("Five seconds of silence from the oximeter keep the line whole; twenty seconds break it")
    func silenceLongerThanTenSecondsBreaksTheLine() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("""
            0,session.start,doula
            0,spo2,97
            0,pulse_rate,70
            60,dose,doula
            300,silent,oximeter
            305,spo2,97
            700,silent,oximeter
            720,spo2,96
            1000,session.end,doula
            """)
        let svg = TrendChart.svg(try db.review())
        #expect(stretches(ofPath: try tracePath("spo2", in: svg)).count == 2)
        #expect(stretches(ofPath: try tracePath("pulse", in: svg)).count == 2)
    }

    @Test("A high SpO2 alarm is marked in red at the moment it was raised")
    func highAlarmInRed() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            60,systolic,125
            60,diastolic,80
            120,dose,doula
            1800,spo2,82
            1950,ack,nurse:spo2_low
            1960,spo2,97
            2400,systolic,150
            2400,diastolic,90
            3000,session.end,doula
            """)
        let review = try db.review()
        let drawing = ChartDrawing(review)
        let alarm = try #require(review.summary.alarms.first { $0.condition == "spo2_low" })
        #expect(alarm.priority == .high)
        let x = svgNumber(drawing.frame.x(alarm.raisedAt))
        let mark = "<g class=\"chart-alarm high\" data-alarm=\"\(alarm.id)\">"
        let group = try #require(drawing.svg.range(of: mark).map { String(drawing.svg[$0.lowerBound...].prefix(900)) })
        #expect(group.contains("<rect class=\"alarm-mark high\" x=\"\(x)\""))
        #expect(group.contains("fill=\"#ff2d2d\""))
        #expect(group.contains("<line class=\"alarm-line high\" x1=\"\(x)\" x2=\"\(x)\""))
        #expect(review.alarms.count == 1)
        #expect(!drawing.svg.contains("fill=\"#ffd000\"") && !drawing.svg.contains("fill=\"#19d3e6\""), "no other alarm, no other colour")
    }

    @Test("A two-hour session stays under 200 KB, and a four-second dip to 85 % and a pulse spike still show")
    func twoHoursThinnedKeepsTheDip() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            300,systolic,128
            300,diastolic,78
            600,dose,doula
            3000,spo2,85
            3004,spo2,97
            4000,pulse_rate,131
            4003,pulse_rate,75
            7800,session.end,doula
            """)
        let review = try db.review()
        #expect(review.spo2.count > 7_700 && review.pulse.count > 7_700)
        let drawing = ChartDrawing(review)
        let svg = drawing.svg
        #expect(svg.utf8.count < 200_000)
        let spo2 = stretches(ofPath: try tracePath("spo2", in: svg)).flatMap { $0 }
        #expect(spo2.count < 2_000, "thinned to about one point per unit of width")
        let lowest = try #require(spo2.map(\.y).max())
        #expect(abs(lowest - drawing.frame.spo2.y(85)) < 0.1)
        let pulse = stretches(ofPath: try tracePath("pulse", in: svg)).flatMap { $0 }
        let highest = try #require(pulse.map(\.y).min())
        #expect(abs(highest - drawing.frame.pulse.y(131)) < 0.1)
    }

    @Test("Each blood pressure is a bar from its diastolic to its systolic, at its time")
    func bloodPressureBars() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        let replay = try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            120,systolic,130
            120,diastolic,80
            300,dose,doula
            2700,systolic,172
            2700,diastolic,96
            3000,session.end,doula
            """)
        let drawing = ChartDrawing(try db.review())
        let marks = drawing.svg.components(separatedBy: "<g class=\"bp\"").count - 1
        #expect(marks == 2)
        let x = svgNumber(drawing.frame.x(replay.clock.wallStart.addingTimeInterval(2700)))
        let bp = drawing.frame.bloodPressure
        #expect(drawing.svg.contains("<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(svgNumber(bp.y(172)))\" y2=\"\(svgNumber(bp.y(96)))\""))
        #expect(drawing.svg.contains("<title>172/96 mmHg at +40:00</title>"))
        #expect(drawing.svg.contains("dy=\"12\" fill=\"#ffb35c\">130</tspan>"))
    }

    @Test("The phases are shaded from the dose by the room's own timeline, and a booster restarts them")
    func phasesFromTheDoseAndTimeline() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        let replay = try db.record("""
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            300,dose,doula
            1500,booster,doula
            5000,session.end,doula
            """)
        let start = replay.clock.wallStart
        let timeline = PhaseTimeline(peakStarts: .seconds(600), recoveryStarts: .seconds(1800), dischargeStarts: .seconds(3000))
        let review = try db.review(timeline: timeline)
        let spans = review.phases.map { [$0.phase.rawValue, "\(Int($0.start.timeIntervalSince(start)))", "\(Int($0.end.timeIntervalSince(start)))"] }
        #expect(spans == [["baseline", "0", "300"], ["onset", "300", "900"], ["peak", "900", "1500"],
                          ["onset", "1500", "2100"], ["peak", "2100", "3300"], ["recovery", "3300", "4500"],
                          ["discharge", "4500", "5000"]])
        let drawing = ChartDrawing(review)
        let peakX = svgNumber(drawing.frame.x(start.addingTimeInterval(900)))
        #expect(drawing.svg.contains("<rect class=\"phase peak\" x=\"\(peakX)\""))
        #expect(drawing.svg.contains("<title>Booster at 2026-01-01 09:25:00 UTC by doula</title>"))
    }

    @Test("A session just started, with no dose and no reading yet, draws its axis from the start and one gap")
    func justStarted() throws {
        let db = try ReviewDatabase()
        defer { db.remove() }
        try db.record("0,session.start,doula\n30,note,waiting for the oximeter", wallStart: Date().addingTimeInterval(-40))
        let drawing = ChartDrawing(try db.review())
        #expect(!drawing.svg.contains("<path class=\"trace"))
        #expect(drawing.svg.contains("minutes since the start (no dose marked)"))
        #expect(drawing.spo2.gaps.count == 1 && drawing.pulse.gaps.count == 1)
        #expect(drawing.svg.contains("<rect class=\"phase baseline\""))
    }
}
