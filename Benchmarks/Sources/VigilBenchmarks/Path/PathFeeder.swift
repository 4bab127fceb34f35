import Foundation
import Synchronization
import VigilCore
import VigilDevices
#if canImport(Glibc)
import Glibc
#endif

/// The whole-path benchmark's oximeters: N simulated Contec CMS50 V7s on pseudo-terminals, in a
/// process of their own (`VIGIL_BENCH=feed`), so that what they cost is not the room's.
///
/// Each sends the simulator's exact V7 frames (``FrameEncoder/contecV7(_:pleth:)``) at the
/// device's native 60 a second, its frames spread over the period so that the rooms do not all
/// wake at once. Every few seconds a device crosses: SpO2 97 → 88 for two seconds, then back.
/// The moment the first crossing frame's last byte was written is printed as `mark K NS`
/// (CLOCK_MONOTONIC, which every process on the machine shares), for the parent to pair with
/// the alarm it then sees.
///
/// On standard input: `go` starts streaming (until then the ports are open and silent: the
/// idle figure), `blast K M` writes M frames to device K as fast as the reader takes them and
/// answers `blasted K`, and end of input ends the process.
enum PathFeeder {
    static let framesPerSecond = 60.0
    static let normal = FrameEncoder.OximeterState(spo2: 97, pulse: 72, perfusionIndex: 2.4)
    static let crossing = FrameEncoder.OximeterState(spo2: 88, pulse: 72, perfusionIndex: 2.4)

    static func run(count: Int, folder: String) throws {
        let ports = try (0..<count).map { k -> PseudoTerminal in
            let pty = try PseudoTerminal()
            let link = "\(folder)/oximeter-\(k).tty"
            unlink(link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: pty.path)
            return pty
        }
        let control = Control()
        let reader = Thread { control.readCommands() }
        reader.start()
        say("ready")
        while !control.finished {
            if let (k, frames) = control.takeBlast() {
                blast(ports[k], frames: frames)
                say("blasted \(k)")
            } else if control.streaming {
                stream(ports, control: control)
            } else {
                for port in ports { _ = port.readAvailable() }
                usleep(20_000)
            }
        }
        for port in ports { port.close() }
    }

    /// Native rate with crossings, until input ends or a blast is asked for.
    static func stream(_ ports: [PseudoTerminal], control: Control) {
        let period = UInt64(1e9 / framesPerSecond)
        let start = Monotonic.now
        var due = ports.indices.map { start + period * UInt64($0) / UInt64(ports.count) }
        // Each device's first crossing 3–8 s in, the next 6–9 s after the last one ends.
        var crossAt = ports.indices.map { _ in start + UInt64.random(in: 3_000...8_000) * 1_000_000 }
        var lowUntil = [UInt64](repeating: 0, count: ports.count)
        var lastDrain = start
        while !control.finished, control.streaming, !control.hasBlast {
            let now = Monotonic.now
            for k in ports.indices where due[k] <= now {
                due[k] += period
                var first = false
                if lowUntil[k] == 0, now >= crossAt[k] {
                    lowUntil[k] = now + 2_000_000_000
                    first = true
                } else if lowUntil[k] != 0, now >= lowUntil[k] {
                    lowUntil[k] = 0
                    crossAt[k] = now + UInt64.random(in: 6_000...9_000) * 1_000_000
                }
                ports[k].write(FrameEncoder.contecV7(lowUntil[k] == 0 ? normal : crossing))
                if first { say("mark \(k) \(Monotonic.now)") }
            }
            if now - lastDrain > 100_000_000 {
                lastDrain = now
                for port in ports { _ = port.readAvailable() }
            }
            Monotonic.sleep(until: due.min()!)
        }
    }

    /// Frames as fast as the reader takes them: the saturation figure. The pulse changes on
    /// every frame (72, 73, 72, …), so that no frame is a repeat a room may leave on its port:
    /// each one reaches the engine and the record, as each reaches the peer's.
    static func blast(_ port: PseudoTerminal, frames: Int) {
        var changing = normal
        changing.pulse = 73
        let pair = [FrameEncoder.contecV7(normal), FrameEncoder.contecV7(changing)]
        var sent = 0
        // One frame a write: a write into a full pseudo-terminal may take part of a frame.
        while sent < frames {
            if port.write(pair[sent % 2]) { sent += 1 } else { usleep(100) }
        }
    }

    /// What standard input has asked for, read on a thread of its own.
    final class Control: Sendable {
        private struct State {
            var streaming = false
            var finished = false
            var blast: (Int, Int)?
        }
        private let state = Mutex(State())

        var streaming: Bool { state.withLock { $0.streaming } }
        var finished: Bool { state.withLock { $0.finished } }
        var hasBlast: Bool { state.withLock { $0.blast != nil } }
        func takeBlast() -> (Int, Int)? { state.withLock { s in defer { s.blast = nil }; return s.blast } }

        func readCommands() {
            while let line = readLine() {
                let words = line.split(separator: " ")
                state.withLock { s in
                    switch words.first {
                    case "go": s.streaming = true
                    case "pause": s.streaming = false
                    case "blast" where words.count == 3: s.blast = (Int(words[1]) ?? 0, Int(words[2]) ?? 0)
                    default: break
                    }
                }
            }
            state.withLock { $0.finished = true }
        }
    }
}

/// CLOCK_MONOTONIC in nanoseconds: one clock for the feeder, the rooms' output and the subscriber.
enum Monotonic {
    static var now: UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    static func sleep(until deadline: UInt64) {
        var t = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, nil) == EINTR {}
    }
}
