import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How the rest of the agent reaches the control socket's loop thread, which sleeps in
/// `poll()`: answers the room has made, and the request to stop. Each is queued under a lock
/// and a byte on a pipe wakes the loop. The pipe is written only under that lock and only while
/// it is open, so a late answer never writes into a descriptor number that was reused.
final class ControlWakeup: Sendable {
    /// The end the loop polls.
    let readEnd: Int32
    private let writeEnd: Int32

    private struct State {
        var answers: [(connection: UInt64, reply: String)] = []
        var stopping = false
        var closed = false
    }

    private let state = Mutex(State())

    init() throws(ControlSocket.Failure) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw ControlSocket.Failure(description: "control socket: \(String(cString: strerror(errno)))") }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// The room's reply to one connection's request.
    func deliver(_ reply: String, to connection: UInt64) {
        state.withLock { s in
            guard !s.closed else { return }
            s.answers.append((connection, reply))
            poke()
        }
    }

    /// Asks the loop to close every connection and the socket, and to end.
    func stop() {
        state.withLock { s in
            guard !s.closed else { return }
            s.stopping = true
            poke()
        }
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// The answers delivered since the last call, after emptying the pipe.
    func takeAnswers() -> [(connection: UInt64, reply: String)] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &buffer, buffer.count) > 0 {}
        return state.withLock { s in
            defer { s.answers.removeAll() }
            return s.answers
        }
    }

    /// Closes the pipe; called once, by the loop as it ends.
    func close() {
        state.withLock { s in
            s.closed = true
            Glibc.close(readEnd)
            Glibc.close(writeEnd)
        }
    }

    /// One byte is enough: a full pipe already means "wake up".
    private func poke() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }
}
