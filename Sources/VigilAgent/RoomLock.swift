import Foundation

/// One agent per room: a second `vigil run` (or demo) on the same database — IT starting one by
/// hand while the service runs — would read the same serial ports (each getting half the bytes),
/// take the broker session from the first every second, and delete its control socket on exit.
/// It is refused instead, naming the one that runs. The lock is `flock` on `DATABASE.lock`, so it
/// goes with the process, however it ends.
public final class RoomLock: Sendable {
    private let fd: Int32

    /// `running`: what the other process runs, and how to stop it, for the refusal.
    public init(database: String, running: String = "this room", stop: String = "systemctl stop vigil") throws {
        let path = database + ".lock"
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SetupError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var bytes = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &bytes, bytes.count)
            let pid = n > 0 ? String(decoding: bytes[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            throw SetupError("another vigil (pid \(pid)) is running \(running) on \(database): stop it first (\(stop))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    deinit { close(fd) }
}
