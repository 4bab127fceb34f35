/// The clinic's station (`/` on `vigil station`): one tile per room, drawn by `station.js` from
/// the board the station sends on `/live` — live SpO2 and pulse, the last BP and its age, phase
/// and time since dose, the room's alarms loudest first (escalations standing out) with
/// acknowledge and pause for each, and the station's own alarm when it cannot see a room. The
/// page sounds the loudest alarm of any room.
public enum StationView {
    public static func render(viewer: Viewer) -> String {
        let content = """
        <div id="stale" class="banner stale" role="alert" aria-live="assertive" data-source="the station"></div>
        <div id="disconnected" class="banner stale" role="alert" aria-live="assertive"></div>
        <div class="alarm-bar">
          <h1 class="station-title">Rooms</h1>
          <button type="button" id="sound" class="sound-toggle">Turn alarm sound on</button>
          <span class="sub" id="sound-note">This screen stays silent until you click once.</span>
        </div>
        <p class="station-summary" id="summary" aria-live="assertive"></p>
        <div class="error-box" id="command-error" role="alert"></div>
        <section class="tiles" id="tiles" aria-label="Rooms" aria-live="polite"><p class="none">No room has been heard yet.</p></section>
        """
        return Layout.page(title: "Station", viewer: viewer, current: "/", bodyClass: "station", styles: ["station.css"],
                           scripts: ["alarm-sound.js", "live.js", "station.js"], content: content)
    }
}
