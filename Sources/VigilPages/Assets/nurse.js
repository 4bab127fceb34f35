// The nurse's live view: fills the page from VigilLive's messages and sounds the loudest
// alarm that still sounds (unacknowledged and not paused) through VigilAlarmSound.
(function () {
  'use strict';
  var live = window.VigilLive;
  var TREND_MS = 600000;
  var trend = { spo2: [], pulse_rate: [] };
  var latest = {};
  var lastState = null;
  var NAMES = {
    spo2_low: 'SpO₂ low', spo2_falling: 'SpO₂ falling', pulse_rate_low: 'Pulse low', pulse_rate_high: 'Pulse high',
    systolic_high: 'Systolic high', systolic_low: 'Systolic low', diastolic_high: 'Diastolic high', diastolic_low: 'Diastolic low',
    mean_arterial_low: 'MAP low', no_data: 'No data from a device', sensor_off: 'Sensor off / lost signal',
    device_disconnected: 'Device disconnected', implausible_value: 'Implausible value', nibp_due: 'BP check due',
    nibp_overdue: 'BP check overdue', nibp_repeat: 'Repeat BP to confirm', nibp_failed: 'BP measurement failed',
    nibp_before_dose_missing: 'No BP before the dose', storage_failed: 'Database not writing'
  };
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
    box.querySelector('.age').textContent = reading && reading.value === null ? reading.quality.replace('_', ' ') : age(seconds);
    box.classList.toggle('old', !reading || reading.value === null || seconds > 15);
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

  function alarms(list) {
    var box = el('alarms');
    if (!list.length) { box.innerHTML = '<p class="none">No active alarms</p>'; return; }
    var order = { high: 0, medium: 1, low: 2 };
    list = list.slice().sort(function (a, b) { return order[a.priority] - order[b.priority] || a.raised_at - b.raised_at; });
    box.textContent = '';
    list.forEach(function (a) {
      var row = document.createElement('div');
      row.className = 'alarm ' + a.priority + (a.sounding ? ' sounding' : '') + (a.acknowledged_by ? ' acknowledged' : '');
      row.dataset.alarm = a.id;
      row.dataset.condition = a.condition;
      var what = document.createElement('div');
      what.className = 'what';
      var value = a.value !== null && a.value !== undefined ? ' ' + fmt(a.value) + (a.vital ? ' ' + (UNITS[a.vital] || '') : '') : '';
      what.textContent = a.priority.toUpperCase() + ' · ' + (NAMES[a.condition] || a.condition.replace(/_/g, ' ')) + value;
      var detail = document.createElement('div');
      detail.className = 'detail';
      var bits = ['since ' + new Date(a.raised_at * 1000).toLocaleTimeString()];
      if (a.limit !== null && a.limit !== undefined) bits.push('limit ' + fmt(a.limit));
      if (a.worst !== null && a.worst !== undefined && a.worst !== a.value) bits.push('worst ' + fmt(a.worst));
      if (a.device) bits.push(a.device);
      if (a.acknowledged_by) bits.push('acknowledged by ' + a.acknowledged_by + (a.condition_present ? '' : ' — condition has passed'));
      else if (!a.condition_present) bits.push('condition has passed: acknowledge to clear');
      if (a.audio_paused) bits.push('sound paused');
      detail.textContent = bits.join(' · ');
      var actions = document.createElement('div');
      actions.className = 'actions';
      [['ack', 'Acknowledge', !!a.acknowledged_by], ['pause', 'Pause sound', a.audio_paused || !!a.acknowledged_by]].forEach(function (b) {
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = b[1];
        button.className = b[0];
        button.disabled = b[2];
        button.addEventListener('click', function () {
          button.disabled = true;
          live.command('alarms/' + encodeURIComponent(a.id) + '/' + b[0]).then(function (r) {
            live.showError(r.ok ? '' : (r.body.error || 'refused (' + r.status + ')'));
            if (!r.ok) button.disabled = false;
          });
        });
        actions.appendChild(button);
      });
      row.appendChild(what);
      row.appendChild(actions);
      row.appendChild(detail);
      box.appendChild(row);
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

  function onState(s) {
    lastState = s;
    Object.keys(s.vitals).forEach(function (k) { latest[k] = s.vitals[k]; });
    if (s.trend) Object.keys(s.trend).forEach(function (k) { trend[k] = s.trend[k]; });
    var session = s.session;
    el('phase').textContent = session.status === 'running' ? session.phase : (session.status === 'ended' ? 'session ended' : 'no session');
    el('since-dose').textContent = session.status !== 'running' ? 'Watching between sessions'
      : session.since_dose_s !== null ? live.clock(session.since_dose_s) + ' since the dose' : 'before the dose · ' + live.clock(session.elapsed_s) + ' since start';
    live.ribbon(session.status === 'running' ? session.phase : '');
    if (s.bp_due) {
      el('bp-due').textContent = s.bp_due.in_s > 0 ? 'in ' + live.clock(s.bp_due.in_s) : 'due now';
      el('bp-due-reason').textContent = s.bp_due.reason;
    } else {
      el('bp-due').textContent = '–';
      el('bp-due-reason').textContent = session.status === 'running' ? 'after the dose' : '';
    }
    alarms(s.alarms);
    var loudest = null;
    s.alarms.forEach(function (a) {
      if (!a.sounding) return;
      if (!loudest || { high: 0, medium: 1, low: 2 }[a.priority] < { high: 0, medium: 1, low: 2 }[loudest]) loudest = a.priority;
    });
    if (window.VigilAlarmSound) window.VigilAlarmSound.play(loudest);
    document.title = (loudest ? '⚠ ' + loudest.toUpperCase() + ' · ' : '') + 'Nurse · Vigil';
    render(s.time);
  }

  live.on(function (m) {
    if (m.type === 'state') return onState(m);
    if (m.type !== 'reading') return;
    latest[m.vital] = { value: m.value, quality: m.quality, time: m.time };
    if (trend[m.vital]) {
      trend[m.vital].push([m.time, m.value]);
      while (trend[m.vital].length && m.time - trend[m.vital][0][0] > TREND_MS / 1000) trend[m.vital].shift();
    }
    render(m.time);
  });

  var sound = el('sound');
  sound.addEventListener('click', function () {
    if (!window.VigilAlarmSound) return;
    window.VigilAlarmSound.enable().then(function (on) {
      sound.classList.toggle('on', on);
      sound.textContent = on ? 'Alarm sound is on' : 'Sound unavailable in this browser';
      el('sound-note').textContent = on ? 'Acknowledge or pause an alarm to silence it here.' : 'Watch the room\'s own monitor.';
    });
  });
})();
