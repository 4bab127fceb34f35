import Synchronization
import Foundation
import GRDB
import Testing
import VigilCore
@testable import VigilStore

@Suite("Store")
struct StoreTests {
    @Test("Sessions, events, alarms and readings round-trip", arguments: DatabaseKind.allCases)
    func roundTrip(kind: DatabaseKind) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try kind.makeStore(in: folder)
        try recordReplay(SummaryTests.scenario, profile: profileWithoutSchedule, into: store)
        let session = try #require(try store.session("S-test"))
        #expect(session.patientReference == "ref-0042")
        #expect(session.doseAt == session.startedAt + 300)
        #expect(session.endedBy == "doula")
        #expect(try store.unfinishedSession() == nil)
        #expect(try store.sessionEvents(session: "S-test").map(\.kind).first == .started)
        #expect(try store.alarmEvents(session: "S-test").map(\.condition).contains("spo2_low"))
        #expect(try store.readings(session: "S-test").count > 15_000)
    }

    @Test("A database written by the first migration opens, migrates and keeps its rows")
    func migratesOldDatabase() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(old, upTo: "v1: sessions, readings, alarm events, audit")
            try old.write { db in
                try db.execute(sql: "INSERT INTO session (id, site, room, startedAt, startedBy) VALUES ('S-old', 'north', 'room-1', 1000, 'doula')")
                try db.execute(sql: "INSERT INTO reading (sessionId, time, vital, value, device, quality) VALUES ('S-old', 1001, 'spo2', 97, 'oximeter', 'valid')")
            }
            #expect(try old.read { try $0.tableExists("summary") } == false)
        }
        let store = try Store(path: path)
        #expect(try store.appliedMigrations().count == 4)
        #expect(try store.outboxCount() == 0)
        #expect(try store.session("S-old")?.route == nil)
        #expect(try store.readings(session: "S-old").map(\.value) == [97])
        #expect(try store.unfinishedSession()?.id == "S-old")
    }

    @Test("Pruning deletes old finished sessions with their readings, never an unfinished one")
    func prune() throws {
        let store = try Store(queue: .init())
        try store.insert(SessionRecord(id: "old", site: "s", room: "r", patientReference: nil, startedAt: 1000, startedBy: "doula", endedAt: 2000))
        try store.insert(SessionRecord(id: "open", site: "s", room: "r", patientReference: nil, startedAt: 1000, startedBy: "doula"))
        try store.insert(SessionRecord(id: "new", site: "s", room: "r", patientReference: nil, startedAt: 9000, startedBy: "doula", endedAt: 9500))
        try store.record([(Reading(time: Date(timeIntervalSince1970: 1500), vital: .spo2, value: 97, device: "ox"), "old")])
        let dry = try store.prune(endedBefore: Date(timeIntervalSince1970: 5000), dryRun: true)
        #expect(dry.map(\.id) == ["old"])
        #expect(try store.sessions().count == 3)
        _ = try store.prune(endedBefore: Date(timeIntervalSince1970: 5000), dryRun: false)
        #expect(try store.sessions().map(\.id).sorted() == ["new", "open"])
        #expect(try store.readings(session: "old").isEmpty)
    }

    @Test("Exports: CSV with a header row, FHIR R4 JSON with LOINC codes and UCUM units, JSON without names")
    func exports() throws {
        let store = try Store(queue: .init())
        try recordReplay("0,session.start,\n0,spo2,97\n0,pulse_rate,70\n10,systolic,128\n10,diastolic,82\n10,mean_arterial,97\n20,session.end,",
                         profile: profileWithoutSchedule, into: store)
        let csv = try SessionExport.export("S-test", from: store, as: .csv)
        #expect(csv.hasPrefix("time,vital,value,unit,quality,device\n"))
        #expect(csv.contains(",systolic,128,mm[Hg],valid,nibp\n"))

        let fhir = try SessionExport.export("S-test", from: store, as: .fhir)
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(fhir.utf8)) as? [String: Any])
        #expect(bundle["resourceType"] as? String == "Bundle")
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        let observations = entries.compactMap { $0["resource"] as? [String: Any] }
        #expect(observations.allSatisfy { $0["resourceType"] as? String == "Observation" && $0["status"] as? String == "final" })
        func codes(_ o: [String: Any]) -> String? {
            ((o["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
        }
        #expect(Set(observations.compactMap(codes)) == ["59408-5", "8867-4", "8480-6", "8462-4", "8478-0"])
        let systolic = try #require(observations.first { codes($0) == "8480-6" })
        let quantity = try #require(systolic["valueQuantity"] as? [String: Any])
        #expect(quantity["system"] as? String == "http://unitsofmeasure.org")
        #expect(quantity["code"] as? String == "mm[Hg]")
        #expect(quantity["value"] as? Double == 128)

        let json = try SessionExport.export("S-test", from: store, as: .json)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
        #expect(json.contains("\"patient_reference\":\"ref-0042\""))
    }

    @Test("A full disk keeps readings in memory, reports once, and writes them when space returns")
    func fullDisk() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("small.sqlite").path)
        let writer = ReadingWriter(store: store)
        let statuses = StatusLog()
        writer.onStatus(statuses.record)
        let pages = try store.writer.write { try Int.fetchOne($0, sql: "PRAGMA page_count")! }
        try store.writer.write { try $0.execute(sql: "PRAGMA max_page_count = \(pages)") }
        for i in 0..<5_000 { writer.append(Reading(time: Date(timeIntervalSince1970: Double(i)), vital: .spo2, value: 97, device: "ox"), session: nil) }
        #expect(writer.flush() == false)
        #expect(writer.flush() == false)
        #expect(writer.backlog == 5_000)
        #expect(statuses.all.count == 1)
        guard case .failed(let reason) = statuses.all.first else { Issue.record("no failure reported"); return }
        #expect(reason.contains("full"))
        try store.writer.write { try $0.execute(sql: "PRAGMA max_page_count = 1073741823") }
        #expect(writer.flush() == true)
        #expect(writer.backlog == 0)
        #expect(statuses.all.last == .recovered)
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM reading") } == 5_000)
    }
}

final class StatusLog: Sendable {
    private let items = Mutex<[ReadingWriter.StorageStatus]>([])
    var all: [ReadingWriter.StorageStatus] { items.withLock { $0 } }
    func record(_ s: ReadingWriter.StorageStatus) { items.withLock { $0.append(s) } }
}
