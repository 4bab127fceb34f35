import Foundation
import VigilCore

/// A device on a pseudo-terminal that speaks its protocol byte for byte, driven by a scenario:
/// the values it shows, finger-out spells, artifacts, corrupt bytes, silence, and an unplug
/// (closing the pseudo-terminal) and replug (a new one, with the symlink moved to it). It
/// answers what the real device answers: the Contec V7 start and keep-alive, the SunTech
/// start, cuff-pressure poll and result.
///
/// Time runs `speed` times faster than real time; the frame rate is the device's own, but at
/// least one frame per simulated second.
public final class DeviceSimulator: Sendable {
    public let proto: DeviceProtocol
    public let scenario: Scenario
    public let speed: Double
    /// A stable path (like `/dev/serial/by-id/…`) kept pointing at the current pseudo-terminal.
    public let link: String?
    /// The device's name in the scenario (`oximeter`, `nibp`): lines naming another device
    /// (`unplug,nibp`) are not for this one. `nil` takes every line.
    public let name: String?

    public static let simulatable: [DeviceProtocol] = [.contecV7, .contecLegacy, .masimoASCII, .nonin2, .nonin8, .suntech]

    public init(protocol proto: DeviceProtocol, scenario: Scenario, speed: Double = 1, link: String? = nil,
                name: String? = nil) throws {
        guard Self.simulatable.contains(proto) else {
            throw SimulatorError(message: "no simulator for \(proto.rawValue) (simulated: \(Self.simulatable.map(\.rawValue).joined(separator: ", ")))")
        }
        self.proto = proto
        self.scenario = scenario
        self.speed = speed
        self.link = link
        self.name = name
    }

    /// A steady, unremarkable patient for a simulator started without a scenario.
    public static let steady = Scenario(steps: [
        .init(seconds: 0, line: 0, action: .hold(.spo2, 98)),
        .init(seconds: 0, line: 0, action: .hold(.pulseRate, 72)),
        .init(seconds: 0, line: 0, action: .measure(.systolic, 124)),
        .init(seconds: 0, line: 0, action: .measure(.diastolic, 80)),
    ])

    /// Runs until the scenario's last line has passed (forever for the steady scenario) or the
    /// task is cancelled. `plugged` is called with each new pseudo-terminal path. Scenario time
    /// counts from `origin` (now by default), so several devices and the agent can share one.
    /// - Parameter untilCancelled: keep sending the last values after the scenario's last line
    ///   (a room that goes on after its session); otherwise the device goes away with it.
    public func run(origin: ContinuousClock.Instant = .now, untilCancelled: Bool = false,
                    plugged: @Sendable (String) -> Void) async throws {
        var state = SimulatorState(proto: proto, speed: speed, wallStart: Date())
        var pty: PseudoTerminal? = try plug(plugged)
        let start = origin
        var next = 0
        let endless = untilCancelled || scenario.steps.allSatisfy { $0.seconds == 0 }
        while !Task.isCancelled {
            let simNow = (ContinuousClock.now - start).seconds * speed
            while next < scenario.steps.count, scenario.steps[next].seconds <= simNow {
                defer { next += 1 }
                if let name, let target = scenario.steps[next].action.device, target != name { continue }
                switch state.apply(scenario.steps[next].action) {
                case .none: break
                case .unplug:
                    // As udev does: the stable name goes with the device. Left in place, it would
                    // point at a freed /dev/pts number that the next pseudo-terminal may take.
                    if let link { unlink(link) }
                    pty?.close()
                    pty = nil
                case .replug: pty = try plug(plugged)
                }
            }
            if !endless, next >= scenario.steps.count { break }
            if let device = pty {
                for reply in state.answer(HostCommand.parse(device.readAvailable()), simNow: simNow) { device.write(reply) }
                for frame in state.frames(until: simNow) { device.write(frame) }
                if state.takeCorruption() { device.write(Self.garbage) }
            }
            try await Task.sleep(for: .milliseconds(4))
        }
        pty?.close()
    }

    /// Bytes no protocol accepts, then half a frame.
    static let garbage: [UInt8] = [0x7F, 0x13, 0xFF, 0x00, 0x55, 0xAA, 0x01, 0x02, 0x3E, 0x2A, 0x80, 0x81, 0x01, 0xE0, 0x85]

    private func plug(_ plugged: @Sendable (String) -> Void) throws -> PseudoTerminal {
        let pty = try PseudoTerminal()
        if let link {
            let temporary = link + ".new"
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: pty.path)
            guard rename(temporary, link) == 0 else { throw SerialPortError(path: link, operation: "rename", code: errno) }
        }
        plugged(pty.path)
        return pty
    }
}

public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
