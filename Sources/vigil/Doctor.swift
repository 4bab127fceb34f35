import ArgumentParser
import Foundation
import VigilAgent

/// `vigil doctor`: what is wrong with this room, one line per check, before the first session.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the room: config, devices, sound, broker, disk, database and clock, one line each.",
        discussion: """
            Each line starts with ✓ (works), ✗ (will stop the room working: says what to do), ! (worth a \
            look, not a fault) or - (not checked, and why). Exits 1 if any line is ✗. Run it as the user \
            the agent runs as (sudo -u vigil vigil doctor); as root it checks the ports' permissions for \
            the vigil user when there is one. A port another program holds open (the running agent) is \
            not listened to.
            """
    )

    @Option(help: "The room's config file.")
    var config: String = "/etc/vigil/vigil.yaml"

    func run() async throws {
        let checks = await Doctor(configPath: config).run { check in
            // Each line at once (a device is listened to for seconds); a reader gone away is no matter.
            let bytes = Array((check.text + "\n").utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                offset += n
            }
        }
        if checks.anyFailed { throw ExitCode(1) }
    }
}
