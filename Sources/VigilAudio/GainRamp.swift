/// A gain that moves to its target in a straight line over a number of frames, so no change
/// of volume, pause or skip is ever a step (a click in the patient's headphones).
public struct GainRamp: Sendable, Hashable {
    public private(set) var value: Float
    public private(set) var target: Float
    private var step: Float = 0

    public init(_ value: Float) {
        self.value = value
        target = value
    }

    /// Moves to `target` over `frames` frames (at once when 0).
    public mutating func ramp(to target: Float, over frames: Int) {
        self.target = target
        if frames <= 0 {
            value = target
            step = 0
        } else {
            step = (target - value) / Float(frames)
        }
    }

    public var isMoving: Bool { value != target }

    /// The gain for the next frame.
    public mutating func next() -> Float {
        guard value != target else { return value }
        value += step
        if (step > 0 && value >= target) || (step < 0 && value <= target) || step == 0 { value = target }
        return value
    }
}
