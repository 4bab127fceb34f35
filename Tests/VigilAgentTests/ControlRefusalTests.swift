import Foundation
import Testing
import VigilAgent
import VigilCore
import VigilStore

/// What the control socket refuses is audited as the station's refusals are: who asked, what,
/// and why it was refused, with source `control`.
@Suite("Refusals on the control socket")
struct ControlRefusalTests {
    @Test("A refused session or music command is in the audit log as refused, with its role and reason; a status request is not")
    func refusalsAreAudited() async throws {
        let store = try Store(queue: try .init())
        let agent = RoomAgent(clock: ManualClock(), profile: .clinicDefault, store: store, output: { _ in })
        let control = RoomControl(agent: agent, music: nil)

        let requests = [
            #"{"command":"session.dose"}"#,
            #"{"command":"session.start","role":"nurse","patient_reference":"Jane Doe"}"#,
            #"{"command":"session.dose","role":"janitor"}"#,
            #"{"command":"music.play","role":"nurse"}"#,
            #"{"command":"session.status"}"#,
        ]
        var replies: [String] = []
        for request in requests { replies.append(await control.handle(request)) }
        #expect(replies.prefix(4).allSatisfy { $0.hasPrefix(#"{"ok":false"#) }, "\(replies)")
        #expect(replies.last?.hasPrefix(#"{"ok":true"#) == true, "\(replies)")

        let audit = try store.auditLog().map { "\($0.role) \($0.action) \($0.source) \($0.detail ?? "-")" }
        #expect(audit.count == 4, "\(audit)")
        #expect(audit.first == "doula refused control session.dose: no session is running", "\(audit)")
        #expect(audit.dropFirst().first?.hasPrefix("nurse refused control session.start: ") == true, "\(audit)")
        #expect(audit.dropFirst(2).first?.hasPrefix("doula refused control session.dose: role \"janitor\" is not one of") == true,
                "a role that is not one of ours is refused as the channel's default, doula: \(audit)")
        #expect(audit.last == "nurse refused control music.play: this room has no music (no sound device or no playlist)", "\(audit)")
    }
}
