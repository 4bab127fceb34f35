import Foundation
import VigilCore

/// `vigil doctor`: everything a room needs before its first session, checked in order — the
/// config, each device, the sound devices, the pages, the broker, the disk, the database and the clock —
/// one ``DoctorCheck`` each. Each check is a small function of what it looks at; this only
/// puts them in order and runs the slow ones (devices listened to for frames) side by side.
public struct Doctor: Sendable {
    public var configPath: String
    /// How long each protocol of a device gets to give a valid frame.
    public var listenWindow: Duration
    /// Where `timedatectl` is looked for.
    public var timedatectl: [String]

    public init(configPath: String, listenWindow: Duration = .seconds(5),
                timedatectl: [String] = ["/usr/bin/timedatectl", "/bin/timedatectl"]) {
        self.configPath = configPath
        self.listenWindow = listenWindow
        self.timedatectl = timedatectl
    }

    /// Runs every check, handing each to `report` as soon as it and those before it are done.
    @discardableResult
    public func run(report: @Sendable (DoctorCheck) -> Void) async -> [DoctorCheck] {
        var all: [DoctorCheck] = []
        func say(_ check: DoctorCheck) {
            all.append(check)
            report(check)
        }
        let (loaded, configLine) = Self.loadConfig(configPath)
        say(configLine)
        guard let config = loaded else {
            say(DoctorCheck(.skipped, "devices, sound, pages, broker, disk and database", "not checked: they need a valid config"))
            say(Self.clock(timedatectl: timedatectl))
            return all
        }
        let user = DoctorUser.current
        await withTaskGroup(of: (Int, DoctorCheck).self) { group in
            for (index, device) in config.devices.enumerated() {
                group.addTask { (index, await Self.device(device, user: user, window: listenWindow)) }
            }
            var done: [Int: DoctorCheck] = [:]
            var next = 0
            for await (index, check) in group {
                done[index] = check
                while let ready = done[next] {
                    say(ready)
                    next += 1
                }
            }
        }
        if config.devices.isEmpty {
            say(.warning("devices", "none in the config", advice: "a room without devices watches nobody: add the oximeter and the NIBP under devices:"))
        }
        for check in Self.sound(config.audio) { say(check) }
        say(Self.pages(config.http))
        say(await Self.broker(config))
        say(Self.disk(config))
        say(Self.database(config.database, user: user))
        say(Self.clock(timedatectl: timedatectl))
        return all
    }

    /// The config, and its line: valid, or each of its problems.
    static func loadConfig(_ path: String) -> (VigilConfig?, DoctorCheck) {
        do {
            let config = try VigilConfig.load(path: path)
            return (config, .ok("config", "\(path) is valid (\(config.site)/\(config.room), \(count(config.devices.count, "device")))"))
        } catch let error as TextInput.Unreadable {
            let advice = error.reason == "no such file"
                ? "give the room's config with --config FILE (the package installs /etc/vigil/vigil.yaml; in Vigil's source, deploy/vigil.example.yaml is a start)"
                : "the user running vigil must be able to read it"
            return (nil, .failed("config", "\(error)", advice: advice))
        } catch let error as ConfigProblems {
            let lines = error.problems.map(\.description)
            return (nil, .failed("config", "\(path) is not valid (\(count(lines.count, "problem")))",
                                 advice: "fix each line below (vigil check-config \(path) checks it again)", details: lines))
        } catch {
            return (nil, .failed("config", "\(path): \(error)", advice: "fix it (vigil check-config \(path) checks it again)"))
        }
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
