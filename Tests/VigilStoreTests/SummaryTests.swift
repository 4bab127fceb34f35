import Foundation
import Testing
import VigilCore
@testable import VigilStore

@Suite("Session summary from a real database")
struct SummaryTests {
    static let scenario = """
        0,session.start,doula
        0,spo2,98
        0,pulse_rate,70
        120,systolic,130
        120,diastolic,80
        300,dose,doula
        900,systolic,150
        900,diastolic,92
        1500,spo2,87
        1530,ack,nurse:spo2_low
        1540,spo2,97
        2640,systolic,170
        2640,diastolic,100
        3300,systolic,160
        3300,diastolic,95
        4200,spo2,84
        4206,spo2,96
        4300,ack,nurse:spo2_low
        7560,systolic,135
        7560,diastolic,84
        7700,session.end,doula
        """

    @Test("A two-hour session replayed into a database file gives the summary numbers computed by hand")
    func twoHourSummary() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
        let replay = try recordReplay(Self.scenario, profile: profileWithoutSchedule, into: store)
        let start = replay.clock.wallStart
        try summarizeTestSession(in: store)
        let stored = try #require(try store.summary(session: "S-test"))

        // Worked out from the scenario lines: 40 s at 87 % and 6 s at 84 %.
        #expect(stored.minimumSpO2 == 84)
        #expect(stored.secondsSpO2Below90 == 46)
        #expect(stored.longestSpO2Below90Seconds == 40)
        #expect(stored.monitoredMinutes == 7700.0 / 60)
        #expect(stored.baseline["systolic"] == 130)
        #expect(stored.baseline["diastolic"] == 80)
        #expect(stored.baseline["pulse_rate"] == 70)
        #expect(stored.highestSystolic?.systolic == 170)
        #expect(stored.highestSystolic?.sinceDose == 2340)
        #expect(stored.bloodPressureBeforeDose?.systolic == 130)
        #expect(stored.bloodPressureAt40Minutes?.systolic == 170)
        #expect(stored.bloodPressureAt40Minutes?.diastolic == 100)
        #expect(stored.bloodPressureBeforeEnd?.systolic == 135)
        #expect(stored.readyToLeaveAt == start.addingTimeInterval(7560))
        #expect(stored.dischargeWithin20PercentOfBaseline == true)
        #expect(stored.dataGaps.isEmpty)

        // Alarms: the 87 % dip (medium, acknowledged after 15 s), the 40 mmHg rise (low),
        // the 84 % dip (high, latched until acknowledged 95 s after it was raised).
        #expect(stored.alarmsByPriority == ["medium": 1, "low": 1, "high": 1])
        let times = stored.alarms.map { a in a.secondsToAcknowledge }
        #expect(times == [15, nil, 95])
        #expect(stored.alarms.map(\.acknowledgedBy) == [.nurse, nil, .nurse])

        // Per-phase SpO2 mean, from the stored readings with phase boundaries worked out here.
        let doseAt = start.addingTimeInterval(300)
        let peak = try store.readings(session: "S-test").filter {
            $0.vital == .spo2 && $0.time >= doseAt.addingTimeInterval(900) && $0.time < doseAt.addingTimeInterval(3300)
        }.compactMap(\.value)
        let expectedMean = peak.reduce(0, +) / Double(peak.count)
        #expect(peak.count == 2400)
        #expect(abs((stored.phases["peak"]?["spo2"]?.mean ?? 0) - expectedMean) < 1e-9)
        #expect(stored.phases["peak"]?["spo2"]?.min == 87)
        #expect(stored.phases["recovery"]?["spo2"]?.min == 84)
    }

    @Test("A silent oximeter shows as a data gap")
    func gaps() throws {
        let store = try Store(queue: .init())
        try recordReplay("0,session.start,\n0,spo2,97\n300,silent,oximeter\n360,spo2,97\n600,session.end,", profile: profileWithoutSchedule, into: store)
        let session = try #require(try store.session("S-test"))
        let summary = SessionSummary.compute(readings: try store.readings(session: "S-test"), alarms: [], events: [],
                                             startedAt: Date(timeIntervalSince1970: session.startedAt), doseAt: nil,
                                             endedAt: Date(timeIntervalSince1970: session.endedAt!), timeline: PhaseTimeline())
        #expect(summary.dataGaps.count == 1)
        #expect(summary.dataGaps.first?.seconds == 61)
    }
}
