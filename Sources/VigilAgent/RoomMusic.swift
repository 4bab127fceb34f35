import Foundation
import Logging
import VigilAudio
import VigilCore
import Yams

/// The `audio:` section of `vigil.yaml` (and `--audio-device`, `--playlist`).
public struct AudioSettings: Sendable, Equatable {
    /// The ALSA device of the patient's headphones: `default`, `plughw:1,0`, …
    public var device: String
    public var playlist: String
    /// Crossfade to each phase's section as the session moves on; otherwise the doula chooses.
    public var followPhases: Bool
    /// A separate ALSA device for the staff chime; `nil` (the default): no chime.
    public var chimeDevice: String?

    public init(device: String = "default", playlist: String = "Playlists/demo.m3u8", followPhases: Bool = true,
                chimeDevice: String? = nil) {
        self.device = device
        self.playlist = playlist
        self.followPhases = followPhases
        self.chimeDevice = chimeDevice
    }
}

extension AudioSettings {
    /// `audio: { device: plughw:1,0, playlist: Playlists/room-2.m3u8, follow_phases: true, chime_device: plughw:2,0 }`
    static func read(_ node: Node, reader: YAMLReader, relativeTo folder: String) -> AudioSettings? {
        guard let f = reader.fields(node, "audio", known: ["device", "playlist", "follow_phases", "chime_device"]) else { return nil }
        var settings = AudioSettings()
        settings.device = f["device"].flatMap { reader.string($0, "audio.device") } ?? settings.device
        if let n = f["playlist"] { settings.playlist = ConfigPath.existingFile(n, "audio.playlist", reader, folder) ?? settings.playlist }
        settings.followPhases = f["follow_phases"].flatMap { reader.bool($0, "audio.follow_phases") } ?? true
        settings.chimeDevice = f["chime_device"].flatMap { reader.string($0, "audio.chime_device") }
        if let chime = settings.chimeDevice, chime == settings.device {
            reader.report(f["chime_device"], "audio.chime_device", "must not be the patient's music device (\(chime)): alarms never sound in the headphones")
        }
        return settings
    }
}

/// The room's music around its session: started when the session starts (the doula can stop
/// it), crossfaded to each phase's section, faded out over 60 s when the session ends.
public final class RoomMusic: Sendable {
    public let player: Player
    public let settings: AudioSettings

    /// Loads the playlist (generating the demo's audio when it is the demo playlist).
    public init(settings: AudioSettings, log: Logger = .vigil("music"),
                notice: @escaping @Sendable (String) -> Void = { _ in }) throws {
        if (settings.playlist as NSString).lastPathComponent == "demo.m3u8" {
            try DemoMusic.prepare(playlistFolder: (settings.playlist as NSString).deletingLastPathComponent)
        }
        self.settings = settings
        player = Player(device: settings.device, playlist: try Playlist.load(path: settings.playlist), log: log, notice: notice)
    }

    public func start() { player.start() }

    /// Music if the settings ask for it and its playlist loads; otherwise one line saying why,
    /// and the room carries on without music.
    public static func startIfPossible(_ settings: AudioSettings?, log: Logger = .vigil("music"),
                                       notice: (@Sendable (String) -> Void)? = nil) -> RoomMusic? {
        guard let settings else { return nil }
        do {
            let music = try RoomMusic(settings: settings, log: log, notice: notice ?? { log.notice("music: for the doula: \($0)") })
            music.start()
            return music
        } catch {
            log.warning("music: \(error); carrying on without music")
            return nil
        }
    }
    public func stop() async { await player.shutdown() }

    /// Called with everything the agent outputs.
    public func handle(_ output: AgentOutput) {
        guard case .room(.session(let event)) = output else { return }
        if event.kind == .started { player.send(.playSection(.baseline)) }
        if settings.followPhases { player.follow(event) } else if event.kind == .ended { player.send(.fadeOut(seconds: 60)) }
    }
}

extension Chime {
    /// The staff chime if the settings name a device for it (and it is not the music's).
    public static func startIfConfigured(_ settings: AudioSettings?, log: Logger = .vigil("chime")) -> Chime? {
        guard let device = settings?.chimeDevice else { return nil }
        guard device != settings?.device else {
            log.warning("chime: \(device) is the patient's music device; the chime stays off")
            return nil
        }
        let chime = Chime(device: device, log: log)
        chime.start()
        return chime
    }
}
