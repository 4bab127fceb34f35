import Foundation
import VigilTestSupport

/// What a running process has cost so far, from `/proc/PID/stat` and `/proc/PID/status`.
struct ProcessFigures {
    /// User and system CPU time, in seconds.
    var cpu: Double
    /// Resident memory, in MB.
    var residentMB: Double
    var threads: Int

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func of(_ pid: Int32) -> ProcessFigures? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        func kB(_ key: String) -> Double {
            let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") }
            return line.flatMap { Double($0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") } ?? 0
        }
        return ProcessFigures(cpu: (user + system) / ticksPerSecond, residentMB: kB("VmRSS") / 1024, threads: Int(kB("Threads")))
    }

    /// The sum over several processes (each room its own).
    static func total(_ pids: [Int32]) -> ProcessFigures {
        pids.compactMap(of).reduce(ProcessFigures(cpu: 0, residentMB: 0, threads: 0)) {
            ProcessFigures(cpu: $0.cpu + $1.cpu, residentMB: $0.residentMB + $1.residentMB, threads: $0.threads + $1.threads)
        }
    }
}

/// System calls a second of one process and its threads, by `strace -c -f` over a window, the
/// busiest first: ("futex", 308.2), … Nil when strace is not installed.
enum SystemCalls {
    static func perSecond(pid: Int32, seconds: Int) -> [(name: String, rate: Double)]? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else { return nil }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-strace-\(pid).txt").path
        let strace = Process()
        strace.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        strace.arguments = ["-s", "INT", "\(seconds)", "/usr/bin/strace", "-c", "-f", "-q", "-o", output, "-p", "\(pid)"]
        strace.standardError = FileHandle.nullDevice
        guard (try? Spawn.run(strace)) != nil else { return nil }
        strace.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: output) }
        guard let table = try? String(contentsOfFile: output, encoding: .utf8) else { return nil }
        // "% time  seconds  usecs/call  calls  errors syscall": calls is the 4th column, the name the last.
        return table.split(separator: "\n").compactMap { line -> (String, Double)? in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 5, let calls = Double(columns[3]), let name = columns.last,
                  name != "total", Double(columns[0]) != nil else { return nil }
            return (String(name), calls / Double(seconds))
        }.sorted { $0.1 > $1.1 }
    }
}
