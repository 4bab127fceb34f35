import Foundation
import VigilAudio
import VigilCore

/// The player on ALSA's `null` device, which does not pace: CPU time per hour of music, and how
/// soon a command changes what is written (on a real card the device's 100 ms buffer follows).
enum AudioBenchmark {
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func run(root: URL) async throws {
        say("\nMusic (the demo playlist, decoded from FLAC, mixed and written to ALSA's null device)")
        let folder = root.appendingPathComponent("Playlists")
        try DemoMusic.prepare(playlistFolder: folder.path)
        let playlist = try Playlist.load(path: folder.appendingPathComponent("demo.m3u8").path)

        let minutes = 10.0
        let player = Player(device: "null", playlist: playlist, paced: false)
        player.send(.play, atFrame: 0)
        // A crossfade every two minutes, as phase changes would.
        for (i, phase) in [Phase.onset, .peak, .recovery, .discharge].enumerated() {
            player.send(.playSection(phase), atFrame: (i + 1) * 120 * AudioFormat.rate)
        }
        let cpuBefore = cpuSeconds()
        player.start()
        await player.shutdown(afterFrame: Int(minutes * 60) * AudioFormat.rate)
        let cpu = cpuSeconds() - cpuBefore
        say("  CPU per hour of playback    \(String(format: "%.1f", cpu * 60 / minutes)) s (\(String(format: "%.2f", cpu * 100 / (minutes * 60))) % of a core)")

        // A command is taken between two 10 ms blocks: frames from queueing to the change.
        let wav = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-\(UUID().uuidString).wav")
        defer { try? FileManager.default.removeItem(at: wav) }
        var delays: [Double] = []
        let probe = Player(device: "null", playlist: playlist, volume: 100, paced: false)
        probe.send(.play, atFrame: 0)
        probe.start()
        for i in 0..<50 {
            while probe.status.framesPlayed < (i + 1) * AudioFormat.rate / 5 { await Task.yield() }
            let sentAt = probe.status.framesPlayed
            probe.send(.volume(i % 2 == 0 ? 60 : 100))
            while probe.status.volume == (i % 2 == 0 ? 100 : 60) { await Task.yield() }
            delays.append(Double(probe.status.framesPlayed - sentAt) / Double(AudioFormat.rate) * 1000)
        }
        await probe.shutdown()
        delays.sort()
        say("  command → first changed sample   median \(String(format: "%.0f", delays[delays.count / 2])) ms, worst \(String(format: "%.0f", delays.last!)) ms of audio"
            + " (then the device's 100 ms buffer)")
    }
}
