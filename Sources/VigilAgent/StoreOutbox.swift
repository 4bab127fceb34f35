import VigilMQTT
import VigilStore

/// The room database's `outbox` table, as the MQTT publisher sees it.
public struct StoreOutbox: Outbox {
    let store: Store

    public init(store: Store) { self.store = store }

    public func pendingMessages(limit: Int) throws -> [OutboxMessage] {
        try store.pendingOutbox(limit: limit).map {
            OutboxMessage(id: $0.id ?? 0, topic: $0.topic, payload: $0.payload, eventID: $0.eventId)
        }
    }

    public func removeMessage(id: Int64) throws { try store.removeFromOutbox(id: id) }
}
