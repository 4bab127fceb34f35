import Foundation
import Logging
import VigilCore

/// The player's thread: applies commands, mixes the sounding voices through their gains and
/// the master volume, and writes 16-bit blocks to the device.
final class PlayerEngine {
    let player: Player
    let output: ALSAOutput
    var voices: [Voice] = []
    var master: GainRamp
    var paused = false
    var pauseGain = GainRamp(1)
    var section: Phase?
    var frames = 0
    var saidNoDevice = false
    /// Holds writes to real time on a device that does not block; `nil` when unpaced. Restarted
    /// whenever the device is opened.
    var pacer: PlaybackPacer?

    init(player: Player) {
        self.player = player
        output = ALSAOutput(device: player.device)
        master = GainRamp(Float(player.status.volume) / 100)
    }

    var current: Voice? { voices.last(where: { !$0.releasing }) }

    func run() {
        var mix = [Float](repeating: 0, count: Player.blockFrames * 2)
        var scratch = [Float](repeating: 0, count: Player.blockFrames * 2)
        var pcm = [Int16](repeating: 0, count: Player.blockFrames * 2)
        while true {
            let stop = player.stopRequest.withLock { $0 }
            if stop.requested && (stop.afterFrame.map { frames >= $0 } ?? true) { break }
            guard ensureDevice() else {
                Thread.sleep(forTimeInterval: 2)
                continue
            }
            if let wait = pacer?.delay(at: .now), wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
            applyCommands()
            render(into: &mix, scratch: &scratch)
            for i in 0..<mix.count { pcm[i] = Int16(max(-1, min(1, mix[i])) * 32_767) }
            do {
                let began = ContinuousClock.now
                try output.write(pcm)
                pacer?.wrote(Player.blockFrames, from: began, to: .now)
                frames += Player.blockFrames
            } catch {
                player.log.warning("music: \(error); trying the device again")
                saidNoDevice = true
            }
            publishStatus()
        }
        output.drainAndClose()
    }

    /// Opens the device if needed; says once that there is none.
    func ensureDevice() -> Bool {
        if output.isOpen { return true }
        do {
            try output.open()
            if player.paced { pacer = PlaybackPacer(rate: AudioFormat.rate, now: .now) }
            if saidNoDevice { player.log.notice("music: \(player.device) is back") }
            saidNoDevice = false
            return true
        } catch {
            if !saidNoDevice { player.log.warning("music: no sound on \(player.device) (\(error)); carrying on without music") }
            saidNoDevice = true
            player.state.withLock { $0.state = .noDevice }
            return false
        }
    }

    func render(into mix: inout [Float], scratch: inout [Float]) {
        for i in 0..<mix.count { mix[i] = 0 }
        let frozen = paused && pauseGain.value == 0
        if !frozen {
            for voice in voices {
                var pause = pauseGain
                let n = add(voice, at: 0, to: &mix, scratch: &scratch, pause: &pause)
                if n < Player.blockFrames && voice === current && !voice.releasing {
                    voice.releasing = true
                    voice.gain.ramp(to: 0, over: 0)
                    // Gapless: the next track starts where this one ended, in the same block.
                    if let next = open(from: voice.index + 1, gain: 1) {
                        add(next, at: n, to: &mix, scratch: &scratch, pause: &pause)
                        voices.append(next)
                    }
                }
            }
            for _ in 0..<Player.blockFrames { _ = pauseGain.next() }
        }
        for f in 0..<Player.blockFrames {
            let g = master.next()
            mix[2 * f] *= g
            mix[2 * f + 1] *= g
        }
        voices.removeAll { $0.releasing && $0.gain.value == 0 }
    }

    /// Adds `voice`, through its gain and the pause ramp, into `mix` from frame `offset` to the
    /// end of the block; returns the frame it reached (less than a block when its track ended).
    @discardableResult
    private func add(_ voice: Voice, at offset: Int, to mix: inout [Float], scratch: inout [Float],
                     pause: inout GainRamp) -> Int {
        let n = voice.decoder.read(into: &scratch, frames: Player.blockFrames - offset)
        for f in 0..<n {
            let g = voice.gain.next() * pause.next()
            mix[2 * (offset + f)] += scratch[2 * f] * g
            mix[2 * (offset + f) + 1] += scratch[2 * f + 1] * g
        }
        return offset + n
    }
}
