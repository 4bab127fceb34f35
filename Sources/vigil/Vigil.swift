import ArgumentParser
import Foundation

/// The release, as the Debian package and `vigil --version` give it; the revision is stamped at build time.
let vigilVersion = "0.9.0"

/// The `vigil` command: the room agent and the tools around it.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "The edge agent of a ketamine dosing room: vitals, alarms, session timer and music.",
        version: "vigil \(vigilVersion) (revision \(buildRevision))",
        subcommands: [Run.self, Demo.self, Music.self, SessionCommand.self, Replay.self, Score.self, Simulate.self, Decode.self,
                      CheckConfig.self, Sessions.self, Report.self, Export.self, Prune.self, HashPIN.self, DoctorCommand.self,
                      StationCommand.self]
    )

    /// A control-socket client that hangs up before its answer, or a program reading our output
    /// that exits, must never end the agent: SIGPIPE's default kills the process with nothing
    /// logged. Ignored before anything else runs, for every thread; each write then fails with
    /// EPIPE, which the control socket and `Console` handle. (Children we start inherit this.)
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        await main(arguments())
    }

    /// The command line. Swift on Linux finds it by walking back from `environ`, which a
    /// preloaded library that edits the environment moves (libfaketime does, in the clock-jump
    /// drill): then it finds none, and `vigil run` would print its help and exit. The kernel's
    /// copy in `/proc/self/cmdline` is read instead.
    static func arguments() -> [String]? {
        guard CommandLine.arguments.isEmpty, let raw = FileManager.default.contents(atPath: "/proc/self/cmdline") else { return nil }
        let all = raw.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        return Array(all.dropFirst().dropLast(raw.last == 0 ? 1 : 0))
    }
}
