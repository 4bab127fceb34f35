import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Every request's context: who is logged in (set by ``StaffAuthenticator``) and where the
/// request came from (for the login throttle).
public struct WebContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The peer's IP address, or `unknown` (a test channel has none).
    public let remoteAddress: String
    public var staff: StaffSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        staff = nil
    }

    /// Bodies are small JSON objects and form posts; a note is at most 2,000 characters.
    public var maxUploadSize: Int { 64 * 1024 }
}
