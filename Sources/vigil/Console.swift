import Foundation

/// Lines for a person watching, written at once even when standard output is a pipe (`print`
/// would hold them in a buffer until exit, and a log collector would see nothing live).
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
