import Foundation
import Testing
import VigilCore
import VigilDevices

/// Simulator → pseudo-terminal → SerialPort → decoder, for real.
@Suite("Device connections over pseudo-terminals")
struct DeviceConnectionTests {
    /// Starts a simulated device (waiting until its symlink exists, as a plugged-in device
    /// would show up) and a connection reading it through that symlink.
    func plug(_ proto: DeviceProtocol, scenario: String, speed: Double, probing: [DeviceProtocol]? = nil,
              watchdog: Duration = .seconds(5)) async throws -> SimulatedDevice {
        let folder = try TemporaryFolder()
        let link = folder.path("device")
        let simulator = try DeviceSimulator(protocol: proto, scenario: try Scenario.parse(scenario), speed: speed, link: link)
        let sim = Task { try await simulator.run { _ in } }
        while !FileManager.default.fileExists(atPath: link) { try await Task.sleep(for: .milliseconds(5)) }
        let log = EventLog()
        let name = proto == .suntech ? "nibp" : "oximeter"
        let connection = DeviceConnection(name: name, path: link, probing: probing ?? [proto], watchdog: watchdog, report: log.record)
        return SimulatedDevice(folder: folder, simulator: sim, connection: connection, running: Task { await connection.run() }, log: log)
    }

    @Test("A CMS50 V7 streams only after the agent's start command, and its values arrive")
    func contecHandshake() async throws {
        let device = try await plug(.contecV7, scenario: "0,spo2,96\n0,pulse_rate,81\n600,spo2,96", speed: 1)
        defer { device.stop() }
        let (log, connection) = (device.log, device.connection)
        #expect(await log.wait { _ in log.values.count >= 4 })
        #expect(log.connections.first == "connected")
        #expect(log.values.prefix(2) == [DeviceValue(.spo2, 96, .valid), DeviceValue(.pulseRate, 81, .valid)])
        #expect(await connection.stats.rejected == 0)
    }

    @Test("Of a steady V7's 60 frames a second a few reach the room, and a desaturation does at once")
    func steadyFramesStayOnThePort() async throws {
        let device = try await plug(.contecV7, scenario: "0,spo2,97\n0,pulse_rate,72\n3,spo2,88\n600,spo2,88", speed: 1)
        defer { device.stop() }
        let (log, connection) = (device.log, device.connection)
        #expect(await log.wait { _ in log.values.contains(DeviceValue(.spo2, 88, .valid)) })
        let decoded = await connection.stats.decoded
        let steady = log.values.filter { $0 == DeviceValue(.spo2, 97, .valid) }.count
        #expect(decoded > 100, "\(decoded) frames")
        // Four a second at most, over the three seconds before the drop, against 180 frames.
        #expect((4...16).contains(steady), "\(steady) readings of 97 reached the room of \(decoded) frames")
    }

    @Test("Unplugging reports the device gone at once; replugging recovers without a restart")
    func unplugAndReplug() async throws {
        let device = try await plug(.contecLegacy, scenario: "0,spo2,97\n0,pulse_rate,70\n20,unplug,\n40,replug,\n600,spo2,97", speed: 10)
        defer { device.stop() }
        let log = device.log
        #expect(await log.wait { _ in log.connections == ["connected", "disconnected", "connected"] })
        let reason = log.all.compactMap { if case .disconnected(_, let r) = $0 { r } else { nil } }.first ?? ""
        #expect(reason.hasSuffix("the device went away (unplugged or switched off)"), "\(reason)")
        let before = log.values.count
        #expect(await log.wait { _ in log.values.count > before + 3 }, "values flow again after the replug")
    }

    @Test("A port that stays open but goes silent is caught by the watchdog and reopened")
    func silentPort() async throws {
        let device = try await plug(.nonin8, scenario: "0,spo2,97\n0,pulse_rate,70\n4,silent,\n600,spo2,97", speed: 1, watchdog: .seconds(2))
        defer { device.stop() }
        let log = device.log
        #expect(await log.wait(seconds: 15) { _ in log.connections == ["connected", "disconnected"] })
        let reason = log.all.compactMap { if case .disconnected(_, let r) = $0 { r } else { nil } }.first
        #expect(reason == "no valid data for 2 s; reopening the port")
        try await Task.sleep(for: .seconds(4.5))
        #expect(log.connections == ["connected", "disconnected"], "reopening a silent port does not flap")
    }

    @Test("Corrupt bytes on the line are counted and skipped; the stream goes on")
    func corruption() async throws {
        let device = try await plug(.contecV7, scenario: "0,spo2,95\n0,pulse_rate,77\n1,corrupt,\n2,corrupt,\n600,spo2,95", speed: 1)
        defer { device.stop() }
        let (log, connection) = (device.log, device.connection)
        var decoded = 0
        for _ in 0..<100 where decoded <= 400 {
            try await Task.sleep(for: .milliseconds(100))
            decoded = await connection.stats.decoded
        }
        #expect(decoded > 400, "the stream goes on past the corrupt bytes: \(decoded) frames")
        let stats = await connection.stats
        #expect(stats.skippedBytes + stats.rejected > 0)
        #expect(log.values.allSatisfy { $0.value == 95 || $0.value == 77 })
        #expect(log.connections == ["connected"])
    }

    @Test("SunTech both ways: the agent starts a measurement, polls the cuff and reads 152/94")
    func sunTechMeasurement() async throws {
        let device = try await plug(.suntech, scenario: "0,systolic,152\n0,diastolic,94\n0,nibp_pulse,76\n6000,systolic,150", speed: 20)
        defer { device.stop() }
        let (log, connection) = (device.log, device.connection)
        try await Task.sleep(for: .milliseconds(300))
        await connection.measureNow()
        #expect(await log.wait { _ in !log.values.isEmpty })
        #expect(log.values == [DeviceValue(.systolic, 152, .valid), DeviceValue(.diastolic, 94, .valid),
                               DeviceValue(.meanArterial, 113, .valid), DeviceValue(.nibpPulse, 76, .valid)])
        let cuff = log.all.contains { if case .message(_, .cuffPressure(let p)) = $0 { (p ?? 0) > 0 } else { false } }
        #expect(cuff, "the cuff pressure was polled during the measurement")
        #expect(await connection.isMeasuring == false)
    }

    @Test("A failed SunTech measurement arrives with the module's reason")
    func sunTechFailure() async throws {
        let device = try await plug(.suntech, scenario: "0,bp_failed,87\n6000,systolic,150", speed: 20)
        defer { device.stop() }
        let (log, connection) = (device.log, device.connection)
        try await Task.sleep(for: .milliseconds(300))
        await connection.measureNow()
        #expect(await log.wait { events in
            events.contains { if case .message(_, .measurementFailed) = $0 { true } else { false } }
        })
        #expect(log.all.contains(.message(device: "nibp", .measurementFailed(code: 0x57, reason: "inflation timeout, leak or loose cuff"))))
    }
}

extension DeviceConnectionTests {
    @Test("A CMS50 on old firmware is found by probing: V7 gets no answer, the legacy protocol does")
    func probing() async throws {
        let device = try await plug(.contecLegacy, scenario: "0,spo2,94\n0,pulse_rate,66\n600,spo2,94", speed: 1,
                                    probing: [.contecV7, .contecLegacy], watchdog: .seconds(1))
        defer { device.stop() }
        let (log, connection) = (device.log, device.connection)
        #expect(await log.wait(seconds: 15) { _ in log.values.count >= 2 })
        #expect(log.values.first == DeviceValue(.spo2, 94, .valid))
        #expect(log.all.contains(.message(device: "oximeter", .info("speaks contec-legacy"))))
        #expect(await connection.proto == .contecLegacy)
    }
}
