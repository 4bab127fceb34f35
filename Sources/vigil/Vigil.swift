import ArgumentParser

/// The `vigil` command: the room agent and the tools around it.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "The edge agent of a ketamine dosing room: vitals, alarms, session timer and music.",
        subcommands: [Run.self, Demo.self, Music.self, SessionCommand.self, Replay.self, Simulate.self, Decode.self, CheckConfig.self, Sessions.self, Report.self, Export.self, Prune.self]
    )
}
