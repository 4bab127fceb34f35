import Foundation
import Synchronization

/// A Unix datagram socket a test binds, standing in for systemd's notify socket or journald's:
/// every datagram received is kept, in order, for the test to wait on.
public final class DatagramListener: Sendable {
    public let path: String
    private let received: Inbox

    /// What the receiving thread shares with the listener; the thread closes the socket itself
    /// once told to stop, so its descriptor is never reused under it.
    private final class Inbox: Sendable {
        let datagrams = Mutex<[[UInt8]]>([])
        let stopped = Atomic(false)
        let reading: Atomic<Bool>

        init(reading: Bool) { self.reading = Atomic(reading) }
    }

    /// `reading: false`: nothing is taken off the socket until ``resume()``, so its queue fills
    /// as a busy journald's does.
    public init(path: String, reading: Bool = true) throws {
        self.path = path
        received = Inbox(reading: reading)
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0 else {
            if fd >= 0 { close(fd) }
            throw POSIXError(.EADDRINUSE)
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let inbox = received
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while !inbox.stopped.load(ordering: .relaxed) {
                guard inbox.reading.load(ordering: .relaxed) else {
                    usleep(10_000)
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { inbox.datagrams.withLock { $0.append(Array(buffer[0..<n])) } }
            }
            close(fd)
            unlink(path)
        }
        thread.start()
    }

    deinit { received.stopped.store(true, ordering: .relaxed) }

    /// Starts taking datagrams off the socket (see `reading:`).
    public func resume() { received.reading.store(true, ordering: .relaxed) }

    /// Every datagram so far, as text.
    public var messages: [String] { received.datagrams.withLock { $0 }.map { String(decoding: $0, as: UTF8.self) } }

    /// Every datagram so far, as bytes.
    public var datagrams: [[UInt8]] { received.datagrams.withLock { $0 } }

    /// Waits (at most `seconds`) until the datagrams so far satisfy `condition`.
    @discardableResult
    public func wait(seconds: Double = 10, until condition: ([String]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(messages) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(messages)
    }
}
