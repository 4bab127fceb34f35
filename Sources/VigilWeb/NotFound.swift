import Hummingbird

/// An address the router does not know gets the API's error shape (or, for a page, the
/// message page) instead of an empty 404.
struct NotFound: RouterMiddleware {
    typealias Context = WebContext
    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            throw WebRefusal(.notFound, "nothing here: \(request.method) \(request.uri.path)")
        }
    }
}
