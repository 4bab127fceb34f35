import Foundation
import Synchronization
import VigilAgent
import VigilCore

/// The fan-out behind `/live`: the agent hands it every reading and room event as they happen,
/// and it hands each open page a copy. It never waits for a page: each has a small buffer, and
/// a page whose buffer is full (a client that stopped reading, a tablet on a bad link) is
/// dropped, so no number of pages can slow the room's alarm path. It also keeps what a page
/// that connects now needs first: the latest value of each vital and ten minutes of SpO2 and
/// pulse for the sparklines.
public final class LiveHub: Sendable {
    /// Messages a page may fall behind by before it is dropped: about two minutes of a room's
    /// readings in real time, a second of them in a demo at 120×.
    public static let clientBuffer = 256
    /// How much of the SpO2 and pulse trend a new page gets.
    public static let trendSpan: TimeInterval = 600
    static let trendVitals: [Vital] = [.spo2, .pulseRate]

    /// An open page: its messages, and the signal that it was dropped.
    struct Client {
        var messages: AsyncStream<String>.Continuation
        var dropped: AsyncStream<Void>.Continuation
    }

    struct State {
        var clients: [Int: Client] = [:]
        var nextClient = 0
        var latest: [Vital: Reading] = [:]
        var trend: [Vital: [Reading]] = [:]
        var dropped = 0
    }

    private let state = Mutex(State())
    /// An alarm or session event came: the next state goes out now, not at the next second.
    /// Buffered to one: events that come while a state is being made are all in that state or
    /// the next. One consumer, the room's feed (``WebServer/feedLive()``).
    let changes: AsyncStream<Void>
    private let changed: AsyncStream<Void>.Continuation

    public init() {
        (changes, changed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Called by the agent for everything it does; returns at once.
    public func receive(_ output: AgentOutput) {
        switch output {
        case .reading(let reading):
            let anyPage = state.withLock { s in
                s.latest[reading.vital] = reading
                if Self.trendVitals.contains(reading.vital) {
                    s.trend[reading.vital, default: []].append(reading)
                    if let first = s.trend[reading.vital]?.first, reading.time.timeIntervalSince(first.time) > Self.trendSpan + 30 {
                        s.trend[reading.vital]?.removeAll { reading.time.timeIntervalSince($0.time) > Self.trendSpan }
                    }
                }
                return !s.clients.isEmpty
            }
            // Encoded only when a page is open, and outside the lock.
            if anyPage { broadcast(LiveMessage.reading(reading)) }
        case .room(.session(let event)) where event.kind == .started:
            // A new session is a new patient: the last one's numbers and trend are not theirs.
            state.withLock { s in
                s.latest = [:]
                s.trend = [:]
            }
            changed.yield()
        case .room, .summary:
            changed.yield()
        }
    }

    /// A new page: its stream of messages, a stream that ends when the page is dropped or
    /// leaves (its socket is then closed, even while a write to it hangs), and the id to leave with.
    public func join() -> (id: Int, messages: AsyncStream<String>, dropped: AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(Self.clientBuffer))
        let (dropped, signal) = AsyncStream.makeStream(of: Void.self)
        let id = state.withLock { s in
            s.nextClient += 1
            s.clients[s.nextClient] = Client(messages: continuation, dropped: signal)
            return s.nextClient
        }
        return (id, stream, dropped)
    }

    public func leave(_ id: Int) {
        guard let client = state.withLock({ $0.clients.removeValue(forKey: id) }) else { return }
        client.messages.finish()
        client.dropped.finish()
    }

    /// Sends `message` to every page, dropping those that fell behind.
    public func broadcast(_ message: String) {
        state.withLock { Self.send(message, in: &$0) }
    }

    /// Sends the next state now (something changed that is not an agent event: the music).
    public func markChanged() {
        changed.yield()
    }

    public var clientCount: Int { state.withLock { $0.clients.count } }
    /// Pages dropped for falling behind, since the start.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    var latest: [Vital: Reading] { state.withLock { $0.latest } }

    func trend(until now: Date) -> [Vital: [Reading]] {
        state.withLock { s in s.trend.mapValues { $0.filter { now.timeIntervalSince($0.time) <= Self.trendSpan } } }
    }

    private static func send(_ message: String, in s: inout State) {
        for (id, client) in s.clients {
            if case .dropped = client.messages.yield(message) {
                client.messages.finish()
                client.dropped.finish()
                s.clients[id] = nil
                s.dropped += 1
            }
        }
    }
}
