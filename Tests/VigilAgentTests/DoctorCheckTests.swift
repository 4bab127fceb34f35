import Foundation
import Testing
@testable import VigilAgent
import VigilCore
import VigilStore

/// The doctor's pieces that need no room: the line's format, the permission rule, the disk
/// estimate against a measured database, the clock's answers from timedatectl.
@Suite("vigil doctor's checks")
struct DoctorCheckTests {
    @Test("One format for every line: mark, subject, finding, then the advice after a dash; details indented")
    func format() {
        #expect(DoctorCheck.ok("music", "default opens").text == "✓ music: default opens")
        #expect(DoctorCheck.failed("oximeter", "/dev/vigil/oximeter does not exist", advice: "is the cable plugged in?").text
            == "✗ oximeter: /dev/vigil/oximeter does not exist — is the cable plugged in?")
        #expect(DoctorCheck.warning("clock", "cannot tell", advice: "look").text == "! clock: cannot tell — look")
        #expect(DoctorCheck.failed("config", "bad", advice: "fix", details: ["a:1: x", "a:2: y"]).text == "✗ config: bad — fix\n    a:1: x\n    a:2: y")
        #expect([DoctorCheck.ok("a", "b"), .warning("c", "d", advice: "e")].anyFailed == false)
        #expect([DoctorCheck.ok("a", "b"), .failed("c", "d", advice: "e")].anyFailed)
    }

    @Test("The service user's access by owner, group and mode: dialout's 0660 lets a member in, 0600 only the owner")
    func permissions() {
        let dialout: gid_t = 20, vigil: uid_t = 999
        func may(_ owner: uid_t, _ group: gid_t, _ mode: mode_t, groups: [gid_t]) -> Bool {
            DoctorUser.mayReadAndWrite(owner: owner, group: group, mode: S_IFCHR | mode, uid: vigil, groups: groups)
        }
        #expect(may(0, dialout, 0o660, groups: [999, dialout]))
        #expect(!may(0, dialout, 0o660, groups: [999]))
        #expect(!may(0, dialout, 0o640, groups: [dialout]), "read-only for the group")
        #expect(!may(0, 5, 0o600, groups: [dialout]))
        #expect(may(vigil, 5, 0o600, groups: []))
        #expect(may(0, 0, 0o666, groups: []))
        #expect(DoctorUser.modeString(S_IFCHR | 0o660) == "crw-rw----")
    }

    @Test("A month's estimate is no smaller than what a measured hour of CMS50 readings takes in a real database")
    func storageEstimate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-estimate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("vigil.sqlite").path
        _ = try Store(path: path)
        let empty = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try DoctorTests.fill(path, seconds: 3_600)
        let full = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let measured = Double(full - empty) / (3.0 * 3_600)
        #expect(StorageEstimate.bytesPerReading >= measured, "a reading takes \(measured) bytes")
        #expect(StorageEstimate.bytesPerReading <= measured * 1.5, "an estimate, not a scare: \(measured) bytes measured")

        let config = try VigilConfig.load(path: VigilCommand.packageRoot.appendingPathComponent("deploy/vigil.example.yaml").path)
        let estimate = StorageEstimate(devices: config.devices)
        // The CMS50's three vitals each second, and the NIBP's four vitals at 20 measurements a session.
        #expect(estimate.readingsPerHour == 3 * 3_600 + 4 * 20 / 2)
        #expect(estimate.bytesPerMonth == estimate.readingsPerHour * 2 * 8 * 31 * StorageEstimate.bytesPerReading)
    }

    @Test("The clock from timedatectl: yes ✓, no ✗, an error or no timedatectl ! (cannot tell)")
    func clock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func tool(_ name: String, _ script: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try "#!/bin/sh\n\(script)\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }
        let synced = try tool("yes", #"[ "$*" = "show -p NTPSynchronized --value" ] && echo yes"#)
        #expect(Doctor.clock(timedatectl: [synced]) == .ok("clock", "synchronised (timedatectl: NTPSynchronized=yes)"))
        let drifting = Doctor.clock(timedatectl: [try tool("no", "echo no")])
        #expect(drifting.mark == .failed)
        #expect(drifting.text.hasPrefix("✗ clock: not synchronised (timedatectl: NTPSynchronized=no) — records carry this clock's time: `timedatectl set-ntp true`"))
        let noSystemd = Doctor.clock(timedatectl: [try tool("fails", "echo 'System has not been booted with systemd as init system (PID 1). Can'\\''t operate.' >&2; exit 1")])
        #expect(noSystemd.mark == .warning)
        #expect(noSystemd.finding == "cannot tell whether it is synchronised (timedatectl: System has not been booted with systemd as init system (PID 1). Can't operate.)")
        let absent = Doctor.clock(timedatectl: [dir.appendingPathComponent("none").path])
        #expect(absent.text.hasPrefix("! clock: cannot tell whether it is synchronised (no timedatectl) — compare the time with a phone's"))
    }
}

extension DoctorCheckTests {
    @Test("The pages: a login left on the example's published PIN is ✗; plain HTTP beyond this machine and no login are warnings")
    func pages() throws {
        let example = try VigilConfig.load(path: VigilCommand.packageRoot.appendingPathComponent("deploy/vigil.example.yaml").path)
        let shipped = Doctor.pages(example.http)
        #expect(shipped.mark == .failed, "\(shipped.text)")
        #expect(shipped.text.contains("the nurse login still has the example's PIN 2580"), "\(shipped.text)")

        let own = HTTPSettings.Login(role: .nurse, kind: .pin, hash: "$2b$12$Z5P5pN9Qk3n2uPq0yqvK5eM7xJc4fY3s1r2t8v9w0x1y2z3a4b5c6")
        #expect(Doctor.pages(HTTPSettings(logins: [own])).text == "✓ pages: http://127.0.0.1:8080, logins for nurse")
        #expect(Doctor.pages(HTTPSettings(address: "10.0.0.5", logins: [own])).mark == .warning)
        #expect(Doctor.pages(HTTPSettings(logins: [])).mark == .warning)
        #expect(Doctor.pages(nil).mark == .ok)
    }
}
