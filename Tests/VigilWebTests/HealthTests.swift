import Foundation
import HummingbirdTesting
import Testing
import VigilCore
import VigilDevices
import VigilWeb

/// `GET /healthz`: unhealthy only when the agent cannot do its job; a device unplugged is the
/// room's alarm, in the body, not an unhealthy agent.
@Suite("The agent's health")
struct HealthTests {
    @Test("An agent whose engine has not started answers 503 and says so")
    func notStarted() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(String(buffer: r.body).contains(#""problems":["the alarm engine has not started"]"#), "\(String(buffer: r.body))")
            }
        }
    }

    @Test("A ticking engine is healthy, an unplugged oximeter stays 200 with the device and its alarm in the body, and an engine stuck for 6 s is 503")
    func ticking() async throws {
        let room = try WebRoom()
        await room.agent.watch(device: "oximeter", continuous: true)
        let loop = Task { await room.agent.run() }
        for _ in 0..<100 where await room.agent.health().sinceTick == nil { try await Task.sleep(for: .milliseconds(20)) }
        await room.agent.handle(.disconnected(device: "oximeter", reason: "unplugged"))
        try await room.server.application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                let body = String(buffer: r.body)
                #expect(r.status == .ok, "\(body)")
                #expect(body.contains(#""devices":[{"name":"oximeter","connected":false"#), "\(body)")
                #expect(body.contains(#""database_writes":true"#), "\(body)")
                #expect(!body.contains("device_disconnected"), "no alarm condition without a login")
                #expect(body.contains(#""active_alarms":{"high":0,"medium":1,"low":0}"#), "the unplugged oximeter is a medium alarm: \(body)")
            }
            loop.cancel()
            _ = await loop.value
            room.clock.advance(by: .seconds(6))
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(String(buffer: r.body).contains("the alarm engine has not ticked for 6 s"), "\(String(buffer: r.body))")
            }
        }
    }
}
