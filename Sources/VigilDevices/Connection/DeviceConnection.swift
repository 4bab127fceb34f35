import Foundation
import VigilCore

/// One device on one serial port, supervised: it opens the port (following a by-id or udev
/// symlink), speaks the protocol's handshake, decodes what arrives, and when the device goes
/// away — EIO, a vanished path, or a port that stays open but sends no valid frame for the
/// watchdog's time — closes the port and reopens it with backoff until the device is back.
/// The room hears `connected` and `disconnected` once per change, never a flapping pair.
public actor DeviceConnection {
    public nonisolated let name: String
    public nonisolated let path: String
    /// The protocol in use: the first of ``candidates`` until probing finds which one the
    /// device speaks.
    public private(set) var proto: DeviceProtocol
    /// Protocols to try in turn when a port opens but yields no valid frame (a CMS50 may speak
    /// V7 or the legacy protocol, depending on its firmware).
    public nonisolated let candidates: [DeviceProtocol]
    public nonisolated let kind: DeviceProtocol
    private var settings: SerialSettings
    private let settingsOverride: SerialSettings?
    private var confirmed = false
    /// No valid frame for this long closes and reopens the port (`nil` for devices that are
    /// quiet between measurements).
    public nonisolated let watchdog: Duration?
    private let report: @Sendable (DeviceEvent) -> Void

    private var driver: any DeviceDriver
    /// The decoding of the port now open, on its reader thread (``FrameIntake``).
    private var intake: FrameIntake?
    private var port: SerialPort?
    private var isUp: Bool?
    private var totals = DecoderStats()
    private let counters: FrameIntake.Counters

    /// A steady reading goes on to the room this often, in real time (a change goes at once):
    /// four times in each second the room records one, so the record keeps about one a second
    /// (1.00–1.07 s apart at 60 frames a second).
    public nonisolated let steadyEvery: Duration
    public static let steadyEveryByDefault: Duration = .milliseconds(250)

    public static let firstRetry: Duration = .milliseconds(250)
    public static let longestRetry: Duration = .seconds(4)

    public init(name: String, path: String, protocol proto: DeviceProtocol, settings: SerialSettings? = nil,
                watchdog: Duration? = .seconds(5), steadyEvery: Duration = steadyEveryByDefault,
                report: @escaping @Sendable (DeviceEvent) -> Void) {
        self.init(name: name, path: path, probing: [proto], settings: settings, watchdog: watchdog, steadyEvery: steadyEvery,
                  report: report)
    }

    /// A connection that tries `protocols` in order (each with its own default port settings,
    /// unless `settings` fixes them) until one yields valid frames, and keeps that one.
    public init(name: String, path: String, probing protocols: [DeviceProtocol], settings: SerialSettings? = nil,
                watchdog: Duration? = .seconds(5), steadyEvery: Duration = steadyEveryByDefault,
                report: @escaping @Sendable (DeviceEvent) -> Void) {
        precondition(!protocols.isEmpty, "a device connection needs a protocol")
        let proto = protocols[0]
        self.name = name
        counters = FrameIntake.Counters(device: name)
        self.path = path
        self.proto = proto
        candidates = protocols
        kind = proto
        settingsOverride = protocols.count == 1 ? settings : nil
        self.settings = settings ?? proto.defaultSettings
        self.watchdog = proto.isContinuous ? watchdog : nil
        self.report = report
        self.steadyEvery = steadyEvery
        driver = proto.makeDriver()
    }

    /// Frames decoded and rejected over every connection so far.
    public var stats: DecoderStats { totals + (intake?.stats ?? DecoderStats()) }

    /// Runs until the task is cancelled.
    public func run() async {
        var retry = Self.firstRetry
        while !Task.isCancelled {
            let opened: SerialPort
            do {
                opened = try SerialPort.open(path: path, settings: settings)
            } catch {
                markDown("\(error)")
                try? await Task.sleep(for: retry)
                retry = min(retry * 2, Self.longestRetry)
                continue
            }
            retry = Self.firstRetry
            let reason = await pump(opened)
            markDown(reason)
            if !confirmed, candidates.count > 1 { tryNextProtocol() }
            try? await Task.sleep(for: Self.firstRetry)
        }
        port?.close()
    }

    /// Asks the device to measure now (a BP module); other devices ignore it.
    public func measureNow() {
        guard port != nil else {
            report(.message(device: name, .measurementFailed(code: 0, reason: "the module is not connected")))
            return
        }
        perform(driver.measure(now: .now))
    }

    /// Whether the port is open (the device may still be silent).
    public var isOpen: Bool { port != nil }

    /// Whether a requested measurement is still under way.
    public var isMeasuring: Bool { (driver as? SunTechDriver)?.isMeasuring ?? false }

    private func pump(_ opened: SerialPort) async -> String {
        port = opened
        totals = stats  // the last opening's counts join the totals; the new intake starts at zero
        let intake = FrameIntake(device: name, decoder: proto.makeDecoder(), counters: counters, steadyEvery: steadyEvery)
        self.intake = intake
        for bytes in driver.opened(now: .now) { send(bytes) }
        let stream = opened.reads { intake.take($0) }
        let reason = await withTaskGroup(of: String.self) { group in
            group.addTask { [self] in
                do {
                    for try await batch in stream { await self.handle(batch) }
                    return "port closed"
                } catch {
                    return "\(error)"
                }
            }
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: await self.tickInterval)
                    if let silence = await self.tick() { return silence }
                }
                return "stopped"
            }
            let first = await group.next() ?? "stopped"
            opened.close()
            group.cancelAll()
            return first
        }
        port = nil
        // The frames the stream checks still hold get their verdict before the device is reported gone.
        for message in intake.finish() { report(.message(device: name, message)) }
        return reason
    }

    private func tryNextProtocol() {
        let next = candidates[(candidates.firstIndex(of: proto)! + 1) % candidates.count]
        proto = next
        settings = settingsOverride ?? next.defaultSettings
        driver = next.makeDriver()
    }

    private func handle(_ batch: FrameIntake.Batch) {
        if batch.firstFrames {
            if !confirmed {
                confirmed = true
                if candidates.count > 1 { report(.message(device: name, .info("speaks \(proto.rawValue)"))) }
            }
            if isUp != true {
                isUp = true
                report(.connected(device: name))
            }
        }
        for message in batch.messages {
            report(.message(device: name, message))
            perform(driver.received(message, now: .now))
        }
    }

    private var tickInterval: Duration { driver.tickInterval }

    /// Drives the protocol's timers; returns a reason when the watchdog gives up on the port.
    private func tick() -> String? {
        perform(driver.tick(now: .now))
        if let watchdog, let intake, ContinuousClock.now - intake.lastFrame > watchdog {
            return "no valid data for \(Int(watchdog.seconds)) s; reopening the port"
        }
        return nil
    }

    private func perform(_ output: DriverOutput) {
        for bytes in output.send { send(bytes) }
        for message in output.messages { report(.message(device: name, message)) }
    }

    private func send(_ bytes: [UInt8]) {
        do {
            try port?.write(bytes)
        } catch {
            port?.close()
        }
    }

    private func markDown(_ reason: String) {
        if isUp != false {
            isUp = false
            report(.disconnected(device: name, reason: reason))
        }
    }
}
