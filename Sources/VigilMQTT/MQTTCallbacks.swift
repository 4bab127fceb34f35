import CMosquitto
import Synchronization

/// What libmosquitto's callbacks touch. They run on libmosquitto's network thread; everything
/// here is behind a mutex and hands results to Swift concurrency through continuations and
/// streams, never blocking in the callback. The client keeps it retained until after
/// `mosquitto_destroy`, so no callback can reach a freed object.
final class MQTTCallbacks: Sendable {
    struct State {
        var connected = false
        var pending: [Int32: CheckedContinuation<Void, Error>] = [:]
        var acknowledged: Set<Int32> = []
        /// Messages sent without waiting; their acknowledgements are dropped on arrival.
        var unawaited: Set<Int32> = []
        var subscriptions: [(filter: String, qos: Int32, continuation: AsyncStream<MQTTMessage>.Continuation)] = []
    }

    let state = Mutex(State())
    let events: AsyncStream<MQTTConnectionEvent>
    private let eventSink: AsyncStream<MQTTConnectionEvent>.Continuation

    init() {
        (events, eventSink) = AsyncStream<MQTTConnectionEvent>.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    func onConnect(_ mosq: OpaquePointer?, _ rc: Int32) {
        guard rc == 0 else {
            eventSink.yield(.refused(reason: String(cString: mosquitto_connack_string(rc))))
            return
        }
        let filters = state.withLock { s -> [(String, Int32)] in
            s.connected = true
            return s.subscriptions.map { ($0.filter, $0.qos) }
        }
        for (filter, qos) in filters { mosquitto_subscribe(mosq, nil, filter, qos) }
        eventSink.yield(.connected)
    }

    func onDisconnect(_ rc: Int32) {
        state.withLock { $0.connected = false }
        eventSink.yield(.disconnected(reason: rc == 0 ? "disconnected on request" : String(cString: mosquitto_strerror(rc))))
    }

    /// The broker acknowledged a QoS 1 message (or a QoS 0 one left the socket).
    func onPublish(_ mid: Int32) {
        let waiting = state.withLock { s -> CheckedContinuation<Void, Error>? in
            if let c = s.pending.removeValue(forKey: mid) { return c }
            if s.unawaited.remove(mid) == nil { s.acknowledged.insert(mid) }
            return nil
        }
        waiting?.resume()
    }

    func onMessage(_ message: UnsafePointer<mosquitto_message>?) {
        guard let m = message?.pointee, let topic = m.topic.map({ String(cString: $0) }) else { return }
        let payload = m.payloadlen > 0 ? Array(UnsafeRawBufferPointer(start: m.payload, count: Int(m.payloadlen))) : []
        let delivered = MQTTMessage(topic: topic, payload: payload, retained: m.retain)
        let targets = state.withLock { s in
            s.subscriptions.filter { sub in
                var matches = false
                mosquitto_topic_matches_sub(sub.filter, topic, &matches)
                return matches
            }.map(\.continuation)
        }
        for target in targets { target.yield(delivered) }
    }

    /// Nobody waits for `mid`: its acknowledgement, early or late, is dropped.
    func forget(_ mid: Int32) {
        state.withLock { s in
            if s.acknowledged.remove(mid) == nil { s.unawaited.insert(mid) }
        }
    }

    /// Waits for the acknowledgement of `mid`, which may already have arrived.
    func waitForAcknowledgement(_ mid: Int32, timeout: Duration) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let done = state.withLock { s -> Bool in
                if s.acknowledged.remove(mid) != nil { return true }
                s.pending[mid] = continuation
                return false
            }
            if done { continuation.resume(); return }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let late = state.withLock { $0.pending.removeValue(forKey: mid) }
                late?.resume(throwing: MQTTError("no acknowledgement from the broker within \(timeout)"))
            }
        }
    }

    func finish() {
        eventSink.finish()
        let (pending, subs) = state.withLock { s in
            defer { s.pending.removeAll(); s.subscriptions.removeAll() }
            return (Array(s.pending.values), s.subscriptions.map(\.continuation))
        }
        for p in pending { p.resume(throwing: MQTTError("the client was stopped")) }
        for s in subs { s.finish() }
    }
}
