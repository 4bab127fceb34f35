// The nurse's live view: fills the page from VigilLive's messages and sounds the loudest
// alarm that still sounds (unacknowledged and not paused) through VigilAlarmSound.
(function () {
  'use strict';
  var live = window.VigilLive;
  var sound = live.alarmSound('Watch the room\'s own monitor.');
  var TREND_MS = 600000;
  var trend = { spo2: [], pulse_rate: [] };
  var latest = {};
  var lastState = null;
  var UNITS = { spo2: '%', pulse_rate: '/min', perfusion_index: '%', systolic: 'mmHg', diastolic: 'mmHg', mean_arterial: 'mmHg' };

  function el(id) { return document.getElementById(id); }
  function fmt(v) { return v === null || v === undefined ? '–' : String(Math.round(v)); }
  function age(seconds) {
    if (seconds === null || seconds === undefined) return '';
    if (seconds < 90) return Math.round(seconds) + ' s ago';
    return Math.round(seconds / 60) + ' min ago';
  }

  function vital(id, reading, now) {
    var box = el(id);
    box.querySelector('.value').textContent = reading ? fmt(reading.value) : '–';
    var seconds = reading ? Math.max(0, now - reading.time) : null;
    // A value the oximeter gives with a weak signal: shown, but marked, as the engine weighs it.
    var poor = !!reading && reading.quality === 'poor_signal' && reading.value !== null;
    box.querySelector('.age').textContent = reading && reading.value === null ? reading.quality.replace(/_/g, ' ')
      : (poor ? 'poor signal · ' : '') + age(seconds);
    box.classList.toggle('old', !reading || reading.value === null || seconds > 15);
    box.classList.toggle('poor', poor);
  }

  function bp(s, now) {
    var sys = latest.systolic, dia = latest.diastolic, map = latest.mean_arterial;
    var box = el('v-bp');
    box.querySelector('.value').textContent = sys ? fmt(sys.value) + '/' + fmt(dia && dia.value) : '–';
    var seconds = sys ? Math.max(0, now - sys.time) : null;
    box.querySelector('.age').textContent = sys ? 'taken ' + age(seconds) : 'not taken yet';
    box.classList.toggle('old', !sys || seconds > 20 * 60);
    el('bp-map').textContent = map && map.value !== null ? 'MAP ' + fmt(map.value) + (map.quality === 'derived' ? ' (derived)' : '') : '';
  }

  function spark(id, points, now, lo, hi) {
    var line = el(id).querySelector('polyline');
    var out = [];
    points.forEach(function (p) {
      if (p[1] === null) return;
      var x = 600 - (now - p[0]) * 1000 / TREND_MS * 600;
      var y = 58 - (Math.min(hi, Math.max(lo, p[1])) - lo) / (hi - lo) * 56;
      out.push(x.toFixed(1) + ',' + y.toFixed(1));
    });
    line.setAttribute('points', out.join(' '));
  }

  var ORDER = { high: 0, medium: 1, low: 2 };
  var rows = {};
  function two(n) { return (n < 10 ? '0' : '') + n; }
  /// A 24-hour local time, `14:05:09` (or `14:05` without seconds), whatever the browser's locale.
  function time24(seconds, withSeconds) {
    var d = new Date(seconds * 1000);
    return two(d.getHours()) + ':' + two(d.getMinutes()) + (withSeconds === false ? '' : ':' + two(d.getSeconds()));
  }

  /// One row per alarm id, kept across updates: its buttons stay under the nurse's finger and
  /// keep focus while the state refreshes every second.
  function row(a) {
    var r = rows[a.id];
    if (!r) {
      r = { el: document.createElement('div'), what: document.createElement('div'), detail: document.createElement('div'), buttons: {} };
      r.el.dataset.alarm = a.id;
      r.what.className = 'what';
      r.detail.className = 'detail';
      var actions = document.createElement('div');
      actions.className = 'actions';
      [['ack', 'Acknowledge'], ['pause', 'Pause sound']].forEach(function (b) {
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = b[1];
        button.className = b[0];
        button.addEventListener('click', function () {
          button.disabled = true;
          live.command('alarms/' + encodeURIComponent(a.id) + '/' + b[0]).then(function (reply) {
            live.showError(reply.ok ? '' : (reply.body.error || 'refused (' + reply.status + ')'));
            if (!reply.ok) button.disabled = false;
          });
        });
        actions.appendChild(button);
        r.buttons[b[0]] = button;
      });
      r.el.appendChild(r.what);
      r.el.appendChild(actions);
      r.el.appendChild(r.detail);
      rows[a.id] = r;
    }
    r.el.className = 'alarm ' + a.priority + (a.sounding ? ' sounding' : '') + (a.acknowledged_by ? ' acknowledged' : ' unacknowledged');
    r.el.dataset.condition = a.condition;
    var value = a.value !== null && a.value !== undefined ? ' ' + fmt(a.value) + (a.vital ? ' ' + (UNITS[a.vital] || '') : '') : '';
    r.what.textContent = a.priority.toUpperCase() + ' · ' + live.alarmName(a.condition) + value;
    var bits = ['since ' + time24(a.raised_at)];
    if (a.limit !== null && a.limit !== undefined) bits.push('limit ' + fmt(a.limit));
    if (a.worst !== null && a.worst !== undefined && a.value !== null && a.value !== undefined) bits.push('worst ' + fmt(a.worst));
    if (a.device) bits.push(a.device);
    if (a.acknowledged_by) bits.push('acknowledged by ' + a.acknowledged_by + (a.condition_present ? '' : ' — condition has passed'));
    else if (!a.condition_present) bits.push('condition has passed: acknowledge to clear');
    if (a.audio_paused) bits.push('sound paused');
    r.detail.textContent = bits.join(' · ');
    r.buttons.ack.disabled = !!a.acknowledged_by;
    r.buttons.pause.disabled = a.audio_paused || !!a.acknowledged_by;
    return r.el;
  }

  function alarms(list) {
    var box = el('alarms');
    var none = box.querySelector('.none');
    list = list.slice().sort(function (a, b) { return ORDER[a.priority] - ORDER[b.priority] || a.raised_at - b.raised_at; });
    var ids = {};
    list.forEach(function (a) { ids[a.id] = true; });
    Object.keys(rows).forEach(function (id) {
      if (!ids[id]) { rows[id].el.remove(); delete rows[id]; }
    });
    list.forEach(function (a, i) {
      var node = row(a);
      if (box.children[i] !== node) box.insertBefore(node, box.children[i] || null);
    });
    if (!list.length && !none) box.innerHTML = '<p class="none">No active alarms</p>';
    if (list.length && none) none.remove();
    // Each vital's card takes the colour of the loudest alarm about it.
    var cards = { spo2: 'v-spo2', pulse_rate: 'v-pulse', systolic: 'v-bp', diastolic: 'v-bp', mean_arterial: 'v-bp', perfusion_index: 'v-pi' };
    var loudest = {};
    list.forEach(function (a) {
      var card = cards[a.vital];
      if (card && a.kind === 'physiological' && (!loudest[card] || ORDER[a.priority] < ORDER[loudest[card]])) loudest[card] = a.priority;
    });
    ['v-spo2', 'v-pulse', 'v-bp', 'v-pi'].forEach(function (card) {
      ['high', 'medium', 'low'].forEach(function (p) { el(card).classList.toggle('in-alarm-' + p, loudest[card] === p); });
    });
  }

  function render(now) {
    var s = lastState;
    if (!s) return;
    vital('v-spo2', latest.spo2, now);
    vital('v-pulse', latest.pulse_rate, now);
    vital('v-pi', latest.perfusion_index, now);
    bp(s, now);
    spark('v-spo2', trend.spo2, now, 70, 100);
    spark('v-pulse', trend.pulse_rate, now, 40, 160);
  }

  var sessionID;
  function onState(s) {
    // A new session is a new patient: nothing of the last one's numbers stays on the screen.
    if (s.session.id !== sessionID) {
      if (sessionID !== undefined) { latest = {}; trend = { spo2: [], pulse_rate: [] }; }
      sessionID = s.session.id;
    }
    lastState = s;
    Object.keys(s.vitals).forEach(function (k) { latest[k] = s.vitals[k]; });
    if (s.trend) Object.keys(s.trend).forEach(function (k) { trend[k] = s.trend[k]; });
    var session = s.session;
    var phase = session.phase.charAt(0).toUpperCase() + session.phase.slice(1);
    el('phase').textContent = session.status === 'running' ? phase : (session.status === 'ended' ? 'Session ended' : 'No session');
    el('since-dose').textContent = session.status !== 'running' ? 'Watching between sessions'
      : session.since_dose_s !== null ? live.clock(session.since_dose_s) + ' since the dose' : 'before the dose · ' + live.clock(session.elapsed_s) + ' since start';
    live.ribbon(session.status === 'running' ? session.phase : '');
    if (s.bp_due) {
      el('bp-due').textContent = s.bp_due.in_s > 0 ? 'In ' + live.clock(s.bp_due.in_s) + ' (' + time24(s.bp_due.at, false) + ')' : 'Due now';
      el('bp-due-reason').textContent = s.bp_due.reason;
    } else if (session.status === 'running' && session.dose_at === null) {
      // Before the dose the check that matters is the baseline BP the dose waits for.
      var sys = s.vitals.systolic;
      var taken = sys && sys.value !== null && sys.time >= session.started_at;
      el('bp-due').textContent = taken ? 'Baseline taken' : 'Due now';
      el('bp-due-reason').textContent = taken ? 'the schedule starts at the dose' : 'the BP before the dose';
    } else {
      el('bp-due').textContent = '–';
      el('bp-due-reason').textContent = '';
    }
    alarms(s.alarms);
    // Past a limit, but seen only with a poor signal: not an alarm yet, worth a look now.
    var q = (s.questionable || []).map(function (r) { return live.alarmName(r.condition) + '?'; });
    el('questionable').hidden = q.length === 0;
    el('questionable').textContent = q.length ? q.join(', ') + ' — the oximeter reports a poor signal; the alarm waits for a good one. Check the probe and the patient.' : '';
    var loudest = null;
    s.alarms.forEach(function (a) {
      if (!a.sounding) return;
      if (!loudest || ORDER[a.priority] < ORDER[loudest]) loudest = a.priority;
    });
    sound(loudest);
    document.title = (loudest ? '⚠ ' + loudest.toUpperCase() + ' · ' : '') + 'Nurse · Vigil';
    draw(s.time);
  }

  /// Draws at most once a frame: at 120× the demo sends hundreds of readings a second.
  var pending = null;
  function draw(now) {
    if (pending === null) requestAnimationFrame(function () { var t = pending; pending = null; render(t); });
    pending = now;
  }

  live.on(function (m) {
    if (m.type === 'state') return onState(m);
    if (m.type !== 'reading') return;
    latest[m.vital] = { value: m.value, quality: m.quality, time: m.time };
    if (trend[m.vital]) {
      trend[m.vital].push([m.time, m.value]);
      while (trend[m.vital].length && m.time - trend[m.vital][0][0] > TREND_MS / 1000) trend[m.vital].shift();
    }
    draw(m.time);
  });

})();
