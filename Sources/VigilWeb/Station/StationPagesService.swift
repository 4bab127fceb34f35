import Logging
import ServiceLifecycle
import VigilCore

/// The station's pages as a service: served until the station shuts down; a failure to serve
/// them (a port in use) is said once and ends only them.
public struct StationPagesService<C: VigilClock>: Service {
    let server: StationServer<C>

    public init(_ server: StationServer<C>) { self.server = server }

    public func run() async {
        let settings = server.settings, log = server.log
        for (level, line) in settings.startupWarnings(pages: "the page") { log.log(level: level, "station: \(line)") }
        await cancelWhenGracefulShutdown {
            do {
                try await server.run { port in
                    let scheme = settings.certificate == nil ? "http" : "https"
                    log.notice("station: the station's pages are on \(scheme)://\(settings.address):\(port)/")
                }
            } catch is CancellationError {
            } catch {
                log.error("station: the pages are not served on \(settings.address):\(settings.port) (\(WebRunner.describe(error)))")
            }
        }
    }
}
