import Hummingbird
import NIOCore
import VigilAgent
import VigilCore

/// The few shapes a response takes: a JSON body, an HTML page, an asset, a JSON error.
enum WebReply {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `{"ok": false, "error": "…"}`: the one error shape of the API.
    static func error(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        json(ControlReply.refused(.init(reason, kind: .malformed)).line, status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func download(_ text: String, contentType: String, filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The status a refusal from the command layer is answered with.
    static func status(of kind: ControlReply.Refusal.Kind) -> HTTPResponse.Status {
        switch kind {
        case .malformed: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        case .failed: .internalServerError
        }
    }

    static func reply(_ reply: ControlReply) -> Response {
        json(reply.line, status: reply.refusal.map { status(of: $0.kind) } ?? .ok)
    }
}
