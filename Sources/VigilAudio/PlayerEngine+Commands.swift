import Foundation
import Logging
import VigilCore

extension PlayerEngine {
    func applyCommands() {
        let due = player.queue.withLock { queue -> [MusicCommand] in
            let ready = queue.filter { ($0.atFrame ?? 0) <= frames }
            queue.removeAll { ($0.atFrame ?? 0) <= frames }
            return ready.map(\.command)
        }
        for command in due { apply(command) }
    }

    func apply(_ command: MusicCommand) {
        let quick = Player.clickFreeFrames
        switch command {
        case .play:
            if paused { apply(.resume) } else if current == nil { crossfade(to: sectionRange.lowerBound, over: quick) }
        case .pause:
            paused = true
            pauseGain.ramp(to: 0, over: quick)
        case .resume:
            paused = false
            pauseGain.ramp(to: 1, over: quick)
        case .next:
            crossfade(to: (current?.index ?? sectionRange.lowerBound - 1) + 1, over: quick)
        case .previous:
            crossfade(to: (current?.index ?? sectionRange.lowerBound + 1) - 1, over: quick)
        case .stop:
            release(over: quick)
        case .volume(let v):
            let level = max(0, min(100, v))
            player.state.withLock { $0.volume = level }
            master.ramp(to: Float(level) / 100, over: AudioFormat.rate * 3 / 10)
        case .fadeOut(let seconds):
            release(over: Int(seconds * Double(AudioFormat.rate)))
        case .playSection(let phase):
            section = phase
            if paused { apply(.resume) }
            crossfade(to: sectionRange.lowerBound, over: Int(Player.crossfade * Double(AudioFormat.rate)))
        }
    }

    var sectionRange: Range<Int> { player.playlist.tracks(for: section ?? .baseline) }

    /// Every sounding voice fades out over `frames` and is then let go.
    func release(over frames: Int) {
        for voice in voices where !voice.releasing {
            voice.releasing = true
            voice.gain.ramp(to: 0, over: frames)
        }
    }

    /// Fades the current track out and track `index` (wrapping within the section) in.
    func crossfade(to index: Int, over frames: Int) {
        release(over: frames)
        guard let voice = open(from: index, gain: 0) else { return }
        voice.gain.ramp(to: 1, over: frames)
        voices.append(voice)
    }

    /// The first track from `index` on (within the section, wrapping) that opens. A file that
    /// is missing or unreadable is logged, told to the doula, and skipped: never a stop.
    func open(from index: Int, gain: Float) -> Voice? {
        let range = sectionRange
        guard !range.isEmpty else { return nil }
        for attempt in 0..<range.count {
            let i = range.lowerBound + ((index - range.lowerBound + attempt) % range.count + range.count) % range.count
            let track = player.playlist.tracks[i]
            do {
                return Voice(decoder: try TrackDecoder(path: track.path, outputRate: AudioFormat.rate), index: i, gain: gain)
            } catch {
                player.log.warning("music: skipping \(error)")
                let notice = "A music file could not be played and was skipped: \((track.path as NSString).lastPathComponent)"
                player.state.withLock { $0.notice = notice }
                player.notice(notice)
            }
        }
        return nil
    }

    func publishStatus() {
        let now = current
        let state: MusicStatus.State = paused ? .paused : now != nil ? .playing : voices.isEmpty ? .stopped : .fading
        player.state.withLock {
            $0.state = state
            $0.track = now.map { player.playlist.tracks[$0.index].path }
            $0.section = section
            $0.framesPlayed = frames
        }
    }
}
