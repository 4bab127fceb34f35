// The doula's controls: the session's buttons (only those that apply now are enabled), the
// elapsed time, and the music. End asks once for confirmation; nothing else does.
(function () {
  'use strict';
  var live = window.VigilLive;
  function el(id) { return document.getElementById(id); }

  function send(path, body) {
    live.showError('');
    return live.command(path, body).then(function (r) {
      if (!r.ok) live.showError(r.body.error || 'refused (' + r.status + ')');
      return r;
    });
  }

  function onState(s) {
    var session = s.session, running = session.status === 'running';
    el('elapsed').textContent = running ? live.clock(session.elapsed_s) : '--:--';
    var who = session.patient_reference ? 'Patient ' + session.patient_reference + ' · ' : '';
    el('since-dose').textContent = !running ? 'No session running'
      : who + (session.since_dose_s !== null ? live.clock(session.since_dose_s) + ' since the dose · ' + session.phase : 'before the dose');
    live.ribbon(running ? session.phase : '');
    el('start-row').hidden = running;
    el('start').disabled = running;
    el('dose').disabled = !running || session.dose_at !== null;
    el('dose').textContent = running && session.dose_at !== null
      ? 'Dose marked ' + new Date(session.dose_at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      : 'Mark dose';
    el('booster').disabled = !running || session.dose_at === null;
    el('end').disabled = !running;
    el('add-note').disabled = !running;
    var high = s.alarms.filter(function (a) { return a.priority === 'high' && !a.acknowledged_by; });
    var note = el('alarm-note');
    note.textContent = high.length ? 'A high alarm is active: it sounds at the nurse\'s station.' : '';
    note.classList.toggle('show', high.length > 0);
    var m = s.music;
    if (!m) {
      el('now-playing').textContent = 'This room has no music';
      el('music').querySelectorAll('button, input').forEach(function (b) { b.disabled = true; });
      return;
    }
    var playing = m.state === 'playing' || m.state === 'fading';
    var track = m.track ? m.track.replace(/\.[a-z0-9]+$/i, '').replace(/[-_]+/g, ' ') : 'nothing playing';
    el('now-playing').textContent = (playing ? '▶ Playing ' : m.state === 'paused' ? '❚❚ Paused: ' : '■ Stopped: ')
      + track + (m.section ? ' · ' + m.section + ' music' : '') + (m.notice ? ' — ' + m.notice : '');
    el('music-play').disabled = playing || m.state === 'paused';
    el('music-pause').disabled = !playing;
    el('music-resume').disabled = m.state !== 'paused';
    el('music-fade').disabled = m.state !== 'playing';
    el('music-next').disabled = m.state === 'no_device';
    var volume = el('volume');
    if (document.activeElement !== volume) volume.value = m.volume;
    el('volume-value').textContent = m.volume;
  }

  document.querySelectorAll('[data-command]').forEach(function (button) {
    button.addEventListener('click', function () {
      var body = {};
      if (button.dataset.value) body.value = Number(button.dataset.value);
      if (button.id === 'start') {
        var ref = el('patient-reference').value.trim();
        if (ref) body.patient_reference = ref;
      }
      // Stays disabled until the room's next state says what applies (a double tap never doses twice).
      button.disabled = true;
      send(button.dataset.command, body).then(function (r) {
        if (r.ok && button.id === 'start') el('patient-reference').value = '';
      });
    });
  });
  el('add-note').addEventListener('click', function () {
    var text = el('note').value.trim();
    if (!text) return live.showError('Write the note first.');
    var button = el('add-note');
    button.disabled = true;
    send('session/note', { text: text }).then(function (r) {
      if (r.ok) el('note').value = '';
      button.disabled = false;
    });
  });
  el('volume').addEventListener('change', function () { send('music/volume', { value: Number(el('volume').value) }); });
  var dialog = el('confirm-end');
  el('end').addEventListener('click', function () { dialog.showModal(); });
  el('end-cancel').addEventListener('click', function () { dialog.close(); });
  el('end-confirm').addEventListener('click', function () {
    dialog.close();
    send('session/end');
  });
  live.on(function (m) { if (m.type === 'state') onState(m); });
})();
