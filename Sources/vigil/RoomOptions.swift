import ArgumentParser
import Logging
import VigilAgent

/// The options `vigil run` and `vigil demo` share, each overriding the config.
struct RoomOptions: ParsableArguments {
    @Option(help: "The clinic's MQTT broker as HOST:PORT (port 1883 if left out). Without it the room runs alone.")
    var mqtt: String?

    @Option(help: "The site's name in MQTT topics (letters, digits, - and _).")
    var site: String?

    @Option(help: "The room's name in MQTT topics (letters, digits, - and _).")
    var room: String?

    @Option(help: "The ALSA device for the patient's music (default, plughw:1,0, …).")
    var audioDevice: String?

    @Option(help: "The playlist (M3U8 with #VIGIL-PHASE cues).")
    var playlist: String?

    @Option(help: "A separate ALSA device for the staff alarm chime (off unless given).")
    var chimeDevice: String?

    @Flag(help: "No music.")
    var noMusic = false

    @Option(help: "The control socket that vigil music and vigil session use.")
    var socket: String = ControlDefaults.socket

    @Option(help: "The least a log line must matter to be written: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Where the staff's pages listen, ADDRESS:PORT (port 0: any free port), or off.")
    var http: String?

    /// The pages' settings: the config's, with `--http` over its address (`off`: none).
    func web(over configured: HTTPSettings?) -> HTTPSettings? {
        guard let http else { return configured }
        guard http != "off", let (address, port) = HTTPSettings.parse(address: http) else { return nil }
        var settings = configured ?? HTTPSettings()
        settings.address = address
        settings.port = port
        return settings
    }

    /// The music settings: the config's, with the command line's device and playlist over them.
    func audio(over configured: AudioSettings?) -> AudioSettings? {
        guard !noMusic else { return nil }
        guard configured != nil || audioDevice != nil || playlist != nil || chimeDevice != nil else { return configured }
        var settings = configured ?? AudioSettings()
        settings.device = audioDevice ?? settings.device
        settings.playlist = playlist ?? settings.playlist
        settings.chimeDevice = chimeDevice ?? settings.chimeDevice
        return settings
    }

    func validate() throws {
        if let http, http != "off", HTTPSettings.parse(address: http) == nil {
            throw ValidationError("--http \(http): expected ADDRESS:PORT, e.g. 127.0.0.1:8080, or off")
        }
        if let mqtt, MQTTSettings.parse(address: mqtt) == nil {
            throw ValidationError("--mqtt \(mqtt): expected HOST:PORT, e.g. 127.0.0.1:1883")
        }
        for (flag, value) in [("--site", site), ("--room", room)] {
            if let value, !VigilConfig.isValidName(value) {
                throw ValidationError("\(flag) \(value): use 1–64 letters, digits, - or _ (it is part of MQTT topics)")
            }
        }
    }

    /// The broker from `--mqtt`, keeping the config's login and TLS when it names the same broker.
    func broker(over configured: MQTTSettings?) -> MQTTSettings? {
        guard let mqtt, let given = MQTTSettings.parse(address: mqtt) else { return configured }
        guard var settings = configured else { return given }
        settings.host = given.host
        settings.port = given.port
        return settings
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
