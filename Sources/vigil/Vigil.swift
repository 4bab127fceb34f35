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
        await main(nil)
    }
}
