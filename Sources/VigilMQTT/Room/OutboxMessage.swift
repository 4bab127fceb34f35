/// A message that must reach the clinic even across a broker outage or an agent crash: stored
/// before it is sent, removed only when the broker acknowledges it, resent in order.
public struct OutboxMessage: Sendable, Hashable {
    /// The store's row id; the order messages are sent in.
    public var id: Int64
    public var topic: String
    public var payload: String
    /// Repeated in the payload as `event_id`, so a receiver can drop a resent duplicate.
    public var eventID: String

    public init(id: Int64, topic: String, payload: String, eventID: String) {
        self.id = id
        self.topic = topic
        self.payload = payload
        self.eventID = eventID
    }
}

/// Where the outbox lives. The agent's SQLite store is one; the messages are written in the
/// same transaction as the records they announce.
public protocol Outbox: Sendable {
    /// The oldest unsent messages, oldest first.
    func pendingMessages(limit: Int) throws -> [OutboxMessage]
    /// The broker acknowledged it.
    func removeMessage(id: Int64) throws
}
