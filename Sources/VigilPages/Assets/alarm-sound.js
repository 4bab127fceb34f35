/* Vigil alarm sound: the audible alarm signal of the nurse's page, made with Web Audio.
 *
 * Patterns follow IEC 60601-1-8 (Tables 3 and 4). td is the pulse duration; x is the gap from
 * the end of one pulse to the start of the next; the interburst gap runs from the end of a burst
 * to the start of the next one (both gaps are the standard's "off" times).
 *   high:   10 pulses, 3 + 2, pause, 3 + 2. td 100 ms (75-200), x 100 ms (50-125), 2x+td inside
 *           each half, a 400 ms pause between the halves (0.35-1.30 s). The burst takes 2.6 s and
 *           starts every 5.2 s: a 2.6 s gap (2.5-15 s).
 *   medium: 3 pulses, td 200 ms (125-250), x 200 ms (125-250). The burst takes 1 s and starts
 *           every 4 s: a 3 s gap (2.5-30 s).
 *   low:    1 pulse, td 200 ms, every 30 s (the standard allows > 15 s or no repeat), quieter.
 * clinical.md asks for high and medium every 2.5-4 s; a 10-pulse burst alone lasts 2.6 s, so for
 * high that can only be the gap. Every pulse has a fundamental of 523 / 440 / 330 Hz (150-1000)
 * and harmonics 2-6 in 300-4000 Hz, each within 15 dB of the fundamental (one PeriodicWave).
 * Rise and fall are 15 % of td (10-20 %), linear gain ramps, so there are no clicks.
 *
 * Timing uses the AudioContext clock: a 200 ms timer schedules bursts a little ahead, so a busy
 * page does not bend the rhythm. A hidden tab keeps sounding (a nurse may switch tabs): it
 * schedules about a minute ahead, because browsers throttle the timers of hidden tabs.
 * Browsers block sound until a user gesture: enable() must be called from a click.
 * Before enable(), play() only records the priority; it starts sounding once enabled.
 */
(function () {
  'use strict';

  var RISE = 0.15;            // rise and fall, as a fraction of the pulse duration
  var AHEAD = 1.0;            // seconds scheduled ahead while the tab is visible
  var AHEAD_HIDDEN = 65;      // ... and while it is hidden (timers may run once a minute)
  var TICK_MS = 200;
  var RANK = { high: 3, medium: 2, low: 1 };

  function half(t0, td, x) { // 3 + 2 pulses: x, x, 2x + td, x
    var p = td + x;
    return [[t0, td], [t0 + p, td], [t0 + 2 * p, td], [t0 + 3 * p + x + td, td], [t0 + 4 * p + x + td, td]];
  }
  var highHalf = half(0, 0.1, 0.1); // ends at 1.1 s
  var patterns = {
    high:   { pulses: highHalf.concat(half(1.1 + 0.4, 0.1, 0.1)), repeat: 5.2, freq: 523.25, level: 1.0 },
    medium: { pulses: [[0, 0.2], [0.4, 0.2], [0.8, 0.2]], repeat: 4.0, freq: 440, level: 0.8 },
    low:    { pulses: [[0, 0.2]], repeat: 30, freq: 329.63, level: 0.4 }
  };
  Object.keys(patterns).forEach(function (k) {
    patterns[k].pulses = patterns[k].pulses.map(function (p) { // round away float noise
      return Object.freeze([Math.round(p[0] * 1000) / 1000, p[1]]);
    });
    Object.freeze(patterns[k].pulses); Object.freeze(patterns[k]);
  });
  Object.freeze(patterns);

  var ctx = null, master = null, wave = null, timer = null;
  var current = null;  // the priority asked for by the page
  var nextAt = 0;      // AudioContext time of the next burst not yet scheduled
  var bursts = [];     // scheduled bursts: {start, end, nodes: [{osc, gain}]}

  function hidden() { return typeof document !== 'undefined' && document.hidden === true; }
  function running() { return !!ctx && ctx.state === 'running'; }

  function wake() { // resume a suspended (or, on Safari, interrupted) context
    if (ctx && ctx.state !== 'running' && ctx.state !== 'closed') {
      try { Promise.resolve(ctx.resume()).catch(function () {}); } catch (e) { /* no gesture yet */ }
    }
  }

  function periodicWave() { // harmonics 1-6: 0, -3, -6, -8, -10, -12 dB
    if (!wave && typeof ctx.createPeriodicWave === 'function') {
      var amps = [0, 1, 0.7, 0.5, 0.4, 0.32, 0.25];
      wave = ctx.createPeriodicWave(new Float32Array(amps.length), new Float32Array(amps));
    }
    return wave;
  }

  function tone(freq, t, d, level, withHarmonics) {
    var osc = ctx.createOscillator(), gain = ctx.createGain(), r = d * RISE;
    var w = withHarmonics ? periodicWave() : null;
    if (w) osc.setPeriodicWave(w); else osc.type = withHarmonics ? 'sawtooth' : 'sine';
    osc.frequency.value = freq;
    gain.gain.value = 0;
    gain.gain.setValueAtTime(0, t);
    gain.gain.linearRampToValueAtTime(level, t + r);
    gain.gain.setValueAtTime(level, t + d - r);
    gain.gain.linearRampToValueAtTime(0, t + d);
    osc.connect(gain); gain.connect(master);
    osc.start(t); osc.stop(t + d + 0.02);
    osc.onended = function () { osc.disconnect(); gain.disconnect(); };
    return { osc: osc, gain: gain };
  }

  function scheduleBurst(p, t0) {
    var nodes = p.pulses.map(function (q) { return tone(p.freq, t0 + q[0], q[1], p.level, true); });
    var last = p.pulses[p.pulses.length - 1];
    bursts.push({ start: t0, end: t0 + last[0] + last[1], nodes: nodes });
  }

  function cancel(b, now) { // fade out over 10 ms (no click); a pulse not begun never plays
    b.nodes.forEach(function (n) {
      try {
        var g = n.gain.gain, v = g.value;
        g.cancelScheduledValues(now);
        g.setValueAtTime(v, now);
        g.linearRampToValueAtTime(0, now + 0.01);
        n.osc.stop(now + 0.02);
      } catch (e) { /* already ended */ }
    });
  }

  function tick() {
    if (!ctx || !current) return;
    wake();
    var now = ctx.currentTime, horizon = now + (hidden() ? AHEAD_HIDDEN : AHEAD);
    bursts = bursts.filter(function (b) { return b.end > now - 1; });
    if (nextAt < now) nextAt = now + 0.05; // the timer starved: resume the rhythm, do not cram
    while (nextAt < horizon) {
      var p = patterns[current];
      scheduleBurst(p, nextAt);
      nextAt += p.repeat;
    }
  }

  function startTimer() { if (!timer) timer = setInterval(tick, TICK_MS); }
  function stopTimer() { if (timer) { clearInterval(timer); timer = null; } }

  // A new priority takes over at the next burst: the burst sounding now ends, bursts not yet
  // begun are dropped. A higher priority starts as soon as the current burst ends; a lower one
  // keeps the time the next burst was due anyway.
  function switchTo(prev, next) {
    var now = ctx.currentTime, due = nextAt, busyUntil = now;
    bursts = bursts.filter(function (b) {
      if (b.start > now) { due = Math.min(due, b.start); cancel(b, now); return false; }
      busyUntil = Math.max(busyUntil, b.end);
      return true;
    });
    var soonest = busyUntil > now ? busyUntil + 0.3 : now + 0.05;
    nextAt = (RANK[next] > (RANK[prev] || 0)) ? soonest : Math.max(soonest, due);
  }

  function silence() {
    stopTimer();
    if (ctx) { var now = ctx.currentTime; bursts.forEach(function (b) { cancel(b, now); }); }
    bursts = [];
  }

  function normalise(p) {
    if (p === null || p === undefined || p === false || p === '') return null;
    p = String(p).toLowerCase();
    if (RANK[p]) return p;
    if (typeof console !== 'undefined') console.warn('VigilAlarmSound: unknown priority', p, '- sounding high');
    return 'high'; // fail loud, never silent
  }

  function play(priority) {
    var p = normalise(priority), prev = current;
    if (p === current) { if (p) wake(); return; } // same priority: keep the running pattern
    current = p;
    if (!ctx) return;                               // enable() starts it
    if (!p) { silence(); return; }
    wake();
    switchTo(prev, p);
    startTimer();
    tick();
  }

  function enable() {
    var AC = typeof window !== 'undefined' && (window.AudioContext || window.webkitAudioContext);
    if (!AC) return Promise.resolve(false);
    try {
      if (!ctx || ctx.state === 'closed') {
        ctx = new AC(); wave = null; bursts = [];
        master = ctx.createGain(); master.gain.value = 0.8; master.connect(ctx.destination);
      }
      var resumed = ctx.state === 'running' ? null : ctx.resume(); // inside the gesture
      tone(660, ctx.currentTime + 0.02, 0.15, 0.15, false);      // soft confirmation
    } catch (e) { return Promise.resolve(false); }
    return Promise.resolve(resumed).then(function () {
      if (!running()) return false;
      if (current && !timer) { nextAt = ctx.currentTime + 0.4; startTimer(); tick(); }
      return true;
    }, function () { return false; });
  }

  if (typeof document !== 'undefined' && document.addEventListener) {
    // Not a pause: hidden, schedule further ahead; visible again, resume if the browser suspended us.
    document.addEventListener('visibilitychange', function () { if (current) tick(); });
  }

  window.VigilAlarmSound = {
    enable: enable,
    play: play,
    stop: function () { play(null); },
    get enabled() { return running(); },
    get playing() { return running() ? current : null; },
    patterns: patterns
  };
})();
