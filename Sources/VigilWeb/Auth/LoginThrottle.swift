import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Failed logins per address and role: after `limit` failures within `window`, that address
/// may not try that role again until the oldest of them leaves the window. A PIN has few
/// digits; this is what keeps guessing one slower than the shift it is used in. Each attempt
/// counts as a failure from the moment it starts (so parallel guesses cannot all slip past a
/// check), and only a success clears its own key: a doula logging in as herself does not wipe
/// the failures of someone trying nurse PINs from the same tablet.
public struct LoginThrottle: Sendable {
    public var limit: Int
    public var window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 300) {
        self.limit = limit
        self.window = window
    }

    /// The throttle's key for a try: an IPv6 address by its /64 (one device can hold a whole
    /// prefix), an IPv4 address whole; and the role tried.
    public static func key(address: String, role: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return "\(address) \(role)" }
        return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ".") + "/64 \(role)"
    }

    /// How long `key` must wait before its next try, or `nil` if it may try now.
    public func wait(for key: String, at now: Date) -> TimeInterval? {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, window - now.timeIntervalSince(oldest))
    }

    /// Starts a try: `nil` and the try counted as a failure until ``succeeded(_:)``, or how
    /// long to wait.
    public mutating func attempt(_ key: String, at now: Date) -> TimeInterval? {
        if let wait = wait(for: key, at: now) { return wait }
        failed(key, at: now)
        return nil
    }

    public mutating func failed(_ key: String, at now: Date) {
        var recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        recent.append(now)
        failures[key] = Array(recent.suffix(limit))
        if failures.count > 10_000 { failures = failures.filter { now.timeIntervalSince($0.value.last ?? now) < window } }
    }

    public mutating func succeeded(_ key: String) {
        failures[key] = nil
    }
}
