import VigilCore

/// The room's pages audit in the room's own record, with source `web`.
extension WebServer: StaffGate {
    func audit(_ action: String, role: Role, detail: String) async {
        await agent.audit(action: action, role: role, detail: detail, source: "web")
    }

    func auditRefusal(_ verb: String, by who: String, reason: String) async {
        await agent.auditRefusal(verb, by: who, reason: reason, source: "web")
    }
}
