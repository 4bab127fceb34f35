import Foundation
import Synchronization
import Testing
import VigilAgent
import VigilAudio
import VigilCore

/// The room's music following its session, through real ALSA (the `file` plugin).
@Suite("Music in the room")
struct RoomMusicTests {
    func event(_ kind: SessionEvent.Kind, _ phase: Phase) -> AgentOutput {
        .room(.session(SessionEvent(time: Date(), kind: kind, phase: phase, sinceDose: nil, by: .doula)))
    }

    func waitFor(_ music: RoomMusic, _ condition: (MusicStatus) -> Bool) async -> Bool {
        for _ in 0..<200 {
            if condition(music.player.status) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test("The session's start starts the demo playlist, a phase change moves to its section, the end fades out")
    func followsTheSession() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-music-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let wav = dir.appendingPathComponent("out.wav").path
        let playlist = VigilCommand.packageRoot.appendingPathComponent("Playlists/demo.m3u8").path
        let music = try RoomMusic(settings: AudioSettings(device: "file:'\(wav)',wav", playlist: playlist))
        music.start()
        #expect(await waitFor(music) { $0.framesPlayed > 0 && $0.state == .stopped }, "silent until the session starts")
        music.handle(event(.started, .baseline))
        #expect(await waitFor(music) { $0.state == .playing && $0.track?.hasSuffix("demo/baseline.flac") == true })
        music.handle(event(.phaseChanged, .peak))
        #expect(await waitFor(music) { $0.section == .peak && $0.track?.hasSuffix("demo/peak.flac") == true })
        music.handle(event(.ended, .discharge))
        #expect(await waitFor(music) { $0.state == .fading })
        await music.stop()
    }

    @Test("With no such sound device the demo says so once and runs its session to the end")
    func noSoundCard() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-nosound-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("short.csv")
        try "0,session.start,doula\n0,spo2,98\n0,pulse_rate,70\n60,dose,doula\n200,session.end,doula\n"
            .write(to: scenario, atomically: true, encoding: .utf8)
        let result = try await VigilCommand.run(["demo", "--speed", "50", "--scenario", scenario.path, "--audio-device", "hw:97",
                                                 "--devices", dir.appendingPathComponent("dev").path, "--http", "off",
                                                 "--socket", dir.appendingPathComponent("ctl.sock").path,
                                                 "--db", dir.appendingPathComponent("vigil.sqlite").path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let said = result.stdout.components(separatedBy: "music: no sound on hw:97").count - 1
        #expect(said == 1, "\(result.stdout)")
        #expect(result.stdout.contains("carrying on without music"))
        #expect(result.stdout.contains("session ended by doula"))
    }

    @Test("The staff chime may not share the patient's music device")
    func chimeNeverInTheHeadphones() throws {
        let yaml = "site: north\nroom: room-2\naudio:\n  device: plughw:1,0\n  chime_device: plughw:1,0\n"
        let error = try #require(throws: ConfigProblems.self) { try VigilConfig.parse(yaml: yaml, file: "vigil.yaml") }
        #expect(error.problems.map(\.description) == [
            "vigil.yaml:5: audio.chime_device: must not be the patient's music device (plughw:1,0): alarms never sound in the headphones",
        ])
        let fine = try VigilConfig.parse(yaml: yaml.replacingOccurrences(of: "chime_device: plughw:1,0", with: "chime_device: plughw:2,0"),
                                         file: "vigil.yaml")
        #expect(fine.audio == AudioSettings(device: "plughw:1,0", chimeDevice: "plughw:2,0"))
    }
}
