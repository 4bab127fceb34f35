import Foundation
import Testing
import VigilTestSupport

extension CommandLineTests {
    @Test("vigil --version names the release and the git revision the binary was built from")
    func version() async throws {
        let result = try await VigilCommand.run(["--version"])
        #expect(result.status == 0)
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["-C", VigilCommand.packageRoot.path, "rev-parse", "HEAD"]
        let out = Pipe()
        git.standardOutput = out
        try Spawn.run(git)
        git.waitUntilExit()
        let head = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("vigil 0.9.0 (revision "), "\(line)")
        let revision = line.split(separator: "revision ").last?.prefix { $0.isHexDigit } ?? ""
        #expect(revision.count >= 10 && head.hasPrefix(revision), "\(line) is not the checkout's \(head)")
    }
}
