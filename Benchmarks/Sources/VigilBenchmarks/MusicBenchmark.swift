import Foundation
import VigilAudio
import VigilAgent
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Music in real time, Vigil's player against Debian's MPD: the same five FLACs (the demo
/// playlist), 48 kHz 16-bit stereo, the same software volume, each in a process of its own
/// measured from `/proc` over the same window, rounds interleaved.
///
/// No sound card here, so each is held to real time by its own clock: Vigil's player on ALSA's
/// `null` PCM with its pacer (``PlaybackPacer``, 300 ms ahead at most), MPD on its `null` output
/// with `sync "yes"` (its timer). On ALSA's `null` MPD is not paced at all: it plays five minutes
/// in seconds. `VIGIL_BENCH=music`; `VIGIL_MUSIC_SECONDS` (60) is the window.
enum MusicBenchmark {
    static let volume = 60

    static func run(root: URL) async throws {
        let seconds = Int(ProcessInfo.processInfo.environment["VIGIL_MUSIC_SECONDS"] ?? "") ?? 60
        say("\nMusic in real time against MPD: the demo playlist (five FLACs), \(volume) % software volume, "
            + "\(seconds) s windows, 2 interleaved rounds")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mpd") else {
            return say("  mpd is not installed (`make bench` installs it)")
        }
        let folder = root.appendingPathComponent("Playlists")
        try DemoMusic.prepare(playlistFolder: folder.path)
        var cpu: [String: [Double]] = [:]
        for round in 1...2 {
            for kind in ["vigil", "mpd"] {
                let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-music-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: work) }
                let process = kind == "vigil" ? try vigilPlayer(folder) : try MPDProcess.start(music: folder.appendingPathComponent("demo"),
                                                                                                  work: work, volume: volume)
                defer { stop(process) }
                try await Task.sleep(for: .seconds(3))
                guard let before = ProcessFigures.of(process.processIdentifier) else { throw SetupError("\(kind) stopped at once") }
                let from = Monotonic.now
                try await Task.sleep(for: .seconds(seconds))
                guard let after = ProcessFigures.of(process.processIdentifier) else { throw SetupError("\(kind) stopped playing") }
                let share = (after.cpu - before.cpu) / (Double(Monotonic.now - from) / 1e9)
                cpu[kind, default: []].append(share)
                let calls = SystemCalls.perSecond(pid: process.processIdentifier, seconds: 10) ?? []
                say("  \(pad(kind, 5)) round \(round): \(String(format: "%.3f", share * 100)) % of a core "
                    + "(\(String(format: "%.1f", share * 3600)) CPU-s an hour of music), RSS \(String(format: "%.1f", after.residentMB)) MB, "
                    + "\(after.threads) threads; system calls a second: \(Int(calls.reduce(0) { $0 + $1.rate }.rounded())) — "
                    + calls.prefix(4).map { "\($0.name) \(Int($0.rate.rounded()))" }.joined(separator: ", "))
            }
        }
        let vigil = PathBenchmark.median(cpu["vigil"] ?? []), mpd = PathBenchmark.median(cpu["mpd"] ?? [])
        say(String(format: "  Vigil ÷ MPD, CPU in real time: %.2f (at or below 1 is the target)", vigil / mpd))
    }

    /// This program again as a room's player would run: `VIGIL_BENCH=play`.
    static func vigilPlayer(_ folder: URL) throws -> Process {
        let process = Process()
        let benchmark = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        process.executableURL = URL(fileURLWithPath: benchmark)
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["VIGIL_BENCH": "play", "VIGIL_PLAY_PLAYLIST": folder.appendingPathComponent("demo.m3u8").path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try Spawn.run(process)
        return process
    }

    /// The child: the demo playlist on ALSA's `null`, paced, until it is stopped.
    static func play(playlist path: String) async throws -> Never {
        let player = Player(device: "null", playlist: try Playlist.load(path: path), volume: volume)
        player.send(.play)
        player.start()
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
