import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VigilAgent
import VigilCore
import VigilMQTT
import VigilStation
import VigilStore
import VigilWeb

/// `vigil station`: the clinic's desk — every room on one screen, acknowledgements sent to the
/// rooms, and every room's alarm events and summaries kept once.
struct StationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station",
        abstract: "The clinic's station: every room on one screen, acknowledgements from the desk, every summary kept once.",
        subcommands: [StationRun.self, StationSessions.self, StationReport.self],
        defaultSubcommand: StationRun.self
    )
}

/// Where the station's settings come from: its config file, with the command line over it.
struct StationOptions: ParsableArguments {
    @Option(help: "The station's config file (station:, mqtt:, http:).")
    var config: String?

    @Option(help: "The clinic's MQTT broker as HOST:PORT (over the config's).")
    var mqtt: String?

    @Option(help: "The site to follow (over the config's); without one, every site on the broker.")
    var site: String?

    @Option(help: "The station's database: a SQLite file, or a postgres:// URL (over the config's).")
    var db: String?

    func settings(needsBroker: Bool = true) throws -> StationConfig {
        var settings: StationConfig
        if let config {
            settings = try StationConfig.load(path: config)
        } else {
            guard mqtt != nil || !needsBroker else { throw ValidationError("give --config FILE, or at least --mqtt HOST:PORT") }
            settings = StationConfig(site: nil, database: "var/station.sqlite", mqtt: MQTTSettings(host: "127.0.0.1"), http: nil)
        }
        if let mqtt {
            guard let broker = MQTTSettings.parse(address: mqtt) else { throw ValidationError("--mqtt \(mqtt): expected HOST:PORT") }
            settings.mqtt.host = broker.host
            settings.mqtt.port = broker.port
        }
        if let site {
            guard VigilConfig.isValidName(site) else { throw ValidationError("--site \(site): letters, digits, - and _ only") }
            settings.site = site
        }
        settings.database = db ?? settings.database
        return settings
    }
}

/// `vigil station [run]`: follows the rooms and serves the station's pages.
struct StationRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Follow every room and serve the station's pages.")

    @OptionGroup var options: StationOptions

    @Option(help: "Where the station's pages listen, ADDRESS:PORT, or off (over the config's).")
    var http: String?

    @Option(help: "The least a log line must matter to be written: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        VigilLogging.bootstrap(level: logLevel)
        let log = Logger.vigil("station")
        do {
            try await follow(log)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            log.critical("vigil station: cannot start: \(error)")
            throw ExitCode(1)
        }
    }

    private func follow(_ log: Logger) async throws {
        var settings = try options.settings()
        if let http {
            if http == "off" { settings.http = nil } else {
                guard let (address, port) = HTTPSettings.parse(address: http) else { throw ValidationError("--http \(http): expected ADDRESS:PORT or off") }
                settings.http = settings.http ?? HTTPSettings()
                settings.http?.address = address
                settings.http?.port = port
            }
        }
        // One station per archive, as one agent per room: a second would split the broker's
        // persistent session with the first and take its login every second.
        let lock = settings.isPostgres ? nil
            : try RoomLock(database: settings.database, running: "the station", stop: "systemctl stop vigil-station")
        let archive = try await StationArchives.open(settings.database)
        var mqtt = try settings.mqtt.options(site: settings.site ?? "all", room: "station")
        // Its own persistent session per archive: two stations keeping two archives (a clinic's
        // and a group's) never take each other's, nor the messages waiting in it.
        mqtt.clientID = settings.mqtt.clientID ?? "vigil-station-\(settings.site ?? "all")-\(Self.tag(settings.database))"
        // Persistent: alarm events and summaries sent while the station was away wait at the broker.
        mqtt.cleanSession = false
        let station = try ClinicStation(options: mqtt, site: settings.site, archive: archive, clock: SystemClock(),
                                        silentAfter: settings.silentAfter, log: log)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: StationService(station))]
        if let web = settings.http {
            services.append(.init(service: StationPagesService(StationServer(settings: web, station: station, site: settings.site))))
        }
        let where_ = settings.isPostgres ? "PostgreSQL" : settings.database
        log.notice("vigil station: following \(settings.site.map { "site \($0)" } ?? "every site") on \(mqtt.host):\(mqtt.port), archive \(where_)")
        var lifecycle = Logger.vigil("lifecycle")
        lifecycle.logLevel = .warning
        var group = ServiceGroupConfiguration(services: services, logger: lifecycle)
        group.gracefulShutdownSignals = [.sigterm, .sigint, .sighup]
        group.maximumGracefulShutdownDuration = .seconds(10)
        try await ServiceGroup(configuration: group).run()
        withExtendedLifetime(lock) {}
        log.notice("vigil station: stopped")
    }

    /// Eight hex digits that name an archive, the same in every run (FNV-1a: Swift's own hash
    /// differs from one process to the next).
    static func tag(_ location: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in canonical(location).utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(format: "%08x", hash)
    }

    /// The archive's place, written one way: an absolute path, or a URL's host, port and
    /// database without its login or options (a changed password keeps the session).
    static func canonical(_ location: String) -> String {
        if let url = URLComponents(string: location), let scheme = url.scheme, scheme.hasPrefix("postgres") {
            return "postgres://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(url.path)"
        }
        return URL(fileURLWithPath: location).standardizedFileURL.path
    }
}

/// `vigil station sessions`: every room's sessions the station holds.
struct StationSessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "List the sessions every room reported to the station.")

    @OptionGroup var options: StationOptions

    @Option(help: "Only sessions started since: 7d, 24h or a date (2026-11-01).")
    var since: String?

    func run() async throws {
        let archive = try await StationArchives.existing(try options.settings(needsBroker: false).database)
        let from = try since.map { text in
            guard let date = SessionAge.start(text) else { throw ValidationError("--since \(text): 7d, 24h or a date") }
            return date
        }
        let sessions = try await archive.sessions(since: from)
        await archive.close()
        if sessions.isEmpty { print("No sessions in the station's database.") }
        for s in sessions {
            let length = s.endedAt.map { "\(Int($0.timeIntervalSince(s.startedAt) / 60)) min" } ?? "running"
            let alarms = AlarmPriority.allCases.reversed().map { "\($0.rawValue) \(s.raised[$0] ?? 0)" }.joined(separator: ", ")
            print("\(s.room)  \(s.session)  \(SessionReport.time(s.startedAt))  \(length)  alarms: \(alarms)")
        }
    }
}

/// `vigil station report`: one session as its room reported it.
struct StationReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print one session's report as its room sent it to the station.")

    @Argument(help: "The room as SITE/ROOM.") var room: String
    @Argument(help: "The session id (vigil station sessions lists them).") var session: String
    @OptionGroup var options: StationOptions

    func run() async throws {
        let parts = room.split(separator: "/").map(String.init)
        guard parts.count == 2 else { throw ValidationError("the room is SITE/ROOM, e.g. north/room-2") }
        let key = RoomKey(site: parts[0], room: parts[1])
        let archive = try await StationArchives.existing(try options.settings(needsBroker: false).database)
        let events = try await archive.events(of: key, session: session)
        await archive.close()
        guard let summary = events.last(where: { $0.kind == .summary }) else {
            throw ArchiveError(events.isEmpty ? "the station holds nothing of \(session) in \(key)"
                               : "\(session) in \(key) has not ended, or its summary has not reached the station")
        }
        print(SessionReport.text(of: try RoomSummary.decode(payload: summary.payload), session: session, site: key.site, room: key.room),
              terminator: "")
    }
}
