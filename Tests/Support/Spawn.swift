import Foundation
import Synchronization

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux is not safe to
/// call from several threads at once (it crashed the test process copying memory while the
/// binary suites started agents, brokers and CLI commands in parallel); waiting for them stays
/// concurrent.
public enum Spawn {
    private static let lock = Mutex(())

    public static func run(_ process: Process) throws {
        try lock.withLock { _ in try process.run() }
    }
}
