import Foundation
import VigilCore
import VigilDevices
#if canImport(Glibc)
import Glibc
#endif

extension Doctor {
    /// One device of the room: for a serial one, its port is there, this user may read and
    /// write it, and it gives valid frames with its profile's protocols (as the agent probes
    /// them); a device on the broker is left to the broker's line.
    static func device(_ device: DeviceSettings, user: DoctorUser, window: Duration) async -> DoctorCheck {
        guard device.profile.transport == .serial, let port = device.port else {
            return DoctorCheck(.skipped, device.name, "on the broker (topic \(device.topic ?? "?")), not listened to here",
                               advice: "the broker's line below says whether the room can log in")
        }
        if let problem = portProblem(device.name, port, user: user) { return problem }
        let shown = shownPath(port)
        if let holder = PortHolders.find(port).first {
            return .warning(device.name, "\(shown) is open in \(holder.command) (pid \(holder.pid)); not listened to, so as not to take its bytes",
                            advice: "if that is the running agent, its log says whether the device is connected; stop it to let vigil doctor listen")
        }
        let settings = device.profile.protocols.count == 1 ? device.profile.settings : nil
        let outcome = await DeviceProbe.listen(path: port, protocols: device.profile.protocols, settings: settings, window: window)
        return heard(device, shown: shown, outcome, window: window)
    }

    /// The port's path, and where its symlink leads (`/dev/vigil/oximeter (/dev/ttyUSB0)`).
    static func shownPath(_ port: String) -> String {
        let real = URL(fileURLWithPath: port).resolvingSymlinksInPath().path
        return real == port ? port : "\(port) (\(real))"
    }

    /// Missing, dangling, not a device, or not this user's to open; `nil` when it may be opened.
    static func portProblem(_ name: String, _ port: String, user: DoctorUser) -> DoctorCheck? {
        var link = stat(), target = stat()
        guard lstat(port, &link) == 0 else {
            return .failed(name, "\(port) does not exist", advice: missingAdvice(port))
        }
        guard stat(port, &target) == 0 else {
            let points = (try? FileManager.default.destinationOfSymbolicLink(atPath: port)) ?? "?"
            return .failed(name, "\(port) points at \(points), which does not exist",
                           advice: "the device was unplugged or renamed: \(missingAdvice(port))")
        }
        guard target.st_mode & S_IFMT == S_IFCHR else {
            return .failed(name, "\(port) is not a serial port (\(DoctorUser.describe(port)))",
                           advice: "devices.port must name the device's tty: /dev/vigil/… from the udev rule, or /dev/serial/by-id/…")
        }
        // A character device that is no terminal (/dev/null, /dev/zero) would "open" and say nothing.
        let real = URL(fileURLWithPath: port).resolvingSymlinksInPath().path
        guard ["/dev/tty", "/dev/pts/", "/dev/rfcomm"].contains(where: { real.hasPrefix($0) }) else {
            return .failed(name, "\(shownPath(port)) is not a serial port (a character device, but no tty)",
                           advice: "devices.port must name the device's tty: /dev/vigil/… from the udev rule, or /dev/serial/by-id/…")
        }
        guard user.mayReadAndWrite(port) else {
            let seen = DoctorUser.describe(port)
            var advice = "add the user to dialout (sudo usermod -aG dialout \(user.name), then log in again or restart vigil)"
            if DoctorUser.groupName(target.st_gid) != "dialout" || target.st_mode & 0o060 != 0o060 {
                advice += "; the udev rule (deploy/99-vigil-devices.rules) gives the port group dialout, mode 0660"
            }
            return .failed(name, "\(shownPath(port)) is not readable and writable by \(user.name) (\(seen))", advice: advice)
        }
        return nil
    }

    static func missingAdvice(_ port: String, rules: [String] = ["/etc/udev/rules.d", "/usr/lib/udev/rules.d", "/lib/udev/rules.d"]) -> String {
        if port.hasPrefix("/dev/vigil/") {
            let name = String(port.dropFirst("/dev/".count))
            guard let rule = udevRule(naming: name, in: rules) else {
                return "is the cable plugged in? no udev rule names \(name): copy deploy/99-vigil-devices.rules to /etc/udev/rules.d/ with a line for each device's cable (its USB id from `lsusb`), then `udevadm control --reload && udevadm trigger`"
            }
            return "is the cable plugged in? the udev rule in \(rule) names it by the cable's USB id (`lsusb` shows the ids of the cables plugged in)"
        }
        if port.hasPrefix("/dev/serial/by-id/") {
            return "is the cable plugged in? `ls /dev/serial/by-id/` lists the names of the cables plugged in now"
        }
        return "is the cable plugged in? a stable name (/dev/vigil/… from deploy/99-vigil-devices.rules, or /dev/serial/by-id/…) survives replugging"
    }

    /// The rules file that gives a device the name `vigil/…` (`SYMLINK+="vigil/oximeter"`).
    static func udevRule(naming name: String, in folders: [String]) -> String? {
        for folder in folders {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".rules") }.sorted()
            for file in files {
                let path = "\(folder)/\(file)"
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                let lines = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
                if lines.contains(where: { $0.contains("\"\(name)\"") }) { return path }
            }
        }
        return nil
    }

    static func heard(_ device: DeviceSettings, shown: String, _ outcome: DeviceProbe.Outcome, window: Duration) -> DoctorCheck {
        switch outcome {
        case .answered(let answer):
            let seconds = String(format: "%.1f", answer.listened.seconds)
            return .ok(device.name, "\(shown) speaks \(answer.proto.rawValue): \(count(answer.frames, "valid frame")) in \(seconds) s")
        case .silent(let tried, let rejected, let skipped):
            let protocols = tried.map(\.rawValue).joined(separator: ", then ")
            let each = tried.count == 1 ? "" : " each"
            var finding = "\(shown) opened but gave no valid frame in \(Int(window.seconds)) s\(each) (tried \(protocols))"
            var advice: String
            if rejected + skipped > 0 {
                finding += "; it sent \(count(skipped, "byte")) and \(count(rejected, "frame")) that are none of these"
                advice = "another model or firmware on this port? its profile (\(device.profile.model)) must match what it speaks"
            } else if tried == [.suntech] {
                advice = "is the module switched on and its cable in? it was asked for its cuff pressure (no measurement) and did not answer"
            } else {
                advice = "is the device switched on, and is this its port? a port that opens but stays silent is often another device's"
            }
            if device.profile.protocols.contains(.contecV7) { advice += "; a CMS50 with a flat battery opens its port but sends nothing" }
            return .failed(device.name, finding, advice: advice)
        case .unopenable(let error) where error.code == EACCES || error.code == EPERM:
            return .failed(device.name, "cannot open \(shown): \(String(cString: strerror(error.code)))",
                           advice: "add the user to dialout (\(DoctorUser.describe(device.port ?? error.path)) is what the port allows)")
        case .unopenable(let error) where error.isInUse:
            return .failed(device.name, "cannot open \(shown): another program holds it",
                           advice: "is vigil already running (`systemctl status vigil`)? `fuser -v \(error.path)` shows which program; "
                               + "ModemManager can grab serial cables: `systemctl disable --now ModemManager`")
        case .unopenable(let error):
            let advice = error.code == EBUSY
                ? "another program holds the port (fuser -v \(error.path) shows which); ModemManager can grab serial cables: `systemctl disable --now ModemManager`"
                : "unplug the cable and plug it in again; `dmesg | tail` says what the kernel saw"
            return .failed(device.name, "cannot open \(shown): \(String(cString: strerror(error.code))) (\(error.operation))", advice: advice)
        }
    }
}

/// Other programs that have a port open: listening beside them would take bytes the running
/// agent needs. A pseudo-terminal's own maker (a simulator holding both ends) is its device
/// end, not a reader, and is left out. Only processes this user may look into are seen.
enum PortHolders {
    struct Holder: Sendable, Equatable {
        var pid: Int32
        var command: String
    }

    static func find(_ port: String) -> [Holder] {
        let target = URL(fileURLWithPath: port).resolvingSymlinksInPath().path
        let ptyIndex = target.hasPrefix("/dev/pts/") ? Int(target.dropFirst("/dev/pts/".count)) : nil
        let me = getpid()
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.compactMap { entry -> Holder? in
            guard let pid = Int32(entry), pid != me else { return nil }
            let fds = "/proc/\(pid)/fd"
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: fds) else { return nil }
            var holds = false, makesIt = false
            for fd in names {
                guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\(fd)") else { continue }
                if dest == target { holds = true }
                if let ptyIndex, dest == "/dev/ptmx" || dest == "/dev/pts/ptmx",
                   let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8),
                   info.contains("tty-index:\t\(ptyIndex)\n") {
                    makesIt = true
                }
            }
            guard holds, !makesIt else { return nil }
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            return Holder(pid: pid, command: command)
        }
    }
}
