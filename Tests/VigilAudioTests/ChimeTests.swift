import Foundation
import Testing
import VigilAudio
import VigilCore

/// The staff chime, through real ALSA into the `file` plugin.
@Suite("Staff chime")
struct ChimeTests {
    /// Pulses in one channel of a burst: runs of sound separated by at least 20 ms of silence.
    func pulses(_ samples: [Float]) -> [(start: Double, length: Double)] {
        var found: [(Double, Double)] = []
        var start: Int?
        var quiet = 0
        for (i, s) in samples.enumerated() {
            if abs(s) > 0.01 {
                if start == nil { start = i }
                quiet = 0
            } else if let begun = start {
                quiet += 1
                if quiet > 960 {
                    found.append((Double(begun) / 48_000, Double(i - quiet - begun) / 48_000))
                    start = nil
                }
            }
        }
        if let begun = start { found.append((Double(begun) / 48_000, Double(samples.count - begun) / 48_000)) }
        return found
    }

    @Test("IEC 60601-1-8 bursts: high is ten pulses in two 3 + 2 groups, medium three, low one")
    func patterns() {
        for (priority, count) in [(AlarmPriority.high, 10), (.medium, 3), (.low, 1)] {
            let burst = ChimePattern.render(priority)
            let left = stride(from: 0, to: burst.count, by: 2).map { Float(burst[$0]) / 32_767 }
            #expect(pulses(left).count == count, "\(priority)")
        }
        let high = ChimePattern.pulses(.high).starts
        let gaps = zip(high, high.dropFirst()).map { $1 - $0 }
        #expect(gaps.filter { $0 > 0.3 }.count == 3, "x x x _ x x, pause, x x x _ x x")
    }

    func alarm(_ id: String, _ priority: AlarmPriority, acknowledgedBy: Role? = nil, audioPaused: Bool = false) -> Alarm {
        Alarm(id: id, kind: .physiological, condition: "spo2_low", vital: .spo2, device: nil, priority: priority,
              value: 86, limit: 90, raisedAt: Date(), acknowledgedBy: acknowledgedBy, isAudioPaused: audioPaused)
    }

    @Test("A medium alarm sounds its burst on the chime's own device; an acknowledgement silences it")
    func soundsUntilAcknowledged() async throws {
        let dir = try AudioBench.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wav = dir.appendingPathComponent("chime.wav")
        let chime = Chime(device: AudioBench.device(writing: wav))
        chime.start()
        chime.sound(for: [alarm("A1", .medium), alarm("A2", .low), alarm("A3", .high, acknowledgedBy: .nurse)])
        #expect(chime.loudest == .medium, "the loudest sounding alarm decides")
        // On a thread of its own: the clinic-story suites running alongside can hold Swift's
        // cooperative threads for longer than the chime's 15 s repeat, which would let it sound again.
        let (first, second) = (alarm("A1", .medium, acknowledgedBy: .nurse), alarm("A2", .low, audioPaused: true))
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                for _ in 0..<100 where chime.played.withLock({ $0.isEmpty }) { Thread.sleep(forTimeInterval: 0.02) }
                chime.sound(for: [first, second])
                Thread.sleep(forTimeInterval: 0.3)
                chime.stop()
                Thread.sleep(forTimeInterval: 0.3)
                done.resume()
            }.start()
        }
        #expect(chime.loudest == nil)
        #expect(chime.played.withLock { $0 } == [.medium])
        #expect(pulses(AudioBench.read(wav)).count == 3)
    }
}
