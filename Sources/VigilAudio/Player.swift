import Foundation
import Logging
import Synchronization
import VigilCore

/// The patient's music: a playlist decoded through libsndfile and written to an ALSA device on
/// a thread of its own. Commands are queued and applied between 10 ms blocks; every change of
/// level is a ramp. With no device (no sound card, a headphone amp unplugged) it says so once,
/// keeps its place, and tries again every few seconds.
///
/// Playback is paced on the monotonic clock when the device does not pace it (``PlaybackPacer``:
/// ALSA's `null` or `file` plugin takes every write at once). Tests and benchmarks that measure
/// by sample position pass `paced: false` to run faster than real time, and can give a command
/// the output frame it applies at.
public final class Player: Sendable {
    public let device: String
    let playlist: Playlist
    let log: Logger
    /// A track that cannot be played, for the doula's screen.
    let notice: @Sendable (String) -> Void
    let queue = Mutex<[(command: MusicCommand, atFrame: Int?)]>([])
    let state: Mutex<MusicStatus>
    let stopRequest = Mutex<(requested: Bool, afterFrame: Int?)>((false, nil))
    /// Whether a device that does not block is held to real time (see ``PlaybackPacer``).
    let paced: Bool
    private let thread = Mutex<Thread?>(nil)
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    /// Frames of a click-free ramp (pause, resume, skip, stop): 10 ms.
    public static let clickFreeFrames = AudioFormat.rate / 100
    /// Frames a block writes at once; commands apply between blocks.
    public static let blockFrames = AudioFormat.rate / 100
    /// How long a phase change crossfades.
    public static var crossfade: Double { 8 }

    /// - Parameter paced: `false` only for tests and benchmarks on a device that does not pace
    ///   (`null`, `file`): the music is then written as fast as it is made.
    public init(device: String, playlist: Playlist, volume: Int = 70, paced: Bool = true,
                log: Logger = .init(label: "vigil.music"), notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.device = device
        self.paced = paced
        self.playlist = playlist
        self.log = log
        self.notice = notice
        state = Mutex(MusicStatus(state: .stopped, track: nil, section: nil, volume: max(0, min(100, volume)), framesPlayed: 0, notice: nil))
    }

    public func send(_ command: MusicCommand, atFrame frame: Int? = nil) {
        queue.withLock { $0.append((command, frame)) }
    }

    public var status: MusicStatus { state.withLock { $0 } }

    /// Starts the output thread.
    public func start() {
        thread.withLock { t in
            guard t == nil else { return }
            let th = Thread { [self] in
                PlayerEngine(player: self).run()
                let waiting = finished.withLock { w -> [CheckedContinuation<Void, Never>] in
                    defer { w = nil }
                    return w ?? []
                }
                for c in waiting { c.resume() }
            }
            th.name = "vigil-music"
            th.start()
            t = th
        }
    }

    /// Stops the thread (after output frame `frame`, when given) and waits for the device to be closed.
    public func shutdown(afterFrame frame: Int? = nil) async {
        stopRequest.withLock { $0 = (true, frame) }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = finished.withLock { w -> Bool in
                if w == nil { return true }
                w!.append(c)
                return false
            }
            if done || thread.withLock({ $0 == nil }) { c.resume() }
        }
    }

    /// Follows the session: a phase change crossfades to that phase's section (if music is on);
    /// the end of the session fades out over 60 s.
    public func follow(_ event: SessionEvent) {
        let playing = [.playing, .fading].contains(status.state)
        switch event.kind {
        case .phaseChanged where playing: send(.playSection(event.phase))
        case .ended where playing: send(.fadeOut(seconds: 60))
        default: break
        }
    }
}
