import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking socket work on a thread of its own, never on Swift's small cooperative pool.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// A `vigil demo --no-music` in a folder of its own, with its control socket there.
struct FaultRoom {
    let folder: URL
    let socket: String
    let demo: RunningVigil
    /// The agent's standard output, when the test reads (and closes) it itself.
    let standardOutput: Pipe?

    init(speed: Double = 10, fileLimit: Int? = nil, separateStandardOutput: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scenario = folder.appendingPathComponent("quiet.csv")
        try "0,spo2,97\n0,pulse_rate,70\n0,systolic,122\n0,diastolic,78\n7200,spo2,97\n"
            .write(to: scenario, atomically: true, encoding: .utf8)
        // The socket's path must fit in sun_path (108 bytes): keep it short.
        socket = "/tmp/vigil-fault-\(UUID().uuidString.prefix(8)).sock"
        let arguments = ["demo", "--no-music", "--speed", "\(speed)", "--scenario", scenario.path, "--socket", socket,
                         "--db", folder.appendingPathComponent("vigil.sqlite").path,
                         "--devices", folder.appendingPathComponent("dev").path]
        standardOutput = separateStandardOutput ? Pipe() : nil
        demo = try RunningVigil(arguments, fileLimit: fileLimit, standardOutput: standardOutput)
    }

    var exitStatus: String {
        demo.process.isRunning ? "still running" : "status \(demo.process.terminationStatus), \(demo.process.terminationReason == .uncaughtSignal ? "signal" : "exit")"
    }

    func stop() {
        if demo.process.isRunning { kill(demo.process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
        unlink(socket)
    }
}
