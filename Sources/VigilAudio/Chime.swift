import Foundation
import Synchronization
import VigilCore

/// The staff chime, on its own ALSA device and never the patient's: it sounds the burst of the
/// loudest alarm that is sounding (raised, not acknowledged, audio not paused), repeating it at
/// that priority's interval. Off unless a device is configured.
public final class Chime: Sendable {
    public let device: String
    private let sounding = Mutex<[String: AlarmPriority]>([:])
    private let stopped = Mutex(false)
    private let log: @Sendable (String) -> Void
    /// Bursts played, for tests and the log.
    public let played = Mutex<[AlarmPriority]>([])

    public init(device: String, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.device = device
        self.log = log
    }

    /// Follows the alarm events: what sounds, and what has stopped sounding.
    public func handle(_ event: AlarmEvent) {
        sounding.withLock { s in
            switch event.state {
            case .raised, .audioResumed: s[event.id] = event.priority
            case .escalated: if s[event.id] != nil { s[event.id] = event.priority }
            case .acknowledged, .audioPaused, .cleared: s[event.id] = nil
            }
        }
    }

    /// The priority the chime sounds now.
    public var loudest: AlarmPriority? { sounding.withLock { $0.values.max() } }

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
                if !saidNoDevice { log("chime: \(error); alarms show and publish, but do not sound here") }
                saidNoDevice = true
            }
            last = (priority, Date())
        }
        output.drainAndClose()
    }
}
