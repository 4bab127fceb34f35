import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import VigilTestSupport

/// The real `vigil run` serving its pages over TLS, as `http.tls` in vigil.yaml says, reached
/// by a TLS client that is not ours (openssl).
@Suite("vigil run serves its pages over TLS")
struct WebRunTests {
    /// The hash of PIN 2580 (`echo 2580 | vigil hash-pin`).
    static let hash = "$2b$12$VnGXVFU9BPjpVnkdOsd0uu9Gu5NJ/VNn5R6EvTPHABpR2v9FvekVa"

    @Test("A nurse logs in over HTTPS and gets a Secure, HttpOnly, SameSite=Strict cookie; plain HTTP gets no page")
    func tls() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try await Self.tool("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                                                     "-keyout", dir.appendingPathComponent("room.key").path,
                                                     "-out", dir.appendingPathComponent("room.crt").path])
        let config = dir.appendingPathComponent("vigil.yaml")
        try """
            site: north
            room: room-2
            database: vigil.sqlite
            http:
              tls: { certificate: room.crt, key: room.key }
              logins:
                - { role: nurse, pin: "\(Self.hash)" }
            """.write(to: config, atomically: true, encoding: .utf8)
        let agent = try RunningVigil(["run", "--config", config.path, "--http", "127.0.0.1:0",
                                      "--socket", dir.appendingPathComponent("ctl.sock").path])
        defer { kill(agent.process.processIdentifier, SIGTERM); agent.process.waitUntilExit() }
        #expect(await agent.wait(for: "pages are on https://127.0.0.1:"), "\(agent.text)")
        let port = try #require(agent.text.split(separator: "https://127.0.0.1:").last?.prefix { $0.isNumber }, "\(agent.text)")

        let body = #"{"role":"nurse","pin":"2580"}"#
        let request = "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let answer = try await Self.tool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-ign_eof"], input: request)
        #expect(answer.contains("HTTP/1.1 200 OK"), "\(answer)")
        let cookie = try #require(answer.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Set-Cookie: vigil_session=") }, "\(answer)")
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            #expect(cookie.contains("; \(attribute)"), "\(cookie)")
        }
        #expect(answer.contains(#""role":"nurse""#), "\(answer)")

        let plain = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/login")!, timeoutInterval: 5)
        await #expect(throws: (any Error).self, "plain HTTP to the TLS port gets no page") {
            _ = try await URLSession.shared.data(for: plain)
        }
    }

    /// Runs a tool to its end; its standard output (and error), with `input` on standard input.
    static func tool(_ path: String, _ arguments: [String], input: String = "") async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try Spawn.run(process)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
