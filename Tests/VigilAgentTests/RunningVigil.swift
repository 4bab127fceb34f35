import Foundation
import VigilTestSupport
import Synchronization

/// A running `vigil` (demo or run) whose output a test can wait on.
final class RunningVigil: Sendable {
    let process: Process
    private let output = Mutex("")

    /// `fileLimit`: the agent runs under `ulimit -n` of that many files (systemd's default is 1024).
    /// `standardOutput`: the agent's stdout goes there, for the test to read; `text` is then stderr.
    /// `standardError`: the agent's stderr pipe (made here if not given); `text` is what it carries.
    /// `environment`: added to the test's own (systemd's variables, say).
    init(_ arguments: [String], fileLimit: Int? = nil, standardOutput: Pipe? = nil, standardError: Pipe? = nil,
         environment: [String: String] = [:]) throws {
        process = Process()
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", VigilCommand.binary.path] + arguments
        } else {
            process.executableURL = VigilCommand.binary
            process.arguments = arguments
        }
        let pipe = standardError ?? Pipe()
        process.standardOutput = standardOutput ?? pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            self.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try Spawn.run(process)
    }

    var text: String { output.withLock { $0 } }

    func wait(for needle: String, seconds: Double = 20) async -> Bool {
        await wait(seconds: seconds) { $0.contains(needle) }
    }

    /// Waits (at most `seconds`) until the output so far satisfies `condition`; gives up at
    /// once when the process has ended (its output will not change).
    func wait(seconds: Double = 20, until condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(text) { return true }
            if !process.isRunning {
                try? await Task.sleep(for: .milliseconds(200))  // the last output still in the pipe
                return condition(text)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
