import Foundation
import Synchronization
import VigilDevices

/// Collects what a device connection reports, for tests that wait for something to happen.
final class EventLog: Sendable {
    private let events = Mutex<[DeviceEvent]>([])

    var all: [DeviceEvent] { events.withLock { $0 } }

    func record(_ event: DeviceEvent) { events.withLock { $0.append(event) } }

    /// Waits (up to `seconds`) until `condition` holds for the events so far.
    func wait(seconds: Double = 10, until condition: ([DeviceEvent]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(all) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(all)
    }

    var connections: [String] {
        all.compactMap { event in
            switch event {
            case .connected: "connected"
            case .disconnected: "disconnected"
            case .message: nil
            }
        }
    }

    var values: [DeviceValue] {
        all.flatMap { event -> [DeviceValue] in
            if case .message(_, .values(let v, _)) = event { v } else { [] }
        }
    }
}

/// A temporary folder for symlinks, removed at the end.
struct TemporaryFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A simulated device, the connection reading it, and what the connection reported.
struct SimulatedDevice {
    let folder: TemporaryFolder
    let simulator: Task<Void, Error>
    let connection: DeviceConnection
    let running: Task<Void, Never>
    let log: EventLog

    func stop() {
        running.cancel()
        simulator.cancel()
        folder.remove()
    }
}
