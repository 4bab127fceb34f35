import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The control socket's one thread: a `poll()` loop over the listening socket, every open
/// connection and the ``ControlWakeup`` pipe. It never blocks on a client and never holds a
/// thread per connection; the room answers each request in a task of its own and hands the reply
/// back through the wakeup. Everything here is touched by this thread only.
///
/// What it guards against: a client that hangs up before its answer (that connection is
/// closed, nothing else), clients that connect and say nothing (closed after
/// ``ControlSocket/requestTimeout``), more clients than ``ControlSocket/maxConnections`` (the one
/// that has waited longest without a whole request makes room; if all are being answered, the
/// newcomer is told the agent is busy), and a process out of file descriptors (accepting pauses
/// for ``ControlSocket/acceptBackoff`` and resumes; said once in the log).
final class ControlLoop {
    private let listener: Int32
    private let wakeup: ControlWakeup
    private let handle: @Sendable (String) async -> String
    private let log: Logger
    private var connections: [UInt64: ControlConnection] = [:]
    private var nextID: UInt64 = 0
    /// While the process has no descriptor to spare, accepting waits until then.
    private var acceptPausedUntil: ContinuousClock.Instant?
    /// Whether the current spell of failing accepts was logged.
    private var acceptFailing = false

    init(listener: Int32, wakeup: ControlWakeup, handle: @escaping @Sendable (String) async -> String,
         log: Logger) {
        self.listener = listener
        self.wakeup = wakeup
        self.handle = handle
        self.log = log
    }

    /// Serves until ``ControlWakeup/stop()``; then closes every connection and the socket.
    func run() {
        while !wakeup.isStopping {
            let now = ContinuousClock.now
            closeOverdue(at: now)
            if let until = acceptPausedUntil, until <= now { acceptPausedUntil = nil }
            let accepting = acceptPausedUntil == nil
            var polled = [pollfd(fd: wakeup.readEnd, events: Int16(POLLIN), revents: 0)]
            if accepting { polled.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0)) }
            let watched = connections.values.filter { $0.stage != .answering }
            for c in watched {
                polled.append(pollfd(fd: c.fd, events: Int16(c.stage == .reading ? POLLIN : POLLOUT), revents: 0))
            }
            let ready = poll(&polled, nfds_t(polled.count), timeout(from: now))
            if ready < 0 {
                if errno == EINTR { continue }
                log.error("control socket: poll failed (\(String(cString: strerror(errno)))); trying again")
                acceptPausedUntil = ContinuousClock.now + ControlSocket.acceptBackoff
                continue
            }
            if polled[0].revents != 0 {
                for answer in wakeup.takeAnswers() { startWriting(answer.connection, answer.reply) }
            }
            if accepting && polled[1].revents != 0 { acceptWaiting() }
            let first = accepting ? 2 : 1
            for (index, c) in watched.enumerated() where polled[first + index].revents != 0 {
                c.stage == .reading ? readFrom(c.id) : writeTo(c.id)
            }
        }
        for c in connections.values { Glibc.close(c.fd) }
        connections.removeAll()
        Glibc.close(listener)
        wakeup.close()
    }

    /// Milliseconds until the nearest deadline or the end of an accept pause; -1 for none.
    private func timeout(from now: ContinuousClock.Instant) -> Int32 {
        let next = (connections.values.compactMap(\.deadline) + [acceptPausedUntil].compactMap { $0 }).min()
        guard let next else { return -1 }
        let (seconds, attoseconds) = now.duration(to: next).components
        return Int32(max(0, min(60_000, seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)))
    }

    private func closeOverdue(at now: ContinuousClock.Instant) {
        for c in connections.values {
            guard let deadline = c.deadline, deadline <= now else { continue }
            if c.stage == .reading {
                ControlConnection.refuse(c.fd, "no request line within \(ControlSocket.requestTimeout); closing")
            } else {
                Glibc.close(c.fd)
            }
            connections[c.id] = nil
        }
    }

    /// Accepts every client waiting (a bounded number per turn, so answers are not held up).
    private func acceptWaiting() {
        for _ in 0..<64 {
            let fd = accept(listener, nil, nil)  // accept4 is not in Swift's Glibc: the flags follow
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue  // that client vanished; the next may not have
                case EAGAIN, EWOULDBLOCK: return
                default:
                    // EMFILE, ENFILE, ENOBUFS, ENOMEM: the process or the system is out of
                    // something; clients wait in the backlog until it is back.
                    if !acceptFailing {
                        let reason = String(cString: strerror(errno))
                        log.error("control socket: cannot accept a connection (\(reason)); trying again every \(ControlSocket.acceptBackoff), the room carries on")
                        acceptFailing = true
                    }
                    acceptPausedUntil = ContinuousClock.now + ControlSocket.acceptBackoff
                    return
                }
            }
            if acceptFailing {
                log.notice("control socket: accepting connections again")
                acceptFailing = false
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            admit(fd)
        }
    }

    private func admit(_ fd: Int32) {
        if connections.count >= ControlSocket.maxConnections {
            let waiting = connections.values.filter { $0.stage == .reading }.min { $0.id < $1.id }
            guard let oldest = waiting else {
                ControlConnection.refuse(fd, "the agent is busy with \(ControlSocket.maxConnections) requests; try again")
                return
            }
            ControlConnection.refuse(oldest.fd, "closed to make room: no request line yet")
            connections[oldest.id] = nil
        }
        nextID += 1
        connections[nextID] = ControlConnection(fd: fd, id: nextID, deadline: ContinuousClock.now + ControlSocket.requestTimeout)
    }

    private func readFrom(_ id: UInt64) {
        guard var c = connections[id] else { return }
        switch c.readAvailable() {
        case .nothingYet:
            connections[id] = c
        case .gone:
            Glibc.close(c.fd)
            connections[id] = nil
        case .tooLong:
            connections[id] = c
            startWriting(id, ControlSocket.errorLine("a request is one JSON line of at most \(ControlSocket.maxRequestBytes / 1024) KiB"))
        case .request(let line):
            c.stage = .answering
            c.deadline = nil
            connections[id] = c
            let (handle, wakeup) = (self.handle, self.wakeup)
            Task {
                let reply = await handle(line)
                wakeup.deliver(reply, to: id)
            }
        }
    }

    private func startWriting(_ id: UInt64, _ reply: String) {
        guard var c = connections[id] else { return }
        c.stage = .writing
        c.unsent = Array((reply + "\n").utf8)
        c.deadline = ContinuousClock.now + ControlSocket.requestTimeout
        connections[id] = c
        writeTo(id)
    }

    private func writeTo(_ id: UInt64) {
        guard var c = connections[id] else { return }
        switch c.writeAvailable() {
        case false?:
            connections[id] = c
        case true?, nil:
            // All sent, or the client hung up (EPIPE, ECONNRESET): either way this connection is done.
            Glibc.close(c.fd)
            connections[id] = nil
        }
    }
}
