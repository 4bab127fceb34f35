import ArgumentParser
import Foundation
import VigilAgent
import VigilCore
import VigilDevices

/// `vigil simulate`: a device on a pseudo-terminal, for trying the agent without hardware.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Emulate a device on a pseudo-terminal: print its path, then speak its exact protocol.",
        discussion: "Devices: \(DeviceSimulator.simulatable.map(\.rawValue).joined(separator: ", ")). "
            + "The scenario uses the replay format; probe_off, artifact, silent, corrupt, unplug and replug act on the device."
    )

    @Argument(help: "The device protocol to speak.")
    var device: String

    @Option(help: "A scenario CSV driving what the device shows (default: a steady patient).")
    var scenario: String?

    @Option(help: "How many times faster than real time the scenario runs.")
    var speed: Double = 1

    @Option(help: "A symlink kept pointing at the current pseudo-terminal (it moves on replug).")
    var link: String?

    func run() async throws {
        guard let proto = DeviceProtocol(rawValue: device) else {
            throw ValidationError("unknown device \"\(device)\"; one of: \(DeviceSimulator.simulatable.map(\.rawValue).joined(separator: ", "))")
        }
        guard speed > 0 else { throw ValidationError("--speed must be more than 0") }
        let parsed = try scenario.map { try Scenario.parse(try TextInput.read($0), file: $0) } ?? DeviceSimulator.steady
        let simulator = try DeviceSimulator(protocol: proto, scenario: parsed, speed: speed, link: link)
        try await simulator.run { path in
            FileHandle.standardOutput.write(Data("\(path)\n".utf8))
        }
    }
}
