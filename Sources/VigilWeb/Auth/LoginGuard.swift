import Foundation
import Synchronization

/// What the server remembers about failed and refused requests, shared by its routes and its
/// authenticator: the login throttle, and how often a refusal of nobody in particular (no
/// login, a throttled address) is written to the audit log — at most once a minute per address
/// with the count since, so that a flood of them cannot keep the database (and with it the
/// room's actor) busy.
final class LoginGuard: Sendable {
    private let throttle = Mutex(LoginThrottle())
    private let audited = Mutex<[String: (last: Date, since: Int)]>([:])
    static let auditEvery: TimeInterval = 60

    func attempt(_ key: String, at now: Date = Date()) -> TimeInterval? {
        throttle.withLock { $0.attempt(key, at: now) }
    }

    func wait(for key: String, at now: Date = Date()) -> TimeInterval? {
        throttle.withLock { $0.wait(for: key, at: now) }
    }

    func failed(_ key: String, at now: Date = Date()) {
        throttle.withLock { $0.failed(key, at: now) }
    }

    func succeeded(_ key: String) {
        throttle.withLock { $0.succeeded(key) }
    }

    /// Whether an anonymous refusal from `address` should be written now, and how many were
    /// left out since the last one that was.
    func shouldAudit(anonymous address: String, at now: Date = Date()) -> (write: Bool, leftOut: Int) {
        audited.withLock { all in
            if let entry = all[address], now.timeIntervalSince(entry.last) < Self.auditEvery {
                all[address] = (entry.last, entry.since + 1)
                return (false, 0)
            }
            let leftOut = all[address]?.since ?? 0
            if all.count > 10_000 { all = all.filter { now.timeIntervalSince($0.value.last) < Self.auditEvery } }
            all[address] = (now, 0)
            return (true, leftOut)
        }
    }
}
