/// The nurse's live view (`/`): the shell the page's script (`nurse.js`) fills from `/live` —
/// the active alarms first (with acknowledge and pause), then large SpO2, pulse, BP with its age
/// and perfusion index with ten-minute sparklines, then phase, time since dose, the phase ribbon
/// and the BP check due. On a phone the same order puts alarms and vitals on the first screen.
public enum NurseView {
    public static func render(viewer: Viewer) -> String {
        let content = """
        <div id="stale" class="banner stale" role="alert" aria-live="assertive"></div>
        <section aria-label="Active alarms">
          <div class="alarm-bar">
            <h2>Alarms</h2>
            <button type="button" id="sound" class="sound-toggle">Turn alarm sound on</button>
            <span class="sub" id="sound-note">This screen stays silent until you click once.</span>
          </div>
          <div class="alarms" id="alarms" aria-live="polite"><p class="none">No active alarms</p></div>
          <p class="questionable" id="questionable" hidden></p>
          <div class="error-box" id="command-error" role="alert"></div>
        </section>
        <section class="vitals" aria-label="Vital signs">
          <div class="vital spo2" id="v-spo2"><div class="label"><span>SpO₂</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">%</span></div><svg class="spark" viewBox="0 0 600 60" preserveAspectRatio="none" aria-hidden="true"><line class="limit" x1="0" x2="600" y1="20.7" y2="20.7"/><polyline points=""/></svg><div class="sub">10 min · dashed line 90 %</div></div>
          <div class="vital pulse" id="v-pulse"><div class="label"><span>Pulse</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">/min</span></div><svg class="spark" viewBox="0 0 600 60" preserveAspectRatio="none" aria-hidden="true"><polyline points=""/></svg><div class="sub">10 min</div></div>
          <div class="vital bp" id="v-bp"><div class="label"><span>Blood pressure</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">mmHg</span></div><div class="sub" id="bp-map"></div></div>
          <div class="vital pi" id="v-pi"><div class="label"><span>Perfusion index</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">%</span></div><div class="sub">when the oximeter reports it</div></div>
        </section>
        <div class="status-row">
          <section class="panel" aria-label="Session">
            <h2>Session</h2>
            <div class="phase-now" id="phase">–</div>
            <div id="since-dose" class="sub">No session</div>
            <div class="ribbon" id="ribbon">
              <span class="baseline" data-phase="baseline">Baseline</span><span class="onset" data-phase="onset">Onset</span><span class="peak" data-phase="peak">Peak</span><span class="recovery" data-phase="recovery">Recovery</span><span class="discharge" data-phase="discharge">Discharge</span>
            </div>
          </section>
          <section class="panel" aria-label="Blood pressure check">
            <h2>Next BP check</h2>
            <div id="bp-due" class="phase-now">–</div>
            <div id="bp-due-reason" class="sub"></div>
          </section>
        </div>
        """
        return Layout.page(title: "Nurse", viewer: viewer, current: "/", bodyClass: "nurse",
                           scripts: ["alarm-sound.js", "live.js", "nurse.js"], content: content)
    }
}
