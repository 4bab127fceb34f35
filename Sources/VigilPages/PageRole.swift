import VigilCore

/// Who a page is drawn for: the navigation shows only the pages that role may use.
public struct Viewer: Sendable, Hashable {
    public var role: Role
    /// The anti-forgery token every state-changing form and API call must carry.
    public var csrfToken: String
    /// The room, as `site/room`, shown in the header.
    public var room: String
    /// The clinic's station rather than one room: its own pages in the header.
    public var atStation: Bool

    public init(role: Role, csrfToken: String, room: String, atStation: Bool = false) {
        self.role = role
        self.csrfToken = csrfToken
        self.room = room
        self.atStation = atStation
    }

    /// The first of them: where a login goes that asked for a page not its role's.
    public var home: String? { pages.first?.path }

    /// The pages this role may open, in the order the header lists them.
    var pages: [(path: String, title: String)] {
        var out: [(String, String)] = []
        if atStation {
            if role.may(.respondToAlarm) { out.append(("/", "Rooms")) }
            if role.may(.review) { out.append(("/sessions", "Sessions")) }
            return out
        }
        if role.may(.respondToAlarm) { out.append(("/", "Nurse")) }
        if role.may(.runSession) { out.append(("/doula", "Session")) }
        if role.may(.review) { out.append(("/sessions", "Review")) }
        return out
    }
}
