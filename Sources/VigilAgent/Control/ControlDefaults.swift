/// Where the control socket lives unless told otherwise (next to the default database).
public enum ControlDefaults {
    public static let socket = "var/vigil.sock"
}
