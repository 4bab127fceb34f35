import Foundation
import GRDB

/// A message for the clinic's broker, kept until the broker acknowledges it (the MQTT outbox).
public struct OutboxEntry: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "outbox"
    public var id: Int64?
    public var createdAt: Double
    public var topic: String
    public var payload: String
    public var eventId: String

    public init(topic: String, payload: String, eventId: String, createdAt: Date = Date()) {
        self.createdAt = createdAt.timeIntervalSince1970
        self.topic = topic
        self.payload = payload
        self.eventId = eventId
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Store {
    /// The oldest unsent messages, oldest first.
    public func pendingOutbox(limit: Int) throws -> [OutboxEntry] {
        try writer.read { try OutboxEntry.order(Column("id")).limit(limit).fetchAll($0) }
    }

    public func removeFromOutbox(id: Int64) throws {
        _ = try writer.write { try OutboxEntry.deleteOne($0, key: id) }
    }

    public func outboxCount() throws -> Int {
        try writer.read { try OutboxEntry.fetchCount($0) }
    }
}
