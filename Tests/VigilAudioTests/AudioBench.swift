import Logging
import CSndFile
import Foundation
import VigilAudio

/// Real sound for the audio tests: tones made by sox, a player writing through real libasound
/// into ALSA's `file` plugin, and the captured WAV read back through libsndfile.
enum AudioBench {
    /// An ALSA config defining `vigiltest:FILE`, a PCM of type `file` over `null`.
    static let conf = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-asound-\(getpid()).conf").path

    static let configured: Bool = {
        let text = """
            pcm.vigiltest {
                @args [ FILE ]
                @args.FILE { type string }
                type file
                slave.pcm "null"
                file $FILE
                format "wav"
            }
            """
        try? text.write(toFile: conf, atomically: true, encoding: .utf8)
        setenv("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:\(conf)", 1)
        return true
    }()

    /// Adds a PCM to the config while the process runs; libasound rereads a changed config.
    static func define(_ name: String, writing wav: URL) throws {
        _ = configured
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: conf))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\npcm.\(name) { type file slave.pcm \"null\" file \"\(wav.path)\" format \"wav\" }\n".utf8))
        try handle.close()
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func device(writing wav: URL) -> String {
        _ = configured
        return "vigiltest:'\(wav.path)'"
    }

    /// A stereo sine of `frequency` Hz made by sox.
    static func tone(_ path: URL, frequency: Int, seconds: Double, amplitude: Double = 0.5, rate: Int = 48_000) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
        p.arguments = ["-n", "-r", "\(rate)", "-c", "2", "-b", "16", path.path, "synth", "\(seconds)", "sine", "\(frequency)", "vol", "\(amplitude)"]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The left channel of a WAV, as floats.
    static func read(_ path: URL) -> [Float] {
        var info = SF_INFO()
        guard let file = sf_open(path.path, Int32(SFM_READ), &info) else { return [] }
        defer { sf_close(file) }
        var samples = [Float](repeating: 0, count: Int(info.frames) * Int(info.channels))
        let read = Int(sf_readf_float(file, &samples, info.frames))
        return stride(from: 0, to: read * Int(info.channels), by: Int(info.channels)).map { samples[$0] }
    }

    /// The amplitude of `frequency` in `samples` (Goertzel).
    static func level(_ samples: ArraySlice<Float>, at frequency: Double, rate: Double = 48_000) -> Double {
        let w = 2 * Double.pi * frequency / rate
        let coefficient = 2 * cos(w)
        var s1 = 0.0, s2 = 0.0
        for x in samples {
            let s = Double(x) + coefficient * s1 - s2
            s2 = s1
            s1 = s
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        return 2 * sqrt(max(0, power)) / Double(samples.count)
    }

    static func peak(_ samples: ArraySlice<Float>) -> Float { samples.map(abs).max() ?? 0 }

    /// Plays `playlist` on a file-backed device, sends the commands at their frames, stops
    /// after `seconds` of output and returns the captured samples (left channel). Unpaced: the
    /// seconds of music are written as fast as they are made.
    static func capture(_ playlist: Playlist, seconds: Double, volume: Int = 100, in folder: URL,
                        commands: [(seconds: Double, command: MusicCommand)],
                        log: Logger = Logger(label: "vigil.test"),
                        notice: @escaping @Sendable (String) -> Void = { _ in }) async -> [Float] {
        let wav = folder.appendingPathComponent("captured-\(UUID().uuidString.prefix(6)).wav")
        let player = Player(device: device(writing: wav), playlist: playlist, volume: volume, paced: false, log: log, notice: notice)
        for (at, command) in commands { player.send(command, atFrame: Int(at * 48_000)) }
        player.start()
        await player.shutdown(afterFrame: Int(seconds * 48_000))
        return read(wav)
    }
}
