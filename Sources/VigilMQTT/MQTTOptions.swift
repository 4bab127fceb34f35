/// How to reach the clinic's broker.
public struct MQTTOptions: Sendable, Hashable {
    public struct TLS: Sendable, Hashable {
        /// The CA that signed the broker's certificate.
        public var caFile: String
        /// A client certificate and key, when the broker asks for one.
        public var certFile: String?
        public var keyFile: String?

        public init(caFile: String, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    /// The message the broker publishes for us if we vanish (the retained `offline` status).
    public struct Will: Sendable, Hashable {
        public var topic: String
        public var payload: String
        public var retain: Bool

        public init(topic: String, payload: String, retain: Bool = true) {
            self.topic = topic
            self.payload = payload
            self.retain = retain
        }
    }

    public var host: String
    public var port: Int
    public var clientID: String
    public var username: String?
    public var password: String?
    public var tls: TLS?
    public var will: Will?
    public var keepAlive: Int
    /// `false`: the broker keeps this client's subscriptions, and queues its QoS 1 messages,
    /// while it is away (a station that must not miss an alarm event).
    public var cleanSession: Bool
    /// Reconnect backoff: the first delay and the longest, in seconds, doubling in between.
    public var reconnectDelay: (first: Int, longest: Int)

    public init(host: String, port: Int = 1883, clientID: String, username: String? = nil, password: String? = nil,
                tls: TLS? = nil, will: Will? = nil, keepAlive: Int = 10, reconnectDelay: (first: Int, longest: Int) = (1, 16),
                cleanSession: Bool = true) {
        self.cleanSession = cleanSession
        self.host = host
        self.port = port
        self.clientID = clientID
        self.username = username
        self.password = password
        self.tls = tls
        self.will = will
        self.keepAlive = keepAlive
        self.reconnectDelay = reconnectDelay
    }

    public static func == (a: MQTTOptions, b: MQTTOptions) -> Bool {
        a.host == b.host && a.port == b.port && a.clientID == b.clientID && a.username == b.username
            && a.password == b.password && a.tls == b.tls && a.will == b.will && a.keepAlive == b.keepAlive
            && a.reconnectDelay == b.reconnectDelay && a.cleanSession == b.cleanSession
    }

    public func hash(into h: inout Hasher) {
        h.combine(host)
        h.combine(port)
        h.combine(clientID)
    }
}

/// A message received on a subscription.
public struct MQTTMessage: Sendable, Hashable {
    public var topic: String
    public var payload: [UInt8]
    public var retained: Bool
    public var text: String { String(decoding: payload, as: UTF8.self) }
}

/// The connection's ups and downs, as the client hears of them.
public enum MQTTConnectionEvent: Sendable, Hashable {
    case connected
    /// The broker refused the connection (wrong password, not authorised, …).
    case refused(reason: String)
    case disconnected(reason: String)
}

/// Something the client could not do, in words for a log line.
public struct MQTTError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
