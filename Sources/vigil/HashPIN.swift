import ArgumentParser
import Foundation
import VigilWeb

/// `vigil hash-pin`: prints the bcrypt hash of a PIN or token read from standard input, for
/// `http.logins` in vigil.yaml. The secret never goes on the command line (shell history).
struct HashPIN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-pin",
        abstract: "Print the bcrypt hash of a PIN or token read from standard input, for http.logins."
    )

    func run() throws {
        if isatty(STDIN_FILENO) == 1 { FileHandle.standardError.write(Data("PIN or token (then Enter): ".utf8)) }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("no PIN given on standard input")
        }
        guard line.count >= 4 else { throw ValidationError("a PIN needs at least 4 characters") }
        guard line.utf8.count <= 72 else { throw ValidationError("bcrypt reads at most 72 bytes: use a shorter token") }
        print(PINHash.hash(line))
    }
}
