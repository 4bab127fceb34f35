import CSndFile
import Foundation
import VigilCore

/// The demo playlist's audio, made on this machine rather than committed: soft chords of sine
/// tones that swell and ebb slowly, one track a phase, lower and quieter as the session winds
/// down. Nobody else's music is shipped.
public enum DemoMusic {
    /// Root frequency and loudness per phase.
    static let phases: [(Phase, Double, Double)] = [
        (.baseline, 220, 0.22), (.onset, 196, 0.2), (.peak, 174.6, 0.2), (.recovery, 164.8, 0.16), (.discharge, 146.8, 0.14),
    ]

    /// Writes the demo's tracks (`<phase>.flac`, as `Playlists/demo.m3u8` names them) into
    /// `folder`, unless they are there already.
    public static func prepare(in folder: String, seconds: Int = 60) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (phase, root, loudness) in phases {
            let path = (folder as NSString).appendingPathComponent("\(phase.rawValue).flac")
            if !FileManager.default.fileExists(atPath: path) {
                try write(path: path, root: root, loudness: loudness, seconds: seconds)
            }
        }
    }

    static func write(path: String, root: Double, loudness: Double, seconds: Int) throws {
        var info = SF_INFO()
        info.samplerate = Int32(AudioFormat.rate)
        info.channels = 2
        info.format = Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        // Two demos starting at once each write their own file; the first to finish wins.
        let partial = path + ".\(UUID().uuidString.prefix(8)).part"
        guard let file = sf_open(partial, Int32(SFM_WRITE), &info) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let ratios = [1.0, 1.25, 1.5, 2.0]  // a major chord and its octave
        let frames = seconds * AudioFormat.rate
        var block = [Float](repeating: 0, count: 4800 * 2)
        var done = 0
        while done < frames {
            let n = min(4800, frames - done)
            for i in 0..<n {
                let t = Double(done + i) / Double(AudioFormat.rate)
                // Swells over 12 s; starts and ends at silence so a loop never clicks.
                let swell = 0.6 + 0.4 * sin(2 * .pi * t / 12)
                let edge = min(1, t / 2, (Double(seconds) - t) / 2)
                var l = 0.0, r = 0.0
                for (k, ratio) in ratios.enumerated() {
                    let v = sin(2 * .pi * root * ratio * t) / Double(ratios.count)
                    if k % 2 == 0 { l += v; r += v * 0.7 } else { l += v * 0.7; r += v }
                }
                block[2 * i] = Float(l * loudness * swell * edge)
                block[2 * i + 1] = Float(r * loudness * swell * edge)
            }
            sf_writef_float(file, block, sf_count_t(n))
            done += n
        }
        sf_close(file)
        if rename(partial, path) != 0 {
            try? FileManager.default.removeItem(atPath: partial)
            if !FileManager.default.fileExists(atPath: path) { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        }
    }
}
