extension AlarmEngine {
    // MARK: Devices

    /// The link to a device is lost (port gone, broker gone): medium, not latching.
    public mutating func deviceDisconnected(_ device: String, reason: String? = nil) -> [AlarmEvent] {
        let continuous = devices[device]?.isContinuous ?? false
        var track = devices[device] ?? DeviceTrack(lastReading: clock.now, isContinuous: continuous)
        track.isDisconnected = true
        devices[device] = track
        return raise(key: deviceKey(TechnicalCondition.deviceDisconnected, device), kind: .technical,
                     condition: TechnicalCondition.deviceDisconnected, vital: nil, device: device,
                     priority: .medium, value: nil, limit: nil, detail: reason) + fireDue()
    }

    public mutating func deviceConnected(_ device: String) -> [AlarmEvent] {
        let now = clock.now
        devices[device]?.isDisconnected = false
        devices[device]?.lastReading = now
        return clear(key: deviceKey(TechnicalCondition.deviceDisconnected, device)) + fireDue()
    }

    /// The agent has started a BP measurement: no reminder that a BP is due while the cuff is
    /// working, unless the result is more than ``measurementGrace`` late.
    public mutating func measurementStarted() {
        measuringSince = clock.now
    }

    public static var measurementGrace: Duration { .seconds(180) }

    /// The BP module reports a failed measurement (cuff loose, motion, …) with its reason.
    public mutating func measurementFailed(_ device: String, reason: String) -> [AlarmEvent] {
        measuringSince = nil
        guard inSession else { return [] }
        return raise(key: TechnicalCondition.nibpFailed, kind: .technical, condition: TechnicalCondition.nibpFailed,
                     vital: nil, device: device, priority: .low, value: nil, limit: nil, detail: reason) + fireDue()
    }

    /// The database refuses writes: medium, until it accepts them again.
    public mutating func storageFailed(reason: String) -> [AlarmEvent] {
        raise(key: TechnicalCondition.storageFailed, kind: .technical, condition: TechnicalCondition.storageFailed,
              vital: nil, device: nil, priority: .medium, value: nil, limit: nil, detail: reason)
    }

    public mutating func storageRecovered() -> [AlarmEvent] {
        clear(key: TechnicalCondition.storageFailed)
    }

    func deviceKey(_ condition: String, _ device: String) -> String { "\(condition)@\(device)" }
    func implausibleKey(_ vital: Vital) -> String { "\(TechnicalCondition.implausibleValue)@\(vital.rawValue)" }

    /// Any reading proves the device is there; the SpO2 quality says whether the probe is on.
    mutating func trackDevice(_ reading: Reading, zeroMarkedValid: Bool = false) -> [AlarmEvent] {
        let name = reading.device
        var track = devices[name] ?? DeviceTrack(lastReading: clock.now, isContinuous: false)
        track.lastReading = clock.now
        if !reading.vital.isIntermittent { track.isContinuous = true }
        var out = clear(key: deviceKey(TechnicalCondition.noData, name))
        if track.isDisconnected {
            track.isDisconnected = false
            out += clear(key: deviceKey(TechnicalCondition.deviceDisconnected, name))
        }
        if reading.vital == .spo2 {
            track.invalidBecause = zeroMarkedValid ? "SpO2 0 marked valid: the signal is lost" : Self.words(for: reading.quality)
            switch reading.quality {
            case .valid:
                track.invalidSince = nil
                track.poorSince = nil
                out += clear(key: deviceKey(TechnicalCondition.sensorOff, name))
                out += clear(key: deviceKey(TechnicalCondition.checkProbe, name))
            case .poorSignal:
                // A value, so the probe is on; whether its signal can be trusted is `check_probe`'s.
                track.invalidSince = nil
                out += clear(key: deviceKey(TechnicalCondition.sensorOff, name))
                if track.poorSince == nil { track.poorSince = clock.now }
            default:
                if track.invalidSince == nil { track.invalidSince = clock.now }
            }
        }
        devices[name] = track
        return out
    }

    static func words(for quality: ReadingQuality) -> String {
        switch quality {
        case .sensorOff: "probe off or finger out"
        case .searching: "the oximeter is searching for a pulse"
        case .artifact: "motion or interference: no valid SpO2"
        case .outOfRange: "SpO2 out of the device's range"
        case .valid, .derived, .poorSignal: ""
        }
    }

    mutating func flagImplausible(_ reading: Reading) -> [AlarmEvent] {
        raise(key: implausibleKey(reading.vital), kind: .technical, condition: TechnicalCondition.implausibleValue,
              vital: reading.vital, device: reading.device, priority: .low, value: reading.value, limit: nil,
              detail: reading.quality == .outOfRange ? "device reports out of range" : "outside the plausible range")
    }
}

extension AlarmEngine {
    /// Every watched device, by name, as the health check reports it.
    public var deviceHealth: [DeviceHealth] {
        devices.sorted { $0.key < $1.key }.map { name, track in
            DeviceHealth(name: name, isDisconnected: track.isDisconnected,
                         secondsSinceReading: track.lastReading.duration(to: clock.now).seconds)
        }
    }
}
