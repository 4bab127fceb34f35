import Foundation
import Hummingbird
import NIOCore
import VigilCore
import VigilPages

/// The pages a person opens, each for the roles that use it; without a login, every page
/// sends the browser to the login page (and back afterwards). Assets and the OpenAPI document
/// are the only things served without a login: they hold no health data.
extension WebServer {
    func addPageRoutes(to router: Router<WebContext>) {
        router.get("/") { request, context in
            try await self.page(request, context, .respondToAlarm) { NurseView.render(viewer: $0) }
        }
        router.get("/doula") { request, context in
            try await self.page(request, context, .runSession) { DoulaView.render(viewer: $0) }
        }
        WebReply.addAssetRoute(to: router)
        router.get("/api/openapi.yaml") { _, _ in
            guard let asset = Assets.named("openapi.yaml") else { throw WebRefusal(.notFound, "no OpenAPI document") }
            var headers = HTTPFields()
            headers[.contentType] = asset.contentType
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
        }
        router.get("/api/state") { request, context in
            _ = try await self.require(context, request, nil, "state")
            return WebReply.json(await self.stateMessage(withTrend: true))
        }
    }

    func viewer(for staff: StaffSession) -> Viewer {
        Viewer(role: staff.role, csrfToken: staff.csrfToken, room: roomName)
    }
}
