/// One room of one site, as the clinic's topics name it (`vigil/<site>/<room>/…`).
public struct RoomKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let site: String
    public let room: String

    public init(site: String, room: String) {
        self.site = site
        self.room = room
    }

    public var description: String { "\(site)/\(room)" }

    public static func < (a: RoomKey, b: RoomKey) -> Bool { (a.site, a.room) < (b.site, b.room) }
}
