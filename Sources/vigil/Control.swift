import ArgumentParser
import Foundation
import VigilAgent
import VigilCore

/// Sends one request to the running agent's control socket and prints the reply.
func sendControl(_ fields: [String: JSONLine.Value], socket: String) throws {
    var j = JSONLine()
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) { j.add(key, value) }
    let reply = try ControlSocket.request(j.description, path: socket)
    Console.line(reply)
    if reply.hasPrefix("{\"ok\":false") { throw ExitCode(1) }
}

/// `vigil music`: the doula's music controls on the running agent.
struct Music: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Control the room's music: play, pause, resume, next, previous, stop, volume N, fade SECONDS, status."
    )

    @Argument(help: "play, pause, resume, next, previous, stop, volume, fade or status.")
    var action: String

    @Argument(help: "The volume (0–100) or the fade's seconds.")
    var value: Double?

    @Option(help: "Who is asking (doula, nurse, provider).")
    var role: String = "doula"

    @Option(help: "The agent's control socket (default: the installed service's, /run/vigil/control.sock, if there is one and no var/vigil.sock here).")
    var socket: String = ControlDefaults.clientSocket

    func run() throws {
        var fields: [String: JSONLine.Value] = ["command": .string("music.\(action)"), "role": .string(role)]
        if ["volume", "fade"].contains(action) {
            guard let value else { throw ValidationError("music \(action) needs a number") }
            fields["value"] = .number(value)
        }
        try sendControl(fields, socket: socket)
    }
}

/// `vigil session`: the doula's session controls and the nurse's alarm controls on the running
/// agent, each audited with its role. `ack ALARM_ID` and `pause ALARM_ID` name one alarm (the
/// id the agent prints, such as `A3`): one command never silences a whole room.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Start the session, mark the dose or a booster, add a note, end it, show its status, or acknowledge or pause one alarm (ack ALARM_ID, pause ALARM_ID --role nurse)."
    )

    @Argument(help: "start, dose, booster, note, end, status, ack or pause.")
    var action: String

    @Argument(help: "The note's text, or the alarm's id for ack and pause.")
    var text: [String] = []

    @Option(help: "Who is acting (doula, nurse, provider).")
    var role: String = "doula"

    @Option(help: "The clinic's opaque patient reference (start only; never a name).")
    var patientReference: String?

    @Option(help: "The agent's control socket (default: the installed service's, /run/vigil/control.sock, if there is one and no var/vigil.sock here).")
    var socket: String = ControlDefaults.clientSocket

    func run() throws {
        var fields: [String: JSONLine.Value] = ["command": .string("session.\(action)"), "role": .string(role)]
        if action == "note" { fields["text"] = .string(text.joined(separator: " ")) }
        if ["ack", "pause"].contains(action) {
            guard text.count == 1, let alarm = text.first else {
                throw ValidationError("session \(action) names one alarm by its id: vigil session \(action) A3 --role nurse")
            }
            fields["alarm"] = .string(alarm)
        }
        if let patientReference { fields["patient_reference"] = .string(patientReference) }
        try sendControl(fields, socket: socket)
    }
}
