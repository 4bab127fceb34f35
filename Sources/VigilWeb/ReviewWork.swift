import NIOPosix

/// Where the review's heavy work runs — reading a two-hour session's 15,000 readings, drawing its
/// chart, writing an export: one thread of its own, one job at a time, so that a provider's
/// downloads (or a script's loop of them) never take the threads that carry the room's readings
/// and alarms.
final class ReviewWork: Sendable {
    private let pool: NIOThreadPool

    init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(job)
    }
}
