import VigilCore

/// One track sounding: its decoder, where it sits in the playlist, and its own gain (fades,
/// crossfades and the click-free ramps of pause and skip).
final class Voice {
    let decoder: TrackDecoder
    let index: Int
    var gain: GainRamp
    /// Released once its gain reaches zero (the end of a fade or crossfade).
    var releasing = false

    init(decoder: TrackDecoder, index: Int, gain: Float) {
        self.decoder = decoder
        self.index = index
        self.gain = GainRamp(gain)
    }
}
