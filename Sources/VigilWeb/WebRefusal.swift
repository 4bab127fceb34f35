import Hummingbird
import NIOCore
import VigilAgent
import VigilPages

/// A request refused by the web layer itself (no login, wrong role, a forged form, a bad body),
/// answered in the API's one error shape, `{"ok": false, "error": "…"}`, or — for a page — as
/// the login page or a plain message.
struct WebRefusal: HTTPResponseError {
    var status: HTTPResponse.Status
    var reason: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ reason: String, headers: HTTPFields = [:]) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let isPage = !request.uri.path.hasPrefix("/api/") && request.uri.path != "/live" && !request.uri.path.hasPrefix("/assets/")
        var response = isPage ? WebReply.html(MessagePage.render(title: "\(status.code) \(status.reasonPhrase)", message: reason), status: status)
            : WebReply.error(status, reason)
        for field in headers { response.headers.append(field) }
        return response
    }
}
