// The clinic's station: one tile per room from the board on /live, and one alarm sound for the
// loudest alarm of any room (the station's own about a room it cannot see included). A tile's
// acknowledgement changes nothing here by itself: the tile changes when the room confirms it.
(function () {
  'use strict';
  var live = window.VigilLive;
  var sound = live.alarmSound('Watch each room\'s own monitor.');
  var ORDER = { high: 0, medium: 1, low: 2 };
  var tiles = {};
  var manySites = false;  // a group's station: a room is named with its site
  function label(room) { return manySites ? room.site + '/' + room.room : room.room; }

  function el(id) { return document.getElementById(id); }
  function fmt(v) { return v === null || v === undefined ? '–' : String(Math.round(v)); }
  function seconds(iso) { return iso ? Date.parse(iso) / 1000 : null; }
  function age(s) {
    if (s === null) return '';
    s = Math.max(0, s);  // a room whose clock runs ahead of the station's (a demo) is not in the future
    return s < 90 ? Math.round(s) + ' s ago' : Math.round(s / 60) + ' min ago';
  }
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
    t.name.textContent = label(room);
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

  /// A vital's number: in its alarm's colour while an alarm about it stands, greyed with its age when old.
  function number(box, label, reading, unit, now, alarm) {
    box.innerHTML = '';
    var head = make('span', 'tv-label', box);
    head.textContent = label;
    var line = make('span', 'tv-line', box);
    make('span', 'tv-value', line).textContent = reading ? fmt(reading.value) : '–';
    make('span', 'tv-unit', line).textContent = unit;
    var seconds = reading ? now - Date.parse(reading.time) / 1000 : null;
    var old = !reading || seconds > 15;
    if (reading && old) make('span', 'tv-age', box).textContent = age(seconds);
    box.classList.toggle('old', old);
    box.classList.toggle('poor', !!reading && reading.quality === 'poor_signal');
    box.classList.remove('in-alarm', 'high', 'medium', 'low');
    if (alarm) box.classList.add('in-alarm', alarm);
  }

  /// The highest priority of the alarms standing about one vital, if any.
  function alarmOn(room, vital) {
    var best = null;
    room.alarms.forEach(function (a) {
      if (a.vital === vital && (!best || ORDER[a.priority] < ORDER[best])) best = a.priority;
    });
    return best;
  }

  /// Alarming rooms first (the loudest sounding, then the highest standing), then by name.
  function rank(room) {
    if (room.loudest) return ORDER[room.loudest];
    if (room.highest) return 3 + ORDER[room.highest];
    return 6;
  }

  function alarmLine(t, room, a, own) {
    var id = own ? 'station:' + t.key : a.id;
    var line = make('div', 'alarm ' + a.priority + (a.sounding ? ' unacknowledged' : ' acknowledged') + (a.escalated ? ' escalated' : ''));
    line.dataset.alarm = id;
    var what = make('div', 'what', line);
    var value = a.value !== null && a.value !== undefined ? ' ' + fmt(a.value) : '';
    what.textContent = (a.escalated ? 'ESCALATED · ' : '') + a.priority.toUpperCase() + ' · ' + live.alarmName(a.condition) + value;
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
          live.showError(reply.ok ? '' : label(room) + ': ' + (reply.body.error || 'refused (' + reply.status + ')'));
          if (!reply.ok) button.disabled = false;
        });
      });
    });
    return line;
  }

  function draw(t, room, board) {
    var now = seconds(board.time);
    var v = room.vitals || {};
    number(t.spo2, 'SpO₂', v.spo2, '%', now, alarmOn(room, 'spo2'));
    number(t.pulse, 'Pulse', v.pulse_rate, '/min', now, alarmOn(room, 'pulse_rate'));
    t.bp.innerHTML = '';
    make('span', 'tv-label', t.bp).textContent = 'BP';
    var bpAlarm = alarmOn(room, 'systolic') || alarmOn(room, 'diastolic') || alarmOn(room, 'mean_arterial');
    t.bp.classList.remove('in-alarm', 'high', 'medium', 'low');
    if (bpAlarm) t.bp.classList.add('in-alarm', bpAlarm);
    if (v.systolic) {
      var line = make('span', 'tv-line', t.bp);
      make('span', 'tv-value', line).textContent = fmt(v.systolic.value) + (v.diastolic ? '/' + fmt(v.diastolic.value) : '');
      make('span', 'tv-age', t.bp).textContent = age(now - seconds(v.systolic.time));
    } else {
      make('span', 'tv-none', t.bp).textContent = 'not taken';
    }
    var s = room.session;
    if (s && s.state === 'running') {
      var dose = seconds(s.dose_at);
      var phase = s.phase.replace(/_/g, ' ');
      t.session.textContent = phase.charAt(0).toUpperCase() + phase.slice(1) + ' · ' + (dose ? '+' + live.clock(now - dose) + ' since dose' : 'no dose yet');
    } else {
      t.session.textContent = s && s.state === 'ended' ? 'Session ended' : 'No session';
    }
    var links = { ok: 'online', offline: 'OFFLINE', silent: 'SILENT', station_disconnected: 'station disconnected' };
    t.link.textContent = links[room.link] || room.link;
    // The border is the highest alarm standing; it flashes while one still sounds.
    t.el.className = 'tile link-' + room.link + (room.highest ? ' ' + room.highest : '') + (room.loudest ? ' sounding' : '')
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

  /// One line over the tiles: which rooms need someone now, so a phone's first screen says it.
  function summary(rooms, board) {
    var box = el('summary');
    var calling = rooms.filter(function (r) { return r.loudest; });
    box.classList.remove('high', 'medium', 'low');
    if (!board.broker_connected) {
      box.classList.add('high');
      box.textContent = 'Station disconnected — no room can be seen from here';
      return;
    }
    if (!calling.length) {
      box.textContent = rooms.length ? 'No alarm sounding in ' + rooms.length + ' room' + (rooms.length === 1 ? '' : 's') : '';
      return;
    }
    box.classList.add(calling[0].loudest);
    box.textContent = calling.map(function (r) {
      var why = r.station_alarm && !r.station_alarm.acknowledged_by ? ' (' + (r.link === 'offline' ? 'offline' : 'silent') + ')' : '';
      return label(r) + ' ' + r.loudest.toUpperCase() + why;
    }).join(' · ');
  }

  live.on(function (board) {
    if (board.type !== 'board') return;
    var box = el('tiles');
    var none = box.querySelector('.none');
    if (none) none.hidden = board.rooms.length > 0;
    var seen = {};
    manySites = board.rooms.some(function (r) { return r.site !== board.rooms[0].site; });
    var rooms = board.rooms.slice().sort(function (a, b) { return rank(a) - rank(b) || (a.site + a.room < b.site + b.room ? -1 : 1); });
    summary(rooms, board);
    rooms.forEach(function (room) {
      var t = tile(room);
      seen[t.key] = true;
      draw(t, room, board);
      box.appendChild(t.el);  // in the board's order
    });
    Object.keys(tiles).forEach(function (k) { if (!seen[k]) { tiles[k].el.remove(); delete tiles[k]; } });
    var banner = el('disconnected');
    banner.textContent = board.broker_connected ? '' : 'STATION DISCONNECTED — the station has lost the clinic\'s broker: no room\'s alarm reaches this screen. Go to the rooms.';
    banner.classList.toggle('show', !board.broker_connected);
    sound(board.loudest);
    document.title = (board.loudest ? '⚠ ' + board.loudest.toUpperCase() + ' · ' : '') + 'Station · Vigil';
  });

})();
