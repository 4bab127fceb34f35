import ArgumentParser
import Foundation
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
        var settings = try VigilConfig.load(path: config)
        settings.site = room.site ?? settings.site
        settings.room = room.room ?? settings.room
        settings.mqtt = room.broker(over: settings.mqtt)
        let store = try Store(path: db ?? settings.database)
        let identity = RoomIdentity(site: settings.site, room: settings.room)
        let printer = LivePrinter()
        let hub = LiveHub()
        let audio = room.audio(over: settings.audio)
        let music = RoomMusic.startIfPossible(audio, log: { Console.line($0) })
        let chime = Chime.startIfConfigured(audio, log: { Console.line($0) })
        defer { chime?.stop() }
        let agent = RoomAgent(clock: SystemClock(), profile: settings.alarms, identity: identity, store: store,
                              output: {
                                  music?.handle($0)
                                  hub.receive($0)
                                  if case .room(let event) = $0 { Console.line(printer.line(for: event)) }
                              },
                              log: { Console.line($0) })
        let control = try ControlSocket(path: room.socket, handle: RoomControl(agent: agent, music: music).handle,
                                        log: { Console.line($0) })
        defer { control.close() }
        let parts = try RoomParts(config: settings, outbox: StoreOutbox(store: store)) { Console.line($0) }
        if let publisher = parts.publisher { await agent.publish(to: publisher) }
        if let chime { await agent.sound(alarmsOn: chime) }
        Console.line("vigil run: \(identity.site)/\(identity.room), \(settings.devices.count) device(s), database \(store.path ?? "-")"
            + (settings.mqtt.map { ", broker \($0.host):\($0.port)" } ?? ", no broker"))
        if let message = try await agent.resumeUnfinishedSession() { Console.line("agent   \(message)") }
        let web = room.web(over: settings.http)
        _ = try await ShutdownSignals.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let web {
                    group.addTask {
                        await WebRunner.serve(web, agent: agent, music: music, store: store, hub: hub, identity: identity,
                                              log: { Console.line($0) }) { Console.line("web     the staff's pages are on \($0)") }
                    }
                }
                group.addTask { try await parts.run(agent, log: { Console.line($0) }) }
                // The pages ending (a port in use) never ends the room; only the signal does.
                try await group.waitForAll()
            }
        }
        await agent.flushReadings()
        await music?.stop()
        Console.line("vigil run: stopped")
    }
}
