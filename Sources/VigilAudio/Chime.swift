import Foundation
import Logging
import Synchronization
import VigilCore

/// The staff chime, on its own ALSA device and never the patient's: it sounds the burst of the
/// loudest alarm the engine says is sounding (``Alarm/isSounding``: not acknowledged, audio not
/// paused), repeating it at that priority's interval. Off unless a device is configured.
public final class Chime: Sendable {
    public let device: String
    private let current = Mutex<AlarmPriority?>(nil)
    private let stopped = Mutex(false)
    private let log: Logger
    /// Bursts played, for tests and the log.
    public let played = Mutex<[AlarmPriority]>([])

    public init(device: String, log: Logger = .init(label: "vigil.chime")) {
        self.device = device
        self.log = log
    }

    /// Sounds for the active alarms from now on (call it whenever they change).
    public func sound(for alarms: [Alarm]) {
        current.withLock { $0 = Self.loudest(alarms) }
    }

    /// The priority the chime sounds for these alarms: the highest of those sounding.
    public static func loudest(_ alarms: [Alarm]) -> AlarmPriority? {
        alarms.filter(\.isSounding).map(\.priority).max()
    }

    /// The priority the chime sounds now.
    public var loudest: AlarmPriority? { current.withLock { $0 } }

    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "vigil-chime"
        thread.start()
    }

    public func stop() { stopped.withLock { $0 = true } }

    private func run() {
        let output = ALSAOutput(device: device)
        var last: (priority: AlarmPriority, at: Date)?
        var saidNoDevice = false
        while !stopped.withLock({ $0 }) {
            defer { Thread.sleep(forTimeInterval: 0.1) }
            guard let priority = loudest else {
                last = nil
                continue
            }
            if let last, last.priority == priority {
                guard let every = ChimePattern.interval(priority), Date().timeIntervalSince(last.at) >= every else { continue }
            }
            do {
                try output.open()
                saidNoDevice = false
                try output.write(ChimePattern.render(priority))
                played.withLock { $0.append(priority) }
            } catch {
                if !saidNoDevice { log.warning("chime: \(error); alarms show and publish, but do not sound here") }
                saidNoDevice = true
            }
            last = (priority, Date())
        }
        output.drainAndClose()
    }
}
