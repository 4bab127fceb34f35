import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The device side of a pseudo-terminal: what the simulator writes here, the agent reads from
/// ``path`` exactly as it would read `/dev/ttyUSB0`. Closing it is "unplugging the cable".
public final class PseudoTerminal: Sendable {
    /// The `/dev/pts/N` path the agent opens.
    public let path: String
    let master: Int32
    private let slave: Int32
    private let closed = Mutex(false)

    public init() throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else {
            throw SerialPortError(path: "/dev/ptmx", operation: "openpty", code: errno)
        }
        // Raw from the start, so nothing the simulator writes is echoed or translated before
        // the agent configures the port its own way.
        var t = termios()
        tcgetattr(slave, &t)
        cfmakeraw(&t)
        tcsetattr(slave, TCSANOW, &t)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        self.master = master
        self.slave = slave
        // ttyname_r, not ttyname: the latter shares one static buffer between threads.
        var name = [CChar](repeating: 0, count: 128)
        guard ttyname_r(slave, &name, name.count) == 0 else {
            Glibc.close(master)
            Glibc.close(slave)
            throw SerialPortError(path: "/dev/ptmx", operation: "ttyname_r", code: errno)
        }
        self.path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends bytes to the agent; bytes that do not fit while nobody reads are dropped, as a
    /// serial line would lose them.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !closed.withLock({ $0 }) else { return false }
        let n = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
        return n == bytes.count
    }

    /// Whatever the agent has written (its commands), without waiting.
    public func readAvailable() -> [UInt8] {
        guard !closed.withLock({ $0 }) else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// Waits up to `milliseconds` for the agent to write something.
    public func waitForInput(milliseconds: Int32) -> Bool {
        guard !closed.withLock({ $0 }) else { return false }
        var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, milliseconds) > 0 && pfd.revents & Int16(POLLIN) != 0
    }

    /// Unplugs: the agent's next read fails.
    public func close() {
        let wasOpen = closed.withLock { c -> Bool in
            defer { c = true }
            return !c
        }
        if wasOpen {
            Glibc.close(slave)
            Glibc.close(master)
        }
    }

    deinit { close() }
}
