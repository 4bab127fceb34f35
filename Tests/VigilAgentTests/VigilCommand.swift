import Foundation
import VigilTestSupport
import Synchronization

/// Runs the real `vigil` binary that `swift test` built next to the test bundle.
struct VigilCommand {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var binary: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("vigil")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/vigil")
    }

    /// Runs the binary to completion. The waiting happens on a thread of its own: blocking a
    /// thread of Swift's small cooperative pool would starve the other tests running alongside.
    /// `timeout`: the process is killed (SIGKILL, status 9) if it has not ended by then, so a
    /// command that hangs on a stuck agent fails the test instead of hanging the run.
    static func run(_ arguments: [String], stdin: String? = nil, timeout: Double? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, stdin: stdin, timeout: timeout) })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ arguments: [String], stdin: String?, timeout: Double?) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try Spawn.run(process)
        let ended = Ended()
        if let timeout {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                ended.done.withLock { done in if !done { kill(pid, SIGKILL) } }
            }
        }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        ended.done.withLock { $0 = true }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Whether the process has been reaped: after that its pid may belong to someone else.
    private final class Ended: Sendable { let done = Mutex(false) }
}
