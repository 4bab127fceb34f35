import Foundation

/// Where the control socket lives unless told otherwise.
public enum ControlDefaults {
    /// Next to the default database, for a room run from a checkout (`vigil demo`, `vigil run`).
    public static let socket = "var/vigil.sock"
    /// Where the installed service keeps it (`RuntimeDirectory=vigil` in `deploy/vigil.service`).
    public static let installedSocket = "/run/vigil/control.sock"

    /// What `vigil session` and `vigil music` talk to without `--socket`: the installed
    /// service's socket when there is one, else the checkout's.
    public static var clientSocket: String {
        FileManager.default.fileExists(atPath: installedSocket) && !FileManager.default.fileExists(atPath: socket)
            ? installedSocket : socket
    }
}
