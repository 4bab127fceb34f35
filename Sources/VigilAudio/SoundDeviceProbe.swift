import CALSA
import Foundation

/// Whether an ALSA playback device opens the way the player opens it (16-bit stereo at
/// ``AudioFormat/rate``, 100 ms of buffer), and which sound card it is: what `vigil doctor`
/// checks for the patient's music and the staff chime. Nothing is played.
public enum SoundDeviceProbe {
    /// A device that opened, with the card and device number behind it (`nil` for devices on
    /// no card, such as ALSA's `null` or `file` plugins).
    public struct Opened: Sendable, Equatable {
        public var device: String
        public var card: Int?
        public var cardDevice: Int?
        public var name: String?
    }

    /// A device that would not open, with libasound's reason.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// No such PCM name, card or device.
            case absent
            /// Another program (or the other half of this check) holds it.
            case busy
            /// It opened but refused 16-bit stereo at 48 kHz.
            case unsupported
            case other
        }

        public var device: String
        public var kind: Kind
        public var reason: String
        public var description: String { "\(device): \(reason)" }
    }

    /// An open device, closed when released.
    public final class Handle {
        private var pcm: OpaquePointer?
        public let opened: Opened

        init(pcm: OpaquePointer, opened: Opened) {
            self.pcm = pcm
            self.opened = opened
        }

        public func close() {
            if let pcm { snd_pcm_close(pcm) }
            pcm = nil
        }

        deinit { close() }
    }

    /// Opens `device` for playback without blocking (a device in use answers busy at once).
    public static func open(_ device: String) -> Result<Handle, Failure> {
        // libasound's own error lines are kept quiet, as the player keeps them.
        _ = ALSAOutput(device: device)
        var handle: OpaquePointer?
        var rc = snd_pcm_open(&handle, device, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK)
        guard rc >= 0, let pcm = handle else { return .failure(failure(device, rc, opening: true)) }
        rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 2, UInt32(AudioFormat.rate), 1, 100_000)
        guard rc >= 0 else {
            snd_pcm_close(pcm)
            return .failure(failure(device, rc, opening: false))
        }
        var opened = Opened(device: device)
        var info: OpaquePointer?
        if snd_pcm_info_malloc(&info) == 0, let info {
            defer { snd_pcm_info_free(info) }
            if snd_pcm_info(pcm, info) == 0 {
                let card = snd_pcm_info_get_card(info)
                if card >= 0 {
                    opened.card = Int(card)
                    opened.cardDevice = Int(snd_pcm_info_get_device(info))
                    opened.name = snd_pcm_info_get_name(info).map { String(cString: $0) }
                }
            }
        }
        return .success(Handle(pcm: pcm, opened: opened))
    }

    private static func failure(_ device: String, _ rc: Int32, opening: Bool) -> Failure {
        let reason = String(cString: snd_strerror(rc))
        guard opening else { return Failure(device: device, kind: .unsupported, reason: "will not play 16-bit stereo at \(AudioFormat.rate) Hz (\(reason))") }
        let kind: Failure.Kind = switch -rc {
        case ENOENT, ENODEV, ENXIO: .absent
        case EBUSY, EAGAIN: .busy
        default: .other
        }
        return Failure(device: device, kind: kind, reason: reason)
    }
}
