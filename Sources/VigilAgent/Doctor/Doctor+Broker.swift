import Foundation
import VigilCore
import VigilMQTT
#if canImport(Glibc)
import Glibc
#endif

extension Doctor {
    /// The clinic's broker takes the room's login (over TLS, verified against the config's CA,
    /// when it has one). Unreachable, a refused login and a failed TLS handshake are told
    /// apart. The doctor logs in under a client id of its own: under the room's, the broker
    /// would disconnect the running agent.
    static func broker(_ config: VigilConfig, timeout: Duration = .seconds(10)) async -> DoctorCheck {
        guard let mqtt = config.mqtt else { return .ok("broker", "none configured: the room runs alone") }
        let address = "\(mqtt.host):\(mqtt.port)"
        var options: MQTTOptions
        do {
            options = try mqtt.options(site: config.site, room: config.room)
        } catch {
            return .failed("broker", "cannot read the password file: \(error)",
                           advice: "the user running vigil must be able to read mqtt.password_file (mode 0640, group vigil)")
        }
        switch reach(host: mqtt.host, port: mqtt.port, timeout: 5) {
        case .success: break
        case .failure(let unreachable): return .failed("broker", "\(address): \(unreachable.finding)", advice: unreachable.advice)
        }
        options.clientID += "-doctor"
        let login = mqtt.username.map { " as \($0)" } ?? " (anonymous)"
        let openssl = mqtt.tls.map { "`openssl s_client -connect \(address) -CAfile \($0.caFile)` shows the handshake" } ?? ""
        let outcome = await withCheckedContinuation { (done: CheckedContinuation<MQTTLoginCheck.Outcome, Never>) in
            // libmosquitto's loop blocks: on a thread of its own, off Swift's few cooperative ones.
            Thread { [options] in done.resume(returning: MQTTLoginCheck.run(options, timeout: timeout)) }.start()
        }
        switch outcome {
        case .accepted:
            let tls = mqtt.tls.map { "over TLS, the certificate verified against \($0.caFile)" } ?? "without TLS"
            return .ok("broker", "\(address) accepted the login\(login), \(tls)")
        case .refused(let reason):
            return .failed("broker", "\(address) refused the login\(login): \(reason)",
                           advice: "check mqtt.username and the password file against the broker's (on the broker: mosquitto_passwd /etc/mosquitto/vigil.passwd \(mqtt.username ?? "USER"))")
        case .tlsFailed(let reason):
            return .failed("broker", "\(address): the TLS handshake failed (\(reason))",
                           advice: "is mqtt.tls.ca the CA that signed the broker's certificate, and is the certificate made out to \(mqtt.host)? \(openssl)")
        case .unreachable(let reason):
            return .failed("broker", "\(address) cannot be reached (\(reason))", advice: "is the broker running, and is \(mqtt.port) its port?")
        case .closed(let reason) where mqtt.tls == nil:
            return .failed("broker", "\(address) closed the connection before answering the login (\(reason))",
                           advice: "is this the broker's TLS port (8883)? then give mqtt.tls: { ca: … }")
        case .closed(let reason):
            return .failed("broker", "\(address) closed the connection before answering the login (\(reason))",
                           advice: "the broker's log (/var/log/mosquitto/) says why; \(openssl)")
        case .noAnswer:
            let advice = mqtt.tls == nil
                ? "is this the broker's MQTT port? a TLS port waits for a handshake: then give mqtt.tls: { ca: … }"
                : "is this the broker's MQTT port? \(openssl)"
            return .failed("broker", "\(address) took the connection but did not answer the login within \(Int(timeout.seconds)) s", advice: advice)
        }
    }

    struct Unreachable: Error {
        var finding: String
        var advice: String
    }

    /// A TCP connection to the broker, with a timeout: the name resolves and something listens.
    static func reach(host: String, port: Int, timeout: Int32) -> Result<Void, Unreachable> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, "\(port)", &hints, &found)
        guard rc == 0, let first = found else {
            return .failure(Unreachable(finding: "cannot find \(host) (\(String(cString: gai_strerror(rc))))",
                                        advice: "check mqtt.host, and that this box's DNS (/etc/resolv.conf) knows the broker's name"))
        }
        defer { freeaddrinfo(found) }
        var code: Int32 = ETIMEDOUT
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let a = entry {
            code = connectCode(a.pointee, timeout: timeout)
            if code == 0 { return .success(()) }
            entry = a.pointee.ai_next
        }
        switch code {
        case ECONNREFUSED:
            return .failure(Unreachable(finding: "nothing listens there (connection refused)",
                                        advice: "is mosquitto running on the broker (systemctl status mosquitto), and is \(port) its port?"))
        case ETIMEDOUT:
            return .failure(Unreachable(finding: "no answer within \(timeout) s",
                                        advice: "is the broker's machine on? a firewall between this room and the broker drops the connection"))
        default:
            return .failure(Unreachable(finding: "cannot be reached (\(String(cString: strerror(code))))",
                                        advice: "is this box on the clinic's network? `ip route` should show a way to the broker"))
        }
    }

    /// Connects one address with a timeout; 0 or the errno it failed with.
    private static func connectCode(_ a: addrinfo, timeout: Int32) -> Int32 {
        let fd = socket(a.ai_family, a.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), a.ai_protocol)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        if connect(fd, a.ai_addr, a.ai_addrlen) == 0 { return 0 }
        guard errno == EINPROGRESS else { return errno }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pfd, 1, timeout * 1000) == 1 else { return ETIMEDOUT }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error
    }
}
