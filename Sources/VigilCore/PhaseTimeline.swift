/// When each post-dose phase begins, measured from the dose.
public struct PhaseTimeline: Sendable, Hashable {
    public var peakStarts: Duration
    public var recoveryStarts: Duration
    public var dischargeStarts: Duration

    public init(peakStarts: Duration = .seconds(15 * 60),
                recoveryStarts: Duration = .seconds(55 * 60),
                dischargeStarts: Duration = .seconds(120 * 60)) {
        self.peakStarts = peakStarts
        self.recoveryStarts = recoveryStarts
        self.dischargeStarts = dischargeStarts
    }

    /// The phase at `sinceDose` after the dose, or `baseline` before any dose.
    public func phase(sinceDose: Duration?) -> Phase {
        guard let sinceDose else { return .baseline }
        if sinceDose >= dischargeStarts { return .discharge }
        if sinceDose >= recoveryStarts { return .recovery }
        if sinceDose >= peakStarts { return .peak }
        return .onset
    }

    /// When `phase` begins after the dose (`nil` for baseline, which begins at the session start).
    public func start(of phase: Phase) -> Duration? {
        switch phase {
        case .baseline: nil
        case .onset: .zero
        case .peak: peakStarts
        case .recovery: recoveryStarts
        case .discharge: dischargeStarts
        }
    }

    /// The next phase boundary strictly after `sinceDose`.
    public func nextBoundary(after sinceDose: Duration) -> Duration? {
        [peakStarts, recoveryStarts, dischargeStarts].first { $0 > sinceDose }
    }
}
