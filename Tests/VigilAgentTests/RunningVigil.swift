import Foundation
import Synchronization

/// A running `vigil` (demo or run) whose output a test can wait on.
final class RunningVigil: Sendable {
    let process: Process
    private let output = Mutex("")

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = VigilCommand.binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            self.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var text: String { output.withLock { $0 } }

    func wait(for needle: String, seconds: Double = 20) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if text.contains(needle) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
