// Vigil live: one WebSocket to /live shared by the page's script. It reconnects by itself and
// says loudly when the page is stale (nothing from the room for 5 s), greying the last values
// (body.is-stale): old numbers must never look live. Commands go to the JSON API with this login's CSRF token.
(function () {
  'use strict';
  var STALE_AFTER_MS = 5000;
  var listeners = [];
  var lastMessage = 0;
  var failures = 0;
  var state = null;
  var banner = document.getElementById('stale');
  // What the page is live from, in the banner's words: the room, or the clinic's station.
  var source = (banner && banner.dataset.source) || 'the room';
  var loadedAt = Date.now();
  var socket = null;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  function connect() {
    var ws = socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live');
    ws.onmessage = function (event) {
      failures = 0;
      lastMessage = Date.now();
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === 'state') state = message;
      listeners.forEach(function (f) { f(message); });
      check();
    };
    ws.onclose = function () {
      if (socket === ws) socket = null;
      failures += 1;
      // A refused upgrade looks like any other close: ask the API whether the login ended.
      if (failures >= 2) {
        fetch('/api/state', { credentials: 'same-origin' }).then(function (r) {
          if (r.status === 401) location.href = '/login?next=' + encodeURIComponent(location.pathname);
        }).catch(function () {});
      }
      setTimeout(connect, Math.min(500 * failures, 3000));
      check();
    };
  }

  function check() {
    if (!banner) return;
    var age = Date.now() - (lastMessage || loadedAt);
    var text = '';
    var watch = source === 'the room' ? 'watch the patient and the monitor in the room.' : 'go to the rooms and watch each patient.';
    if (!lastMessage) text = age > STALE_AFTER_MS ? 'NOT LIVE — ' + source + ' does not answer. ' + watch.charAt(0).toUpperCase() + watch.slice(1) : 'Connecting to ' + source + '…';
    else if (age > STALE_AFTER_MS) text = 'NOT LIVE — nothing from ' + source + ' for ' + Math.round(age / 1000) + ' s. The values on this page are old: ' + watch;
    // An open socket that went quiet (a half-open connection after a Wi-Fi roam) is closed, so
    // that it reconnects instead of staying open and silent.
    if (lastMessage && age > STALE_AFTER_MS && socket && socket.readyState === WebSocket.OPEN) socket.close();
    banner.textContent = text;
    banner.classList.toggle('show', text !== '');
    document.body.classList.toggle('is-stale', text !== '');
  }

  /// POSTs a command; resolves to {ok, status, body}.
  function command(path, body) {
    return fetch('/api/' + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (r.status === 401) location.href = '/login?next=' + encodeURIComponent(location.pathname);
        return { ok: r.ok && b.ok !== false, status: r.status, body: b };
      });
    }, function () { return { ok: false, status: 0, body: { error: 'the room did not answer' } }; });
  }

  function showError(text) {
    var box = document.getElementById('command-error');
    if (box) box.textContent = text || '';
  }

  function clock(seconds) {
    if (seconds === null || seconds === undefined) return '--:--';
    var s = Math.max(0, Math.floor(seconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h > 0 && m < 10 ? '0' : '') + m;
    return (h > 0 ? h + ':' : '') + mm + ':' + (r < 10 ? '0' : '') + r;
  }

  /// Marks the phase ribbon's current phase.
  function ribbon(phase) {
    document.querySelectorAll('#ribbon span').forEach(function (span) {
      span.classList.toggle('now', span.dataset.phase === phase);
    });
  }

  // Every alarm condition in the staff's words (the station's own two included).
  var NAMES = {
    spo2_low: 'SpO₂ low', spo2_falling: 'SpO₂ falling', pulse_rate_low: 'Pulse low', pulse_rate_high: 'Pulse high',
    systolic_high: 'Systolic high', systolic_low: 'Systolic low', diastolic_high: 'Diastolic high', diastolic_low: 'Diastolic low',
    mean_arterial_low: 'MAP low', no_data: 'No data from a device', sensor_off: 'Sensor off / lost signal',
    device_disconnected: 'Device disconnected', implausible_value: 'Implausible value', nibp_due: 'BP check due',
    nibp_overdue: 'BP check overdue', nibp_repeat: 'Repeat BP to confirm', nibp_failed: 'BP measurement failed',
    nibp_before_dose_missing: 'No BP before the dose', storage_failed: 'Database not writing',
    check_probe: 'Check the SpO₂ probe',
    room_offline: 'ROOM OFFLINE — its Vigil is not on the network', room_silent: 'ROOM SILENT — nothing heard from its Vigil'
  };
  function alarmName(condition) { return NAMES[condition] || condition.replace(/_/g, ' '); }

  /// The page's one alarm sound and its button (`#sound`, `#sound-note`): `sound(loudest)` plays
  /// the loudest alarm still sounding, or stops; the button says loudly when an alarm sounds on a
  /// screen whose sound is off. A page that has lost its source keeps sounding — medium, or high
  /// if a high alarm was sounding when the link dropped — until it hears again.
  function alarmSound(elsewhere) {
    var button = document.getElementById('sound'), note = document.getElementById('sound-note');
    var player = window.VigilAlarmSound, last = null;
    function enabled() { return !!player && player.enabled; }
    button.addEventListener('click', function () {
      if (!player) return;
      player.enable().then(function (on) {
        button.classList.toggle('on', on);
        button.textContent = on ? 'Alarm sound is on' : 'Sound unavailable in this browser';
        note.textContent = on ? 'Acknowledge or pause an alarm to silence it here.' : elsewhere;
      });
    });
    setInterval(function () {
      if (window.VigilLive.isStale && enabled()) player.play(last === 'high' ? 'high' : 'medium');
    }, 1000);
    return function (loudest) {
      last = loudest;
      if (player) player.play(loudest);
      var off = !!loudest && !enabled();
      button.classList.toggle('needed', off);
      button.textContent = off ? 'ALARM SOUND IS OFF — click to turn it on' : (enabled() ? 'Alarm sound is on' : 'Turn alarm sound on');
    };
  }

  setInterval(check, 1000);
  connect();
  check();
  window.VigilLive = {
    on: function (f) { listeners.push(f); if (state) f(state); },
    get state() { return state; },
    get lastMessage() { return lastMessage; },
    /// Nothing from the room for 5 s (or never, 5 s after the page opened).
    get isStale() { return Date.now() - (lastMessage || loadedAt) > STALE_AFTER_MS; },
    command: command, showError: showError, clock: clock, ribbon: ribbon, alarmSound: alarmSound, alarmName: alarmName
  };
})();
