import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import NIOSSL
import VigilPages
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

    /// `GET /assets/{name}`: the pages' CSS and JavaScript, without a login (they hold no health data).
    static func addAssetRoute(to router: Router<WebContext>) {
        router.get("/assets/:name") { _, context in
            let name = try context.parameters.require("name")
            guard let asset = Assets.named(name) else { throw WebRefusal(.notFound, "no asset \(name)") }
            var headers = HTTPFields()
            headers[.contentType] = asset.contentType
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
        }
    }

    /// HTTP/1 with the WebSocket upgrade, over TLS when `settings` give a certificate. An idle
    /// connection is closed after 30 s: open sockets must not pile up until the process runs out
    /// of descriptors (a room's serial ports and database need them).
    static func server(_ settings: HTTPSettings, router: Router<WebContext>) throws -> HTTPServerBuilder {
        let server: HTTPServerBuilder = .http1WebSocketUpgrade(
            webSocketRouter: router,
            configuration: .init(http1: .init(idleTimeout: .seconds(30)), ws: .init(maxFrameSize: 1 << 16)))
        guard let certificate = settings.certificate, let key = settings.key else { return server }
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return try .tls(server, tlsConfiguration: tls)
    }
}
