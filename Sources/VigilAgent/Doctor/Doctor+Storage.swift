import Foundation
import VigilStore
#if canImport(Glibc)
import Glibc
#endif

/// How much a month of sessions takes on disk, from the room's devices.
public struct StorageEstimate: Sendable, Equatable {
    /// A reading row with its share of the index, as SQLite stores it (measured by
    /// `DoctorCheckTests` on a real database: about 134 bytes).
    public static let bytesPerReading = 140.0
    public static let sessionHours = 2.0
    public static let sessionsPerDay = 8.0
    public static let days = 31.0
    /// BP measurements in a two-hour session (the schedule's checks, repeats, measure-now).
    public static let measurementsPerSession = 20.0

    /// Readings a session-hour: one a second per vital of each continuous device, and each
    /// measurement's vitals of the others.
    public var readingsPerHour: Double

    public init(devices: [DeviceSettings]) {
        readingsPerHour = devices.reduce(0) { sum, device in
            let vitals = Double(max(device.profile.vitals.count, 1))
            let continuous = device.profile.transport == .mqtt
                ? device.profile.mqtt?.continuous ?? true
                : device.profile.protocols.first?.isContinuous ?? true
            return sum + (continuous ? vitals * 3_600 : vitals * Self.measurementsPerSession / Self.sessionHours)
        }
    }

    public var bytesPerMonth: Double {
        readingsPerHour * Self.sessionHours * Self.sessionsPerDay * Self.days * Self.bytesPerReading
    }
}

extension Doctor {
    /// Free space where the database lives, against a month of sessions.
    static func disk(_ config: VigilConfig) -> DoctorCheck {
        let folder = existingFolder(of: config.database)
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else {
            return .failed("disk", "cannot tell the free space at \(folder): \(String(cString: strerror(errno)))",
                           advice: "database: in the config must be on a disk this box has")
        }
        let free = Double(info.f_bavail) * Double(info.f_frsize)
        let estimate = StorageEstimate(devices: config.devices)
        let needs = estimate.bytesPerMonth
        let finding = "\(gigabytes(free)) free at \(folder); a month of sessions needs ~\(gigabytes(needs))"
            + " (\(Int(estimate.readingsPerHour / 3_600)) readings a second, 8 two-hour sessions a day, 31 days)"
        guard free >= needs else {
            return .failed("disk", finding, advice: "free some space, or remove old sessions: vigil prune --older-than 365d")
        }
        return .ok("disk", finding)
    }

    static func gigabytes(_ bytes: Double) -> String {
        let gb = bytes / 1_000_000_000
        return gb >= 10 ? "\(Int(gb.rounded())) GB" : String(format: "%.1f GB", gb)
    }

    /// The database's folder, or the nearest folder above it that exists.
    static func existingFolder(of path: String) -> String {
        var folder = ((path as NSString).deletingLastPathComponent as String)
        if folder.isEmpty { folder = "." }
        var isFolder: ObjCBool = false
        while !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue), folder != "/", folder != "." {
            folder = (folder as NSString).deletingLastPathComponent
            if folder.isEmpty { folder = "." }
        }
        return folder
    }

    /// The database is sound and of a schema this Vigil knows, and the agent's user may write
    /// it (or create it).
    static func database(_ path: String, user: DoctorUser) -> DoctorCheck {
        let folder = existingFolder(of: path)
        let exists = FileManager.default.fileExists(atPath: path)
        let check = DatabaseCheck.check(path: path)
        switch check {
        case .damaged, .newer: break  // what the file holds matters more than who may write it
        default:
            let blocked = !user.mayReadAndWrite(folder) ? folder : exists && !user.mayReadAndWrite(path) ? path : nil
            if let blocked {
                let seen = "not writable by \(user.name) (\(DoctorUser.describe(blocked)))"
                let finding = blocked == path ? "\(path) is \(seen)"
                    : exists ? "\(path): its folder \(folder) is \(seen), and SQLite writes its journal there"
                    : "\(path) cannot be created: \(folder) is \(seen)"
                return .failed("database", finding,
                               advice: "the agent writes every reading there: give the folder and the file to the user vigil runs as (the service's StateDirectory=vigil makes /var/lib/vigil)")
            }
        }
        switch check {
        case .missing:
            return .ok("database", "\(path) does not exist yet: vigil run will create it")
        case .sound(let applied, let pending, let sessions):
            let schema = pending.isEmpty ? "schema up to date (\(count(applied, "migration")))"
                : "schema \(applied) of \(applied + pending.count): vigil run brings it up to date"
            return .ok("database", "\(path) passes SQLite's integrity check, \(schema), \(count(sessions, "session"))")
        case .damaged(let problems):
            return .failed("database", "\(path) is damaged (SQLite's integrity check: \(problems.prefix(2).joined(separator: "; ")))",
                           advice: "stop vigil, keep a copy of the file, then restore the last backup, or move the file aside so vigil run starts a new one (the old sessions stay in the copy)")
        case .newer(let unknown):
            return .failed("database", "\(path) was written by a newer Vigil (schema steps unknown here: \(unknown.joined(separator: ", ")))",
                           advice: "install that Vigil again (or a newer one): this one must not write to it")
        case .unreadable(let reason):
            return .failed("database", "\(path) cannot be read: \(reason)",
                           advice: "is it a Vigil database, and readable by \(user.name)?")
        }
    }
}
