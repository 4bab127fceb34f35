import Foundation
import VigilCore
import VigilStore

// Placeholders until the review pages land.
public struct SessionFilter: Sendable {
    public var from: Date?
    public var to: Date?
    public init(from: String?, to: String?) throws {}
    public func apply(_ sessions: [SessionRecord]) -> [SessionRecord] { sessions }
}
public struct SessionReview: Sendable {
    public static func load(_ id: String, from store: Store, timeline: PhaseTimeline) throws -> SessionReview { SessionReview() }
}
public enum SessionListPage {
    public static func render(_ sessions: [SessionRecord], filter: SessionFilter, viewer: Viewer) -> String {
        Layout.page(title: "Sessions", viewer: viewer, content: sessions.map { "<a href=\"/sessions/\($0.id)\">\($0.id)</a>" }.joined(separator: "<br>"))
    }
}
public enum SessionPage {
    public static func render(_ review: SessionReview, viewer: Viewer) -> String { Layout.page(title: "Session", viewer: viewer, content: "") }
}
