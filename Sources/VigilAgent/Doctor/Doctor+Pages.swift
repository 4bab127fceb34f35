import VigilCore

extension Doctor {
    /// The staff's pages: where they listen, whether anyone can log in, and no login left on the
    /// example's published PIN; plain HTTP beyond this machine is a warning (`vigil run` says so too).
    static func pages(_ http: HTTPSettings?) -> DoctorCheck {
        guard let http else { return .ok("pages", "none served (no http: section); /healthz and /metrics neither") }
        let scheme = http.certificate == nil ? "http" : "https"
        let place = "\(scheme)://\(http.address):\(http.port)"
        let example = http.rolesOnExamplePIN.map(\.rawValue)
        if !example.isEmpty {
            return .failed("pages", "\(place): the \(example.joined(separator: ", ")) login still has the example's PIN 2580, published with Vigil",
                           advice: "choose a PIN, put `vigil hash-pin`'s answer in http.logins, and restart vigil")
        }
        if http.logins.isEmpty {
            return .warning("pages", "\(place) with no logins: the pages refuse everyone",
                            advice: "add one login per role under http.logins (vigil hash-pin makes a PIN's hash)")
        }
        if http.isPlainBeyondLoopback {
            return .warning("pages", "\(place) without TLS: PINs and vitals cross the network in clear",
                            advice: "give the room's certificate and key in http.tls")
        }
        let roles = Set(http.logins.map(\.role.rawValue)).sorted().joined(separator: ", ")
        return .ok("pages", "\(place), logins for \(roles)")
    }
}
