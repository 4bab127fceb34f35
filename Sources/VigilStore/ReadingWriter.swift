import Foundation
import Metrics
import Synchronization
import VigilCore

/// Puts readings into the database in batches, at least every 500 ms, without ever making the
/// caller wait: ``append(_:session:)`` only adds to a buffer. If the disk refuses (full,
/// read-only), the readings stay buffered (up to ``capacity``) and are written once it
/// accepts again; the failure and the recovery are reported once each.
public final class ReadingWriter: Sendable {
    public let store: Store
    public let interval: Duration
    /// Readings kept while the disk refuses; past this the oldest are dropped (and counted).
    public let capacity: Int
    private let state = Mutex(State())
    private let handler = Mutex<(@Sendable (StorageStatus) -> Void)?>(nil)
    /// `/metrics`: how long each batch's commit took (the disk's health, as the room feels it).
    private let commits = Metrics.Timer(label: "vigil_database_commit_seconds")

    private struct State {
        var pending: [(Reading, String?)] = []
        var failing = false
        var dropped = 0
    }

    /// What the writer tells the room about the disk.
    public enum StorageStatus: Sendable, Equatable {
        case failed(String)
        case recovered
    }

    public init(store: Store, interval: Duration = .milliseconds(250), capacity: Int = 200_000) {
        self.store = store
        self.interval = interval
        self.capacity = capacity
    }

    /// Who hears that the disk refused, and that it accepts again.
    public func onStatus(_ handler: @escaping @Sendable (StorageStatus) -> Void) {
        self.handler.withLock { $0 = handler }
    }

    private func report(_ status: StorageStatus) { handler.withLock { $0 }?(status) }

    public func append(_ reading: Reading, session: String?) {
        state.withLock { s in
            s.pending.append((reading, session))
            if s.pending.count > capacity {
                s.pending.removeFirst(s.pending.count - capacity)
                s.dropped += 1
            }
        }
    }

    /// Readings waiting for the disk.
    public var backlog: Int { state.withLock { $0.pending.count } }

    /// Writes everything buffered now; returns whether the disk took it.
    @discardableResult
    public func flush() -> Bool {
        let batch = state.withLock { s -> [(Reading, String?)] in
            defer { s.pending.removeAll(keepingCapacity: true) }
            return s.pending
        }
        guard !batch.isEmpty else { return true }
        do {
            let started = ContinuousClock.now
            try store.record(batch)
            commits.record(duration: started.duration(to: .now))
            let recovered = state.withLock { s -> Bool in
                defer { s.failing = false }
                return s.failing
            }
            if recovered { report(.recovered) }
            return true
        } catch {
            let first = state.withLock { s -> Bool in
                s.pending.insert(contentsOf: batch, at: 0)
                defer { s.failing = true }
                return !s.failing
            }
            if first { report(.failed("\(error)")) }
            return false
        }
    }

    /// Flushes every `interval` until cancelled, then once more.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            flush()
        }
        flush()
    }
}
