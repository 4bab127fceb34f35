import Foundation

/// The demo playlist's audio is made on this machine by `Playlists/make-demo-audio.sh` (sox),
/// never committed: `make run` and `make test` run it, and so does the demo if it was skipped.
public enum DemoMusic {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    public static let phases = ["baseline", "onset", "peak", "recovery", "discharge"]

    /// Makes the tracks `Playlists/demo.m3u8` names (`demo/<phase>.flac` next to it) if any is
    /// missing.
    public static func prepare(playlistFolder: String) throws {
        let folder = (playlistFolder as NSString).appendingPathComponent("demo")
        let missing = phases.contains { !FileManager.default.fileExists(atPath: "\(folder)/\($0).flac") }
        guard missing else { return }
        let maker = (playlistFolder as NSString).appendingPathComponent("make-demo-audio.sh")
        guard FileManager.default.isExecutableFile(atPath: maker) else {
            throw Failure(description: "no demo music here: \(folder) is missing and so is \(maker) (run the demo from Vigil's folder, or give --playlist)")
        }
        let script = Process()
        script.executableURL = URL(fileURLWithPath: maker)
        script.arguments = [folder]
        do { try script.run() } catch {
            throw Failure(description: "could not run \(maker): \(error.localizedDescription)")
        }
        script.waitUntilExit()
        guard script.terminationStatus == 0 else {
            throw Failure(description: "could not make the demo music in \(folder) (is sox installed? make deps installs it)")
        }
    }
}
