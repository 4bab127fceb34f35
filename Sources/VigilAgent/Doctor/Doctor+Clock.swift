import Foundation
import Synchronization

extension Doctor {
    /// Whether the system clock is synchronised, as systemd's `timedatectl` tells it. Every
    /// reading and alarm carries this clock's time, and JSON devices' readings more than 10 s
    /// from it are refused: not synchronised is a fault. Where timedatectl or systemd is
    /// absent the doctor cannot tell, which is a warning (`!`), not a fault: a box may keep
    /// time by other means (chrony, ntpd) that the doctor does not read.
    static func clock(timedatectl candidates: [String]) -> DoctorCheck {
        let cannotTell = "compare the time with a phone's; with chrony or ntpd, `chronyc tracking` or `ntpq -p` tell"
        guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .warning("clock", "cannot tell whether it is synchronised (no timedatectl)", advice: cannotTell)
        }
        let answer = run(tool, ["show", "-p", "NTPSynchronized", "--value"])
        switch answer.output {
        case "yes":
            return .ok("clock", "synchronised (timedatectl: NTPSynchronized=yes)")
        case "no":
            return .failed("clock", "not synchronised (timedatectl: NTPSynchronized=no)",
                           advice: "records carry this clock's time: `timedatectl set-ntp true`, and make sure this box reaches the clinic's time server (`timedatectl timesync-status`)")
        default:
            let why = answer.error.split(separator: "\n").first.map(String.init) ?? "status \(answer.status)"
            return .warning("clock", "cannot tell whether it is synchronised (timedatectl: \(why))", advice: cannotTell)
        }
    }

    /// Runs a small tool to its end (at most 5 s); its trimmed standard output and error.
    static func run(_ tool: String, _ arguments: [String]) -> (output: String, error: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return ("", "\(error)", -1) }
        // Killed if it hangs (a D-Bus that never answers); never once it is reaped, when its
        // pid may be someone else's.
        let pid = process.processIdentifier
        let reaped = Reaped()
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) {
            reaped.done.withLock { done in if !done { kill(pid, SIGKILL) } }
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        reaped.done.withLock { $0 = true }
        func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        return (text(output), text(error), process.terminationStatus)
    }
}

/// Whether a child has been reaped (after that its pid may belong to another process).
private final class Reaped: Sendable {
    let done = Mutex(false)
}
