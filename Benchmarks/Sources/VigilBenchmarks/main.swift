import Foundation
import VigilCore
import VigilDevices
import VigilStore

/// Speed figures for the README, never asserted in tests: replaying two-hour sessions through the
/// pure core, and decoding each device protocol on one core against the device's own line rate.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let fixtures = root.appendingPathComponent("Tests/Fixtures/scenarios")

func best(of repetitions: Int, _ body: () throws -> Void) rethrows -> Duration {
    var fastest = Duration.seconds(1_000_000)
    for _ in 0..<repetitions {
        let start = ContinuousClock.now
        try body()
        fastest = min(fastest, ContinuousClock.now - start)
    }
    return fastest
}

/// Written at once, not buffered: a long run shows its progress.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }

// `VIGIL_BENCH=web make bench` runs one part only (web, mqtt, audio, music, station, path; feed,
// floor and play are the path and music benchmarks' own children, started by them).
switch ProcessInfo.processInfo.environment["VIGIL_BENCH"] {
case "web": try await WebBenchmark.run(); exit(0)
case "mqtt": try await MQTTBenchmark.run(); exit(0)
case "audio": try await AudioBenchmark.run(root: root); exit(0)
case "station": try await StationBenchmark.run(root: root); exit(0)
case "music": try await MusicBenchmark.run(root: root); exit(0)
case "play": try await MusicBenchmark.play(playlist: ProcessInfo.processInfo.environment["VIGIL_PLAY_PLAYLIST"] ?? "")
case "path":
    do { try await PathBenchmark.run() } catch { say("the whole-path benchmark stopped: \(error)"); exit(1) }
    exit(0)
case "feed":
    let environment = ProcessInfo.processInfo.environment
    try PathFeeder.run(count: Int(environment["VIGIL_FEED_COUNT"] ?? "") ?? 1, folder: environment["VIGIL_FEED_FOLDER"] ?? ".")
    exit(0)
case "floor":
    FloorReader.run(port: ProcessInfo.processInfo.environment["VIGIL_FLOOR_PORT"] ?? "")
default: break
}

say("Session replay (2 h of session time, ~15,000 readings through the alarm engine)")
for name in ["uneventful", "hypertensive-peak", "desaturation-peak", "probe-unplugged"] {
    let scenario = try Scenario.parse(try String(contentsOf: fixtures.appendingPathComponent("\(name).csv"), encoding: .utf8))
    let time = try best(of: 10) {
        var replay = ScenarioReplay(scenario: scenario, profile: .clinicDefault)
        _ = try replay.run()
    }
    say("  \(pad(name, 20)) \(String(format: "%7.1f ms", time.seconds * 1000))")
}

/// One second of each device's stream, as the simulator's encoders make it.
func secondOfStream(_ proto: DeviceProtocol) -> [UInt8] {
    let state = FrameEncoder.OximeterState(spo2: 97, pulse: 72, perfusionIndex: 2.35)
    let frames = Int(proto.framesPerSecond)
    switch proto {
    case .contecV7: return (0..<frames).flatMap { _ in FrameEncoder.contecV7(state) }
    case .contecLegacy: return (0..<frames).flatMap { _ in FrameEncoder.contecLegacy(state) }
    case .masimoASCII: return FrameEncoder.masimo(state, at: Date(timeIntervalSince1970: 0))
    case .nonin2: return (0..<3).flatMap { _ in FrameEncoder.nonin2Packet(state) }
    case .nonin7:
        return (0..<frames).flatMap { i -> [UInt8] in
            let body: [UInt8] = [i % 25 == 0 ? 0x83 : 0x82, 0x12, 0x34, 0]
            return body + [body.reduce(0, &+)]
        }
    case .nonin8: return FrameEncoder.nonin8(state)
    case .nonin13:
        return [0x00, 0x02, 0x00, 0x0D, 0x00, 0x0E, 0x20, 0x26, 0x11, 0x22, 0x14, 0x30, 0x15, 0x00, 0x02, 0x00,
                0x00, 0x48, 0x00, 0x61, 0x7D, 0x03]
    case .suntech: return FrameEncoder.sunTechResult(systolic: 120, diastolic: 80, mean: 93, pulse: 72)
    }
}

say("\nDecoding on one core (frames a second; × the device's own line rate)")
for proto in DeviceProtocol.allCases {
    let second = secondOfStream(proto)
    let stream = Array((0..<2000).map { _ in second }.joined())
    var frames = 0
    let time = best(of: 5) {
        var decoder = proto.makeDecoder()
        var offset = 0
        while offset < stream.count {
            let end = min(offset + 256, stream.count)
            _ = decoder.decode(Array(stream[offset..<end]))
            offset = end
        }
        frames = decoder.stats.decoded
    }
    let perSecond = Double(frames) / time.seconds
    let lineRate = proto.framesPerSecond
    say("  \(pad(proto.rawValue, 14)) \(String(format: "%12.0f frames/s  %10.0f×", perSecond, perSecond / lineRate))")
}


say("\nStore (a WAL database file in a temporary folder)")
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-\(UUID().uuidString)")
let store = try Store(path: folder.appendingPathComponent("bench.sqlite").path)
try store.insert(SessionRecord(id: "bench", site: "s", room: "r", patientReference: nil, startedAt: 0, startedBy: "doula"))
let writer = ReadingWriter(store: store)
let count = 200_000
let start = ContinuousClock.now
for i in 0..<count {
    writer.append(Reading(time: Date(timeIntervalSince1970: Double(i) / 2), vital: i % 2 == 0 ? .spo2 : .pulseRate,
                          value: 97, device: "oximeter"), session: "bench")
    if i % 500 == 499 { writer.flush() }
}
writer.flush()
let insertTime = ContinuousClock.now - start
say("  readings through the batched writer  \(String(format: "%10.0f /s", Double(count) / insertTime.seconds))")

let scenario = try Scenario.parse(try String(contentsOf: fixtures.appendingPathComponent("hypertensive-peak.csv"), encoding: .utf8))
var replay = ScenarioReplay(scenario: scenario, profile: .clinicDefault)
replay.keepsReadings = true
let events = try replay.run()
try store.insert(SessionRecord(id: "two-hours", site: "s", room: "r", patientReference: nil,
                               startedAt: replay.clock.wallStart.timeIntervalSince1970, startedBy: "doula"))
for case .session(let e) in events { try store.record(e, session: "two-hours") }
for case .alarm(let e) in events { try store.record(e, session: "two-hours") }
try store.record(replay.readings.map { ($0, "two-hours") })
let reportTime = try best(of: 5) {
    let s = try store.session("two-hours")!
    let summary = SessionSummary.compute(readings: try store.readings(session: "two-hours"), alarms: try store.alarmEvents(session: "two-hours"),
                                         events: try store.sessionEvents(session: "two-hours"), startedAt: Date(timeIntervalSince1970: s.startedAt), doseAt: s.doseAt.map(Date.init(timeIntervalSince1970:)),
                                         endedAt: Date(timeIntervalSince1970: s.endedAt!), timeline: PhaseTimeline())
    try store.save(summary, session: "two-hours")
    _ = try SessionReport.text("two-hours", from: store)
}
say("  summary and report of a two-hour session (\(replay.readings.count) readings)  \(String(format: "%.0f ms", reportTime.seconds * 1000))")
try? FileManager.default.removeItem(at: folder)

try await MQTTBenchmark.run()
try await AudioBenchmark.run(root: root)
try await MusicBenchmark.run(root: root)
try await WebBenchmark.run()
try await StationBenchmark.run(root: root)
try await PathBenchmark.run()
