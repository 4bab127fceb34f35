import Foundation
import Testing
import VigilAgent
import VigilCore
import VigilStore
@testable import VigilWeb

/// After a restart the nurse's page starts from the record, not from nothing.
@Suite("The pages after a restart")
struct RestartTests {
    @Test("A session resumed after a restart shows the BP taken before it, and the recent SpO2 trend")
    func seededFromTheRecord() async throws {
        let room = try WebRoom()
        let t0 = room.clock.wallNow.addingTimeInterval(-1200)
        try room.store.insert(SessionRecord(id: "S-1", site: "demo", room: "room-1", patientReference: nil,
                                            startedAt: t0.timeIntervalSince1970, startedBy: "doula"))
        try room.store.record([(Reading(time: t0.addingTimeInterval(60), vital: .systolic, value: 124, device: "nibp"), "S-1"),
                               (Reading(time: t0.addingTimeInterval(61), vital: .diastolic, value: 80, device: "nibp"), "S-1")]
                              + (0..<300).map { (Reading(time: t0.addingTimeInterval(900 + Double($0)), vital: .spo2, value: 97, device: "oximeter"), "S-1") })
        _ = try await room.agent.resumeUnfinishedSession()
        await WebRunner.seed(room.hub, from: room.store, agent: room.agent)
        #expect(room.hub.latest[.systolic]?.value == 124, "the BP from before the restart")
        #expect(room.hub.trend(until: t0.addingTimeInterval(1200))[.spo2]?.count == 300)
    }
}
