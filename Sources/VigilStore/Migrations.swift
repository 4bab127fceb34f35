import GRDB

/// The schema, one migration per released change. Never edit a migration that has shipped:
/// add the next one, so every room's database moves forward in the same steps.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: sessions, readings, alarm events, audit") { db in
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)
                t.column("site", .text).notNull()
                t.column("room", .text).notNull()
                t.column("patientReference", .text)
                t.column("startedAt", .double).notNull()
                t.column("startedBy", .text).notNull()
                t.column("doseAt", .double)
                t.column("endedAt", .double)
                t.column("endedBy", .text)
            }
            try db.create(table: "sessionEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("session", onDelete: .cascade).notNull()
                t.column("time", .double).notNull()
                t.column("kind", .text).notNull()
                t.column("phase", .text).notNull()
                t.column("sinceDose", .double)
                t.column("role", .text)
                t.column("text", .text)
            }
            try db.create(table: "reading") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("session", onDelete: .cascade)
                t.column("time", .double).notNull()
                t.column("vital", .text).notNull()
                t.column("value", .double)
                t.column("device", .text).notNull()
                t.column("quality", .text).notNull()
            }
            try db.create(index: "reading_by_time", on: "reading", columns: ["sessionId", "time"])
            try db.create(table: "alarmEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("session", onDelete: .cascade)
                t.column("time", .double).notNull()
                t.column("alarmId", .text).notNull()
                t.column("seq", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("condition", .text).notNull()
                t.column("vital", .text)
                t.column("device", .text)
                t.column("priority", .text).notNull()
                t.column("state", .text).notNull()
                t.column("value", .double)
                t.column("limit", .double)
                t.column("phase", .text).notNull()
                t.column("sinceDose", .double)
                t.column("role", .text)
                t.column("detail", .text)
            }
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .double).notNull()
                t.belongsTo("session", onDelete: .setNull)
                t.column("role", .text).notNull()
                t.column("action", .text).notNull()
                t.column("detail", .text)
                t.column("source", .text).notNull()
            }
        }
        m.registerMigration("v2: summaries and device connection events") { db in
            try db.create(table: "summary") { t in
                t.primaryKey("sessionId", .text).references("session", onDelete: .cascade)
                t.column("createdAt", .double).notNull()
                t.column("json", .text).notNull()
            }
            try db.create(table: "deviceEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .double).notNull()
                t.column("device", .text).notNull()
                t.column("event", .text).notNull()
                t.column("detail", .text)
            }
            try db.alter(table: "session") { t in t.add(column: "route", .text) }
        }
        m.registerMigration("v3: MQTT outbox") { db in
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("createdAt", .double).notNull()
                t.column("topic", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("eventId", .text).notNull()
            }
        }
        m.registerMigration("v4: the worst value of each alarm") { db in
            try db.alter(table: "alarmEvent") { t in t.add(column: "worstValue", .double) }
        }
        return m
    }
}
