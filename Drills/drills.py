#!/usr/bin/env python3
"""`make drills`: the faults a room must live through, each on the built `vigil` with a
simulated oximeter, each printing PASS or FAIL with its figure.

  unplug      the oximeter unplugged for 15 s and replugged: time to the technical alarm, time
              to readings again, and the agent never restarts
  clock-jump  the wall clock jumped +1 h then -1 h mid-session (libfaketime on the agent):
              the time since the dose and the phase do not move, and no alarm is raised
  disk-full   the database's file system fills up (a small tmpfs): a technical alarm is raised
              and shown, and once space returns it clears and the readings held meanwhile are
              written; the database and its -wal and -shm files are the owner's only (0600)
  kill-9      the agent killed (SIGKILL) at random moments, KILLS times, on a real broker: no
              alarm event the agent printed or published is missing from the database, no
              reading older than 0.5 s is lost, and each restart resumes the session in its phase
  broker      the broker stopped for BROKER_S seconds while alarms come and go, then restarted:
              every alarm event recorded reaches a subscriber, in order

usage: Drills/drills.py --vigil .build/debug/vigil [--only NAME ...] [--kills N] [--broker-seconds S]
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from room import Process, Room, REPO, free_port, until

STEADY = "0,spo2,97\n0,pulse_rate,72\n7200,spo2,97\n"
# A minute that repeats: the probe off for 20 s (sensor_off), then SpO2 80 for 25 s.
def eventful(minutes):
    lines = ["0,spo2,97", "0,pulse_rate,72"]
    for m in range(minutes):
        t = m * 60
        lines += [f"{t + 5},probe_off,oximeter", f"{t + 25},spo2,97", f"{t + 30},spo2,80", f"{t + 55},spo2,97"]
    return "\n".join(lines) + f"\n{minutes * 60 + 60},spo2,97\n"


def timeline():
    """The shipped profile's phase starts after the dose, in seconds."""
    text = open(os.path.join(REPO, "deploy", "alarms.default.yaml")).read()
    found = dict(re.findall(r"^\s+(peak|recovery|discharge):\s*(\d+)m", text, re.M))
    return [(int(found["discharge"]) * 60, "discharge"), (int(found["recovery"]) * 60, "recovery"), (int(found["peak"]) * 60, "peak")]


def expected_phase(since_dose):
    return next((name for start, name in timeline() if since_dose >= start), "onset")


class Drill:
    def __init__(self, name, vigil, keep):
        self.name = name
        self.vigil = vigil
        self.folder = tempfile.mkdtemp(prefix=f"vigil-drill-{name}-")
        self.keep = keep
        self.rooms = []
        self.others = []

    def room(self, scenario, **kwargs):
        room = Room(self.vigil, self.folder, scenario, **kwargs)
        self.rooms.append(room)
        return room

    def close(self, ok):
        for room in self.rooms:
            room.stop()
        for other in self.others:
            other.stop()
        if ok and not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            print(f"    kept {self.folder}", flush=True)


def started_session(room):
    if not (room.session("start") and room.session("dose")):
        raise RuntimeError("the session did not start")
    return time.time()


def unplug(d):
    room = d.room("0,spo2,97\n0,pulse_rate,72\n15,unplug,oximeter\n30,replug,oximeter\n7200,spo2,97\n")
    room.start_simulator()
    agent = room.start_agent()
    started_session(room)
    unplugged, replugged = room.simulator_started + 15, room.simulator_started + 30
    until(60, lambda: time.time() > replugged + 15 and room.query(
        "SELECT 1 FROM alarmEvent WHERE condition = 'device_disconnected' AND state = 'cleared'"), every=0.5)
    raised = room.query("SELECT min(time) FROM alarmEvent WHERE condition = 'device_disconnected' AND state = 'raised'")[0][0]
    cleared = room.query("SELECT min(time) FROM alarmEvent WHERE condition = 'device_disconnected' AND state = 'cleared'")[0][0]
    back = room.query("SELECT min(time) FROM reading WHERE time > ?", (replugged - 0.5,))[0][0]
    restarts = agent.output().count("vigil run: drill/room-1")
    figure = (f"technical alarm {raised - unplugged:.1f} s after the unplug, readings again {back - replugged:.1f} s after the replug"
              if raised and back else f"raised={raised} readings back={back}")
    ok = bool(raised and cleared and back and raised - unplugged <= 5 and back - replugged <= 10 and agent.alive and restarts == 1)
    return ok, figure + f", cleared {'yes' if cleared else 'no'}, agent restarts {restarts - 1}"


def faketime_library():
    for path in ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"]:
        if os.path.exists(path):
            return path
    raise RuntimeError("libfaketime is not installed (apt-get install faketime)")


def clock_jump(d):
    room = d.room(STEADY)
    offset = os.path.join(d.folder, "offset")
    with open(offset, "w") as f:
        f.write("+0\n")
    # The wall clock only, as NTP or a person would move it: the monotonic clock is untouched.
    env = {"LD_PRELOAD": faketime_library(), "FAKETIME_TIMESTAMP_FILE": offset, "FAKETIME_NO_CACHE": "1",
           "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    room.start_simulator()
    room.start_agent(env)
    dosed = started_session(room)
    seen = []
    for shift in ["+3600", "-3600"]:
        time.sleep(5)
        with open(offset, "w") as f:
            f.write(shift + "\n")
        time.sleep(5)
        status = room.status() or {}
        real = time.time() - dosed
        seen.append((shift, real, status.get("since_dose_s"), status.get("phase"), status.get("session")))
    alarms = room.query("SELECT DISTINCT condition FROM alarmEvent WHERE condition NOT IN ('nibp_before_dose_missing')")
    drift = [abs((s or -1e9) - real) for _, real, s, _, _ in seen]
    ok = all(x <= 2 for x in drift) and all(p == expected_phase(r) for _, r, _, p, _ in seen) and not alarms
    figure = "; ".join(f"after {shift} s: since dose {s if s is None else round(s, 1)} s (real {real:.1f}), {p}" for shift, real, s, p, _ in seen)
    return ok, figure + (f"; alarms raised: {[a for (a,) in alarms]}" if alarms else "; no alarm raised")


def disk_full(d):
    disk = os.path.join(d.folder, "disk")
    os.makedirs(disk)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0755", "tmpfs", disk], capture_output=True, text=True)
    if mounted.returncode != 0:
        raise RuntimeError(f"cannot mount a small tmpfs for the drill (root needed): {mounted.stderr.strip()}")
    d.others.append(type("Unmount", (), {"stop": lambda self: subprocess.run(["umount", "-l", disk])})())
    room = d.room(STEADY, database="disk/room.sqlite")
    room.start_simulator()
    room.start_agent()
    started_session(room)
    time.sleep(3)
    modes = {name: oct(os.stat(os.path.join(disk, name)).st_mode & 0o777) for name in sorted(os.listdir(disk)) if "sqlite" in name}
    private = all(mode == "0o600" for mode in modes.values()) and {"room.sqlite", "room.sqlite-wal", "room.sqlite-shm"} <= modes.keys()
    filler = os.path.join(disk, "filler")
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    full_at = time.time()
    storage = lambda: [a for a in (room.status() or {}).get("alarms", []) if a.get("condition") == "storage_failed"]
    shown = until(60, storage, every=0.5)
    shown_after = time.time() - full_at if shown else None
    time.sleep(5)
    os.remove(filler)
    freed_at = time.time()
    cleared = until(60, lambda: room.status() is not None and not storage(), every=0.5)
    cleared_after = time.time() - freed_at if cleared else None
    time.sleep(3)
    times = [t for (t,) in room.query("SELECT time FROM reading WHERE vital = 'spo2' AND time BETWEEN ? AND ? ORDER BY time",
                                      (full_at - 2, freed_at + 2))]
    gap = max((b - a for a, b in zip(times, times[1:])), default=None)
    kept = room.query("SELECT state FROM alarmEvent WHERE condition = 'storage_failed' ORDER BY id")
    ok = bool(private and shown and cleared and gap is not None and gap <= 2.5 and ("raised",) in kept and ("cleared",) in kept)
    figure = (f"modes {modes}; storage alarm shown {shown_after and round(shown_after, 1)} s after the disk filled, "
              f"cleared {cleared_after and round(cleared_after, 1)} s after space returned; the full spell's SpO2 readings kept: "
              f"{len(times)}, longest gap {gap and round(gap, 2)} s; storage_failed in the record: {[s for (s,) in kept]}")
    return ok, figure


class Broker:
    """mosquitto on loopback, and a subscriber keeping every alarm event's id in arrival order."""

    def __init__(self, folder, port=None):
        self.folder = folder
        self.port = port or free_port()
        with open(os.path.join(folder, "mosquitto.conf"), "w") as f:
            # Persistent, as a clinic's broker is: the subscriber's session and its queued
            # messages survive the restart, so a message lost is the room's, not the drill's.
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
                    f"persistence_location {folder}/\nautosave_interval 1\n"
                    + ("user root\n" if os.geteuid() == 0 else ""))
        self.heard = []
        self.lock = threading.Lock()
        self.start()
        self.subscriber = subprocess.Popen(["mosquitto_sub", "-p", str(self.port), "-q", "1", "-i", "drill-sub", "-c", "-v",
                                            "-t", "vigil/drill/room-1/alarms", "-F", "%p"],
                                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._listen, daemon=True).start()

    def start(self):
        self.process = Process(f"mosquitto-{time.time():.0f}", ["mosquitto", "-c", "mosquitto.conf"], self.folder)
        until(10, lambda: subprocess.run(["mosquitto_pub", "-p", str(self.port), "-t", "drill/ping", "-m", "x"],
                                         capture_output=True).returncode == 0, every=0.1)

    def _listen(self):
        for line in self.subscriber.stdout:
            found = re.search(r'"event_id":"([^"]+)"', line)
            if found:
                with self.lock:
                    self.heard.append(found.group(1))

    def events(self):
        with self.lock:
            return list(self.heard)

    def stop(self):
        self.subscriber.terminate()
        self.process.stop()


def recorded_events(room):
    return [f"{a}/{s}" for a, s in room.query("SELECT alarmId, seq FROM alarmEvent ORDER BY id")]


def kill9(d, kills):
    broker = Broker(d.folder)
    d.others.append(broker)
    room = d.room(eventful(max(10, kills // 6 + 2)), mqtt_port=broker.port)
    room.start_simulator()
    room.start_agent()
    dosed = started_session(room)
    session = (room.status() or {}).get("session")
    lost_readings, bad_resumes, worst_gap = 0, [], 0.0
    for n in range(kills):
        time.sleep(random.uniform(2.0, 12.0))
        room.agent.kill()
        killed = time.time()
        last = room.query("SELECT max(time) FROM reading")[0][0] or 0
        # Readings come once a second: any due more than 0.5 s before the kill must be stored.
        missing = int(max(0.0, killed - 0.5 - last) // 1.05)
        lost_readings += missing
        worst_gap = max(worst_gap, killed - last)
        room.start_agent()
        status = room.status() or {}
        since = status.get("since_dose_s")
        real = time.time() - dosed
        if status.get("session") != session or since is None or abs(since - real) > 2 or status.get("phase") != expected_phase(since):
            bad_resumes.append((n, status.get("session"), since, round(real, 1), status.get("phase")))
    time.sleep(3)
    recorded = set(recorded_events(room))
    printed = room.printed_alarms()
    stored = {(a, s) for a, s in room.query("SELECT alarmId, state FROM alarmEvent")}
    unprinted_lost = [p for p in printed if p not in stored]
    until(20, lambda: set(broker.events()) >= recorded, every=0.5)
    heard = broker.events()
    unrecorded = [e for e in set(heard) if e not in recorded]
    ok = lost_readings == 0 and not bad_resumes and not unprinted_lost and not unrecorded and len(recorded) > 0
    figure = (f"{kills} kills: alarm events lost 0 of {len(recorded)}" if not unprinted_lost and not unrecorded
              else f"{kills} kills: printed but not recorded {unprinted_lost[:5]}, published but not recorded {unrecorded[:5]}")
    figure += (f"; readings older than 0.5 s lost {lost_readings} (longest since the last stored reading at a kill "
               f"{worst_gap:.2f} s); resumes wrong {len(bad_resumes)}{' ' + str(bad_resumes[:3]) if bad_resumes else ''}; "
               f"duplicates delivered {len(heard) - len(set(heard))}")
    return ok, figure


def broker_outage(d, seconds):
    broker = Broker(d.folder)
    d.others.append(broker)
    room = d.room(eventful(seconds // 60 + 4), mqtt_port=broker.port)
    room.start_simulator()
    room.start_agent()
    started_session(room)
    time.sleep(25)
    broker.process.stop()
    down = time.time()
    time.sleep(seconds)
    during = len([t for (t,) in room.query("SELECT time FROM alarmEvent WHERE time >= ?", (down,))])
    broker.start()
    until(60, lambda: set(broker.events()) >= set(recorded_events(room)), every=0.5)
    recorded = recorded_events(room)
    heard = broker.events()
    lost = [e for e in recorded if e not in set(heard)]
    firsts = []
    for e in heard:
        if e not in firsts:
            firsts.append(e)
    order_kept = [e for e in firsts if e in set(recorded)] == [e for e in recorded if e in set(firsts)]
    ok = not lost and order_kept and during > 0
    return ok, (f"broker down {seconds} s, {during} alarm events meanwhile: lost {len(lost)} of {len(recorded)}, "
                f"duplicates delivered {len(heard) - len(set(heard))}, order kept {'yes' if order_kept else 'no'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vigil", default=os.path.join(REPO, ".build", "debug", "vigil"))
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--broker-seconds", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="keep each drill's folder")
    args = parser.parse_args()
    vigil = os.path.abspath(args.vigil)
    drills = [("unplug", unplug), ("clock-jump", clock_jump), ("disk-full", disk_full),
              ("kill-9", lambda d: kill9(d, args.kills)), ("broker", lambda d: broker_outage(d, args.broker_seconds))]
    failed = []
    for name, run in drills:
        if args.only and name not in args.only:
            continue
        drill = Drill(name, vigil, args.keep)
        began = time.monotonic()
        try:
            ok, figure = run(drill)
        except Exception as error:  # a drill that cannot run is a failure, said as such
            ok, figure = False, f"could not run: {error}"
        print(f"{'PASS' if ok else 'FAIL'} {name:10} {figure} ({time.monotonic() - began:.0f} s)", flush=True)
        drill.close(ok)
        if not ok:
            failed.append(name)
    if failed:
        print("drills failed: " + ", ".join(failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
