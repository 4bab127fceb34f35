import CALSA
import Foundation
import Logging
import Metrics

/// An ALSA playback device, 16-bit stereo at ``AudioFormat/rate``. Underruns are recovered with
/// `snd_pcm_recover`; a device that is gone (a USB headphone amp unplugged) is closed and the
/// caller opens it again later.
final class ALSAOutput {
    let device: String
    private var pcm: OpaquePointer?
    /// `/metrics`: the times the device ran dry (the player late with its samples).
    private let underruns: Counter

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(device: String) {
        self.device = device
        underruns = Counter(label: "vigil_audio_underruns_total", dimensions: [("device", device)])
        _ = Self.quiet
    }

    /// libasound's own error printing, sent to the log at debug level once per process instead of
    /// standard error: Vigil says what failed itself, once; `--log-level debug` shows libasound's words.
    private static let quiet: Void = vigil_alsa_route { line in
        if let line { ALSAOutput.libraryLog.debug("alsa    \(String(cString: line))") }
    }
    private static let libraryLog = Logger(label: "vigil.alsa")

    var isOpen: Bool { pcm != nil }

    func open() throws(Failure) {
        guard pcm == nil else { return }
        var handle: OpaquePointer?
        var rc = snd_pcm_open(&handle, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard rc >= 0, let handle else {
            // libasound's "No such file or directory" for a card that is not there.
            let why = rc == -ENOENT || rc == -ENODEV ? "there is no such sound device" : String(cString: snd_strerror(rc))
            throw Failure(description: "cannot open \(device): \(why)")
        }
        // 100 ms of buffer: enough to ride out a busy moment, short enough for a command to be heard soon.
        rc = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 2,
                                UInt32(AudioFormat.rate), 1, 100_000)
        guard rc >= 0 else {
            snd_pcm_close(handle)
            throw Failure(description: "\(device) will not play 16-bit stereo at \(AudioFormat.rate) Hz: \(String(cString: snd_strerror(rc)))")
        }
        pcm = handle
    }

    /// Writes all of `samples` (interleaved stereo), recovering from underruns. Throws when the
    /// device is gone; it is closed then.
    func write(_ samples: [Int16]) throws(Failure) {
        guard let pcm else { throw Failure(description: "\(device) is not open") }
        var offset = 0
        let frames = samples.count / 2
        while offset < frames {
            let n = samples.withUnsafeBufferPointer { buffer in
                snd_pcm_writei(pcm, buffer.baseAddress! + offset * 2, snd_pcm_uframes_t(frames - offset))
            }
            if n >= 0 {
                offset += Int(n)
                continue
            }
            if n == -Int(EAGAIN) { continue }
            // -EPIPE (underrun) and -ESTRPIPE (suspend) recover; -ENODEV does not.
            if n == -Int(EPIPE) { underruns.increment() }
            if snd_pcm_recover(pcm, Int32(n), 1) < 0 {
                close()
                throw Failure(description: "\(device): \(String(cString: snd_strerror(Int32(n))))")
            }
        }
    }

    /// Plays what is buffered, then closes.
    func drainAndClose() {
        if let pcm { snd_pcm_drain(pcm) }
        close()
    }

    func close() {
        if let pcm { snd_pcm_close(pcm) }
        pcm = nil
    }

    deinit { close() }
}

/// The player's output format.
public enum AudioFormat {
    public static let rate = 48_000
}
