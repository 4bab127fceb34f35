#!/usr/bin/python3
"""The web story in a real browser (issue #14): headless Chromium driven by Selenium against a
`vigil demo` on a free loopback port, playing Tests/Fixtures/browser/web-story.csv.

  a. the doula logs in, starts a session (P-TEST-7), marks the dose, plays and pauses the music;
  b. the nurse logs in in a second browser; the desaturation's high alarm shows on her page
     within 2 s of the engine committing it to the database;
  c. the doula's attempt to acknowledge it is refused (403) and audited;
  d. the nurse acknowledges it; the database shows who did, the audit says so (source web);
  e. the doula ends the session (with the one confirmation);
  f. the provider opens the finished session, prints it (1-2 pages), downloads its FHIR export
     and logs out;
  g. without a login: the pages send the browser to /login and the API answers 401;
  h. the agent stops answering (SIGSTOP): the nurse's page says NOT LIVE and, with its sound on,
     sounds; when the agent answers again the page is live again.

Run with Debian's Python (it has python3-selenium):
    /usr/bin/python3 Tests/Browser/web_story.py [--vigil .build/debug/vigil] [--screenshots docs/screenshots]
Exit status 0 only when every step passed; the demo's output is printed on any failure.
"""

import argparse
import base64
import glob
import json
import os
import queue
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from story import NARROW, WIDE, StepFailed, api, browser, check, fit_window, log, path_of, run_steps, submit_login, wait

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(REPO, "Tests", "Fixtures", "browser", "web-story.csv")
# At this speed the scenario's desaturation (scenario 200 s) lands 50 real seconds after the start.
SPEED = 4
PINS = {"nurse": "2580", "doula": "1470", "provider": "3690"}
WEB_LINE = re.compile(r"^web\s+open (http://127\.0\.0\.1:\d+)/ and log in")


# ---------------------------------------------------------------------------------------------
# The demo


class Demo:
    def __init__(self, vigil, tmp, playlist=None):
        self.tmp = tmp
        self.db = os.path.join(tmp, "vigil.sqlite")
        self.lines = []
        self.lock = threading.Lock()
        self.url = None
        args = [vigil, "demo", "--scenario", SCENARIO, "--speed", str(SPEED), "--db", self.db,
                "--devices", os.path.join(tmp, "dev"), "--socket", os.path.join(tmp, "ctl.sock"),
                "--audio-device", "null", "--http", "127.0.0.1:0"]
        if playlist:
            args += ["--playlist", playlist]
        log("starting " + " ".join(args))
        # Its own process group, so that the end of the test ends everything it started.
        self.process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self.started = time.monotonic()
        self.found = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.lock:
                self.lines.append(line)
            m = WEB_LINE.match(line)
            if m and self.url is None:
                self.url = m.group(1)
                self.found.put(self.url)
        self.found.put(None)

    def wait_for_url(self, timeout=30):
        try:
            url = self.found.get(timeout=timeout)
        except queue.Empty:
            url = None
        if url is None:
            try:
                status = self.process.wait(timeout=1)
                raise StepFailed(f"vigil demo exited with status {status} without printing its 'web     open http://…' line")
            except subprocess.TimeoutExpired:
                raise StepFailed(f"vigil demo printed no 'web     open http://…' line within {timeout} s") from None
        return url

    def output(self):
        with self.lock:
            return "\n".join(self.lines)

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=5)

    # The database, read-only, as the provider's records will be read.
    def query(self, sql, params=()):
        if not os.path.exists(self.db):
            return []
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=2)
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(sql, params)]
        finally:
            con.close()


# ---------------------------------------------------------------------------------------------
# Browsers


def log_in(driver, base, role, expect_path):
    submit_login(driver, base, role, PINS[role])
    wait(driver, f"the {role} is not taken to {expect_path} after logging in", 10,
         lambda d: path_of(d) == expect_path)


def state(driver):
    reply = api(driver, "GET", "/api/state")
    check(reply["status"] == 200 and isinstance(reply["body"], dict),
          f"GET /api/state answered {reply['status']}: {reply['text'][:300]}")
    return reply["body"]


def wait_state(driver, what, timeout, predicate):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = state(driver)
        if predicate(last):
            return last
        time.sleep(0.2)
    summary = {k: last.get(k) for k in ("session", "music")} if last else None
    raise StepFailed(f"{what} (waited {timeout} s; last /api/state: {json.dumps(summary)})")


# ---------------------------------------------------------------------------------------------
# The story


class Story:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="vigil-web-story-")
        self.downloads = os.path.join(self.tmp, "downloads")
        os.makedirs(self.downloads)
        self.shots = os.path.abspath(args.screenshots) if args.screenshots else None
        self.extra = os.path.abspath(args.extra_screenshots) if args.extra_screenshots else None
        for d in (self.shots, self.extra):
            if d:
                os.makedirs(d, exist_ok=True)
        self.drivers = []
        self.demo = None
        self.alarm_id = None
        self.session_id = None

    def new_browser(self, downloads=False):
        driver = browser(self.downloads if downloads else None)
        self.drivers.append(driver)
        return driver

    def screenshot(self, driver, name, extra=False):
        folder = self.extra if extra else self.shots
        if not folder:
            return
        path = os.path.join(folder, name)
        check(driver.save_screenshot(path), f"could not save the screenshot {path}")
        log(f"screenshot {path}")

    def narrow_screenshot(self, driver, name):
        if not self.extra:
            return
        # What a phone shows first, then the whole page at that width.
        driver.set_window_size(*NARROW)
        time.sleep(0.4)
        self.screenshot(driver, name, extra=True)
        fit_window(driver, *NARROW)
        self.screenshot(driver, name.replace(".png", "-full.png"), extra=True)
        driver.set_window_size(*WIDE)

    # a. The doula starts the session, marks the dose, plays and pauses the music.
    def doula_starts(self):
        d = self.doula = self.new_browser()
        if self.extra:
            d.get(self.base + "/login")
            self.screenshot(d, "login.png", extra=True)
        log_in(d, self.base, "doula", "/doula")
        wait(d, "the doula page never got the room's state over /live", 10,
             lambda d: d.execute_script("return !!(window.VigilLive && window.VigilLive.state)"))
        d.find_element(By.ID, "patient-reference").send_keys("P-TEST-7")
        d.find_element(By.ID, "start").click()
        wait(d, "the session did not start: the start row is still shown", 10,
             lambda d: not d.find_element(By.ID, "start-row").is_displayed())
        s = state(d)["session"]
        check(s["status"] == "running", f"after Start session the status is {s['status']!r}, not running")
        check(s["patient_reference"] == "P-TEST-7", f"the session's patient reference is {s['patient_reference']!r}")
        rows = self.demo.query("SELECT * FROM session WHERE id = ?", (s["id"],))
        check(rows and rows[0]["patientReference"] == "P-TEST-7" and rows[0]["startedBy"] == "doula",
              f"the database's session row is {rows}")
        self.session_id = s["id"]
        log(f"session {self.session_id} started by the doula")
        # The BP before the dose: the agent measures one as the session starts.
        wait_state(d, "no blood pressure was measured after the start (the dose needs one first)", 25,
                   lambda st: (st["vitals"].get("systolic") or {}).get("value") is not None
                   and st["vitals"]["systolic"]["time"] >= st["session"]["started_at"] - 1)
        d.find_element(By.ID, "dose").click()
        wait(d, "after Mark dose the dose button is still enabled or no time since the dose is shown", 10,
             lambda d: not d.find_element(By.ID, "dose").is_enabled()
             and "since the dose" in d.find_element(By.ID, "since-dose").text)
        check(state(d)["session"]["dose_at"] is not None, "the room has no dose time after Mark dose")
        check(self.demo.query("SELECT 1 FROM audit WHERE action = 'dose' AND role = 'doula' AND source = 'web'"),
              "no audit row for the doula's dose (action dose, role doula, source web)")
        log("dose marked")
        # The music: play (unless the playlist already plays at the session's start), then pause.
        wait_state(d, "the room has no music (music is null in /api/state)", 5, lambda st: st.get("music") is not None)
        if (state(d).get("music") or {}).get("state") not in ("playing", "fading"):
            wait(d, "the Play button stays disabled while the music is stopped", 5,
                 lambda d: d.find_element(By.ID, "music-play").is_enabled())
            d.find_element(By.ID, "music-play").click()
        wait_state(d, "the music is not playing after Play", 10,
                   lambda st: (st.get("music") or {}).get("state") in ("playing", "fading"))
        wait(d, "the Pause button did not come back enabled after Play", 5,
             lambda d: d.find_element(By.ID, "music-pause").is_enabled())
        d.find_element(By.ID, "music-pause").click()
        st = wait_state(d, "music.state in /api/state is not paused after Pause", 10,
                        lambda st: (st.get("music") or {}).get("state") == "paused")
        wait(d, "the doula page does not show the music paused (❚❚)", 5,
             lambda d: d.find_element(By.ID, "now-playing").text.startswith("❚❚"))
        check(self.demo.query("SELECT 1 FROM audit WHERE action = 'music.pause' AND role = 'doula' AND source = 'web'"),
              "no audit row for the doula's music pause (role doula, source web)")
        log(f"music paused: {st['music']}")

    # b. The nurse sees the desaturation's high alarm within 2 s of the engine raising it.
    def nurse_sees_alarm(self):
        n = self.nurse = self.new_browser()
        log_in(n, self.base, "nurse", "/")
        wait(n, "the nurse page never got the room's state over /live", 10,
             lambda d: d.execute_script("return !!(window.VigilLive && window.VigilLive.state)"))
        early = self.demo.query("SELECT alarmId FROM alarmEvent WHERE condition = 'spo2_low' AND priority = 'high'")
        check(not early, f"the desaturation's alarm was raised {time.monotonic() - self.demo.started:.0f} s into the demo, "
              "before the nurse was watching: this machine is too slow for the story's timing")
        log("nurse logged in; waiting for the desaturation")
        seen = {}
        stop = threading.Event()

        def watch_db():
            while not stop.is_set():
                try:
                    rows = self.demo.query(
                        "SELECT alarmId, state, priority, value, phase FROM alarmEvent WHERE condition = 'spo2_low' "
                        "AND priority = 'high' ORDER BY id LIMIT 1")
                except sqlite3.Error:
                    rows = []
                if rows:
                    seen["at"] = time.monotonic()
                    seen["row"] = rows[0]
                    return
                time.sleep(0.02)

        watcher = threading.Thread(target=watch_db, daemon=True)
        watcher.start()
        # The scenario's desaturation starts 50 s after the demo started, high 5 scenario seconds later.
        deadline = self.demo.started + 200 / SPEED + 40
        page_at = None
        selector = '.alarm.high[data-condition^="spo2"]'
        try:
            while time.monotonic() < deadline:
                if n.find_elements(By.CSS_SELECTOR, selector):
                    page_at = time.monotonic()
                    break
                if "at" in seen and time.monotonic() - seen["at"] > 5:
                    break
                time.sleep(0.05)
        finally:
            stop.set()
        watcher.join(timeout=2)
        check("at" in seen, "the engine raised no high spo2_low alarm (no alarmEvent row) by "
              f"{deadline - self.demo.started:.0f} s after the demo started")
        row = seen["row"]
        self.alarm_id = row["alarmId"]
        log(f"engine raised {self.alarm_id} ({row}) at {seen['at'] - self.demo.started:.2f} s after the demo started")
        check(page_at is not None, f"the nurse page did not show {selector} for alarm {self.alarm_id} "
              f"(database row seen {time.monotonic() - seen['at']:.1f} s ago)")
        delay = page_at - seen["at"]
        log(f"alarm on the nurse page {delay:+.3f} s after its database row appeared")
        check(delay <= 2.0, f"the alarm reached the nurse page {delay:.2f} s after the engine raised it (limit 2 s)")
        shown = n.execute_script("""
            var r = document.querySelector(arguments[0]); if (!r) return null;
            var box = r.getBoundingClientRect(), style = getComputedStyle(r);
            return {id: r.dataset.alarm, text: r.innerText, top: box.top, bottom: box.bottom, height: box.height,
                    visible: style.visibility !== 'hidden' && style.display !== 'none' && box.height > 0};""", selector)
        check(shown, "the alarm row left the page at once")
        check(shown["id"] == self.alarm_id, f"the page's high SpO2 alarm is {shown['id']}, the database's {self.alarm_id}")
        check(shown["visible"] and 0 <= shown["top"] and shown["bottom"] <= WIDE[1],
              f"the alarm row is not visible in the nurse's window without scrolling: {shown}")
        check("80" in shown["text"], f"the alarm row does not show the value 80: {shown['text']!r}")
        self.screenshot(n, "nurse.png")
        self.narrow_screenshot(n, "nurse-narrow.png")

    # c. The doula may not acknowledge: 403, a JSON error, and a refusal in the audit.
    def doula_refused(self):
        check(self.alarm_id, "no alarm to acknowledge (step b failed)")
        reply = api(self.doula, "POST", f"/api/alarms/{self.alarm_id}/ack", {})
        check(reply["status"] == 403, f"the doula's acknowledge answered {reply['status']}, not 403: {reply['text'][:300]}")
        check(isinstance(reply["body"], dict) and reply["body"].get("error"),
              f"the refusal has no JSON error: {reply['text'][:300]}")
        log(f"doula refused: {reply['body']}")
        rows = self.demo.query("SELECT * FROM audit WHERE action = 'refused' AND role = 'doula' AND source = 'web' "
                               "AND detail LIKE '%ack%'")
        check(rows, "no audit row for the doula's refused acknowledge (action refused, role doula, source web); audit: "
              + json.dumps(self.demo.query("SELECT role, action, detail, source FROM audit ORDER BY id DESC LIMIT 8")))
        events = self.demo.query("SELECT * FROM alarmEvent WHERE alarmId = ? AND state = 'acknowledged'", (self.alarm_id,))
        check(not events, f"the alarm was acknowledged by the doula's refused request: {events}")

    # d. The nurse acknowledges; the page and the database say who did.
    def nurse_acknowledges(self):
        check(self.alarm_id, "no alarm to acknowledge (step b failed)")
        n = self.nurse
        row = f'.alarm[data-alarm="{self.alarm_id}"]'
        # The page redraws its alarm list with each state message (every second): an element
        # found a moment ago may be gone, so find and click again until one click lands.
        for attempt in range(5):
            try:
                button = n.find_element(By.CSS_SELECTOR, row + " button.ack")
                check(button.is_enabled(), "the Acknowledge button is disabled before the nurse clicked it")
                button.click()
                break
            except StaleElementReferenceException:
                if attempt == 4:
                    raise StepFailed("the Acknowledge button was redrawn under every click (5 tries)")

        def shown_acknowledged(d):
            return d.execute_script(
                "var r = document.querySelector(arguments[0]); return !r || r.classList.contains('acknowledged');", row)

        wait(n, f"alarm {self.alarm_id} is neither shown acknowledged nor gone after Acknowledge", 5, shown_acknowledged)
        error = n.find_element(By.ID, "command-error").text
        check(not error, f"the nurse page shows an error after Acknowledge: {error}")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            events = self.demo.query("SELECT * FROM alarmEvent WHERE alarmId = ? AND state = 'acknowledged'", (self.alarm_id,))
            if events:
                break
            time.sleep(0.1)
        check(events, f"no acknowledged event for {self.alarm_id} in the database")
        check(events[0]["role"] == "nurse", f"the acknowledgement is by {events[0]['role']!r}, not nurse")
        audit = self.demo.query("SELECT * FROM audit WHERE action = 'ack' AND role = 'nurse' AND source = 'web' AND detail = ?",
                                (self.alarm_id,))
        check(audit, f"no audit row (action ack, role nurse, source web, detail {self.alarm_id})")
        time.sleep(0.3)
        self.screenshot(n, "nurse-acknowledged.png", extra=True)
        log(f"nurse acknowledged {self.alarm_id}; page row: "
            + ("gone" if not n.execute_script("return document.querySelector(arguments[0])", row) else "acknowledged"))

    # e. The doula ends the session through its one confirmation.
    def doula_ends(self):
        d = self.doula
        time.sleep(0.5)  # the acknowledgement's state message reaches the page
        self.screenshot(d, "doula.png")
        self.narrow_screenshot(d, "doula-narrow.png")
        d.find_element(By.ID, "end").click()
        wait(d, "no confirmation dialog after End session…", 5,
             lambda d: d.execute_script("return document.getElementById('confirm-end').open"))
        d.find_element(By.ID, "end-confirm").click()
        st = wait_state(d, "the session is still running after End session was confirmed", 10,
                        lambda st: st["session"]["status"] in ("idle", "ended"))
        error = d.find_element(By.ID, "command-error").text
        check(not error, f"the doula page shows an error after ending: {error}")
        rows = self.demo.query("SELECT endedAt, endedBy FROM session WHERE id = ?", (self.session_id,))
        check(rows and rows[0]["endedAt"] is not None and rows[0]["endedBy"] == "doula",
              f"the database's session is not ended by the doula: {rows}")
        log(f"session ended: status {st['session']['status']}")

    # f. The provider reviews the finished session, prints it and downloads its FHIR export.
    def provider_reviews(self):
        check(self.session_id, "no session (step a failed)")
        p = self.provider = self.new_browser(downloads=True)
        log_in(p, self.base, "provider", "/sessions")
        links = p.find_elements(By.CSS_SELECTOR, f'a[href="/sessions/{self.session_id}"]')
        check(links, f"/sessions has no link to the session {self.session_id}; links: "
              + str([a.get_attribute("href") for a in p.find_elements(By.CSS_SELECTOR, 'a[href^="/sessions/"]')]))
        links[0].click()
        wait(p, f"the session link did not open /sessions/{self.session_id}", 10,
             lambda d: path_of(d) == f"/sessions/{self.session_id}")
        wait(p, "the session page is not loaded", 10,
             lambda d: d.execute_script("return document.readyState") == "complete")
        self.review_session(p)

    def review_session(self, p):
        fhir = p.find_elements(By.CSS_SELECTOR, 'a[href$="format=fhir"]')
        missing = [f for f in ("csv", "json", "fhir") if not p.find_elements(By.CSS_SELECTOR, f'a[href$="format={f}"]')]
        check(not missing, "the session page has no download link for " + ", ".join(missing)
              + " (a[href$=\"format=…\"]) — are the review pages still a stub?")
        check(p.find_elements(By.CSS_SELECTOR, ".print-button"), "the session page has no .print-button")
        # The whole page at 1280 wide.
        fit_window(p, *WIDE)
        self.screenshot(p, "review.png")
        # The printed page: print media at about A4's width.
        p.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        fit_window(p, 794, 1123)
        self.screenshot(p, "print.png")
        pdf = base64.b64decode(p.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True, "preferCSSPageSize": True})["data"])
        pdf_path = os.path.join(self.tmp, "session.pdf")
        with open(pdf_path, "wb") as f:
            f.write(pdf)
        pages = pdf_pages(pdf_path, pdf)
        log(f"printed session: {pages} page(s), {len(pdf)} bytes")
        check(1 <= pages <= 2, f"the printed session is {pages} pages (A4), not 1–2")
        p.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        p.set_window_size(*WIDE)
        # The FHIR export, downloaded as the provider would.
        for old in glob.glob(os.path.join(self.downloads, "*")):
            os.remove(old)
        p.execute_script("arguments[0].scrollIntoView({block: 'center'})", fhir[0])
        fhir[0].click()
        deadline = time.monotonic() + 15
        files = []
        while time.monotonic() < deadline:
            files = [f for f in glob.glob(os.path.join(self.downloads, "*"))
                     if not f.endswith((".crdownload", ".tmp")) and os.path.getsize(f) > 0]
            if files:
                break
            time.sleep(0.2)
        check(files, "no file arrived in the download folder within 15 s of clicking the FHIR link; there: "
              + str(os.listdir(self.downloads)))
        time.sleep(0.2)
        with open(files[0], encoding="utf-8") as f:
            try:
                bundle = json.load(f)
            except ValueError as e:
                raise StepFailed(f"the FHIR download {os.path.basename(files[0])} is not JSON: {e}")
        check(bundle.get("resourceType") == "Bundle", f"the FHIR download's resourceType is {bundle.get('resourceType')!r}")
        spo2 = [e for e in bundle.get("entry", [])
                if (e.get("resource") or {}).get("resourceType") == "Observation"
                and any(c.get("code") in ("59408-5", "2708-6")
                        for c in ((e["resource"].get("code") or {}).get("coding") or []))]
        check(spo2, "the FHIR Bundle has no SpO2 Observation (LOINC 59408-5 or 2708-6)")
        log(f"FHIR export {os.path.basename(files[0])}: {len(bundle.get('entry', []))} entries, {len(spo2)} SpO2")
        # The provider leaves: Log out ends the login at once, in this browser.
        p.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        p.find_element(By.CSS_SELECTOR, "form.logout button").click()
        wait(p, "Log out does not lead to /login", 10, lambda d: path_of(d) == "/login")
        p.get(self.base + f"/sessions/{self.session_id}")
        wait(p, "after Log out the session page still opens", 10, lambda d: path_of(d) == "/login")
        log("provider logged out")

    # h. The room's agent stops answering (SIGSTOP): the nurse's page says so loudly, and with
    #    sound on it sounds; when the room answers again, the page is live again.
    def room_goes_quiet(self):
        n = self.nurse
        n.get(self.base + "/")
        wait(n, "the nurse page never got the room's state", 10,
             lambda d: d.execute_script("return !!(window.VigilLive && window.VigilLive.state)"))
        n.find_element(By.ID, "sound").click()
        wait(n, "the alarm sound did not turn on after the click", 10,
             lambda d: d.execute_script("return window.VigilAlarmSound.enabled"))
        os.killpg(self.demo.process.pid, signal.SIGSTOP)
        try:
            wait(n, "the page does not say NOT LIVE 8 s after the room stopped answering", 8,
                 lambda d: "NOT LIVE" in d.find_element(By.ID, "stale").text
                 and d.find_element(By.ID, "stale").is_displayed())
            wait(n, "the page with sound on stays silent while the room does not answer", 4,
                 lambda d: d.execute_script("return window.VigilAlarmSound.playing") == "medium")
            log("the nurse page says NOT LIVE and sounds a medium alarm")
        finally:
            os.killpg(self.demo.process.pid, signal.SIGCONT)
        wait(n, "the page is not live again 10 s after the room answers again", 10,
             lambda d: not d.find_element(By.ID, "stale").is_displayed())

    # g. Nothing without a login.
    def anonymous(self):
        a = self.new_browser()
        a.get(self.base + "/")
        wait(a, "a browser without a login opening / is not sent to /login", 10, lambda d: path_of(d) == "/login")
        check(a.find_elements(By.ID, "pin"), "the login page has no PIN field")
        for path in ("/doula", "/sessions"):
            a.get(self.base + path)
            wait(a, f"a browser without a login opening {path} is not sent to /login", 10, lambda d: path_of(d) == "/login")
        try:
            with urllib.request.urlopen(self.base + "/api/state", timeout=5) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        check(status == 401, f"GET /api/state without a cookie answered {status}, not 401")
        try:
            error = json.loads(body).get("error")
        except ValueError:
            error = None
        check(error, f"the 401 has no JSON error: {body[:200]!r}")

    def run(self):
        steps = [
            ("a. doula logs in, starts P-TEST-7, marks the dose, plays and pauses the music", self.doula_starts, []),
            ("b. nurse sees the high SpO2 alarm within 2 s of the engine", self.nurse_sees_alarm, []),
            ("c. the doula's acknowledge is refused (403, audited)", self.doula_refused, ["b"]),
            ("d. nurse acknowledges; the database shows who did", self.nurse_acknowledges, ["b"]),
            ("e. doula ends the session", self.doula_ends, ["a"]),
            ("f. provider reviews, prints and downloads FHIR", self.provider_reviews, ["e"]),
            ("g. no login: redirect to /login, API 401", self.anonymous, []),
            ("h. the room stops answering: the nurse's page says NOT LIVE and sounds", self.room_goes_quiet, ["b"]),
        ]
        try:
            self.demo = Demo(self.args.vigil, self.tmp, self.args.playlist)
            self.base = self.demo.wait_for_url(30)
            log(f"demo listening on {self.base}")
        except Exception as e:
            print(f"FAIL: the demo did not start: {e}", flush=True)
            return False
        def demo_alive(key):
            if self.demo.process.poll() is not None:
                return f"the demo exited with status {self.demo.process.returncode} during step {key}"
            return None
        results = run_steps(steps, demo_alive)
        ok = all(v == "pass" for v in results.values()) and len(results) == len(steps)
        print("web story: " + " ".join(f"{k}={v}" for k, v in results.items()), flush=True)
        return ok

    def close(self, ok):
        for d in self.drivers:
            try:
                d.quit()
            except Exception:
                pass
        if self.demo:
            self.demo.stop()
            if not ok:
                print("----- vigil demo printed -----\n" + self.demo.output() + "\n----- end of the demo's output -----",
                      flush=True)
        if ok and not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            print(f"kept {self.tmp} (database, downloads, PDF)", flush=True)


def pdf_pages(path, data):
    """Pages of a PDF: pdfinfo's count if it is installed, else its /Type /Page objects (Chromium
    writes them uncompressed)."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vigil", default=os.path.join(REPO, ".build", "debug", "vigil"), help="the vigil binary")
    parser.add_argument("--screenshots", help="write nurse.png, doula.png, review.png and print.png here")
    parser.add_argument("--extra-screenshots", help="also write screenshots for checking the pages here: the login page, "
                        "the nurse and doula pages at 390×844 (and their whole length), the nurse's acknowledged alarm")
    parser.add_argument("--playlist", help="the demo's playlist (default: the demo's own, Playlists/demo.m3u8)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder even when everything passes")
    args = parser.parse_args()
    args.vigil = os.path.abspath(args.vigil)
    if not os.access(args.vigil, os.X_OK):
        print(f"FAIL: no vigil binary at {args.vigil} (build it, or pass --vigil PATH)", flush=True)
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
