import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Whose access `vigil doctor` checks: the user running it, or — when that is root, who may
/// open anything — the `vigil` user the service runs as, when it exists.
struct DoctorUser: Sendable, Equatable {
    var name: String
    var uid: uid_t
    var groups: [gid_t]
    /// Root checking on the service user's behalf (by the file's owner, group and mode).
    var onBehalf: Bool

    static var current: DoctorUser {
        let uid = geteuid()
        if uid == 0, let service = named("vigil") {
            var user = service
            user.onBehalf = true
            return user
        }
        let name = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(uid)"
        var groups = [gid_t](repeating: 0, count: Int(getgroups(0, nil)))
        groups = Array(groups.prefix(Int(getgroups(Int32(groups.count), &groups))))
        return DoctorUser(name: name, uid: uid, groups: [getegid()] + groups, onBehalf: false)
    }

    static func named(_ name: String) -> DoctorUser? {
        guard let entry = getpwnam(name) else { return nil }
        let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, gid, &groups, &count)
        }
        return DoctorUser(name: name, uid: uid, groups: Array(groups.prefix(Int(max(count, 0)))), onBehalf: false)
    }

    /// Whether this user may read and write `path` (`access(2)` for the user running the
    /// doctor; the owner, group and mode bits for the service user).
    func mayReadAndWrite(_ path: String) -> Bool {
        guard onBehalf else { return access(path, R_OK | W_OK) == 0 }
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return Self.mayReadAndWrite(owner: info.st_uid, group: info.st_gid, mode: info.st_mode, uid: uid, groups: groups)
    }

    /// The mode bits' answer for a user and their groups (ACLs aside).
    static func mayReadAndWrite(owner: uid_t, group: gid_t, mode: mode_t, uid: uid_t, groups: [gid_t]) -> Bool {
        let rw = mode_t(0o6)
        if uid == 0 { return true }
        if uid == owner { return (mode >> 6) & rw == rw }
        if groups.contains(group) { return (mode >> 3) & rw == rw }
        return mode & rw == rw
    }

    /// getpwuid and getgrgid return static storage: the device checks, which run side by side,
    /// take turns with them.
    private static let names = Mutex(())

    /// `root:dialout crw-rw----`, as `ls -l` shows it.
    static func describe(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "?" }
        let owner = names.withLock { _ in getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } }
        return "\(owner ?? "\(info.st_uid)"):\(groupName(info.st_gid)) \(modeString(info.st_mode))"
    }

    static func groupName(_ gid: gid_t) -> String {
        names.withLock { _ in getgrgid(gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } } } ?? "\(gid)"
    }

    static func modeString(_ mode: mode_t) -> String {
        let kind: Character = switch mode & S_IFMT {
        case S_IFCHR: "c"
        case S_IFDIR: "d"
        case S_IFLNK: "l"
        case S_IFREG: "-"
        default: "?"
        }
        let letters = Array("rwxrwxrwx")
        return String(kind) + String((0..<9).map { mode & (mode_t(0o400) >> mode_t($0)) != 0 ? letters[$0] : "-" })
    }
}
