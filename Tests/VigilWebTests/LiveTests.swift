import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Testing
import VigilCore
import VigilDevices
import VigilWeb

/// `/live`: what an open page hears, and that no page can hold the room back.
@Suite("The live feed")
struct LiveTests {
    @Test("A page that stops reading is dropped once it falls a buffer behind; the others keep hearing every message")
    func slowPageIsDropped() async throws {
        let hub = LiveHub()
        let (_, stalled, _) = hub.join()
        let (_, reading, _) = hub.join()
        let total = LiveHub.clientBuffer * 2
        let collector = Task { var n = 0; for await _ in reading { n += 1; if n == total { break } }; return n }
        for i in 0..<total {
            hub.broadcast("{\"n\":\(i)}")
            if i % 10 == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(await collector.value == total, "the reading page heard every message")
        #expect(hub.droppedCount == 1, "the stalled page was dropped, not waited for")
        var kept = 0
        for await _ in stalled { kept += 1 }
        #expect(kept == LiveHub.clientBuffer, "it had its buffer's worth, then its stream ended")
    }

    @Test("A nurse's page gets the room's state with the trend first, then each reading, then the state after the doula starts",
          .timeLimit(.minutes(1)))
    func pageHearsTheRoom() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.live) { client in
            let nurse = try await client.logIn(.nurse)
            let doula = try await client.logIn(.doula)
            var config = WebSocketClientConfiguration()
            config.additionalHeaders[.cookie] = "vigil_session=\(nurse.cookie)"
            let heard = Heard()
            let agent = room.agent
            let listening = Task {
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(client.port!)/live", configuration: config,
                                                  logger: Logger(label: "test")) { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        let count = await heard.add(text)
                        if count == 1 {
                            await agent.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, 97, .valid)], deviceTime: nil)))
                        }
                        if count == 2 {
                            _ = try await client.post("/api/session/start", headers: doula.headers())
                        }
                        if text.contains(#""status":"running""#) { return }
                    }
                }
            }
            _ = try await listening.value
            let messages = await heard.all
            #expect(messages.first?.hasPrefix(#"{"type":"state""#) == true)
            #expect(messages.first?.contains(#""trend":{"#) == true, "the first state carries the trend")
            #expect(messages.contains { $0.hasPrefix(#"{"type":"reading","vital":"spo2","value":97"#) }, "\(messages)")
            #expect(messages.last?.contains(#""status":"running""#) == true)
            #expect(messages.dropFirst().allSatisfy { !$0.contains(#""trend""#) }, "later states leave the trend out")
        }
    }

    @Test("A real socket that opens /live and never reads is dropped by the hub, never waited for")
    func neverReadingSocket() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.live) { client in
            let nurse = try await client.logIn(.nurse)
            let socket = try StalledSocket(port: client.port!, cookie: nurse.cookie)
            defer { socket.close() }
            for _ in 0..<500 where room.hub.clientCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(room.hub.clientCount == 1, "the stalled page joined")
            let block = String(repeating: "x", count: 60_000)
            var sent = 0
            while room.hub.droppedCount == 0, sent < 20_000 {
                room.hub.broadcast(block)
                sent += 1
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(room.hub.droppedCount == 1, "dropped after \(sent) messages of 60 kB")
            #expect(room.hub.clientCount == 0)
            #expect(socket.readsUntilClosed(), "the server closed the dropped page's socket")
        }
    }

    @Test("A WebSocket without a login is refused before it opens")
    func noLogin() async throws {
        let room = try WebRoom()
        try await room.server.application().test(.live) { client in
            _ = await #expect(throws: (any Error).self) {
                _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(client.port!)/live", logger: Logger(label: "test")) { _, _, _ in }
            }
        }
    }
}

/// What a test's WebSocket client heard, in order.
actor Heard {
    private(set) var all: [String] = []
    func add(_ text: String) -> Int { all.append(text); return all.count }
}
