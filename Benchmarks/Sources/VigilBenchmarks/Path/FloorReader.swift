import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The floor of the whole-path benchmark: a reader that does nothing but wait for the port and
/// read it, as any program must that hears each frame when it arrives (poll, then read, into
/// one buffer; nothing decoded, stored or sent). What it costs at 60 frames a second is what
/// the kernel and the machine charge for the wake-ups alone, the part of a room's CPU no code
/// of Vigil's can remove without reading frames late. Started by the benchmark as this program
/// again with `VIGIL_BENCH=floor VIGIL_FLOOR_PORT=<tty>`.
enum FloorReader {
    static func run(port: String) -> Never {
        let fd = open(port, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            say("floor: cannot open \(port): \(String(cString: strerror(errno)))")
            exit(1)
        }
        var t = termios()
        tcgetattr(fd, &t)
        cfmakeraw(&t)
        tcsetattr(fd, TCSANOW, &t)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var bytes = 0
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 100) <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes &+= n } else if n == 0 || (errno != EAGAIN && errno != EINTR) { exit(0) }
        }
    }
}
