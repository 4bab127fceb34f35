/// Keeps the player from writing music faster than real time to a device that does not pace
/// playback: ALSA's `null` PCM, or the `file` plugin over it, as a room box without a sound card
/// may be configured. Such a device takes every write at once, and an unpaced player then
/// writes as fast as the CPU allows (gigabytes a minute into a `file` plugin's WAV). Like MPD's
/// null output, the pacer lets the written audio run at most ``lead`` ahead of the monotonic
/// clock and says how long to wait before the next block.
///
/// It waits seldom and long: once the lead is reached it lets ``refill`` of it run down, so the
/// player wakes about nine times a second and writes about eleven blocks in a row (the last
/// one passes the lead), not once per 10 ms block.
/// Each wake-up of a thread costs more than mixing a block (a hundred of them a second were
/// most of what music in real time cost: 1.2 % of a core against MPD's 0.4 %).
///
/// A real card blocks each write until its buffer has room, so it stays about its buffer
/// (100 ms) ahead and the pacer never waits for it, except that a card's crystal may run a
/// little fast (tens of ppm), drifting ahead of the monotonic clock by a fraction of a second
/// over a session. A write that waits shows the device is pacing, and the pacer then follows
/// its clock, forgiving up to ``driftAllowance`` of the time since the last such write: so a
/// fast card is never starved, while a `null` device (which never waits, or only when the
/// machine is loaded) gains at most that 0.1 %.
struct PlaybackPacer {
    /// How far ahead of the clock the written audio may be.
    static let lead: Duration = .milliseconds(300)
    /// How much of the lead a wait lets run down before the next burst of blocks.
    static let refill: Duration = .milliseconds(100)
    /// A write that took this long was held back by the device: it paces by its own clock. A
    /// stall of the machine can look the same; ``driftAllowance`` bounds what that costs.
    static let pacedWrite: Duration = .milliseconds(2)
    /// How far ahead a pacing device is expected to be: its buffer.
    static let deviceBuffer: Duration = .milliseconds(100)
    /// The most the pacer follows a pacing device's faster clock, as a fraction of elapsed time
    /// (1000 ppm, ten times a cheap crystal's error).
    static let driftAllowance = 0.001

    let rate: Int
    /// The clock time at which the written audio would have started, had it been played
    /// in real time; `frames` counts from there.
    private var anchor: ContinuousClock.Instant
    private var frames = 0
    private var lastPacedWrite: ContinuousClock.Instant

    init(rate: Int, now: ContinuousClock.Instant) {
        self.rate = rate
        anchor = now
        lastPacedWrite = now
    }

    /// How far the audio written is ahead of the clock (negative when behind).
    func ahead(at now: ContinuousClock.Instant) -> Duration {
        // Whole seconds first: frames × 10⁹ would overflow after two days of music.
        .seconds(frames / rate) + .nanoseconds(Int64(frames % rate) * 1_000_000_000 / Int64(rate)) - anchor.duration(to: now)
    }

    /// How long to wait before writing the next block: none until the lead is reached, then
    /// until ``refill`` of it has played.
    func delay(at now: ContinuousClock.Instant) -> Duration {
        let ahead = ahead(at: now)
        return ahead >= Self.lead ? ahead - (Self.lead - Self.refill) : .zero
    }

    /// Records a write of `count` frames that began at `start` and returned at `end`.
    mutating func wrote(_ count: Int, from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        // Behind the clock (the thread was starved, or a card underran): start afresh rather
        // than write the backlog in a burst.
        if ahead(at: start) < .zero {
            anchor = start
            frames = 0
        }
        frames += count
        guard start.duration(to: end) >= Self.pacedWrite else { return }
        let excess = ahead(at: end) - Self.deviceBuffer
        let allowance = lastPacedWrite.duration(to: end) * Self.driftAllowance
        lastPacedWrite = end
        // An earlier anchor means less ahead: the pacer's clock catches up with the card's.
        if excess > .zero { anchor = anchor.advanced(by: .zero - min(excess, allowance)) }
    }
}
