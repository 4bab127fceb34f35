#!/usr/bin/python3
"""The clinic station's story in a real browser: headless Chromium driven by Selenium against a
`vigil station` following three `vigil run` rooms on simulated oximeters, on a real mosquitto
with the deployed ACL (deploy/mosquitto/vigil.acl), everything on loopback.

  a. mosquitto, the station, three rooms (room-1 and room-3 steady, room-2 desaturating to 80 %
     20 s into its simulator's scenario), a session started in each room over MQTT (cmd/start);
  b. the nurse logs in at the station, sees one tile per room, turns the alarm sound on;
  c. room-2 desaturates: its tile turns red (class high, border #ff2d2d) within 2 s of the room's
     alarm event on the broker; the steady rooms' tiles do not;
  d. the nurse acknowledges that alarm in the tile: the tile says "acknowledged by nurse" once
     the room confirms, and room-2's own audit has the ack by nurse over mqtt;
  e. room-3's agent is killed (SIGKILL): its tile says OFFLINE with the station's ROOM OFFLINE
     alarm, high;
  f. the page at 390×844 and at 1280×900: no horizontal scroll, nothing sticking out of a tile;
  g. room-1 ends its session (cmd/stop): /sessions lists sessions across rooms.

Run with Debian's Python (it has python3-selenium):
    /usr/bin/python3 Tests/Browser/station_story.py [--vigil .build/debug/vigil] [--screenshots docs/screenshots]
Exit status 0 only when every step passed; every process's output is printed on any failure.
"""

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from story import NARROW, WIDE, StepFailed, api, browser, check, fit_window, log, path_of, run_steps, submit_login, wait

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ACL = os.path.join(REPO, "deploy", "mosquitto", "vigil.acl")
OXIMETER = os.path.join(REPO, "Devices", "contec-cms50-v7.yaml")
SITE = "north"
ROOMS = ["room-1", "room-2", "room-3"]
DESATURATING = "room-2"
KILLED = "room-3"
ENDED = "room-1"
# A simulator ends with its scenario: each holds its values until the last line, an hour on.
STEADY = "0,spo2,97\n0,pulse_rate,72\n3600,spo2,97\n"
DESATURATION = "0,spo2,97\n0,pulse_rate,72\n20,spo2,80\n3600,spo2,80\n"
# The nurse's PIN 2580, as bcrypt (the Swift tests' login).
NURSE_HASH = "$2b$12$VnGXVFU9BPjpVnkdOsd0uu9Gu5NJ/VNn5R6EvTPHABpR2v9FvekVa"
NURSE_PIN = "2580"
# A doula's PIN 1357: the station has no page for a doula.
DOULA_HASH = "$2b$12$SNuyA9zB2dRPIRORzMi1o.mY97q7AssEH9pgGaQaVVt8l3i8R2YL6"
DOULA_PIN = "1357"
HIGH_RED = "rgb(255, 45, 45)"  # --high: #ff2d2d
LIMIT_S = 2.0
PAGES_LINE = re.compile(r"station's pages are on (http://127\.0\.0\.1:\d+)/")


def until(what, timeout, predicate, every=0.1):
    """Polls `predicate` until it returns something truthy (returned) or `timeout` s pass (StepFailed)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise StepFailed(f"{what} (waited {timeout} s)")
        time.sleep(every)


# ---------------------------------------------------------------------------------------------
# Processes: each in its own process group, its output kept (with the time each line came).


class Child:
    def __init__(self, name, args, cwd, pattern=None):
        self.name = name
        self.args = args
        self.lines = []  # (wall time, line)
        self.lock = threading.Lock()
        self.pattern = pattern
        self.found = queue.Queue()
        self.listeners = []
        log(f"starting {name}: " + " ".join(args))
        self.process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.process.stdout:
            at = time.time()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.lock:
                self.lines.append((at, line))
                listeners = list(self.listeners)
            for f in listeners:
                f(at, line)
            if self.pattern:
                m = self.pattern.search(line)
                if m:
                    self.found.put(m.group(1))
        self.found.put(None)

    def wait_for(self, timeout):
        """The first match of `pattern` in the output."""
        try:
            value = self.found.get(timeout=timeout)
        except queue.Empty:
            value = None
        if value is None:
            status = self.process.poll()
            raise StepFailed(f"{self.name} " + (f"exited with status {status}" if status is not None
                                                else f"printed nothing matching {self.pattern.pattern!r} within {timeout} s"))
        return value

    def saw(self, text):
        with self.lock:
            return any(text in line for _, line in self.lines)

    def output(self):
        with self.lock:
            return "\n".join(line for _, line in self.lines)

    @property
    def alive(self):
        return self.process.poll() is None

    def kill(self, sig=signal.SIGKILL):
        if self.alive:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def stop(self):
        if self.alive:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
            except ProcessLookupError:
                pass
        else:
            # The group may hold a child the leader left behind.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accepts(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def query(db, sql, params=()):
    """Rows of a room's database, read-only, as its records would be read."""
    if not os.path.exists(db):
        return []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# The clinic: broker, rooms, station


class Clinic:
    def __init__(self, vigil, tmp):
        self.vigil = vigil
        self.tmp = tmp
        self.children = []
        self.rooms = {}
        self.simulators = {}
        self.station = None
        self.broker = None
        self.port = None
        self.alarm_events = []  # (wall time, topic, object) from mosquitto_sub
        self.alarm_lock = threading.Lock()
        self.users = {"station": "pw-station"}
        for room in ROOMS:
            self.users[f"{SITE}/{room}"] = f"pw-{room}"

    def path(self, name):
        return os.path.join(self.tmp, name)

    def database(self, room):
        return self.path(f"{room}.sqlite")

    def spawn(self, name, args, pattern=None):
        child = Child(name, args, self.tmp, pattern)
        self.children.append(child)
        return child

    def start_broker(self):
        passwd = self.path("passwd")
        with open(passwd, "w"):
            pass
        for user, password in sorted(self.users.items()):
            subprocess.run(["/usr/bin/mosquitto_passwd", "-b", passwd, user, password], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)
        for attempt in range(3):
            self.port = free_port()
            lines = [f"listener {self.port} 127.0.0.1", "persistence false", "set_tcp_nodelay true",
                     "allow_anonymous false", f"password_file {passwd}", f"acl_file {ACL}", "log_dest stderr",
                     "log_type error", "log_type warning", "log_type notice", "log_type subscribe"]
            if os.geteuid() == 0:
                lines.insert(1, "user root")  # as root, mosquitto would switch to a user who cannot read these files
            with open(self.path("mosquitto.conf"), "w") as f:
                f.write("\n".join(lines) + "\n")
            self.broker = self.spawn(f"mosquitto (port {self.port})", ["/usr/sbin/mosquitto", "-c", self.path("mosquitto.conf")])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.broker.alive and not accepts(self.port):
                time.sleep(0.05)
            time.sleep(0.15)
            if self.broker.alive and accepts(self.port):
                log(f"mosquitto on 127.0.0.1:{self.port} with the deployed ACL")
                return
            self.broker.kill()
        raise StepFailed("mosquitto did not start (3 tries): " + self.broker.output()[-400:])

    def mqtt_login(self):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-u", "station", "-P", self.users["station"]]

    def watch_alarms(self):
        """mosquitto_sub -v on every room's alarm events, each kept with the time it arrived."""
        sub = self.spawn("mosquitto_sub", ["/usr/bin/mosquitto_sub", *self.mqtt_login(), "-v", "-q", "1",
                                           "-t", f"vigil/{SITE}/+/alarms"])

        def heard(at, line):
            topic, _, payload = line.partition(" ")
            try:
                obj = json.loads(payload)
            except ValueError:
                return
            with self.alarm_lock:
                self.alarm_events.append((at, topic, obj))

        with sub.lock:
            sub.listeners.append(heard)
        # mosquitto logs the subscription (log_type subscribe) once it holds.
        until("mosquitto_sub did not subscribe", 10,
              lambda: self.broker.saw(f"vigil/{SITE}/+/alarms") or not sub.alive)
        check(sub.alive, "mosquitto_sub exited: " + sub.output())

    def alarms(self, room):
        with self.alarm_lock:
            return [(at, obj) for at, topic, obj in self.alarm_events if topic == f"vigil/{SITE}/{room}/alarms"]

    def publish(self, topic, payload):
        result = subprocess.run(["/usr/bin/mosquitto_pub", *self.mqtt_login(), "-q", "1", "-t", topic, "-m", payload],
                                capture_output=True, text=True, timeout=15)
        check(result.returncode == 0, f"mosquitto_pub {topic} failed ({result.returncode}): {result.stderr}")
        log(f"published {topic} {payload}")

    def start_station(self):
        with open(self.path("station.pw"), "w") as f:
            f.write(self.users["station"] + "\n")
        with open(self.path("station.yaml"), "w") as f:
            f.write(f"""station: {{ site: {SITE}, database: station.sqlite, silent_after: 30s }}
mqtt: {{ host: 127.0.0.1, port: {self.port}, username: station, password_file: station.pw }}
http:
  logins:
    - {{ role: nurse, pin: "{NURSE_HASH}" }}
    - {{ role: doula, pin: "{DOULA_HASH}" }}
""")
        self.station = self.spawn("vigil station", [self.vigil, "station", "--config", self.path("station.yaml"),
                                                    "--http", "127.0.0.1:0"], PAGES_LINE)
        return self.station.wait_for(30)

    def start_room(self, room, scenario):
        with open(self.path(f"{room}.csv"), "w") as f:
            f.write(scenario)
        self.simulators[room] = self.spawn(f"simulator {room}", [self.vigil, "simulate", "contec-v7", "--link",
                                                                 self.path(f"{room}.tty"), "--scenario", self.path(f"{room}.csv")])
        with open(self.path(f"{room}.pw"), "w") as f:
            f.write(self.users[f"{SITE}/{room}"] + "\n")
        with open(self.path(f"{room}.yaml"), "w") as f:
            f.write(f"""site: {SITE}
room: {room}
database: {room}.sqlite
devices:
  - {{ name: oximeter, profile: {OXIMETER}, port: {self.path(room + ".tty")} }}
mqtt: {{ host: 127.0.0.1, port: {self.port}, username: {SITE}/{room}, password_file: {room}.pw }}
""")
        self.rooms[room] = self.spawn(f"vigil run {room}", [self.vigil, "run", "--config", self.path(f"{room}.yaml"),
                                                            "--socket", self.path(f"{room}.sock"), "--http", "off"])

    def stop(self):
        # The rooms and the station before the broker, so that they do not spend their end reconnecting.
        for child in reversed(self.children):
            child.stop()

    def report(self):
        for child in self.children:
            status = child.process.poll()
            print(f"----- {child.name} (pid {child.process.pid}, "
                  + ("running" if status is None else f"exit {status}") + ") printed -----", flush=True)
            print(child.output()[-20000:], flush=True)
        print("----- end of the processes' output -----", flush=True)


# ---------------------------------------------------------------------------------------------
# The browser


def viewport(driver, width, height):
    """Makes the page's viewport (innerWidth × innerHeight) exactly `width` × `height`: headless
    Chromium's window counts some browser chrome in its height."""
    driver.set_window_size(width, height)
    time.sleep(0.2)
    # (outerWidth is no guide: it stays at least 500 when the window is narrower.)
    iw, ih = driver.execute_script("return [innerWidth, innerHeight]")
    if (iw, ih) != (width, height):
        driver.set_window_size(2 * width - iw, 2 * height - ih)
        time.sleep(0.2)
    inner = driver.execute_script("return [innerWidth, innerHeight]")
    check(inner == [width, height], f"the page's viewport is {inner[0]}×{inner[1]}, not {width}×{height}")


def board(driver):
    """GET /api/rooms: each room's object by name."""
    reply = api(driver, "GET", "/api/rooms")
    check(reply["status"] == 200 and isinstance(reply["body"], dict),
          f"GET /api/rooms answered {reply['status']}: {reply['text'][:300]}")
    return {r["room"]: r for r in reply["body"].get("rooms", [])}


def tile_selector(room):
    return f'article.tile[data-room="{SITE}/{room}"]'


# What the page shows of each tile: class, border colour, text, each alarm line.
TILES_JS = """
    var out = {};
    document.querySelectorAll('article.tile').forEach(function (t) {
      var s = getComputedStyle(t);
      out[t.dataset.room] = {
        cls: t.className, border: s.borderTopColor, text: t.innerText,
        link: (t.querySelector('.tile-link') || {}).textContent || '',
        alarms: Array.prototype.map.call(t.querySelectorAll('.alarm'), function (a) {
          return {id: a.dataset.alarm, cls: a.className, text: a.innerText}; })
      };
    });
    return out;
"""

# Records, in the page, the wall time each tile first turned high red (class high and the
# border's computed colour), so that the delay does not depend on how often the test polls.
RED_WATCH_JS = """
    var red = arguments[0];
    window.__red = {};
    function look() {
      document.querySelectorAll('article.tile').forEach(function (t) {
        var key = t.dataset.room;
        if (!window.__red[key] && t.classList.contains('high') && getComputedStyle(t).borderTopColor === red) {
          window.__red[key] = Date.now();
        }
      });
    }
    new MutationObserver(look).observe(document.getElementById('tiles'),
      {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
    look();
"""

# Horizontal overflow at this width: the page's, and any tile's part sticking out of its tile or
# the window; the smallest text in the tiles.
LAYOUT_JS = """
    var problems = [], vw = innerWidth;
    var sw = document.scrollingElement.scrollWidth;
    if (sw > vw) problems.push('the page scrolls sideways: scrollWidth ' + sw + ' > innerWidth ' + vw);
    var smallest = 1e9, smallestValue = 1e9;
    document.querySelectorAll('article.tile').forEach(function (t) {
      var tb = t.getBoundingClientRect();
      if (tb.left < -0.5 || tb.right > vw + 0.5) problems.push(t.dataset.room + ': the tile spans ' + tb.left + '–' + tb.right + ' of ' + vw);
      t.querySelectorAll('*').forEach(function (e) {
        var b = e.getBoundingClientRect();
        if (!b.width || !b.height) return;
        var name = e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
        if (b.right > tb.right + 0.5 || b.left < tb.left - 0.5)
          problems.push(t.dataset.room + ': ' + name + ' "' + (e.innerText || '').slice(0, 40) + '" spans ' + Math.round(b.left) + '–'
                        + Math.round(b.right) + ', outside its tile ' + Math.round(tb.left) + '–' + Math.round(tb.right));
        if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
          problems.push(t.dataset.room + ': ' + name + ' clips its content (' + e.scrollWidth + ' > ' + e.clientWidth + ')');
        var own = Array.prototype.some.call(e.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
        if (own) {
          var size = parseFloat(getComputedStyle(e).fontSize);
          smallest = Math.min(smallest, size);
          if (e.classList.contains('tv-value')) smallestValue = Math.min(smallestValue, size);
        }
      });
    });
    return {problems: problems, scrollWidth: sw, innerWidth: vw, smallestText: smallest, smallestValue: smallestValue,
            tiles: document.querySelectorAll('article.tile').length};
"""


# ---------------------------------------------------------------------------------------------
# The story


class Story:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="vigil-station-story-")
        self.shots = os.path.abspath(args.screenshots) if args.screenshots else None
        self.extra = os.path.abspath(args.extra_screenshots) if args.extra_screenshots else None
        for d in (self.shots, self.extra):
            if d:
                os.makedirs(d, exist_ok=True)
        self.clinic = Clinic(args.vigil, self.tmp)
        self.drivers = []
        self.nurse = None
        self.alarm_id = None
        self.latency = None

    def screenshot(self, driver, name, extra=False):
        folder = self.extra if extra else self.shots
        if not folder:
            return
        path = os.path.join(folder, name)
        check(driver.save_screenshot(path), f"could not save the screenshot {path}")
        log(f"screenshot {path}")

    def tiles(self):
        return self.nurse.execute_script(TILES_JS)

    # a+b. The clinic starts; the nurse logs in at the station before the rooms come, sees one
    #      tile per room once they do, and turns the alarm sound on; each room starts a session.
    def clinic_opens(self):
        c = self.clinic
        c.start_broker()
        c.watch_alarms()
        self.base = c.start_station()
        log(f"station's pages on {self.base}")
        n = self.nurse = browser()
        self.drivers.append(n)
        viewport(n, *WIDE)
        submit_login(n, self.base, "nurse", NURSE_PIN)
        wait(n, "the nurse is not taken to the station's board (/) after logging in", 10, lambda d: path_of(d) == "/")
        wait(n, "the station page never got the board over /live", 10,
             lambda d: d.execute_script("return !!(window.VigilLive && window.VigilLive.lastMessage)"))
        n.execute_script(RED_WATCH_JS, HIGH_RED)
        sound = n.find_element(By.ID, "sound")
        check(sound.text.strip() == "Turn alarm sound on", f"the sound button says {sound.text!r}, not 'Turn alarm sound on'")
        sound.click()
        wait(n, "the alarm sound did not turn on after the click", 10,
             lambda d: d.execute_script("return !!(window.VigilAlarmSound && window.VigilAlarmSound.enabled)"))
        wait(n, "the sound button does not say the sound is on", 5,
             lambda d: d.find_element(By.ID, "sound").text.strip() == "Alarm sound is on")
        log("nurse logged in; alarm sound on")
        self.rooms_started_at = time.monotonic()
        for room in ROOMS:
            c.start_room(room, DESATURATION if room == DESATURATING else STEADY)
        # A command reaches a room only once it subscribes, which it does before saying it is
        # online: the tile's link says so.
        for room in ROOMS:
            until(f"{room} is not online on the station's board 30 s after it started", 30,
                  lambda: (board(n).get(room) or {}).get("link") == "ok", every=0.2)
            c.publish(f"vigil/{SITE}/{room}/cmd/start", '{"request":"s1","role":"nurse"}')
        last = {}

        def all_running():
            last.update(board(n))
            return all(((last.get(r) or {}).get("session") or {}).get("state") == "running" for r in ROOMS)

        try:
            until("not every room's session is running on the board", 20, all_running, every=0.2)
        except StepFailed as e:
            raise StepFailed(f"{e}: " + json.dumps({r: (last.get(r) or {}).get("session") for r in ROOMS}))
        log(f"sessions running in every room {time.monotonic() - self.rooms_started_at:.1f} s after the rooms started")
        shown = wait(n, "the page does not show one tile per room", 5,
                     lambda d: (lambda t: t if sorted(t) == sorted(f"{SITE}/{r}" for r in ROOMS) else None)(self.tiles()))
        for room in ROOMS:
            t = shown[f"{SITE}/{room}"]
            check(t["link"].strip().lower() == "online", f"{room}'s tile says {t['link']!r}, not online")
        wait(n, "a tile does not show its session running (phase · no dose yet)", 5,
             lambda d: all("no dose yet" in t["text"].lower() for t in self.tiles().values()))
        log("one tile per room, each online with its session running")

    # c. Room-2's desaturation: red within 2 s of its alarm event on the broker; the others not.
    def tile_turns_red(self):
        c, n = self.clinic, self.nurse

        def raised():
            for at, obj in c.alarms(DESATURATING):
                if obj.get("condition") == "spo2_low" and obj.get("priority") == "high" and obj.get("state") == "raised":
                    return at, obj
            return None

        at, event = until(f"{DESATURATING} published no high spo2_low on vigil/{SITE}/{DESATURATING}/alarms within 60 s of its start",
                          max(5, 60 - (time.monotonic() - self.rooms_started_at)), raised, every=0.02)
        self.alarm_id = event["id"]
        log(f"{DESATURATING} raised {self.alarm_id} on MQTT: {json.dumps(event)}")
        red_at = None
        deadline = time.monotonic() + LIMIT_S + 3
        while time.monotonic() < deadline:
            red_at = n.execute_script("return window.__red[arguments[0]] || null", f"{SITE}/{DESATURATING}")
            if red_at:
                break
            time.sleep(0.05)
        db = query(c.database(DESATURATING), "SELECT time, alarmId FROM alarmEvent WHERE alarmId = ? AND state = 'raised'",
                   (self.alarm_id,))
        check(red_at is not None, f"{DESATURATING}'s tile did not turn high red within {LIMIT_S + 3:.0f} s of the alarm on MQTT: "
              + json.dumps(self.tiles().get(f"{SITE}/{DESATURATING}")))
        self.latency = red_at / 1000 - at
        log(f"{DESATURATING}'s tile turned red {self.latency:+.3f} s after its alarm event arrived on MQTT"
            + (f" (room's database row time {db[0]['time']})" if db else ""))
        t = self.tiles()
        mine = t[f"{SITE}/{DESATURATING}"]
        check("high" in mine["cls"].split(), f"{DESATURATING}'s tile class is {mine['cls']!r}")
        check(mine["border"] == HIGH_RED, f"{DESATURATING}'s tile border is {mine['border']}, not {HIGH_RED}")
        check(any(a["id"] == self.alarm_id and "high" in a["cls"].split() and "80" in a["text"] for a in mine["alarms"]),
              f"{DESATURATING}'s tile has no high alarm line for {self.alarm_id} showing 80: {mine['alarms']}")
        for room in ROOMS:
            if room != DESATURATING:
                other = t[f"{SITE}/{room}"]
                check("high" not in other["cls"].split() and other["border"] != HIGH_RED,
                      f"the steady {room}'s tile is red too: class {other['cls']!r}, border {other['border']}")
        red = n.execute_script("return window.__red")
        check(set(red) == {f"{SITE}/{DESATURATING}"}, f"tiles that turned red: {red}")
        check(n.execute_script("return window.VigilAlarmSound.playing") == "high",
              "the station page with its sound on is not sounding the high alarm")
        check(self.latency <= LIMIT_S, f"{DESATURATING}'s tile turned red {self.latency:.2f} s after the alarm event (limit {LIMIT_S:.0f} s)")
        time.sleep(0.5)
        self.screenshot(n, "station.png")

    # d. The nurse acknowledges the alarm in the tile; the room confirms; the room's own audit says so.
    def nurse_acknowledges(self):
        check(self.alarm_id, "no alarm to acknowledge (step c failed)")
        c, n = self.clinic, self.nurse
        line = f'{tile_selector(DESATURATING)} .alarm[data-alarm="{self.alarm_id}"]'
        # The tile redraws its alarm lines with every board (every second): a button found a
        # moment ago may be gone, so find and click again until one click lands.
        for attempt in range(5):
            try:
                button = n.find_element(By.CSS_SELECTOR, line + " button.ack")
                check(button.is_enabled(), "the tile's Acknowledge button is disabled before the nurse clicked it")
                check(button.text.strip() == "Acknowledge", f"the tile's ack button says {button.text!r}")
                button.click()
                break
            except StaleElementReferenceException:
                if attempt == 4:
                    raise StepFailed("the Acknowledge button was redrawn under every click (5 tries)")
        clicked = time.monotonic()
        wait(n, f"the tile's alarm line does not say 'acknowledged by nurse' 10 s after Acknowledge", 10,
             lambda d: "acknowledged by nurse" in d.execute_script(
                 "var l = document.querySelector(arguments[0]); return l ? l.innerText : '';", line))
        log(f"the tile says acknowledged by nurse {time.monotonic() - clicked:.2f} s after the click")
        error = n.find_element(By.ID, "command-error").text
        check(not error, f"the station page shows an error after Acknowledge: {error}")
        shown = n.execute_script("var l = document.querySelector(arguments[0]); return l && {cls: l.className, "
                                 "ack: l.querySelector('button.ack').disabled};", line)
        check(shown and "acknowledged" in shown["cls"].split() and shown["ack"],
              f"the acknowledged alarm line is not marked acknowledged with its button disabled: {shown}")
        audit = until(f"no ack audit row for {self.alarm_id} in {DESATURATING}'s database", 5,
                      lambda: query(c.database(DESATURATING), "SELECT role, source, detail FROM audit WHERE action = 'ack' AND detail = ?",
                                    (self.alarm_id,)))
        check([(a["role"], a["source"]) for a in audit] == [("nurse", "mqtt")],
              f"{DESATURATING}'s audit of the ack is {audit}, not one row by nurse over mqtt")
        events = query(c.database(DESATURATING), "SELECT role FROM alarmEvent WHERE alarmId = ? AND state = 'acknowledged'",
                       (self.alarm_id,))
        check(events and events[0]["role"] == "nurse", f"{DESATURATING}'s acknowledged alarm events: {events}")
        log(f"{DESATURATING}'s audit: {audit}")
        self.screenshot(n, "station-acknowledged.png", extra=True)

    # e. Room-3's agent dies: the station says so on its tile, high.
    def room_dies(self):
        c, n = self.clinic, self.nurse
        c.rooms[KILLED].kill(signal.SIGKILL)
        killed = time.monotonic()
        log(f"killed {KILLED}'s vigil run (SIGKILL)")
        line = f'{tile_selector(KILLED)} .alarm[data-alarm="station:{SITE}/{KILLED}"]'
        wait(n, f"{KILLED}'s tile does not say OFFLINE with the station's ROOM OFFLINE alarm 30 s after the kill", 30,
             lambda d: (lambda t: t and t["link"].strip() == "OFFLINE"
                        and any(a["id"] == f"station:{SITE}/{KILLED}" and "ROOM OFFLINE" in a["text"] for a in t["alarms"]))
             (self.tiles().get(f"{SITE}/{KILLED}")))
        log(f"{KILLED}'s tile says OFFLINE {time.monotonic() - killed:.1f} s after the kill")
        t = self.tiles()[f"{SITE}/{KILLED}"]
        own = [a for a in t["alarms"] if a["id"] == f"station:{SITE}/{KILLED}"][0]
        check("high" in own["cls"].split(), f"the ROOM OFFLINE line is not high: {own}")
        check("high" in t["cls"].split() and t["border"] == HIGH_RED, f"{KILLED}'s offline tile is not red: {t['cls']!r} {t['border']}")
        b = board(n)
        check(((b[KILLED].get("station_alarm") or {}).get("reason"), (b[KILLED].get("station_alarm") or {}).get("priority"))
              == ("room_offline", "high"), f"the board's station alarm for {KILLED}: {b[KILLED].get('station_alarm')}")
        check(b[ENDED]["link"] == "ok" and b[DESATURATING]["link"] == "ok",
              f"the other rooms' links: {ENDED} {b[ENDED]['link']}, {DESATURATING} {b[DESATURATING]['link']}")
        check(n.find_elements(By.CSS_SELECTOR, line + " button.ack"), "the ROOM OFFLINE line has no Acknowledge button")

    # f. Phone and desk widths: no sideways scroll, nothing out of its tile, text big enough.
    def widths(self):
        n = self.nurse
        time.sleep(0.3)
        for size, name in ((NARROW, "phone"), (WIDE, "desk")):
            viewport(n, *size)
            time.sleep(0.4)
            layout = n.execute_script(LAYOUT_JS)
            log(f"{name} {size[0]}×{size[1]}: scrollWidth {layout['scrollWidth']}, innerWidth {layout['innerWidth']}, "
                f"{layout['tiles']} tiles, smallest text {layout['smallestText']} px, smallest value {layout['smallestValue']} px")
            check(layout["tiles"] == len(ROOMS), f"{layout['tiles']} tiles at {name} width")
            check(not layout["problems"], f"at {size[0]}×{size[1]}: " + "; ".join(layout["problems"][:10]))
            check(layout["smallestText"] >= 12, f"text in a tile is {layout['smallestText']} px at {name} width")
            check(layout["smallestValue"] >= 24, f"a vital's number is {layout['smallestValue']} px at {name} width")
            if size == NARROW:
                self.screenshot(n, "station-phone.png")
                fit_window(n, *NARROW)
                self.screenshot(n, "station-phone-full.png", extra=True)
            else:
                self.screenshot(n, "station-later.png", extra=True)

    # g. Room-1 ends its session: the station's /sessions lists sessions across rooms.
    def sessions(self):
        c, n = self.clinic, self.nurse
        c.publish(f"vigil/{SITE}/{ENDED}/cmd/stop", '{"request":"s2","role":"nurse"}')
        until(f"{ENDED}'s session is not ended on the board 30 s after cmd/stop", 30,
              lambda: ((board(n).get(ENDED) or {}).get("session") or {}).get("state") != "running", every=0.3)
        rows = {}

        def listed():
            n.get(self.base + "/sessions")
            check(path_of(n) == "/sessions", f"the nurse opening /sessions is at {n.current_url}")
            rows.clear()
            for tr in n.find_elements(By.CSS_SELECTOR, "table.sessions tbody tr"):
                cells = {td.get_attribute("data-label"): td.text for td in tr.find_elements(By.TAG_NAME, "td")}
                rows.setdefault(cells.get("Room"), []).append(cells)
            return any(r.get("Length") != "running" for r in rows.get(f"{SITE}/{ENDED}", []))

        try:
            until(f"/sessions does not list {ENDED}'s ended session", 20, listed, every=1)
        except StepFailed as e:
            raise StepFailed(f"{e}; listed: {json.dumps(rows)}")
        log("/sessions lists: " + json.dumps(rows))
        listed_rooms = sorted(r for r in rows if r)
        check(len(listed_rooms) >= 2, f"/sessions lists sessions of {listed_rooms} only, not across rooms")
        link = n.find_elements(By.CSS_SELECTOR, f'table.sessions a[href^="/sessions/{SITE}/{ENDED}/"]')
        check(link, f"/sessions has no link to {ENDED}'s session")
        fit_window(n, *WIDE)
        self.screenshot(n, "station-sessions.png")
        layout = n.execute_script("return [document.scrollingElement.scrollWidth, innerWidth]")
        check(layout[0] <= layout[1], f"/sessions scrolls sideways at 1280: {layout}")
        viewport(n, *NARROW)
        time.sleep(0.3)
        layout = n.execute_script("return [document.scrollingElement.scrollWidth, innerWidth]")
        self.screenshot(n, "station-sessions-phone.png", extra=True)
        check(layout[0] <= layout[1], f"/sessions scrolls sideways at 390: {layout}")
        viewport(n, *WIDE)
        n.get(self.base + link[0].get_attribute("pathname"))
        wait(n, f"{ENDED}'s session page shows no report", 10,
             lambda d: d.find_elements(By.CSS_SELECTOR, "pre.report") or d.find_elements(By.CSS_SELECTOR, ".banner.info"))
        fit_window(n, *WIDE)
        self.screenshot(n, "station-session-report.png", extra=True)
        viewport(n, *WIDE)

    # h. A doula logs in at the station: told there is no page here for a doula, with no link
    #    that leads back to the same refusal, and a Log out that works.
    def doula_has_no_page(self):
        d = browser()
        self.drivers.append(d)
        viewport(d, *NARROW)
        submit_login(d, self.base, "doula", DOULA_PIN)
        wait(d, "the doula's login does not end on a page that says why", 10,
             lambda x: "No page here is for a doula" in x.find_element(By.TAG_NAME, "main").text)
        links = [a.get_attribute("pathname") for a in d.find_elements(By.CSS_SELECTOR, "main a")]
        check(path_of(d) not in links and "/" not in links, f"the refusal links back to itself: {links} at {path_of(d)}")
        self.screenshot(d, "station-doula.png", extra=True)
        # The board's feed is refused before the upgrade, not a socket that opens and closes.
        host = self.base.split("//", 1)[1]
        conn = http.client.HTTPConnection(host, timeout=5)
        conn.request("GET", "/live", headers={
            "Cookie": "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies()), "Origin": self.base,
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13"})
        status = conn.getresponse().status
        conn.close()
        # hummingbird-websocket answers any refused upgrade 400; what matters is no 101.
        check(status in (400, 403), f"the doula's /live at the station answered {status}, not a refusal")
        log(f"the doula's /live at the station is refused before the upgrade: {status}")
        d.find_element(By.CSS_SELECTOR, "form.logout button").click()
        wait(d, "Log out does not lead to the login page", 10, lambda x: x.find_elements(By.ID, "pin"))

    def run(self):
        steps = [
            ("ab. mosquitto and the station; the nurse logs in, turns the sound on; three rooms, a session in each, "
             "one tile per room", self.clinic_opens, []),
            ("c. room-2 desaturates: its tile turns red within 2 s of its alarm on MQTT; the others do not", self.tile_turns_red, ["ab"]),
            ("d. the nurse acknowledges in the tile; room-2's audit says nurse over mqtt", self.nurse_acknowledges, ["c"]),
            ("e. room-3 killed: its tile says OFFLINE with the station's ROOM OFFLINE alarm", self.room_dies, ["ab"]),
            ("f. 390×844 and 1280×900: no sideways scroll, tiles readable", self.widths, ["ab"]),
            ("g. room-1 ends its session: /sessions lists sessions across rooms", self.sessions, ["ab"]),
            ("h. a doula at the station is told there is no page for a doula, and can log out", self.doula_has_no_page, ["ab"]),
        ]
        def none_died(key):
            dead = [ch.name for ch in self.clinic.children if not ch.alive and ch is not self.clinic.rooms.get(KILLED)]
            return f"exited during step {key}: {', '.join(dead)}" if dead else None
        results = run_steps(steps, none_died)
        ok = all(v == "pass" for v in results.values()) and len(results) == len(steps)
        latency = f" latency={self.latency:.3f}s" if self.latency is not None else ""
        print("station story: " + " ".join(f"{k}={v}" for k, v in results.items()) + latency, flush=True)
        return ok

    def close(self, ok):
        for d in self.drivers:
            try:
                d.quit()
            except Exception:
                try:
                    d.service.stop()
                except Exception:
                    pass
        self.clinic.stop()
        if not ok:
            self.clinic.report()
        if self.args.keep:
            print(f"kept {self.tmp} (databases, configs)", flush=True)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vigil", default=os.path.join(REPO, ".build", "debug", "vigil"), help="the vigil binary")
    parser.add_argument("--screenshots", help="write station.png, station-phone.png and station-sessions.png here")
    parser.add_argument("--extra-screenshots", help="also write screenshots for checking the pages here: the acknowledged "
                        "alarm, the phone page's whole length, the board after the kill, the sessions page at 390 and a report")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, configs)")
    args = parser.parse_args()
    args.vigil = os.path.abspath(args.vigil)
    if not os.access(args.vigil, os.X_OK):
        print(f"FAIL: no vigil binary at {args.vigil} (build it, or pass --vigil PATH)", flush=True)
        return 1
    for tool in ("/usr/sbin/mosquitto", "/usr/bin/mosquitto_pub", "/usr/bin/mosquitto_sub", "/usr/bin/mosquitto_passwd"):
        if not os.access(tool, os.X_OK):
            print(f"FAIL: {tool} is missing (apt-get install mosquitto mosquitto-clients)", flush=True)
            return 1
    story = Story(args)
    ok = False

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        ok = story.run()
    except KeyboardInterrupt:
        print("FAIL: interrupted", flush=True)
    finally:
        story.close(ok)
    log("passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
