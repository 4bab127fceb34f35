import Foundation
import VigilAgent
import Synchronization
import VigilTestSupport

/// The parent's handle on ``PathFeeder``: this same benchmark program, started with
/// `VIGIL_BENCH=feed`; its `mark` lines collected as they come.
final class FeederProcess: Sendable {
    private let process = Process()
    private let input = Pipe()
    private let marked = Mutex<[Int: [UInt64]]>([:])
    private let lines = Mutex<[String]>([])

    init(count: Int, folder: String) throws {
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["VIGIL_BENCH": "feed", "VIGIL_FEED_COUNT": "\(count)", "VIGIL_FEED_FOLDER": folder]) { $1 }
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try Spawn.run(process)
        let reading = output.fileHandleForReading
        Thread { [self] in
            var pending = ""
            while case let data = reading.availableData, !data.isEmpty {
                pending += String(decoding: data, as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    take(String(pending[..<newline]))
                    pending = String(pending[pending.index(after: newline)...])
                }
            }
        }.start()
        try wait(for: "ready")
    }

    private func take(_ line: String) {
        let words = line.split(separator: " ")
        if words.count == 3, words[0] == "mark", let k = Int(words[1]), let at = UInt64(words[2]) {
            marked.withLock { $0[k, default: []].append(at) }
        } else {
            lines.withLock { $0.append(line) }
        }
    }

    /// Waits up to a minute for a line the feeder prints (`ready`, `blasted 0`).
    func wait(for line: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while !lines.withLock({ $0.contains(line) }) {
            guard Date() < deadline, process.isRunning else { throw SetupError("the feeder never said \(line)") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        lines.withLock { $0.removeAll { $0 == line } }
    }

    func send(_ command: String) {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
    }

    /// Each device's crossing moments so far.
    func marks() -> [Int: [UInt64]] { marked.withLock { $0 } }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
