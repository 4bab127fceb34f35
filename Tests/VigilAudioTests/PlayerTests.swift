import Foundation
import Synchronization
import Testing
import VigilAudio
import VigilCore
import VigilTestSupport

/// The player through real ALSA into its `file` plugin; every figure is read from the WAV by
/// sample position, never by the clock (the `null` device does not pace playback).
@Suite("Music through ALSA")
struct PlayerTests {
    let rate = 48_000

    func window(_ s: [Float], _ from: Double, _ to: Double) -> ArraySlice<Float> {
        s[Int(from * 48_000)..<min(s.count, Int(to * 48_000))]
    }

    @Test("The tracks' samples are there in order; a missing and a corrupt file are skipped and logged, and the music goes on")
    func order() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try AudioBench.tone(dir.appendingPathComponent("a.wav"), frequency: 440, seconds: 1)
        try AudioBench.tone(dir.appendingPathComponent("b.flac"), frequency: 660, seconds: 1, rate: 44_100)
        try AudioBench.tone(dir.appendingPathComponent("c.ogg"), frequency: 880, seconds: 1)
        try Data("RIFF not really a wave file".utf8).write(to: dir.appendingPathComponent("corrupt.wav"))
        let playlist = try Playlist.parse("#EXTM3U\na.wav\nmissing.wav\nb.flac\ncorrupt.wav\nc.ogg\n", file: "p.m3u8", folder: dir.path)
        let lines = LogLines()
        let notices = Mutex<[String]>([])
        let s = await AudioBench.capture(playlist, seconds: 3.5, in: dir, commands: [(0, .play)],
                                         log: lines.logger,
                                         notice: { line in notices.withLock { $0.append(line) } })
        #expect(s.count == Int(3.5 * 48_000))
        for (i, frequency) in [440.0, 660, 880].enumerated() {
            let middle = window(s, Double(i) + 0.2, Double(i) + 0.8)
            #expect(AudioBench.level(middle, at: frequency) > 0.4, "track \(i + 1) at \(frequency) Hz")
            for other in [440.0, 660, 880] where other != frequency {
                #expect(AudioBench.level(middle, at: other) < 0.05)
            }
        }
        let log = lines.all
        #expect(log.contains { $0.contains("missing.wav") }, "\(log)")
        #expect(notices.withLock { $0 } == ["A music file could not be played and was skipped: missing.wav",
                                            "A music file could not be played and was skipped: corrupt.wav"], "the doula is told")
        #expect(log.contains { $0.contains("corrupt.wav") }, "\(log)")
    }

    @Test("A fade-out's level falls monotonically to silence over the asked time (±5 %)")
    func fadeOut() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try AudioBench.tone(dir.appendingPathComponent("a.wav"), frequency: 500, seconds: 6)
        let playlist = try Playlist.parse("a.wav\n", file: "p", folder: dir.path)
        let s = await AudioBench.capture(playlist, seconds: 5, in: dir, commands: [(0, .play), (1, .fadeOut(seconds: 2))])
        // Peak level per 20 ms (ten periods of 500 Hz).
        let levels = stride(from: 1.0, to: 4.0, by: 0.02).map { AudioBench.peak(window(s, $0, $0 + 0.02)) }
        for (a, b) in zip(levels, levels.dropFirst()) { #expect(b <= a + 0.002, "never rises during a fade") }
        let silentFrom = try #require(levels.firstIndex { $0 < 0.001 }).advanced(by: 0)
        let fadeSeconds = Double(silentFrom) * 0.02
        #expect(abs(fadeSeconds - 2) <= 0.1, "silent after \(fadeSeconds) s, asked 2 s")
        #expect(AudioBench.peak(window(s, 3.2, 5)) == 0, "and stays silent")
    }

    @Test("Volume 50 halves the amplitude, through a ramp rather than a step")
    func volume() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try AudioBench.tone(dir.appendingPathComponent("a.wav"), frequency: 500, seconds: 3)
        let playlist = try Playlist.parse("a.wav\n", file: "p", folder: dir.path)
        let s = await AudioBench.capture(playlist, seconds: 2.5, in: dir, commands: [(0, .play), (1, .volume(50))])
        let before = AudioBench.peak(window(s, 0.5, 1))
        let after = AudioBench.peak(window(s, 1.5, 2))
        #expect(abs(after / before - 0.5) < 0.01, "\(after) / \(before)")
        let during = AudioBench.peak(window(s, 1.1, 1.12))
        #expect(during < before * 0.99 && during > after * 1.01, "half-way down the 300 ms ramp")
    }

    @Test("Pause and resume leave no discontinuity: a short ramp down, silence, a short ramp up")
    func pause() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try AudioBench.tone(dir.appendingPathComponent("a.wav"), frequency: 440, seconds: 3)
        let playlist = try Playlist.parse("a.wav\n", file: "p", folder: dir.path)
        let s = await AudioBench.capture(playlist, seconds: 2.5, in: dir, commands: [(0, .play), (1, .pause), (1.5, .resume)])
        // A 440 Hz sine at 0.5 moves at most 0.5 · 2π · 440 / 48000 ≈ 0.029 a sample; a click is a step far above that.
        let steps = zip(s, s.dropFirst()).map { abs($1 - $0) }
        #expect((steps.max() ?? 1) < 0.035, "largest step \(steps.max() ?? 1)")
        #expect(AudioBench.peak(window(s, 1.05, 1.45)) == 0, "silent while paused")
        #expect(AudioBench.level(window(s, 1.6, 2.4), at: 440) > 0.4, "playing again after the resume")
    }

    @Test("A phase change switches section with a crossfade")
    func phaseCrossfade() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try AudioBench.tone(dir.appendingPathComponent("settle.wav"), frequency: 440, seconds: 12)
        try AudioBench.tone(dir.appendingPathComponent("peak.wav"), frequency: 880, seconds: 12)
        let playlist = try Playlist.parse("#VIGIL-PHASE:baseline\nsettle.wav\n#VIGIL-PHASE:peak\npeak.wav\n", file: "p", folder: dir.path)
        let s = await AudioBench.capture(playlist, seconds: 11, in: dir, commands: [(0, .play), (1, .playSection(.peak))])
        #expect(AudioBench.level(window(s, 0.2, 0.9), at: 440) > 0.45)
        #expect(AudioBench.level(window(s, 0.2, 0.9), at: 880) < 0.01)
        let mid = window(s, 4.9, 5.1)
        #expect(AudioBench.level(mid, at: 440) > 0.15 && AudioBench.level(mid, at: 880) > 0.15, "both sound half-way through")
        let outgoing = stride(from: 1.0, to: 9.0, by: 0.5).map { AudioBench.level(window(s, $0, $0 + 0.5), at: 440) }
        for (a, b) in zip(outgoing, outgoing.dropFirst()) { #expect(b < a, "the baseline music fades out steadily") }
        #expect(AudioBench.level(window(s, 9.2, 10.8), at: 880) > 0.45)
        #expect(AudioBench.level(window(s, 9.2, 10.8), at: 440) < 0.01)
    }

    @Test("A device that is missing is said once; when it appears the music starts, from its beginning")
    func deviceReturns() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try AudioBench.tone(dir.appendingPathComponent("a.wav"), frequency: 440, seconds: 2)
        let playlist = try Playlist.parse("a.wav\n", file: "p", folder: dir.path)
        // A PCM that ALSA does not know yet (a USB amp unplugged); defined later, as plugging it in would.
        let name = "vigilamp\(UInt32.random(in: 0...UInt32.max))"
        let out = dir.appendingPathComponent("out.wav")
        _ = AudioBench.device(writing: out)
        let lines = LogLines()
        let player = Player(device: name, playlist: playlist, volume: 100, log: lines.logger)
        player.send(.play)
        player.start()
        for _ in 0..<100 where player.status.state != .noDevice { try await Task.sleep(for: .milliseconds(20)) }
        #expect(player.status.state == .noDevice)
        try await Task.sleep(for: .seconds(3))
        #expect(lines.all.filter { $0.contains("no sound") }.count == 1, "said once, not at every retry")
        try AudioBench.define(name, writing: out)
        for _ in 0..<300 where player.status.framesPlayed == 0 { try await Task.sleep(for: .milliseconds(20)) }
        await player.shutdown(afterFrame: 48_000)
        #expect(lines.all.contains { $0.contains("is back") })
        let s = AudioBench.read(out)
        #expect(AudioBench.level(window(s, 0.1, 0.9), at: 440) > 0.4, "the music plays on the returned device")
    }
}
