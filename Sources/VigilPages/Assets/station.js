// The clinic's station: one tile per room from the board on /live, and one alarm sound for the
// loudest alarm of any room (the station's own about a room it cannot see included). A tile's
// acknowledgement changes nothing here by itself: the tile changes when the room confirms it.
(function () {
  'use strict';
  var live = window.VigilLive;
  var ORDER = { high: 0, medium: 1, low: 2 };
  var NAMES = {
    spo2_low: 'SpO₂ low', spo2_falling: 'SpO₂ falling', pulse_rate_low: 'Pulse low', pulse_rate_high: 'Pulse high',
    systolic_high: 'Systolic high', systolic_low: 'Systolic low', diastolic_high: 'Diastolic high', diastolic_low: 'Diastolic low',
    mean_arterial_low: 'MAP low', no_data: 'No data from a device', sensor_off: 'Sensor off / lost signal',
    device_disconnected: 'Device disconnected', implausible_value: 'Implausible value', nibp_due: 'BP check due',
    nibp_overdue: 'BP check overdue', nibp_repeat: 'Repeat BP to confirm', nibp_failed: 'BP measurement failed',
    nibp_before_dose_missing: 'No BP before the dose', storage_failed: 'Database not writing', check_probe: 'Check the SpO₂ probe',
    room_offline: 'ROOM OFFLINE — its Vigil is not on the network', room_silent: 'ROOM SILENT — nothing heard from its Vigil'
  };
  var tiles = {};
  var lastLoudest = null;

  function el(id) { return document.getElementById(id); }
  function fmt(v) { return v === null || v === undefined ? '–' : String(Math.round(v)); }
  function seconds(iso) { return iso ? Date.parse(iso) / 1000 : null; }
  function age(s) { return s === null ? '' : (s < 90 ? Math.round(s) + ' s ago' : Math.round(s / 60) + ' min ago'); }
  function make(tag, cls, parent) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (parent) parent.appendChild(n);
    return n;
  }

  /// One tile per room, kept across updates so that a button stays under the nurse's finger.
  function tile(room) {
    var key = room.site + '/' + room.room;
    var t = tiles[key];
    if (t) return t;
    t = { key: key, el: make('article', 'tile'), buttons: {} };
    t.el.dataset.room = key;
    var head = make('header', 'tile-head', t.el);
    t.name = make('h2', 'tile-name', head);
    t.name.textContent = room.room;
    t.link = make('span', 'tile-link', head);
    var vitals = make('div', 'tile-vitals', t.el);
    t.spo2 = make('div', 'tv spo2', vitals);
    t.pulse = make('div', 'tv pulse', vitals);
    t.bp = make('div', 'tv bp', vitals);
    t.session = make('div', 'tile-session', t.el);
    t.alarms = make('div', 'tile-alarms', t.el);
    tiles[key] = t;
    return t;
  }

  function number(box, label, reading, unit, now) {
    box.innerHTML = '';
    make('span', 'tv-label', box).textContent = label;
    var v = make('span', 'tv-value', box);
    v.textContent = reading ? fmt(reading.value) : '–';
    make('span', 'tv-unit', box).textContent = unit;
    var old = !reading || now - seconds(reading.time) > 15;
    box.classList.toggle('old', old);
    box.classList.toggle('poor', !!reading && reading.quality === 'poor_signal');
  }

  function alarmLine(t, room, a, own) {
    var id = own ? 'station:' + t.key : a.id;
    var line = make('div', 'alarm ' + a.priority + (a.sounding ? ' unacknowledged' : ' acknowledged') + (a.escalated ? ' escalated' : ''));
    line.dataset.alarm = id;
    var what = make('div', 'what', line);
    var value = a.value !== null && a.value !== undefined ? ' ' + fmt(a.value) : '';
    what.textContent = (a.escalated ? 'ESCALATED · ' : '') + a.priority.toUpperCase() + ' · ' + (NAMES[a.condition] || a.condition.replace(/_/g, ' ')) + value;
    var bits = ['since ' + new Date(a.raised_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false })];
    if (a.limit !== null && a.limit !== undefined) bits.push('limit ' + fmt(a.limit));
    if (a.acknowledged_by) bits.push('acknowledged by ' + a.acknowledged_by);
    if (a.audio_paused) bits.push('sound paused');
    make('div', 'detail', line).textContent = bits.join(' · ');
    var actions = make('div', 'actions', line);
    var verbs = own ? [['ack', 'Acknowledge']] : [['ack', 'Acknowledge'], ['pause', 'Pause sound']];
    verbs.forEach(function (v) {
      var button = make('button', v[0], actions);
      button.type = 'button';
      button.textContent = v[1];
      var pending = t.buttons[id + '/' + v[0]];
      button.disabled = !!a.acknowledged_by || (v[0] === 'pause' && a.audio_paused) || !!pending;
      button.addEventListener('click', function () {
        t.buttons[id + '/' + v[0]] = true;
        button.disabled = true;
        var path = 'rooms/' + encodeURIComponent(room.site) + '/' + encodeURIComponent(room.room) + '/'
          + (own ? 'station-alarm/ack' : 'alarms/' + encodeURIComponent(a.id) + '/' + v[0]);
        live.command(path).then(function (reply) {
          delete t.buttons[id + '/' + v[0]];
          live.showError(reply.ok ? '' : room.room + ': ' + (reply.body.error || 'refused (' + reply.status + ')'));
          if (!reply.ok) button.disabled = false;
        });
      });
    });
    return line;
  }

  function draw(t, room, board) {
    var now = seconds(board.time);
    var v = room.vitals || {};
    number(t.spo2, 'SpO₂', v.spo2, '%', now);
    number(t.pulse, 'Pulse', v.pulse_rate, '/min', now);
    t.bp.innerHTML = '';
    make('span', 'tv-label', t.bp).textContent = 'BP';
    make('span', 'tv-value', t.bp).textContent = v.systolic ? fmt(v.systolic.value) + (v.diastolic ? '/' + fmt(v.diastolic.value) : '') : '–';
    make('span', 'tv-age', t.bp).textContent = v.systolic ? age(now - seconds(v.systolic.time)) : 'not taken';
    var s = room.session;
    if (s && s.state === 'running') {
      var dose = seconds(s.dose_at);
      t.session.textContent = s.phase.replace(/_/g, ' ') + ' · ' + (dose ? '+' + live.clock(now - dose) + ' since dose' : 'no dose yet');
    } else {
      t.session.textContent = s && s.state === 'ended' ? 'Session ended' : 'No session';
    }
    var links = { ok: 'online', offline: 'OFFLINE', silent: 'SILENT', station_disconnected: 'station disconnected' };
    t.link.textContent = links[room.link] || room.link;
    t.el.className = 'tile link-' + room.link + (room.loudest ? ' ' + room.loudest : '')
      + (room.alarms.some(function (a) { return a.escalated; }) ? ' escalated' : '');
    t.alarms.innerHTML = '';
    if (room.station_alarm) {
      var o = room.station_alarm;
      t.alarms.appendChild(alarmLine(t, room, { priority: o.priority, condition: o.reason, raised_at: o.raised_at,
        acknowledged_by: o.acknowledged_by, sounding: !o.acknowledged_by }, true));
    }
    room.alarms.slice().sort(function (a, b) { return ORDER[a.priority] - ORDER[b.priority]; }).forEach(function (a) {
      t.alarms.appendChild(alarmLine(t, room, a, false));
    });
  }

  live.on(function (board) {
    if (board.type !== 'board') return;
    var box = el('tiles');
    var none = box.querySelector('.none');
    if (none) none.hidden = board.rooms.length > 0;
    var seen = {};
    board.rooms.forEach(function (room) {
      var t = tile(room);
      seen[t.key] = true;
      draw(t, room, board);
      box.appendChild(t.el);  // in the board's order
    });
    Object.keys(tiles).forEach(function (k) { if (!seen[k]) { tiles[k].el.remove(); delete tiles[k]; } });
    var banner = el('disconnected');
    banner.textContent = board.broker_connected ? '' : 'STATION DISCONNECTED — the station has lost the clinic\'s broker: no room\'s alarm reaches this screen. Go to the rooms.';
    banner.classList.toggle('show', !board.broker_connected);
    lastLoudest = board.loudest;
    if (window.VigilAlarmSound) window.VigilAlarmSound.play(board.loudest);
    var soundOff = !!board.loudest && !(window.VigilAlarmSound && window.VigilAlarmSound.enabled);
    el('sound').classList.toggle('needed', soundOff);
    el('sound').textContent = soundOff ? 'ALARM SOUND IS OFF — click to turn it on'
      : (window.VigilAlarmSound && window.VigilAlarmSound.enabled ? 'Alarm sound is on' : 'Turn alarm sound on');
    document.title = (board.loudest ? '⚠ ' + board.loudest.toUpperCase() + ' · ' : '') + 'Station · Vigil';
  });

  // A screen that lost the station must not stay silent (as the nurse's page does for its room).
  setInterval(function () {
    if (live.isStale && window.VigilAlarmSound && window.VigilAlarmSound.enabled) {
      window.VigilAlarmSound.play(lastLoudest === 'high' ? 'high' : 'medium');
    }
  }, 1000);

  var sound = el('sound');
  sound.addEventListener('click', function () {
    if (!window.VigilAlarmSound) return;
    window.VigilAlarmSound.enable().then(function (on) {
      sound.classList.toggle('on', on);
      sound.textContent = on ? 'Alarm sound is on' : 'Sound unavailable in this browser';
      el('sound-note').textContent = on ? 'Acknowledge or pause an alarm to silence it here.' : 'Watch each room\'s own monitor.';
    });
  });
})();
