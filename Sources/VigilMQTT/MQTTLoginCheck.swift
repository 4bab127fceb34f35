import CMosquitto
import Foundation

/// One login to the broker, from connecting to its CONNACK, on the caller's thread: what
/// `vigil doctor` asks of the clinic's broker. Unlike ``MQTTClient``, which reconnects by
/// itself, this sees each failure once and tells them apart: nothing listening, a TLS
/// handshake that fails (libmosquitto's threaded loop reports no event for that: it retries in
/// silence), a refused login, no answer.
public enum MQTTLoginCheck {
    public enum Outcome: Sendable, Equatable {
        case accepted
        /// The broker's CONNACK refusal ("Connection Refused: not authorised.").
        case refused(String)
        /// No TCP connection (the system's reason).
        case unreachable(String)
        /// The TLS handshake failed: OpenSSL's reason ("certificate verify failed").
        case tlsFailed(String)
        /// The broker closed the connection before answering.
        case closed(String)
        case noAnswer
    }

    private static let libraryReady: Bool = {
        mosquitto_lib_init()
        return true
    }()

    /// What libmosquitto's callbacks report, on this thread only (the loop runs here).
    private final class Heard {
        var connack: Int32?
        var tlsErrors: [String] = []
    }

    /// Connects with `options` (login, TLS; no will) and waits up to `timeout` for the answer.
    public static func run(_ options: MQTTOptions, timeout: Duration = .seconds(10)) -> Outcome {
        _ = libraryReady
        let heard = Heard()
        let context = Unmanaged.passRetained(heard)
        defer { context.release() }
        guard let mosq = mosquitto_new(options.clientID, true, context.toOpaque()) else { return .unreachable("could not create an MQTT client") }
        defer { mosquitto_destroy(mosq) }
        mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V311))
        mosquitto_connect_callback_set(mosq) { _, context, rc in
            Unmanaged<Heard>.fromOpaque(context!).takeUnretainedValue().connack = rc
        }
        mosquitto_log_callback_set(mosq) { _, context, _, text in
            guard let text else { return }
            let line = String(cString: text)
            if line.hasPrefix("OpenSSL Error") { Unmanaged<Heard>.fromOpaque(context!).takeUnretainedValue().tlsErrors.append(line) }
        }
        if let user = options.username { mosquitto_username_pw_set(mosq, user, options.password) }
        if let tls = options.tls {
            let rc = mosquitto_tls_set(mosq, tls.caFile, nil, tls.certFile, tls.keyFile, nil)
            guard rc == MOSQ_ERR_SUCCESS.rawValue else { return .tlsFailed("the TLS files: \(String(cString: mosquitto_strerror(rc)))") }
        }
        let connecting = mosquitto_connect(mosq, options.host, Int32(options.port), Int32(options.keepAlive))
        switch connecting {
        case MOSQ_ERR_SUCCESS.rawValue: break
        case MOSQ_ERR_ERRNO.rawValue: return .unreachable(String(cString: strerror(errno)))
        case MOSQ_ERR_TLS.rawValue: return .tlsFailed(heard.tlsErrors.last.map(openSSLReason) ?? "a TLS error")
        default: return .unreachable(String(cString: mosquitto_strerror(connecting)))
        }
        var rc = MOSQ_ERR_SUCCESS.rawValue
        let deadline = ContinuousClock.now + timeout
        while rc == MOSQ_ERR_SUCCESS.rawValue, heard.connack == nil, ContinuousClock.now < deadline {
            rc = mosquitto_loop(mosq, 100, 1)
        }
        if let connack = heard.connack {
            guard connack == 0 else { return .refused(String(cString: mosquitto_connack_string(connack))) }
            mosquitto_disconnect(mosq)
            return .accepted
        }
        if let tls = heard.tlsErrors.last { return .tlsFailed(openSSLReason(tls)) }
        switch rc {
        case MOSQ_ERR_SUCCESS.rawValue: return .noAnswer
        case MOSQ_ERR_TLS.rawValue: return .tlsFailed("a TLS error")
        case MOSQ_ERR_ERRNO.rawValue: return .closed(String(cString: strerror(errno)))
        default: return .closed(String(cString: mosquitto_strerror(rc)))
        }
    }

    /// "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed" → its last part.
    static func openSSLReason(_ line: String) -> String {
        line.components(separatedBy: ":").last.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } ?? line
    }
}
