import ArgumentParser
import Foundation
import VigilAgent
import VigilCore

/// `vigil score`: how would these limits have done on a labelled library, against a naive monitor?
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score alarm profiles on a labelled scenario library, against a naive monitor; prints Markdown.",
        discussion: """
        LABELS is a labels file (labels.json: each scenario's true events) or a folder holding one; \
        its scenarios are read relative to it. Each --profile gives a row (default: the built-in \
        clinic profile); the naive monitor (any reading past the first profile's limits alarms at \
        once) is the first row. A true event is caught by a physiological alarm of its vitals \
        first sounding at medium or high within [start, end + 30 s]; a nuisance is one that \
        answers no true event. Example: vigil score Tests/Fixtures/quality
        """
    )

    @Argument(help: "labels.json, or a folder holding labels.json and its scenarios.")
    var labels: String

    @Option(name: .customLong("profile"), help: "An alarm profile YAML file; repeat it for more rows.")
    var profiles: [String] = []

    @Flag(help: "List every missed true event after the table.")
    var listMissed = false

    func run() throws {
        do {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: labels, isDirectory: &isFolder)
            guard exists else { throw ValidationError("no labels at \(labels)") }
            let file = URL(fileURLWithPath: labels).appendingPathComponent(isFolder.boolValue ? "labels.json" : "")
            let folder = isFolder.boolValue ? URL(fileURLWithPath: labels) : file.deletingLastPathComponent()
            let labelled: ScoreLabels
            do {
                labelled = try ScoreLabels(json: Data(try TextInput.read(file.path).utf8))
            } catch let error as DecodingError {
                throw ValidationError("\(file.path) is not a labels file: \(error)")
            }
            var scenarios: [String: Scenario] = [:]
            for session in labelled.sessions {
                let path = folder.appendingPathComponent(session.scenario).path
                scenarios[session.scenario] = try Scenario.parse(try TextInput.read(path), file: path)
            }
            let rows: [(name: String, profile: AlarmProfile)] = try profiles.isEmpty
                ? [("built-in default", .clinicDefault)]
                : profiles.map { (URL(fileURLWithPath: $0).lastPathComponent, try ProfileFile.load(path: $0)) }
            let scored = try ScoredReplay.score(labels: labelled, scenarios: scenarios, profiles: rows)
            print(ScoreTable.markdown(scored), terminator: "")
            if listMissed {
                let missed = ScoreTable.missed(scored)
                print(missed.isEmpty ? "\nNo true event missed." : "\n" + missed.map { "- \($0)" }.joined(separator: "\n"))
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("vigil score: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
