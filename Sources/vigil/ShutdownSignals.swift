import Dispatch
import Foundation

/// SIGTERM (systemd stopping the unit) and SIGINT (Ctrl-C) end the agent gracefully: the
/// handler cancels the work, which flushes buffered readings before the process exits.
final class ShutdownSignals {
    private let sources: [DispatchSourceSignal]

    init(onSignal: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onSignal)
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }

    /// Runs `work` until it ends or SIGTERM/SIGINT cancels it; returns whether a signal did.
    static func run(_ work: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        let task = Task { try await work() }
        let signals = ShutdownSignals { task.cancel() }
        defer { signals.cancel() }
        do {
            try await task.value
            return false
        } catch is CancellationError {
            return true
        }
    }
}
