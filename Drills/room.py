"""One room for the drills: a simulated oximeter on a pseudo-terminal (`vigil simulate`), the
room's agent (`vigil run`) on it, and what the drills ask of them: the control socket's status,
the database, the agent's printed lines."""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OXIMETER = os.path.join(REPO, "Devices", "contec-cms50-v7.yaml")
PRINTED_ALARM = re.compile(r"ALARM\s+(\S+)\s+(raised|escalated|acknowledged|audio_paused|audio_resumed|cleared)\b")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(timeout, predicate, every=0.1):
    """The predicate's first true value within `timeout` seconds, or None."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value or None
        time.sleep(every)


class Process:
    """A child whose output goes to a file in the drill's folder."""

    def __init__(self, name, args, folder, env=None):
        self.name = name
        self.log = os.path.join(folder, re.sub(r"\W+", "-", name) + ".log")
        self.out = open(self.log, "ab")
        self.process = subprocess.Popen(args, cwd=folder, stdout=self.out, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})}, start_new_session=True)

    @property
    def alive(self):
        return self.process.poll() is None

    def output(self):
        with open(self.log, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def kill(self, sig=signal.SIGKILL):
        if self.alive:
            self.process.send_signal(sig)
        self.process.wait(timeout=30)
        self.out.close()

    def stop(self):
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()


class Room:
    def __init__(self, vigil, folder, scenario, database="room.sqlite", mqtt_port=None):
        self.vigil = vigil
        self.folder = folder
        self.database = os.path.join(folder, database)
        self.socket = os.path.join(folder, "room.sock")
        self.link = os.path.join(folder, "oximeter.tty")
        self.children = []
        self.agent = None
        self.simulator_started = None
        with open(os.path.join(folder, "scenario.csv"), "w") as f:
            f.write(scenario)
        mqtt = f"mqtt: {{ host: 127.0.0.1, port: {mqtt_port} }}\n" if mqtt_port else ""
        with open(os.path.join(folder, "room.yaml"), "w") as f:
            f.write(f"site: drill\nroom: room-1\ndatabase: {self.database}\ndevices:\n"
                    f"  - {{ name: oximeter, profile: {OXIMETER}, port: {self.link} }}\n" + mqtt)

    def spawn(self, name, args, env=None):
        child = Process(name, args, self.folder, env)
        self.children.append(child)
        return child

    def start_simulator(self):
        """The simulator; its scenario's second 0 is the moment its pseudo-terminal appears."""
        self.spawn("simulator", [self.vigil, "simulate", "contec-v7", "--link", self.link, "--scenario", "scenario.csv"])
        if not until(10, lambda: os.path.islink(self.link), every=0.02):
            raise RuntimeError("the simulator's pseudo-terminal never appeared")
        self.simulator_started = time.time()

    def start_agent(self, env=None):
        """`vigil run`, once its control socket answers."""
        self.agent = self.spawn("vigil run", [self.vigil, "run", "--config", "room.yaml", "--socket", self.socket,
                                              "--http", "off", "--no-music"], env)
        if not until(20, lambda: self.agent.alive and self.status(quiet=True)):
            raise RuntimeError("vigil run never answered on its control socket:\n" + self.agent.output()[-2000:])
        return self.agent

    def session(self, *args, quiet=False):
        """`vigil session ARGS` as JSON, or None."""
        done = subprocess.run([self.vigil, "session", *args, "--socket", self.socket, "--role", "nurse"],
                              capture_output=True, text=True, timeout=20)
        try:
            return json.loads(done.stdout)
        except ValueError:
            if not quiet:
                print(f"    vigil session {' '.join(args)}: {done.stdout.strip()} {done.stderr.strip()}", flush=True)
            return None

    def status(self, quiet=False):
        return self.session("status", quiet=quiet)

    def query(self, sql, params=()):
        # Read-only, beside the agent's WAL (never a second writer).
        db = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=10)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def printed_alarms(self):
        """(alarm id, state) of every ALARM line any run of the agent printed."""
        return [m.groups() for child in self.children if child.name == "vigil run" for m in PRINTED_ALARM.finditer(child.output())]

    def stop(self):
        for child in reversed(self.children):
            child.stop()
