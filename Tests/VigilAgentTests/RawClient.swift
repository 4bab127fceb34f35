import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A control-socket client that misbehaves on purpose: connects and says nothing, sends and
/// hangs up without reading. Blocking calls, each bounded by a socket timeout; call them on a
/// thread of their own (``onThread(_:)``). Descriptors are close-on-exec, so the agents other
/// tests start never inherit them.
enum RawClient {
    /// A connected socket, or `nil`; connecting gives up after 5 s (a full backlog nobody accepts).
    static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Opens up to `count` idle connections, stopping at the first that fails (and why). Each
    /// is moved to a descriptor number at or above `above`: libmosquitto's loop uses select(),
    /// which cannot take a descriptor past 1023, and the MQTT suites running alongside in this
    /// process must still get low numbers for their clients.
    static func connectMany(_ count: Int, to path: String, above: Int32) -> ([Int32], String?) {
        var fds: [Int32] = []
        while fds.count < count {
            guard let fd = connect(path) else { return (fds, String(cString: strerror(errno))) }
            let high = fcntl(fd, F_DUPFD_CLOEXEC, above)
            close(fd)
            guard high >= 0 else { return (fds, "moving a descriptor above \(above): \(String(cString: strerror(errno)))") }
            fds.append(high)
        }
        return (fds, nil)
    }

    /// Writes all of `text`; a peer that is gone gives `false`, never SIGPIPE.
    static func send(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Raises this process's soft limit on open files to `wanted` (at most the hard limit; never
    /// lowers it); returns the limit now in force.
    static func raiseOwnFileLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        getrlimit(RLIMIT_NOFILE_, &limit)
        limit.rlim_cur = max(limit.rlim_cur, min(limit.rlim_max, rlim_t(wanted)))
        setrlimit(RLIMIT_NOFILE_, &limit)
        getrlimit(RLIMIT_NOFILE_, &limit)
        return Int(limit.rlim_cur)
    }

    private static var RLIMIT_NOFILE_: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }

    /// Reads what arrives on each socket until the agent closes it, for at most `seconds`;
    /// returns what each closed socket received (EOF or a reset).
    static func waitUntilClosed(_ fds: [Int32], seconds: Double) -> [Int32: String] {
        var received: [Int32: [UInt8]] = [:]
        var closed: [Int32: String] = [:]
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while closed.count < fds.count, Date() < deadline {
            var polled = fds.filter { closed[$0] == nil }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polled, nfds_t(polled.count), 200) > 0 else { continue }
            for p in polled where p.revents != 0 {
                let n = recv(p.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if n > 0 {
                    received[p.fd, default: []] += buffer[0..<n]
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    closed[p.fd] = String(decoding: received[p.fd] ?? [], as: UTF8.self)
                }
            }
        }
        return closed
    }

    /// Reads `fd` until `needle` appears or `seconds` pass; returns what was read.
    static func read(_ fd: Int32, until needle: String, seconds: Double) -> String {
        var text = ""
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !text.contains(needle), Date() < deadline {
            var p = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            guard poll(&p, 1, 200) > 0 else { continue }
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        return text
    }
}
