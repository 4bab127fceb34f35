import Foundation
import Testing
import VigilAgent

/// `vigil station`'s config file, as an IT person writes it.
@Suite("The station's config")
struct StationConfigTests {
    @Test("The shipped example reads: the site, its archive beside the rooms', the broker's station login and one nurse")
    func shippedExample() throws {
        let file = VigilCommand.packageRoot.appendingPathComponent("deploy/station.example.yaml").path
        let config = try StationConfig.load(path: file)
        #expect(config.site == "north-clinic")
        #expect(config.database == "/var/lib/vigil/station.sqlite" && !config.isPostgres)
        #expect(config.silentAfter == .seconds(30))
        #expect(config.mqtt.username == "station")
        #expect(config.http?.logins.map(\.role) == [.nurse])
    }

    @Test("A PostgreSQL URL is the archive; every site when none is named")
    func postgres() throws {
        let config = try StationConfig.parse(yaml: "station: { database: \"postgres://vigil@db/vigil\" }\nmqtt: { host: broker }\n", file: "s.yaml")
        #expect(config.isPostgres && config.site == nil)
    }

    @Test("No broker, a site that is not a plain word, a silence too short and an unknown key are each refused at their line")
    func refusals() {
        #expect {
            try StationConfig.parse(yaml: "station:\n  site: north clinic\n  silent_after: 1s\n  colour: red\n", file: "s.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("s.yaml:2: station.site") && text.contains("s.yaml:3: station.silent_after")
                && text.contains("colour") && text.contains("mqtt: missing")
        }
    }
}
