#!/usr/bin/python3
"""The labelled scenario library of Tests/Fixtures/quality (see README.md there).

Writes session-NN.csv (two-hour sessions in `vigil replay`'s scenario format) and labels.json
(their true events by the rules in parameters.json, and what else was put in) from
parameters.json and its seed; standard library, plain arithmetic and random.Random's integer
and [0, 1) draws only, so that every Python 3 writes the same bytes:

    /usr/bin/python3 Tests/Fixtures/quality/generate.py            # rewrites the library
    /usr/bin/python3 Tests/Fixtures/quality/generate.py --out DIR  # writes it elsewhere

Never edit the output by hand: a test regenerates it and compares it byte for byte.
"""

import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

VALID, POOR, OFF, SEARCHING = "valid", "poor", "off", "searching"


class Session:
    """One session's per-second timeline: what the oximeter shows, how it flags its signal, the
    BP measurements, and what was put in (for the labels and the reader)."""

    def __init__(self, number, rng, p):
        self.number = number
        self.rng = rng
        self.p = p
        t = p["timing"]
        self.dose = rng.randint(*t["dose_at"])
        self.discharge = self.dose + t["discharge_after_dose"]
        self.end = self.discharge + rng.randint(*t["end_after_discharge"])
        self.spo2 = [0] * (self.end + 1)
        self.pulse = [0] * (self.end + 1)
        self.quality = [VALID] * (self.end + 1)
        self.bp = []  # (second, systolic, diastolic)
        self.busy = []  # (first, last) seconds taken by SpO2 episodes, margins apart
        self.desaturations = []  # what was put in: (start, speed)
        self.counts = dict.fromkeys(["motion_bursts", "motion_bursts_below_90", "probe_repositioning", "long_probe_off",
                                     "brief_dips_above_limit", "brief_dips_below_limit", "bp_outliers"], 0)

    def between(self, pair):
        return self.rng.randint(pair[0], pair[1])


    def baseline(self):
        """SpO2: a held whole-number level that may step by 1, pulled towards the session's
        mean. Pulse: the session's mean + the peak's rise + a wander pulled back towards 0."""
        rng, sp, pp = self.rng, self.p["spo2"], self.p["pulse"]
        mean = rng.randint(*sp["mean"])
        level, t = mean, 0
        while t <= self.end:
            hold = self.between(sp["hold_seconds"])
            for s in range(t, min(t + hold, self.end + 1)):
                self.spo2[s] = level
            t += hold
            if rng.random() < sp["step_chance"]:
                up = rng.random() < (0.5 if level == mean else (0.8 if level < mean else 0.2))
                level = min(max(level + (1 if up else -1), sp["range"][0]), sp["range"][1])
        base = rng.randint(*pp["mean"])
        rise = rng.randint(*pp["peak_rise"])
        wander, t = 0, 0
        while t <= self.end:
            hold = self.between(pp["hold_seconds"])
            for s in range(t, min(t + hold, self.end + 1)):
                value = base + rise * self.peak_shape(s) + wander
                self.pulse[s] = min(max(int(value + 0.5), pp["range"][0]), pp["range"][1])
            t += hold
            step = rng.choice([1, 2])
            toward_zero = rng.random() < 0.5 + abs(wander) / (2 * pp["wander"])
            direction = (-1 if wander > 0 else 1) if wander and toward_zero else rng.choice([-1, 1])
            wander = min(max(wander + direction * step, -pp["wander"]), pp["wander"])

    def peak_shape(self, s):
        """0 before +5 min after the dose, 1 from +40 to +50 min, 0 again from +90 min."""
        m = (s - self.dose) / 60
        return 0 if m <= 5 or m >= 90 else (m - 5) / 35 if m < 40 else 1 if m <= 50 else (90 - m) / 40


    def place(self, length, first, last):
        """A start for `length` seconds inside [first, last], the margin away from the others."""
        margin = self.p["placement"]["margin"]
        for _ in range(2000):
            start = self.rng.randint(first, last - length)
            if all(start + length + margin < a or start > b + margin for a, b in self.busy):
                self.busy.append((start, start + length))
                return start
        sys.exit(f"session {self.number}: no room for an episode of {length} s")

    def watch_window(self):
        pl = self.p["placement"]
        return self.dose + pl["watch_from"], self.discharge - pl["watch_until_before_discharge"]

    def set_valid(self, s, value):
        self.spo2[s] = value
        self.quality[s] = VALID


    def desaturation(self, depth, speed):
        """Fall, plateau at depth -1/0/+1 (never 90), rise; the plateau sized for the time
        below 90 drawn. Good signal throughout."""
        dp = self.p["desaturations"]
        fall = self.between(dp["fall_seconds"][speed])
        rise = self.between(dp["rise_seconds"])
        target = self.between(dp["below_90_seconds"])
        plateau = max(5, target)
        shape = self.desaturation_shape(97, depth, fall, plateau, rise)
        plateau = max(5, plateau - (below_90_run(shape) - target))
        length = fall + plateau + rise + 1
        first, last = self.watch_window()
        start = self.place(length, first, last)
        level = self.spo2[start]
        shape = self.desaturation_shape(level, depth, fall, plateau, rise)
        for k, value in enumerate(shape):
            self.set_valid(start + k, value)
        self.desaturations.append((start, speed))

    def desaturation_shape(self, level, depth, fall, plateau, rise):
        shape = [int(level - (level - depth) * k / fall + 0.5) for k in range(fall)]
        value, left = depth, 0
        for _ in range(plateau):
            if left == 0:
                value = min(depth + self.rng.choice([-1, 0, 0, 1]), 89)
                left = self.between(self.p["desaturations"]["plateau_change_every"])
            shape.append(value)
            left -= 1
        shape += [int(depth + (level - depth) * k / rise + 0.5) for k in range(rise + 1)]
        return shape

    def brief_dip(self):
        """A genuine dip with a good signal: 1 s down, a few seconds at its depth, 1 s back."""
        bp = self.p["brief_dips"]
        below = self.rng.random() < bp["below_limit_share"]
        depth = self.between(bp["below_limit_depth"] if below else bp["above_limit_depth"])
        hold = self.between(bp["hold_seconds"])
        first, last = self.watch_window()
        start = self.place(hold + 3, first, last)
        level = self.spo2[start]
        middle = (level + depth + 1) // 2
        shape = [middle] + [depth] * hold + [middle]
        for k, value in enumerate(shape):
            self.set_valid(start + k, value)
        self.counts["brief_dips_below_limit" if below else "brief_dips_above_limit"] += 1

    def motion_burst(self):
        """Motion: a poor signal while SpO2 falls and wanders and the pulse jumps; then good."""
        mp = self.p["motion_bursts"]
        seconds = self.between(mp["seconds"])
        start = self.place(seconds, self.p["placement"]["anywhere_from"], self.end - 60)
        low = self.between(mp["spo2_low"])
        s, lowest = start, 100
        while s < start + seconds:
            spo2 = min(self.rng.randint(low, low + mp["spo2_spread"]), 97)
            jump = self.between(mp["pulse_jump"])
            for k in range(s, min(s + self.between(mp["change_every"]), start + seconds)):
                self.spo2[k] = spo2
                self.pulse[k] = self.pulse[k] + jump
                self.quality[k] = POOR
            lowest = min(lowest, spo2)
            s = k + 1
        self.counts["motion_bursts"] += 1
        if lowest < self.p["rules"]["desaturation_below"]:
            self.counts["motion_bursts_below_90"] += 1

    def probe_repositioning(self):
        """The probe off (sometimes long enough for a probe alarm), searching, then on again."""
        rp = self.p["probe_repositioning"]
        long = self.rng.random() < rp["long_share"]
        off = self.between(rp["long_off_seconds"] if long else rp["off_seconds"])
        searching = self.between(rp["searching_seconds"])
        start = self.place(off + searching, self.p["placement"]["anywhere_from"], self.end - 60)
        for k in range(start, start + off):
            self.quality[k] = OFF
        for k in range(start + off, start + off + searching):
            self.quality[k] = SEARCHING
        self.counts["probe_repositioning"] += 1
        if long:
            self.counts["long_probe_off"] += 1


    def blood_pressure(self, spike):
        """The schedule (before the dose, every 5 min to +55, every 15 in recovery, one as
        discharge begins), the peak's rise, noise, and a confirmed spike or an outlier."""
        rng, bp = self.rng, self.p["bp"]
        sys0 = rng.randint(*bp["systolic_baseline"])
        dia0 = rng.randint(*bp["diastolic_baseline"])
        rise = rng.randint(*bp["peak_rise"])
        times = [self.between(self.p["timing"]["first_bp_at"])]
        times += [self.dose + k + self.between(bp["jitter"])
                  for k in range(bp["onset_peak_every"], bp["onset_peak_until"] + 1, bp["onset_peak_every"])]
        k = bp["onset_peak_until"] + bp["recovery_every"]
        while k < self.discharge - self.dose:
            times.append(self.dose + k + self.between(bp["jitter"]))
            k += bp["recovery_every"]
        times.append(self.discharge + 20 + self.between(bp["jitter"]))

        def normal(s):
            shape = self.peak_shape(s)
            n = bp["noise"]
            return (int(sys0 + rise * shape + 0.5) + rng.randint(-n, n),
                    int(dia0 + rise * bp["diastolic_share_of_rise"] * shape + 0.5) + rng.randint(-n, n))

        def raised(s, systolic):
            usual_sys, usual_dia = normal(s)
            return systolic, usual_dia + int((systolic - usual_sys) * self.p["bp_spikes"]["diastolic_share"] + 0.5)

        measurements = [(s,) + normal(s) for s in times]
        if spike:
            sp = self.p["bp_spikes"]
            candidates = [i for i, (s, _, _) in enumerate(measurements)
                          if self.dose + sp["from_after_dose"] <= s <= self.dose + sp["until_after_dose"]]
            i = rng.choice(candidates)
            s = measurements[i][0]
            repeat = s + self.between(bp["repeat_after"])
            if spike == "confirmed":
                measurements[i] = (s,) + raised(s, self.between(sp["confirmed_systolic"]))
                measurements.insert(i + 1, (repeat,) + raised(repeat, self.between(sp["confirmed_systolic"])))
                nxt = measurements[i + 2][0]
                if rng.random() < sp["third_reading_chance"] and nxt - repeat <= self.p["rules"]["confirm_within"]:
                    measurements[i + 2] = (nxt,) + raised(nxt, self.between(sp["third_systolic"]))
            else:
                measurements[i] = (s,) + raised(s, self.between(sp["outlier_systolic"]))
                measurements.insert(i + 1, (repeat,) + normal(repeat))
                self.counts["bp_outliers"] += 1
        self.bp = measurements


    def true_events(self):
        """The rules of parameters.json (README.md) applied to what was made, not to what was meant."""
        r = self.p["rules"]
        events, run = [], []
        for s in range(self.end + 1):
            if self.quality[s] == VALID and self.spo2[s] < r["desaturation_below"]:
                run.append(s)
                continue
            if len(run) >= r["desaturation_seconds"]:
                events.append({"kind": "desaturation", "vital": "spo2", "start": run[0], "end": s,
                               "depth": min(self.spo2[k] for k in run)})
            run = []
        high = [(s, sy, di) for s, sy, di in self.bp
                if sy >= r["systolic_at_or_above"] or di >= r["diastolic_at_or_above"]]
        i = 0
        while i < len(self.bp):
            j = i
            while (j < len(self.bp) and self.bp[j] in high
                   and (j == i or self.bp[j][0] - self.bp[j - 1][0] <= r["confirm_within"])):
                j += 1
            if j - i >= 2:
                run = self.bp[i:j]
                events.append({"kind": "hypertension", "vital": "systolic", "start": run[0][0],
                               "end": run[-1][0], "peak": max(sy for _, sy, _ in run),
                               "readings": len(run)})
            i = max(j, i + 1)
        events.sort(key=lambda e: e["start"])
        for e in events:
            speeds = [speed for start, speed in self.desaturations if e["start"] - 200 <= start <= e["start"]]
            if e["kind"] == "desaturation" and len(speeds) == 1:
                e["speed"] = speeds[0]
        return events


    def lines(self):
        """Lines only where something changes: a value is held until the next line. Under a
        poor signal a value line is followed by poor_signal at the same second (a value line
        means a good signal again); during probe off and searching no value is sent at all."""
        at = {}

        def add(s, name, value=""):
            at.setdefault(s, []).append(f"{s},{name},{value}")

        add(0, "session.start", "doula")
        add(self.dose, "dose", "doula")
        last_q, last_spo2, last_pulse = VALID, None, None
        for s in range(self.end + 1):
            q = self.quality[s]
            if q in (OFF, SEARCHING):
                if q != last_q:
                    add(s, "probe_off" if q == OFF else "searching", "oximeter")
                last_q = q
                continue
            if q == VALID and last_q != VALID:
                add(s, "probe_on", "oximeter")
            changed = False
            if self.spo2[s] != last_spo2:
                add(s, "spo2", self.spo2[s])
                last_spo2, changed = self.spo2[s], True
            if self.pulse[s] != last_pulse:
                add(s, "pulse_rate", self.pulse[s])
                last_pulse, changed = self.pulse[s], True
            if q == POOR and (last_q != POOR or changed):
                add(s, "poor_signal", "oximeter")
            last_q = q
        for s, systolic, diastolic in self.bp:
            add(s, "systolic", systolic)
            add(s, "diastolic", diastolic)
        add(self.end, "session.end", "doula")
        return [line for s in sorted(at) for line in at[s]]


def below_90_run(shape):
    best = run = 0
    for value in shape:
        run = run + 1 if value < 90 else 0
        best = max(best, run)
    return best


def plan(p, rng):
    """Desaturation counts shuffled over the sessions, each depth x speed in turn (shuffled
    each round) so that all eight are about equally common; a BP spike or not per session."""
    counts = [int(n) for n, times in p["desaturations"]["per_session"].items() for _ in range(times)]
    if len(counts) != p["sessions"]:
        sys.exit("desaturations.per_session must add up to the number of sessions")
    rng.shuffle(counts)
    combos = [(d, s) for d in p["desaturations"]["depths"] for s in ("fast", "slow")]
    queue = []
    plans = []
    for n in counts:
        desaturations = []
        for _ in range(n):
            if not queue:
                queue = combos[:]
                rng.shuffle(queue)
            desaturations.append(queue.pop())
        r = rng.random()
        sp = p["bp_spikes"]
        spike = ("confirmed" if r < sp["confirmed_chance"]
                 else "outlier" if r < sp["confirmed_chance"] + sp["outlier_chance"] else None)
        plans.append((desaturations, spike))
    return plans


def make(number, p, desaturations, spike):
    rng = random.Random(p["seed"] * 1000 + number)
    session = Session(number, rng, p)
    session.baseline()
    for depth, speed in desaturations:
        session.desaturation(depth, speed)
    for _ in range(session.between(p["brief_dips"]["per_session"])):
        session.brief_dip()
    for _ in range(session.between(p["motion_bursts"]["per_session"])):
        session.motion_burst()
    for _ in range(session.between(p["probe_repositioning"]["per_session"])):
        session.probe_repositioning()
    session.blood_pressure(spike)
    events = session.true_events()
    made = sum(1 for e in events if e["kind"] == "desaturation")
    if made != len(desaturations):
        sys.exit(f"session {number}: {len(desaturations)} desaturations put in, {made} found by the rule")
    if spike == "confirmed" and not any(e["kind"] == "hypertension" for e in events):
        sys.exit(f"session {number}: a confirmed BP spike that the rule does not find")
    return session, events


def describe(event):
    if event["kind"] == "desaturation":
        return (f"desaturation {event['start']}-{event['end']} s to {event['depth']} %"
                + (f" ({event['speed']})" if "speed" in event else ""))
    return f"hypertension {event['start']}-{event['end']} s, systolic up to {event['peak']}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parameters", default=os.path.join(HERE, "parameters.json"))
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    with open(args.parameters, encoding="utf-8") as f:
        p = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    labels = []
    for number, (desaturations, spike) in enumerate(plan(p, random.Random(p["seed"])), start=1):
        session, events = make(number, p, desaturations, spike)
        name = f"session-{number:02d}.csv"
        put_in = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in session.counts.items())
        header = [f"# {name}: made by generate.py from parameters.json (seed {p['seed']}); do not edit.",
                  f"# Dose at {session.dose} s, discharge from {session.discharge} s, end at {session.end} s.",
                  "# True events (labels.json): " + ("; ".join(describe(e) for e in events) or "none") + ".",
                  f"# Put in besides: {put_in}."]
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(header + session.lines()) + "\n")
        labels.append((name, session.end, events, session.counts))
    r = p["rules"]
    rules = {"desaturation": f"SpO2 below {r['desaturation_below']} with a good signal for {r['desaturation_seconds']} s "
                             "or more in a row; start is its first such second, end the first second after",
             "hypertension": f"systolic at or above {r['systolic_at_or_above']} or diastolic at or above "
                             f"{r['diastolic_at_or_above']} on two BP measurements in a row, the second within "
                             f"{r['confirm_within']} s of the first; start is the first measurement, end the last of the run"}
    out = ["{", f'  "generator": "generate.py", "parameters": "parameters.json", "seed": {p["seed"]},', '  "rules": {',
           ",\n".join(f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in rules.items()), "  },", '  "sessions": [']
    for index, (name, end, events, counts) in enumerate(labels):
        out.append(f'    {{"scenario": "{name}", "seconds": {end}, "events": [')
        out += [f"      {json.dumps(e)}" + ("," if i < len(events) - 1 else "") for i, e in enumerate(events)]
        out.append(f'    ], "nuisances": {json.dumps(counts)}}}' + ("," if index < len(labels) - 1 else ""))
    out += ["  ]", "}"]
    with open(os.path.join(args.out, "labels.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
