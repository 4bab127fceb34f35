import Foundation
import Synchronization

/// A short look at a serial device, as `vigil doctor` takes it: the port opened with the
/// settings the agent would use, the protocols tried in the order the agent tries them, each
/// with the agent's own decoder and stream checks, until one gives valid frames.
///
/// The probe talks to a device only as harmlessly as it can: a Contec V7 gets its start and
/// keep-alive commands, as from the agent; a SunTech module is asked for its cuff pressure
/// (which it answers at any time) and never told to measure — that would inflate a cuff.
public enum DeviceProbe {
    /// The device spoke: which protocol, how many valid frames in how long.
    public struct Answer: Sendable, Equatable {
        public var proto: DeviceProtocol
        public var frames: Int
        public var rejected: Int
        public var listened: Duration
    }

    public enum Outcome: Sendable {
        case answered(Answer)
        /// The port opened but no protocol gave a valid frame in its window.
        case silent(tried: [DeviceProtocol], rejected: Int, skippedBytes: Int)
        /// The port would not open or configure.
        case unopenable(SerialPortError)
    }

    /// Tries `protocols` in turn, each for up to `window`; after the first valid frame it
    /// listens `settle` longer to count them. `settings` applies when there is one protocol
    /// (as the agent does); with several, each gets its own default settings.
    public static func listen(path: String, protocols: [DeviceProtocol], settings: SerialSettings? = nil,
                              window: Duration = .seconds(5), settle: Duration = .seconds(1)) async -> Outcome {
        var rejected = 0, skipped = 0
        for proto in protocols {
            let chosen = protocols.count == 1 ? (settings ?? proto.defaultSettings) : proto.defaultSettings
            let port: SerialPort
            do {
                port = try SerialPort.open(path: path, settings: chosen)
            } catch let error as SerialPortError {
                return .unopenable(error)
            } catch {
                return .unopenable(SerialPortError(path: path, operation: "open", code: EIO))
            }
            let heard = await listen(port, proto, window: window, settle: settle)
            if heard.frames > 0 {
                return .answered(Answer(proto: proto, frames: heard.frames, rejected: heard.rejected, listened: heard.listened))
            }
            rejected += heard.rejected
            skipped += heard.skippedBytes
        }
        return .silent(tried: protocols, rejected: rejected, skippedBytes: skipped)
    }

    private struct Heard: Sendable {
        var frames = 0
        var rejected = 0
        var skippedBytes = 0
        var listened: Duration = .zero
    }

    private final class Listener: Sendable {
        let decoder: Mutex<any DeviceDecoder>
        /// When the first frame passed the frame decoder's checks.
        let firstFrame = Mutex<ContinuousClock.Instant?>(nil)
        init(_ proto: DeviceProtocol) { decoder = Mutex(proto.makeDecoder()) }

        func take(_ bytes: [UInt8]) {
            let seen = decoder.withLock { d in
                _ = d.decode(bytes)
                return d.framesSeen
            }
            if seen > 0 { firstFrame.withLock { $0 = $0 ?? .now } }
        }

        var heard: Heard {
            decoder.withLock { d in Heard(frames: d.stats.decoded, rejected: d.stats.rejected, skippedBytes: d.stats.skippedBytes) }
        }
    }

    private static func listen(_ port: SerialPort, _ proto: DeviceProtocol, window: Duration, settle: Duration) async -> Heard {
        let listener = Listener(proto)
        let start = ContinuousClock.now
        let stream = port.bytes()
        var driver: any DeviceDriver = proto == .suntech ? CuffPressureQuery() : proto.makeDriver()
        for bytes in driver.opened(now: start) { try? port.write(bytes) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await chunk in stream { listener.take(chunk) }
                } catch {}
            }
            while true {
                try? await Task.sleep(for: .milliseconds(100))
                let now = ContinuousClock.now
                if let first = listener.firstFrame.withLock({ $0 }) {
                    if now - first >= settle { break }
                } else if now - start >= window {
                    break
                }
                for bytes in driver.tick(now: now).send { try? port.write(bytes) }
            }
            port.close()
            await group.waitForAll()
        }
        var heard = listener.heard
        heard.listened = ContinuousClock.now - start
        return heard
    }
}

/// Asks a SunTech module for its cuff pressure every 200 ms (as the agent polls during a
/// measurement): a question it answers at any time, without inflating the cuff.
struct CuffPressureQuery: DeviceDriver {
    var last: ContinuousClock.Instant?

    mutating func opened(now: ContinuousClock.Instant) -> [[UInt8]] {
        last = now
        return [HostCommand.sunTechGetCuffPressure]
    }

    mutating func tick(now: ContinuousClock.Instant) -> DriverOutput {
        guard let last, now - last >= SunTechDriver.pollEvery else { return DriverOutput() }
        self.last = now
        return DriverOutput(send: [HostCommand.sunTechGetCuffPressure])
    }

    mutating func received(_ message: DeviceMessage, now: ContinuousClock.Instant) -> DriverOutput { DriverOutput() }
    mutating func measure(now: ContinuousClock.Instant) -> DriverOutput { DriverOutput() }
}
