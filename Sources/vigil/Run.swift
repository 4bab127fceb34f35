import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VigilAgent
import VigilAudio
import VigilCore
import VigilStore
import VigilWeb

/// `vigil run`: the room agent on real devices, as `vigil.yaml` describes the room.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the room agent: read the devices, raise alarms, record everything, publish to the clinic."
    )

    @Option(help: "The room's config file.")
    var config: String = "/etc/vigil/vigil.yaml"

    @Option(help: "The database (overrides the config's).")
    var db: String?

    @OptionGroup var room: RoomOptions

    func run() async throws {
        VigilLogging.bootstrap(level: room.logLevel)
        do {
            try await monitor()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // Said through the log, so that the journal files it as critical: why the unit restarts.
            Logger.vigil("agent").critical("vigil run: cannot start: \(error)")
            throw ExitCode(1)
        }
    }

    private func monitor() async throws {
        let metrics = RoomMetrics.bootstrap()
        var settings = try VigilConfig.load(path: config)
        settings.site = room.site ?? settings.site
        settings.room = room.room ?? settings.room
        settings.mqtt = room.broker(over: settings.mqtt)
        let database = db ?? settings.database
        let lock = try RoomLock(database: database)
        let store: Store
        do {
            store = try Store(path: database, busyTimeout: .milliseconds(250))
        } catch {
            throw SetupError("the database \(database): \(error) — the user running vigil must be able to write it and its folder")
        }
        let identity = RoomIdentity(site: settings.site, room: settings.room)
        let printer = LivePrinter()
        let hub = LiveHub()
        let events = Logger.vigil("room")
        let audio = room.audio(over: settings.audio)
        let music = RoomMusic.startIfPossible(audio)
        let chime = Chime.startIfConfigured(audio)
        defer { chime?.stop() }
        let agent = RoomAgent(clock: SystemClock(), profile: settings.alarms, identity: identity, store: store,
                              output: {
                                  music?.handle($0)
                                  hub.receive($0)
                                  if case .room(let event) = $0 { events.log(level: event.logLevel, "\(printer.line(for: event))") }
                              })
        let control = try ControlSocket(path: room.socket, handle: RoomControl(agent: agent, music: music).handle)
        defer { control.close() }
        let parts = RoomParts.monitoring(settings, outbox: StoreOutbox(store: store))
        if let publisher = parts.publisher { await agent.publish(to: publisher) }
        if let chime { await agent.sound(alarmsOn: chime) }
        let log = Logger.vigil("agent")
        let broker = settings.mqtt.map { "broker \($0.host):\($0.port)" } ?? "no broker"
        log.notice("vigil run: \(identity.site)/\(identity.room), \(settings.devices.count) device(s), database \(store.path ?? "-"), \(broker)")
        if let message = try await agent.resumeUnfinishedSession() { log.notice("agent   \(message)") }
        let pages = room.web(over: settings.http).map { web in
            StaffPagesService(web, agent: agent, music: music, store: store, hub: hub, metrics: metrics) {
                Logger.vigil("web").notice("web     the staff's pages are on \($0)")
            }
        }
        var lifecycle = Logger.vigil("lifecycle")
        lifecycle.logLevel = .warning
        var group = ServiceGroupConfiguration(services: parts.services(for: agent, pages: pages, notifier: SystemdNotifier(agent: agent)),
                                              logger: lifecycle)
        group.gracefulShutdownSignals = [.sigterm, .sigint, .sighup]
        // Inside the unit's TimeoutStopSec=20s: past 15 s the parts are cancelled, and 3 s later
        // the group gives up on them, before systemd's SIGKILL.
        group.maximumGracefulShutdownDuration = .seconds(15)
        group.maximumCancellationDuration = .seconds(3)
        try await ServiceGroup(configuration: group).run()
        await music?.stop()
        store.close()
        withExtendedLifetime(lock) {}
        log.notice("vigil run: stopped")
    }
}
