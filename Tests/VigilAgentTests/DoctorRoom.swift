import Foundation
import GRDB
import Synchronization
import VigilStore
import VigilTestSupport

/// A healthy room for `vigil doctor` to look at: a simulated CMS50 (contec-v7) and SunTech
/// module on pseudo-terminals behind symlinks, as udev's names would be; a real mosquitto with
/// TLS and a password; the music and the chime on ALSA's `file` plugin; a fresh database. A
/// test writes the room's `vigil.yaml` with one part changed at a time.
final class DoctorRoom: Sendable {
    let dir: URL
    let oximeter: String
    let nibp: String
    let broker: Broker
    let simulators: [RunningVigil]

    /// The parts of `vigil.yaml`, each as the healthy room has it.
    struct Config {
        var oximeterPort: String
        var nibpPort: String
        var mqtt: String?
        var audio: String?
        var database = "vigil.sqlite"
    }

    init() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        oximeter = dir.appendingPathComponent("oximeter").path
        nibp = dir.appendingPathComponent("nibp").path
        let sims = [try RunningVigil(["simulate", "contec-v7", "--link", oximeter]),
                    try RunningVigil(["simulate", "suntech", "--link", nibp])]
        simulators = sims
        broker = try Broker(security: .password(user: "room-2", password: "s3cret"), tls: true)
        for simulator in sims {
            guard await simulator.wait(for: "/dev/pts/") else { throw RoomError(message: "no simulator: \(simulator.text)") }
        }
        try "s3cret\n".write(to: dir.appendingPathComponent("mqtt.password"), atomically: true, encoding: .utf8)
        _ = try Store(path: dir.appendingPathComponent("vigil.sqlite").path)
    }

    deinit {
        for simulator in simulators {
            kill(simulator.process.processIdentifier, SIGKILL)
            simulator.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dir)
    }

    var healthy: Config {
        Config(oximeterPort: oximeter, nibpPort: nibp,
               mqtt: """
                   mqtt:
                     host: 127.0.0.1
                     port: \(broker.port)
                     username: room-2
                     password_file: mqtt.password
                     tls: { ca: \(broker.caFile!) }
                   """,
               audio: """
                   audio:
                     device: "file:'\(dir.path)/music.wav',wav"
                     chime_device: "file:'\(dir.path)/chime.wav',wav"
                   """)
    }

    /// Writes `config` as this room's `vigil.yaml`; returns its path.
    func write(_ config: Config, name: String = "vigil.yaml") throws -> String {
        let devices = VigilCommand.packageRoot.appendingPathComponent("Devices").path
        let text = """
            site: north
            room: room-2
            database: \(config.database)
            devices:
              - { name: oximeter, profile: \(devices)/contec-cms50-v7.yaml, port: \(config.oximeterPort) }
              - { name: nibp, profile: \(devices)/suntech-advantage.yaml, port: \(config.nibpPort) }

            """ + [config.mqtt, config.audio].compactMap { $0 }.map { $0 + "\n" }.joined()
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The pseudo-terminal a simulator's link points at.
    func terminal(_ link: String) -> String { URL(fileURLWithPath: link).resolvingSymlinksInPath().path }

    /// `vigil doctor --config PATH`, as root or as another user (`runuser -u USER --`).
    func doctor(_ config: String, as user: String? = nil) async throws -> VigilCommand.Result {
        guard let user else { return try await VigilCommand.run(["doctor", "--config", config], timeout: 90) }
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
                    process.arguments = ["-u", user, "--", VigilCommand.binary.path, "doctor", "--config", config]
                    process.currentDirectoryURL = VigilCommand.packageRoot
                    let out = Pipe(), err = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    process.standardInput = FileHandle.nullDevice
                    try Spawn.run(process)
                    let stdout = out.fileHandleForReading.readDataToEndOfFile()
                    let stderr = err.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return VigilCommand.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                               stderr: String(decoding: stderr, as: UTF8.self))
                })
            }.start()
        }
    }

    /// A loopback port nothing listens on (the kernel's pick, released at once).
    static func deadPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw RoomError(message: "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

extension VigilCommand.Result {
    /// The doctor's line about `subject`.
    func line(_ subject: String) -> String? {
        lines.first { $0.dropFirst(2).hasPrefix("\(subject):") }
    }
}

struct RoomError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
