/// The nurse's live view (`/`): the shell the page's script (`nurse.js`) fills from `/live` —
/// large SpO2, pulse, perfusion index and BP with its age; phase, time since dose and the phase
/// ribbon; the active alarms with acknowledge and pause; the BP check due; ten-minute sparklines.
public enum NurseView {
    public static func render(viewer: Viewer) -> String {
        let content = """
        <div id="stale" class="banner stale" role="alert" aria-live="assertive"></div>
        <div class="status-row">
          <section class="panel" aria-label="Session">
            <h2>Session</h2>
            <div class="phase-now" id="phase">–</div>
            <div id="since-dose" class="sub">No session</div>
            <div class="ribbon" id="ribbon">
              <span class="baseline" data-phase="baseline">baseline</span><span class="onset" data-phase="onset">onset</span><span class="peak" data-phase="peak">peak</span><span class="recovery" data-phase="recovery">recovery</span><span class="discharge" data-phase="discharge">discharge</span>
            </div>
          </section>
          <section class="panel" aria-label="Blood pressure check">
            <h2>Next BP check</h2>
            <div id="bp-due" class="phase-now">–</div>
            <div id="bp-due-reason" class="sub"></div>
          </section>
          <section class="panel" aria-label="Alarm sound">
            <h2>Alarm sound on this screen</h2>
            <button type="button" id="sound" class="sound-toggle">Turn alarm sound on</button>
            <div class="sub" id="sound-note">Browsers stay silent until you click once.</div>
          </section>
        </div>
        <section aria-label="Active alarms">
          <div class="alarms" id="alarms" aria-live="polite"><p class="none">No active alarms</p></div>
          <div class="error-box" id="command-error" role="alert"></div>
        </section>
        <section class="vitals" aria-label="Vital signs">
          <div class="vital spo2" id="v-spo2"><div class="label"><span>SpO₂</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">%</span></div><svg class="spark" viewBox="0 0 600 60" preserveAspectRatio="none" aria-hidden="true"><polyline points=""/></svg></div>
          <div class="vital pulse" id="v-pulse"><div class="label"><span>Pulse</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">/min</span></div><svg class="spark" viewBox="0 0 600 60" preserveAspectRatio="none" aria-hidden="true"><polyline points=""/></svg></div>
          <div class="vital pi" id="v-pi"><div class="label"><span>Perfusion index</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">%</span></div><div class="sub">when the oximeter reports it</div></div>
          <div class="vital bp" id="v-bp"><div class="label"><span>Blood pressure</span><span class="age"></span></div>
            <div><span class="value">–</span><span class="unit">mmHg</span></div><div class="sub" id="bp-map"></div></div>
        </section>
        """
        return Layout.page(title: "Nurse", viewer: viewer, current: "/", bodyClass: "nurse",
                           scripts: ["alarm-sound.js", "live.js", "nurse.js"], content: content)
    }
}
