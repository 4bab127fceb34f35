import Foundation
import VigilCore

/// What a simulated device shows and is doing; pure, so the simulator's loop only moves bytes.
struct SimulatorState: Sendable {
    enum Plug { case none, unplug, replug }

    let proto: DeviceProtocol
    let wallStart: Date
    /// Simulated seconds between frames.
    let frameInterval: Double
    var oximeter = FrameEncoder.OximeterState()
    var silent = false
    var streaming: Bool
    var lastStartCommand: ContinuousClock.Instant?
    var nextFrameAt = 0.0
    var corruptPending = false
    // SunTech
    var bloodPressure: [Vital: Double] = [.systolic: 120, .diastolic: 80]
    var failNext: (code: UInt8, reason: String)?
    var measurementStarted: Double?
    var resultReady = false

    /// The CMS50D+ stops streaming 30 s after the last start command; hosts re-send it.
    static let contecLiveWindow: Duration = .seconds(30)
    /// How long the simulated cuff takes, in simulated seconds.
    static let measurementSeconds = 40.0

    init(proto: DeviceProtocol, speed: Double, wallStart: Date) {
        self.proto = proto
        self.wallStart = wallStart
        frameInterval = min(max(1 / proto.framesPerSecond, speed / proto.framesPerSecond), 1)
        streaming = proto != .contecV7 && proto != .suntech
    }

    mutating func apply(_ action: Scenario.Action) -> Plug {
        switch action {
        case .hold(let vital, let value):
            switch vital {
            case .spo2: oximeter.spo2 = value
            case .pulseRate: oximeter.pulse = value
            case .perfusionIndex: oximeter.perfusionIndex = value
            default: break
            }
            oximeter.quality = .valid
            silent = false
        case .measure(let vital, let value):
            bloodPressure[vital] = value
        case .signal(_, let quality):
            oximeter.quality = quality
            silent = false
        case .silence:
            silent = true
        case .unplug:
            return .unplug
        case .replug:
            streaming = proto != .contecV7 && proto != .suntech
            silent = false
            return .replug
        case .corrupt:
            corruptPending = true
        case .command(.measurementFailed(_, let reason)):
            failNext = (UInt8(reason) ?? 0x57, reason)
        case .command:
            break
        }
        return .none
    }

    mutating func takeCorruption() -> Bool {
        defer { corruptPending = false }
        return corruptPending
    }

    /// The device's replies to the host's commands.
    mutating func answer(_ commands: [HostCommand], simNow: Double) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for command in commands {
            switch command {
            case .contec(0xA1) where proto == .contecV7:
                streaming = true
                lastStartCommand = .now
            case .contec(0xA2), .contec(0xA7):
                streaming = false
                out.append([0x0C, 0x80])
            case .sunTechStart where proto == .suntech:
                measurementStarted = simNow
                resultReady = false
                out.append(FrameEncoder.sunTechAck(.received))
            case .sunTechCuffPressure where proto == .suntech:
                if let started = measurementStarted {
                    let elapsed = simNow - started
                    if elapsed >= Self.measurementSeconds {
                        measurementStarted = nil
                        resultReady = true
                        out.append(FrameEncoder.sunTechAck(.done))
                    } else {
                        let fraction = elapsed / Self.measurementSeconds
                        let cuff = fraction < 0.4 ? 170 * fraction / 0.4 : 170 * (1 - (fraction - 0.4) / 0.6)
                        out.append(FrameEncoder.sunTechCuff(Int(cuff)))
                    }
                } else {
                    out.append(FrameEncoder.sunTechCuff(0))
                }
            case .sunTechResult where proto == .suntech:
                out.append(result())
            case .sunTechAbort where proto == .suntech:
                measurementStarted = nil
                out.append(FrameEncoder.sunTechAck(.aborted))
            default:
                break
            }
        }
        if proto == .contecV7, streaming, let last = lastStartCommand, ContinuousClock.now - last > Self.contecLiveWindow {
            streaming = false
        }
        return out
    }

    private mutating func result() -> [UInt8] {
        resultReady = false
        if let failure = failNext {
            failNext = nil
            return FrameEncoder.sunTechResult(systolic: 0, diastolic: 0, mean: 0, pulse: 0, error: failure.code)
        }
        let s = bloodPressure[.systolic] ?? 120
        let d = bloodPressure[.diastolic] ?? 80
        let mean = bloodPressure[.meanArterial] ?? (s + 2 * d) / 3
        return FrameEncoder.sunTechResult(systolic: Int(s), diastolic: Int(d), mean: Int(mean.rounded()),
                                          pulse: Int(bloodPressure[.nibpPulse] ?? oximeter.pulse ?? 72))
    }

    /// The frames due by `simNow`, one per frame interval (never more than a second's worth).
    mutating func frames(until simNow: Double) -> [[UInt8]] {
        guard streaming, !silent else {
            nextFrameAt = simNow
            return []
        }
        var out: [[UInt8]] = []
        if nextFrameAt < simNow - 1 { nextFrameAt = simNow - 1 }
        while nextFrameAt <= simNow {
            out.append(frame(at: nextFrameAt))
            nextFrameAt += proto == .nonin2 ? frameInterval * 25 : frameInterval
        }
        return out
    }

    private func frame(at simSeconds: Double) -> [UInt8] {
        switch proto {
        case .contecV7: FrameEncoder.contecV7(oximeter)
        case .contecLegacy: FrameEncoder.contecLegacy(oximeter)
        case .masimoASCII: FrameEncoder.masimo(oximeter, at: wallStart.addingTimeInterval(simSeconds))
        case .nonin2: FrameEncoder.nonin2Packet(oximeter)
        case .nonin8: FrameEncoder.nonin8(oximeter)
        case .nonin7, .nonin13, .suntech: []
        }
    }
}
