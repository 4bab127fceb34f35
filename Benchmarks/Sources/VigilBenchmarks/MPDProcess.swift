import Foundation
import VigilAgent
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Debian's `mpd` for the music benchmark: a configuration of its own in `work` (no state, no
/// zeroconf), its `null` output synced to real time, the playlist queued and playing. Driven
/// over its text protocol on a loopback port.
enum MPDProcess {
    static func start(music: URL, work: URL, volume: Int) throws -> Process {
        let port = try Broker.freePort()
        let config = work.appendingPathComponent("mpd.conf")
        try """
        music_directory "\(music.path)"
        db_file "\(work.path)/db"
        log_file "\(work.path)/log"
        bind_to_address "127.0.0.1"
        port "\(port)"
        zeroconf_enabled "no"
        audio_output_format "48000:16:2"
        audio_output {
            type "null"
            name "real time"
            sync "yes"
            mixer_type "software"
        }

        """.write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mpd")
        process.arguments = ["--no-daemon", config.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try Spawn.run(process)
        let control = try connect(port: port)
        defer { close(control) }
        try command(control, "update")
        let tracks = ["baseline", "onset", "peak", "recovery", "discharge"].map { "\($0).flac" }
        let deadline = Date().addingTimeInterval(20)
        // The database is built in the background: add once it knows the files.
        while (try? command(control, "add \(tracks[0])")) == nil {
            guard Date() < deadline else { throw SetupError("mpd never found \(tracks[0]) in \(music.path)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        for track in tracks.dropFirst() { try command(control, "add \(track)") }
        try command(control, "setvol \(volume)")
        try command(control, "play")
        return process
    }

    static func connect(port: Int) throws -> Int32 {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if rc == 0 {
                _ = try reply(fd) // "OK MPD 0.23.x"
                return fd
            }
            close(fd)
            guard Date() < deadline else { throw SetupError("mpd did not listen on port \(port)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Sends one command; throws on its `ACK`.
    @discardableResult
    static func command(_ fd: Int32, _ line: String) throws -> String {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let answer = try reply(fd)
        if answer.hasPrefix("ACK") { throw SetupError("mpd refused \(line): \(answer)") }
        return answer
    }

    /// Everything up to the reply's last line (`OK` or `ACK …`).
    static func reply(_ fd: Int32) throws -> String {
        var text = ""
        var byte: UInt8 = 0
        while true {
            guard read(fd, &byte, 1) == 1 else { throw SetupError("mpd closed its connection") }
            text.append(Character(UnicodeScalar(byte)))
            guard byte == UInt8(ascii: "\n") else { continue }
            let last = text.split(separator: "\n").last ?? ""
            if last.hasPrefix("OK") || last.hasPrefix("ACK") { return text }
        }
    }
}
