import Foundation
import Hummingbird
import VigilCore
import VigilPages
import VigilStore

/// The provider's review: the session list and one session, as pages and as JSON, and the
/// exports a chart takes (CSV, JSON, FHIR R4). The heavy part of each runs on ``ReviewWork``.
extension WebServer {
    func addReviewRoutes(to router: Router<WebContext>) {
        router.get("/sessions") { request, context in
            // A bad date shows the whole list with the reason above it, as a form's mistake should.
            var problem: String?
            var filter = try SessionFilter(from: nil, to: nil)
            do { filter = try Self.filter(request) } catch let refusal as WebRefusal { problem = refusal.reason }
            return try await self.page(request, context, .review) { viewer in
                let store = try self.requireStore()
                let (filter, problem) = (filter, problem)
                return try await self.reviewWork.run {
                    let sessions = filter.apply(try store.sessions())
                    return SessionListPage.render(sessions, filter: filter, viewer: viewer,
                                                  alarmCounts: SessionListPage.alarmCounts(for: sessions, from: store), problem: problem)
                }
            }
        }
        router.get("/sessions/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await self.page(request, context, .review) { viewer in
                let store = try self.requireStore()
                let timeline = self.agent.timeline
                do {
                    return try await self.reviewWork.run {
                        SessionPage.render(try SessionReview.load(id, from: store, timeline: timeline), viewer: viewer)
                    }
                } catch StoreError.noSuchSession {
                    throw WebRefusal(.notFound, "no session \(id)")
                }
            }
        }
        router.get("/api/sessions") { request, context in
            _ = try await self.require(context, request, .review, "sessions")
            let sessions = try Self.filter(request).apply(try self.requireStore().sessions())
            return WebReply.json("{\"ok\":true,\"sessions\":[" + sessions.map(SessionExport.sessionJSON).joined(separator: ",") + "]}")
        }
        router.get("/api/sessions/:id") { request, context in
            let id = try context.parameters.require("id")
            _ = try await self.require(context, request, .review, "session \(id)")
            do {
                let store = try self.requireStore()
                let (record, summary) = try await self.reviewWork.run { try SessionReport.summary(id, from: store) }
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = .sortedKeys
                let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
                return WebReply.json("{\"ok\":true,\"session\":\(SessionExport.sessionJSON(record)),\"summary\":\(json)}")
            } catch StoreError.noSuchSession {
                throw WebRefusal(.notFound, "no session \(id)")
            }
        }
        router.get("/api/sessions/:id/export") { request, context in
            let id = try context.parameters.require("id")
            let staff = try await self.require(context, request, .review, "export \(id)")
            let name = request.uri.queryParameters.get("format") ?? "csv"
            guard let format = SessionExport.Format(rawValue: name) else {
                throw WebRefusal(.badRequest, "format must be csv, json or fhir")
            }
            do {
                let store = try self.requireStore()
                let text = try await self.reviewWork.run { try SessionExport.export(id, from: store, as: format) }
                await self.agent.audit(action: "export", role: staff.role, detail: "\(id) as \(name)", source: "web")
                let type = switch format {
                case .csv: "text/csv; charset=utf-8"
                case .json: "application/json; charset=utf-8"
                case .fhir: "application/fhir+json; charset=utf-8"
                }
                return WebReply.download(text, contentType: type, filename: "\(id).\(format == .fhir ? "fhir.json" : name)")
            } catch StoreError.noSuchSession {
                throw WebRefusal(.notFound, "no session \(id)")
            }
        }
    }

    func requireStore() throws -> Store {
        guard let store else { throw WebRefusal(.serviceUnavailable, "this room keeps no database") }
        return store
    }

    static func filter(_ request: Request) throws -> SessionFilter {
        do {
            return try SessionFilter(from: request.uri.queryParameters.get("from").flatMap { $0.isEmpty ? nil : $0 },
                                     to: request.uri.queryParameters.get("to").flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            throw WebRefusal(.badRequest, "\(error)")
        }
    }
}
