import Foundation
import Testing
@testable import VigilAudio

/// A device that does not pace playback (ALSA's `null`, the `file` plugin over it) must not be
/// fed faster than real time; a real card's own pace must never be starved.
@Suite("Music paced to real time")
struct PacingTests {
    @Test("Through the file plugin over null, two seconds of playing write at most about two seconds of audio")
    func fileDeviceIsPaced() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try AudioBench.tone(dir.appendingPathComponent("a.wav"), frequency: 440, seconds: 30)
        let playlist = try Playlist.parse("a.wav\n", file: "p", folder: dir.path)
        let wav = dir.appendingPathComponent("out.wav")
        let player = Player(device: AudioBench.device(writing: wav), playlist: playlist, volume: 100)
        let began = ContinuousClock.now
        player.send(.play)
        player.start()
        try await Task.sleep(for: .seconds(2))
        await player.shutdown()
        let wall = began.duration(to: .now)
        let written = Double(AudioBench.read(wav).count) / Double(AudioFormat.rate)
        // An upper bound only (a loaded machine plays less, never more): the wall time the
        // player had, its lead, and a generous margin. Unpaced, this is hundreds of seconds.
        let bound = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
            + Double(PlaybackPacer.lead.components.attoseconds) / 1e18 + 0.5
        #expect(written > 0, "it played")
        #expect(written <= bound, "\(written) s of audio in \(wall) of playing")
    }

    /// A simulated device on a simulated clock: each block of 10 ms is written at `now`, and the
    /// device takes it after `blocked` (a real card waits for room; `null` never waits).
    func simulate(seconds: Double, cardRate: Double?) -> (written: Double, elapsed: Double, waits: Int) {
        let rate = 48_000, block = 480
        let start = ContinuousClock.now
        var now = start
        var pacer = PlaybackPacer(rate: rate, now: now)
        var consumed = 0.0 // by a card playing at `cardRate` from `start`
        var written = 0, waits = 0
        let buffer = Double(rate) / 10
        while start.duration(to: now) < .seconds(seconds) {
            let delay = pacer.delay(at: now)
            if delay > .zero { waits += 1 }
            now = now.advanced(by: delay)
            let began = now
            if let cardRate {
                // Block until the card's 100 ms buffer has room for this block.
                consumed = cardRate * Double(start.duration(to: now).components.seconds)
                    + cardRate * Double(start.duration(to: now).components.attoseconds) / 1e18
                let room = buffer - (Double(written) - consumed)
                if room < Double(block) { now = now.advanced(by: .nanoseconds(Int64((Double(block) - room) / cardRate * 1e9))) }
            }
            pacer.wrote(block, from: began, to: now)
            written += block
            now = now.advanced(by: .microseconds(50)) // the cost of making a block
        }
        let elapsed = start.duration(to: now)
        return (Double(written) / Double(rate), Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, waits)
    }

    @Test("A device that takes every write at once is held to the clock plus the lead")
    func nullDevice() {
        let (written, elapsed, _) = simulate(seconds: 60, cardRate: nil)
        #expect(written <= elapsed + 0.31, "\(written) s written in \(elapsed) s")
        #expect(written >= elapsed, "and not slower than real time")
    }

    @Test("On such a device the player wakes about ten times a second, writing about ten blocks each time, not once a block")
    func nullDeviceWakesSeldom() {
        let (_, elapsed, waits) = simulate(seconds: 60, cardRate: nil)
        #expect(Double(waits) / elapsed <= 11, "\(waits) waits in \(elapsed) s")
        #expect(Double(waits) / elapsed >= 8, "and it does wait: \(waits) in \(elapsed) s")
    }

    @Test("A card whose clock runs fast or slow is fed at its own pace for a whole session, never starved", arguments: [48_000 * 1.0002, 48_000 * 0.9998])
    func driftingCard(rate: Double) {
        let (written, elapsed, _) = simulate(seconds: 3 * 3600, cardRate: rate)
        let played = elapsed * rate / 48_000
        #expect(abs(written - played) < 0.2, "wrote \(written) s, the card played \(played) s")
    }
}
