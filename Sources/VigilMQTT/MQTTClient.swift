import CMosquitto
import Foundation
import Synchronization

/// A small async client over libmosquitto: connect (TLS, username and password, a last will),
/// reconnect by itself with backoff, publish and wait for the broker's acknowledgement,
/// subscribe as an `AsyncStream`. libmosquitto runs its network loop and every callback on its
/// own thread; ``MQTTCallbacks`` is the only thing those callbacks touch.
public final class MQTTClient: Sendable {
    public let options: MQTTOptions
    private let handle: Handle
    private let callbacks: MQTTCallbacks
    private let stopped = Mutex(false)

    /// The `struct mosquitto *`, used from any thread: libmosquitto is thread-safe but for
    /// `mosquitto_lib_init`, which ``libraryReady`` calls exactly once.
    private struct Handle: @unchecked Sendable { let pointer: OpaquePointer }

    private static let libraryReady: Bool = {
        mosquitto_lib_init()
        return true
    }()

    /// Connection events: connected, refused (with the broker's reason), disconnected.
    public var events: AsyncStream<MQTTConnectionEvent> { callbacks.events }

    public var isConnected: Bool { callbacks.state.withLock { $0.connected } }

    public init(options: MQTTOptions) throws {
        _ = Self.libraryReady
        self.options = options
        callbacks = MQTTCallbacks()
        let context = Unmanaged.passRetained(callbacks).toOpaque()
        guard let mosq = mosquitto_new(options.clientID, options.cleanSession, context) else {
            Unmanaged<MQTTCallbacks>.fromOpaque(context).release()
            throw MQTTError("could not create an MQTT client")
        }
        handle = Handle(pointer: mosq)
        mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V311))
        // Alarm events are small and urgent: without this, Nagle's algorithm held each one
        // back ~40 ms waiting for the previous packet's ACK (measured by `make bench`).
        mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1)
        mosquitto_connect_callback_set(mosq) { mosq, context, rc in
            Unmanaged<MQTTCallbacks>.fromOpaque(context!).takeUnretainedValue().onConnect(mosq, rc)
        }
        mosquitto_disconnect_callback_set(mosq) { _, context, rc in
            Unmanaged<MQTTCallbacks>.fromOpaque(context!).takeUnretainedValue().onDisconnect(rc)
        }
        mosquitto_publish_callback_set(mosq) { _, context, mid in
            Unmanaged<MQTTCallbacks>.fromOpaque(context!).takeUnretainedValue().onPublish(mid)
        }
        mosquitto_message_callback_set(mosq) { _, context, message in
            Unmanaged<MQTTCallbacks>.fromOpaque(context!).takeUnretainedValue().onMessage(message)
        }
        try check(mosquitto_reconnect_delay_set(mosq, UInt32(options.reconnectDelay.first),
                                               UInt32(options.reconnectDelay.longest), true), "reconnect delay")
        if let user = options.username {
            try check(mosquitto_username_pw_set(mosq, user, options.password), "username and password")
        }
        if let tls = options.tls {
            try check(mosquitto_tls_set(mosq, tls.caFile, nil, tls.certFile, tls.keyFile, nil), "TLS files")
        }
        if let will = options.will {
            try check(mosquitto_will_set(mosq, will.topic, Int32(will.payload.utf8.count), will.payload, 1, will.retain), "last will")
        }
    }

    /// Starts the network thread and the first connection attempt; reconnects by itself after.
    /// Returns why the first attempt failed, if it did.
    ///
    /// A broker that cannot be reached at start — down, its name not resolvable yet (a boot
    /// before DNS), its TLS handshake failing — is not an error: the client keeps trying, and
    /// re-resolves the name each time. Only options libmosquitto refuses outright throw.
    @discardableResult
    public func start() throws -> String? {
        let rc = mosquitto_connect_async(handle.pointer, options.host, Int32(options.port), Int32(options.keepAlive))
        if rc == MOSQ_ERR_INVAL.rawValue || rc == MOSQ_ERR_NOMEM.rawValue {
            throw MQTTError("connecting to \(options.host):\(options.port): \(String(cString: mosquitto_strerror(rc)))")
        }
        let failure = rc == MOSQ_ERR_SUCCESS.rawValue ? nil
            : rc == MOSQ_ERR_ERRNO.rawValue ? String(cString: strerror(errno)) : String(cString: mosquitto_strerror(rc))
        try check(mosquitto_loop_start(handle.pointer), "network thread")
        if failure != nil { retryFirstConnection() }
        return failure
    }

    /// libmosquitto's network thread reconnects only a client that has once connected: after a
    /// failed first attempt it waits for ever (a room booted before its broker never joined it).
    /// So the first connection is tried again here, with the same backoff, until a TCP
    /// connection stands; from then on the thread reconnects by itself.
    private func retryFirstConnection() {
        let (first, longest) = (max(1, options.reconnectDelay.first), max(1, options.reconnectDelay.longest))
        let thread = Thread { [weak self] in
            var delay = first
            while true {
                Thread.sleep(forTimeInterval: TimeInterval(delay))
                // Under the lock stop() takes: the handle is never used once it is destroyed.
                guard let client = self else { return }
                let done = client.stopped.withLock { isStopped -> Bool in
                    isStopped || mosquitto_reconnect_async(client.handle.pointer) == MOSQ_ERR_SUCCESS.rawValue
                }
                if done { return }
                delay = min(longest, delay * 2)
            }
        }
        thread.name = "mqtt-first-connect"
        thread.start()
    }

    /// Publishes and, for QoS 1, returns once the broker has acknowledged the message.
    public func publish(_ topic: String, _ payload: String, qos: Int = 1, retain: Bool = false,
                        timeout: Duration = .seconds(10)) async throws {
        let mid = try hand(topic, payload, qos: qos, retain: retain)
        if qos > 0 {
            try await callbacks.waitForAcknowledgement(mid, timeout: timeout)
        } else {
            callbacks.forget(mid)
        }
    }

    /// Publishes without waiting for the broker: for retained state that is superseded anyway
    /// (the latest vitals, the active-alarm list), which is published again on every reconnect.
    public func send(_ topic: String, _ payload: String, qos: Int = 0, retain: Bool = false) throws {
        callbacks.forget(try hand(topic, payload, qos: qos, retain: retain))
    }

    /// Hands a message to libmosquitto; returns its message id.
    private func hand(_ topic: String, _ payload: String, qos: Int, retain: Bool) throws -> Int32 {
        var mid: Int32 = 0
        let bytes = Array(payload.utf8)
        let rc = mosquitto_publish(handle.pointer, &mid, topic, Int32(bytes.count), bytes, Int32(qos), retain)
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError("publishing to \(topic): \(String(cString: mosquitto_strerror(rc)))")
        }
        return mid
    }

    /// Messages on topics matching `filter`; the subscription is renewed on every reconnect.
    public func subscribe(_ filter: String, qos: Int = 1) -> AsyncStream<MQTTMessage> {
        let (stream, continuation) = AsyncStream<MQTTMessage>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let connected = callbacks.state.withLock { s -> Bool in
            s.subscriptions.append((filter, Int32(qos), continuation))
            return s.connected
        }
        if connected { mosquitto_subscribe(handle.pointer, nil, filter, Int32(qos)) }
        return stream
    }

    /// Disconnects cleanly (no will), stops the network thread and frees the client.
    public func stop() {
        let first = stopped.withLock { s -> Bool in
            defer { s = true }
            return !s
        }
        guard first else { return }
        mosquitto_disconnect(handle.pointer)
        mosquitto_loop_stop(handle.pointer, false)
        mosquitto_destroy(handle.pointer)
        callbacks.finish()
        Unmanaged.passUnretained(callbacks).release()
    }

    deinit { stop() }

    private func check(_ rc: Int32, _ what: String) throws {
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError("\(what): \(String(cString: mosquitto_strerror(rc)))")
        }
    }
}
