import CSndFile

/// One audio file decoded through libsndfile (WAV, FLAC, Ogg Vorbis, MP3 — whatever the
/// installed libsndfile opens), as interleaved stereo floats at the player's rate: mono is
/// doubled, extra channels are dropped, other sample rates are resampled linearly.
final class TrackDecoder {
    let path: String
    private let file: OpaquePointer
    private let channels: Int
    /// Source frames per output frame.
    private let ratio: Double
    private var position: Double = 0
    private var window: [Float] = []
    private var windowStart = 0
    private var finished = false

    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    init(path: String, outputRate: Int) throws(OpenError) {
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            throw OpenError(description: "\(path): \(String(cString: sf_strerror(nil)))")
        }
        guard info.channels > 0, info.samplerate > 0 else {
            sf_close(file)
            throw OpenError(description: "\(path): no audio in it")
        }
        self.path = path
        self.file = file
        channels = Int(info.channels)
        ratio = Double(info.samplerate) / Double(outputRate)
    }

    deinit { sf_close(file) }

    /// Source frame `index` as (left, right), reading ahead as needed; nil past the end.
    private func frame(_ index: Int) -> (Float, Float)? {
        while index >= windowStart + window.count / channels {
            if finished { return nil }
            // Keep the frame before the new block for interpolation across block edges.
            let keep = window.count >= channels ? Array(window.suffix(channels)) : []
            windowStart += window.count / channels - keep.count / channels
            var block = [Float](repeating: 0, count: 4096 * channels)
            let read = Int(sf_readf_float(file, &block, 4096))
            if read <= 0 { finished = true }
            window = keep + block.prefix(max(0, read) * channels)
        }
        let base = (index - windowStart) * channels
        guard base >= 0 else { return nil }
        let left = window[base]
        return (left, channels > 1 ? window[base + 1] : left)
    }

    /// Fills up to `frames` stereo frames into `out`; returns how many (fewer at the end).
    func read(into out: inout [Float], frames: Int) -> Int {
        var written = 0
        while written < frames {
            let i = Int(position)
            guard let a = frame(i) else { break }
            let t = Float(position - Double(i))
            let b = t == 0 ? a : (frame(i + 1) ?? a)
            out[2 * written] = a.0 + (b.0 - a.0) * t
            out[2 * written + 1] = a.1 + (b.1 - a.1) * t
            written += 1
            position += ratio
        }
        return written
    }
}
