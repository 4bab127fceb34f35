import Foundation

/// Failed logins per address: after `limit` failures within `window`, that address may not try
/// again until the oldest of them leaves the window. A PIN has few digits; this is what keeps
/// guessing one slower than the shift it is used in. A success clears the address's count.
public struct LoginThrottle: Sendable {
    public var limit: Int
    public var window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 300) {
        self.limit = limit
        self.window = window
    }

    /// How long `address` must wait before its next try, or `nil` if it may try now.
    public func wait(for address: String, at now: Date) -> TimeInterval? {
        let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, window - now.timeIntervalSince(oldest))
    }

    public mutating func failed(_ address: String, at now: Date) {
        var recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }
        recent.append(now)
        failures[address] = Array(recent.suffix(limit))
        if failures.count > 10_000 { failures = failures.filter { now.timeIntervalSince($0.value.last ?? now) < window } }
    }

    public mutating func succeeded(_ address: String) {
        failures[address] = nil
    }
}
