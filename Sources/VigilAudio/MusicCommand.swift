import VigilCore

/// What the doula (or the session) asks of the music.
public enum MusicCommand: Sendable, Hashable {
    /// Starts the current phase's section, or resumes after a pause.
    case play
    case pause
    case resume
    case next
    case previous
    /// Stops with a short ramp (no click).
    case stop
    /// 0–100, applied in software with a smooth ramp; 50 is half the amplitude.
    case volume(Int)
    /// Fades the music out over the given seconds, then stops.
    case fadeOut(seconds: Double)
    /// Crossfades to the first track of `phase`'s section (what following the session does).
    case playSection(Phase)
}

/// What the player is doing, for `vigil music status` and the doula's page.
public struct MusicStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case stopped, playing, paused, fading, noDevice = "no_device" }
    public var state: State
    public var track: String?
    public var section: Phase?
    public var volume: Int
    /// Frames written to the device since the player started.
    public var framesPlayed: Int
    /// The latest thing the doula should know (a track that could not be played).
    public var notice: String?
}
