/// The doula's controls (`/doula`): start (with an optional patient reference), dose, booster,
/// note and end (the one confirmation), the elapsed time in large type, and the music. Big touch
/// targets for a tablet; `doula.js` sends each to the API and keeps the page live from `/live`.
public enum DoulaView {
    public static func render(viewer: Viewer) -> String {
        let content = """
        <div id="stale" class="banner stale" role="alert" aria-live="assertive"></div>
        <section class="panel" aria-label="Session time">
          <h2>Session time</h2>
          <div class="elapsed" id="elapsed">--:--</div>
          <div class="since" id="since-dose">No session running</div>
          <div class="ribbon" id="ribbon">
            <span class="baseline" data-phase="baseline">Baseline</span><span class="onset" data-phase="onset">Onset</span><span class="peak" data-phase="peak">Peak</span><span class="recovery" data-phase="recovery">Recovery</span><span class="discharge" data-phase="discharge">Discharge</span>
          </div>
        </section>
        <div class="error-box" id="command-error" role="alert"></div>
        <div class="banner info" id="alarm-note"></div>
        <section aria-label="Session">
          <div class="field-row" id="start-row">
            <input id="patient-reference" placeholder="Patient reference (optional code, never a name)" maxlength="32" autocomplete="off">
            <button type="button" class="primary" id="start" data-command="session/start">Start session</button>
          </div>
          <div class="controls">
            <button type="button" class="primary" id="dose" data-command="session/dose">Mark dose</button>
            <button type="button" id="booster" data-command="session/booster">Booster</button>
            <button type="button" class="danger" id="end">End session…</button>
          </div>
          <div class="field-row">
            <textarea id="note" rows="2" maxlength="2000" placeholder="Note for the record"></textarea>
            <button type="button" id="add-note">Add note</button>
          </div>
        </section>
        <section class="panel" aria-label="Music" id="music">
          <h2>Music</h2>
          <div class="now-playing" id="now-playing">–</div>
          <div class="controls">
            <button type="button" id="music-play" data-command="music/play">Play</button>
            <button type="button" id="music-pause" data-command="music/pause">Pause</button>
            <button type="button" id="music-resume" data-command="music/resume">Resume</button>
            <button type="button" id="music-next" data-command="music/next">Next</button>
            <button type="button" id="music-fade" data-command="music/fade" data-value="10">Fade out</button>
          </div>
          <div class="volume"><label for="volume">Volume</label><input type="range" id="volume" min="0" max="100" step="5"><span id="volume-value">–</span></div>
        </section>
        <dialog id="confirm-end">
          <p>End the session now? The record closes and the summary goes to the clinic.</p>
          <div class="controls"><button type="button" id="end-cancel">Keep going</button><button type="button" class="danger" id="end-confirm">End session</button></div>
        </dialog>
        """
        return Layout.page(title: "Session", viewer: viewer, current: "/doula", bodyClass: "doula",
                           scripts: ["live.js", "doula.js"], content: content)
    }
}
