import ServiceLifecycle
import VigilCore

/// The station's listening as a `Service`: until the process shuts down.
public struct StationService<C: VigilClock>: Service {
    let station: ClinicStation<C>

    public init(_ station: ClinicStation<C>) { self.station = station }

    public func run() async {
        await cancelWhenGracefulShutdown { await station.run() }
    }
}
