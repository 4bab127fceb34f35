import Logging
import Synchronization
import ServiceLifecycle
import VigilAgent

/// A command's whole work as the one service of a `ServiceGroup`: SIGTERM (systemd stopping
/// the unit) or SIGINT (Ctrl-C) ends it gracefully, through ServiceLifecycle's signal handling.
struct UntilSignal: Service {
    let work: @Sendable () async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await work() }
    }

    /// Runs `work` until it ends or a signal stops it; returns whether a signal did.
    static func run(_ work: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        var quiet = Logger.vigil("lifecycle")
        quiet.logLevel = .warning
        let stopped = Atomic(false)
        let service = UntilSignal {
            do { try await work() } catch is CancellationError {}
            if Task.isShuttingDownGracefully { stopped.store(true, ordering: .relaxed) }
        }
        var configuration = ServiceGroupConfiguration(services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                                                      logger: quiet)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint, .sighup]
        try await ServiceGroup(configuration: configuration).run()
        return stopped.load(ordering: .relaxed)
    }
}
