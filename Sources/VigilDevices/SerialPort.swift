import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tty opened raw with termios: baud, data bits, parity, stop bits and flow control as the
/// device needs them. Reads happen on a thread of the port's own that waits in `poll`, so no
/// cooperative-pool thread ever blocks on a serial line; bytes arrive through ``bytes()``.
/// A stable `/dev/serial/by-id/…` or udev symlink works like any path.
public final class SerialPort: Sendable {
    public let path: String
    private let fd: Int32
    private let state = Mutex(State())

    private struct State {
        var closeRequested = false
        var readerStarted = false
        var fdClosed = false
    }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Opens and configures the port; throws a `SerialPortError` naming what failed.
    public static func open(path: String, settings: SerialSettings) throws -> SerialPort {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SerialPortError(path: path, operation: "open", code: errno) }
        do {
            try lock(fd: fd, path: path)
            try configure(fd: fd, path: path, settings: settings)
        } catch {
            Glibc.close(fd)
            throw error
        }
        return SerialPort(path: path, fd: fd)
    }

    /// One reader a port: two programs reading one tty each get part of the bytes, and neither
    /// a whole frame. The port is taken with `flock`, as a second agent on the same port or
    /// pyserial's `exclusive=True` would take it. Not `TIOCEXCL`: it outlives our close while
    /// anything else holds the tty open (the simulator's own end does), and would then refuse
    /// this agent's own reopening to any user but root. ``close()`` lets go at once, so the
    /// agent's own reopening never waits for it.
    static func lock(fd: Int32, path: String) throws {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw SerialPortError(path: path, operation: "lock", code: errno) }
    }

    static func configure(fd: Int32, path: String, settings: SerialSettings) throws {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { throw SerialPortError(path: path, operation: "tcgetattr", code: errno) }
        cfmakeraw(&t)
        let speed = try baudConstant(settings.baud, path: path)
        cfsetispeed(&t, speed)
        cfsetospeed(&t, speed)
        t.c_cflag &= ~(tcflag_t(CSIZE | PARENB | PARODD | CSTOPB) | tcflag_t(CRTSCTS))
        t.c_cflag |= tcflag_t(CLOCAL | CREAD)
        switch settings.dataBits {
        case 5: t.c_cflag |= tcflag_t(CS5)
        case 6: t.c_cflag |= tcflag_t(CS6)
        case 7: t.c_cflag |= tcflag_t(CS7)
        default: t.c_cflag |= tcflag_t(CS8)
        }
        switch settings.parity {
        case .none: break
        case .even: t.c_cflag |= tcflag_t(PARENB); t.c_iflag |= tcflag_t(INPCK)
        case .odd: t.c_cflag |= tcflag_t(PARENB | PARODD); t.c_iflag |= tcflag_t(INPCK)
        }
        if settings.stopBits == 2 { t.c_cflag |= tcflag_t(CSTOPB) }
        switch settings.flowControl {
        case .none: t.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        case .hardware: t.c_cflag |= tcflag_t(CRTSCTS)
        case .software: t.c_iflag |= tcflag_t(IXON | IXOFF)
        }
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &t) == 0 else { throw SerialPortError(path: path, operation: "tcsetattr", code: errno) }
        tcflush(fd, TCIOFLUSH)
    }

    static func baudConstant(_ baud: Int, path: String) throws -> speed_t {
        let table: [Int: Int32] = [1_200: B1200, 2_400: B2400, 4_800: B4800, 9_600: B9600, 19_200: B19200,
                                   38_400: B38400, 57_600: B57600, 115_200: B115200, 230_400: B230400]
        guard let constant = table[baud] else { throw SerialPortError(path: path, operation: "baud \(baud)", code: EINVAL) }
        return speed_t(constant)
    }

    /// The bytes the device sends, as they arrive. The stream finishes with a `SerialPortError`
    /// when the device goes away (EIO, hang-up) and without one after ``close()``.
    /// Call it (or ``reads(_:)``) once per port.
    public func bytes() -> AsyncThrowingStream<[UInt8], Error> {
        reads { $0 }
    }

    /// Each read handed to `take` on the port's own thread as it arrives; what `take` returns
    /// (when not `nil`) comes out of the stream. Deciding on the reader's thread what is worth
    /// waking the room for is what keeps a device of 60 frames a second cheap: a hop from this
    /// thread into the room costs more than decoding the frame. Finishes as ``bytes()`` does.
    public func reads<Batch: Sendable>(_ take: @escaping @Sendable ([UInt8]) -> Batch?) -> AsyncThrowingStream<Batch, Error> {
        let (stream, continuation) = AsyncThrowingStream<Batch, Error>.makeStream()
        state.withLock { $0.readerStarted = true }
        let thread = Thread { [self] in
            let ending = readLoop { chunk in
                if let batch = take(chunk) { continuation.yield(batch) }
            }
            // Closed before the stream ends, so that whoever reads it to its end can open the
            // port again at once.
            closeDescriptor()
            continuation.finish(throwing: ending)
        }
        thread.name = "serial \(path)"
        thread.start()
        return stream
    }

    private func readLoop(_ deliver: ([UInt8]) -> Void) -> Error? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !state.withLock({ $0.closeRequested }) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                return SerialPortError(path: path, operation: "poll", code: errno)
            }
            if ready == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                deliver(Array(buffer[0..<n]))
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                continue
            } else {
                // A hang-up, or EIO once the other end is gone: the device was unplugged.
                let code = n < 0 ? errno : EIO
                return SerialPortError(path: path, operation: "read", code: code)
            }
        }
        return nil
    }

    /// Writes every byte, waiting up to a second for a full output queue to drain.
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n >= 0 { offset += n; continue }
            guard errno == EAGAIN || errno == EINTR else {
                throw SerialPortError(path: path, operation: "write", code: errno)
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&pfd, 1, 1000) == 0 { throw SerialPortError(path: path, operation: "write", code: ETIMEDOUT) }
        }
    }

    /// Stops reading and releases the port: its lock at once, its descriptor within 100 ms (the
    /// reader thread closes it).
    public func close() {
        let closeNow = state.withLock { s -> Bool in
            s.closeRequested = true
            // Under the state's lock, so the descriptor is still this port's (not yet closed).
            if !s.fdClosed { flock(fd, LOCK_UN) }
            return !s.readerStarted
        }
        if closeNow { closeDescriptor() }
    }

    private func closeDescriptor() {
        let shouldClose = state.withLock { s -> Bool in
            defer { s.fdClosed = true }
            return !s.fdClosed
        }
        if shouldClose { Glibc.close(fd) }
    }

    deinit { if !state.withLock({ $0.fdClosed }) { Glibc.close(fd) } }
}
