import Foundation
import VigilCore

/// The staff chime's burst for each priority, after IEC 60601-1-8: high is ten pulses
/// (3 + 2, a pause, 3 + 2), medium three, low one. Pulses are a 523 Hz tone with four
/// harmonics (the standard asks for at least four, between 300 and 4000 Hz), shaped with
/// soft edges so they are urgent without being harsh.
public enum ChimePattern {
    /// Pulse start times in seconds, and each pulse's length.
    public static func pulses(_ priority: AlarmPriority) -> (starts: [Double], length: Double) {
        switch priority {
        case .high:
            // Pulse spacing 0.1 s within a group (x x x _ x x), 0.35 s between the halves.
            let group: [Double] = [0, 0.25, 0.5, 0.9, 1.15]
            return (group + group.map { $0 + 1.8 }, 0.15)
        case .medium:
            return ([0, 0.4, 0.8], 0.2)
        case .low:
            return ([0], 0.2)
        }
    }

    /// How often the burst repeats while an alarm of that priority sounds; low sounds once.
    public static func interval(_ priority: AlarmPriority) -> Double? {
        switch priority {
        case .high: 7
        case .medium: 15
        case .low: nil
        }
    }

    /// One burst as interleaved 16-bit stereo at ``AudioFormat/rate``.
    public static func render(_ priority: AlarmPriority, level: Double = 0.5) -> [Int16] {
        let (starts, length) = pulses(priority)
        let rate = Double(AudioFormat.rate)
        let total = Int(((starts.last ?? 0) + length + 0.1) * rate)
        var out = [Int16](repeating: 0, count: total * 2)
        let edge = length * 0.2
        for start in starts {
            let first = Int(start * rate)
            for i in 0..<Int(length * rate) {
                let t = Double(i) / rate
                let envelope = min(1, t / edge, (length - t) / edge)
                var v = 0.0
                for harmonic in 1...5 { v += sin(2 * .pi * 523.25 * Double(harmonic) * t) / Double(harmonic * harmonic) }
                let sample = Int16(max(-1, min(1, v * 0.7 * envelope * level)) * 32_767)
                out[2 * (first + i)] = sample
                out[2 * (first + i) + 1] = sample
            }
        }
        return out
    }
}
