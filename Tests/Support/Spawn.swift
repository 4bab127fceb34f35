import Foundation
import Synchronization

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux is not safe to
/// call from several threads at once (it crashed the test process copying memory while the
/// binary suites started agents, brokers and CLI commands in parallel); waiting for them stays
/// concurrent.
///
/// A child starts with no signal blocked. It inherits its parent thread's mask, and the
/// cooperative pool's threads block signals: strace would never take the SIGINT that ends its
/// count, nor a Python child the SIGTERM that stops it.
public enum Spawn {
    private static let lock = Mutex(())

    public static func run(_ process: Process) throws {
        try lock.withLock { _ in
            var none = sigset_t(), old = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, &old)
            defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
            try process.run()
        }
    }
}
