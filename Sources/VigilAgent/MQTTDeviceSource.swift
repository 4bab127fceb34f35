import Foundation
import Logging
import Metrics
import VigilCore
import VigilDevices
import VigilMQTT

/// A device that publishes JSON on the clinic's broker, read through its profile's mapping and
/// handed to the room exactly like a serial device's frames. Its silence raises `no_data` like
/// any continuous device's, because the room watches it by name.
///
/// A retained message is never taken as a reading: it may be hours old. Nor is a message whose
/// own timestamp is more than ``maximumAge`` away from the agent's clock.
public struct MQTTDeviceSource: Sendable {
    public var name: String
    public var topic: String
    public var source: DeviceProfile.MQTTSource

    /// How far a device's timestamp may be from the agent's clock before a reading is refused.
    public static var maximumAge: TimeInterval { 10 }

    public init(name: String, topic: String, source: DeviceProfile.MQTTSource) {
        self.name = name
        self.topic = topic
        self.source = source
    }

    /// Reads the device until the subscription ends. `now` is the agent's wall clock.
    public func run(client: MQTTClient, now: @escaping @Sendable () -> Date, log: Logger,
                    events: @escaping @Sendable (DeviceEvent) -> Void) async {
        var heard = false
        var problems = 0
        // `/metrics`: every value the device gave (a serial device's are counted by its connection).
        let readings = Counter(label: "vigil_readings_total", dimensions: [("device", name)])
        for await message in client.subscribe(topic, qos: 0) {
            if message.retained {
                log.notice("device  \(name): ignoring a retained message on \(topic) (a reading must be live)")
                continue
            }
            do {
                let decoded = try source.mapping.decode(message.payload)
                if case .values(_, let time?) = decoded, abs(time.timeIntervalSince(now())) > Self.maximumAge {
                    problems += 1
                    if problems == 1 || problems % 100 == 0 {
                        log.warning("device  \(name): a reading stamped \(JSONLine.timestamp(time)) is too far from now; skipped (\(problems) so far)")
                    }
                    continue
                }
                if !heard {
                    heard = true
                    events(.connected(device: name))
                }
                if case .values(let values, _) = decoded { readings.increment(by: values.count) }
                events(.message(device: name, decoded))
            } catch {
                problems += 1
                if problems == 1 || problems % 100 == 0 { log.warning("device  \(name): \(error) (\(problems) skipped so far)") }
            }
        }
    }
}
