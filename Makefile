# Vigil: the two commands a newcomer needs are `make run` and `make test`.
# Each installs the Debian packages it needs first (as root, or through sudo).

SWIFT ?= swift
# Debian packages the build and the tests need; later parts of Vigil add theirs here.
APT_PACKAGES ?= libsqlite3-dev libmosquitto-dev mosquitto mosquitto-clients openssl libasound2-dev libsndfile1-dev sox
SPEED ?= 120
# What the real-browser test needs (Debian's selenium lives in the system Python, /usr/bin/python3).
BROWSER_PACKAGES ?= chromium chromium-driver python3-selenium
BROWSER_PYTHON ?= /usr/bin/python3
# What only the tests need: the station's archive is tested on a real PostgreSQL server.
TEST_PACKAGES ?= postgresql

.PHONY: run test build deps bench clean music browser screenshots fuzz drills

run: deps build music
	.build/debug/vigil demo --speed $(SPEED) --stay

# The real-time suites run after the rest, in batches: the clinic-story suites keep both
# cores busy for seconds, and a starved simulator tests the machine, not Vigil. Pseudo-terminal
# timing first (simulated devices on a sped-up clock), then the broker and binary suites, then
# the control-socket fault suite alone.
SERIAL_SUITES = SerialPortTests|DeviceConnectionTests|RoomAgentTests|CrashRecoveryTests
BROKER_SUITES = WebRunTests|LatchedAlarmRestartTests|RoomMQTTTests|BrokerOutageTests|RunCommandTests|ControlTests|RoomMusicTests|DoctorTests
# Alone (about 45 s): the command line's demos run sessions at 20-40x, where a quarter-second
# stall of a simulator beside the broker suites is 10 s of silence and a no_data alarm.
DEMO_SUITES = CommandLineTests
# Alone (about 30 s): a whole clinic, three rooms on simulators and a station, keeps both cores
# busy enough to starve the demos of the broker suites beside it.
CLINIC_SUITES = StationEndToEndTests
# Alone, a few seconds: the station's board must be whole within a second of its reconnection,
# and the systemd watchdog test counts a stuck engine in wall-clock seconds (beside the CPU-bound
# suites it once waited 90 s for a task to be scheduled at all).
TIMED_SUITES = ClinicStationTests|SystemdTests
# Alone: it holds thousands of descriptors, and Foundation's Process.run crashes a process that
# does while another test spawns a child.
FAULT_SUITES = ControlSocketFaultTests
# Alone too: the labelled library replayed through every profile keeps both cores busy for
# minutes (a debug build replays a two-hour session in about 1.5 s of CPU).
SLOW_SUITES = QualityLibraryTests

test: deps music
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(TEST_PACKAGES)"
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(SERIAL_SUITES)|$(BROKER_SUITES)|$(DEMO_SUITES)|$(FAULT_SUITES)|$(SLOW_SUITES)|$(CLINIC_SUITES)|$(TIMED_SUITES)'
	$(SWIFT) test --skip-build --filter '$(SERIAL_SUITES)'
	$(SWIFT) test --skip-build --filter '$(BROKER_SUITES)'
	$(SWIFT) test --skip-build --filter '$(DEMO_SUITES)'
	$(SWIFT) test --skip-build --filter '$(FAULT_SUITES)'
	$(SWIFT) test --skip-build --filter '$(CLINIC_SUITES)'
	$(SWIFT) test --skip-build --filter '$(TIMED_SUITES)'
	$(SWIFT) test --skip-build --filter '$(SLOW_SUITES)'
	$(MAKE) --no-print-directory browser
	$(MAKE) --no-print-directory deploy-test

# The web story in headless Chromium against the built binary: nurse, doula and provider in
# their own browsers on a `vigil demo` (Tests/Browser/web_story.py; about a minute).
browser: music
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(BROWSER_PACKAGES)"
	$(BROWSER_PYTHON) Tests/Browser/web_story.py --vigil .build/debug/vigil
	$(BROWSER_PYTHON) Tests/Browser/station_story.py --vigil .build/debug/vigil

# The same story, writing the README's screenshots (docs/screenshots/*.png).
screenshots: build music
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(BROWSER_PACKAGES)"
	$(BROWSER_PYTHON) Tests/Browser/web_story.py --vigil .build/debug/vigil --screenshots docs/screenshots
	$(BROWSER_PYTHON) Tests/Browser/station_story.py --vigil .build/debug/vigil --screenshots docs/screenshots

build:
	$(SWIFT) build

# The demo playlist's audio, made by sox (`vigil demo` runs the same script if it is missing).
music: deps
	@Playlists/make-demo-audio.sh Playlists/demo

# Installs whatever of APT_PACKAGES is missing; does nothing when all are there.
deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift is not on PATH: install Swift 6.2 or later first" >&2; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Speed figures (never asserted in tests): see Benchmarks/README.md. The whole-path benchmark
# (VIGIL_BENCH=path) runs the Python peer (Benchmarks/peer/) from a venv made here.
PEER_VENV = .build/peer-venv
bench: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="python3-venv strace mpd"
	[ -x $(PEER_VENV)/bin/python3 ] || python3 -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install -q -r Benchmarks/peer/requirements.txt
	$(SWIFT) build -c release --product vigil
	$(SWIFT) run -c release VigilBenchmarks

# Every fuzz target under libFuzzer with AddressSanitizer, SECONDS each (Fuzz/run.sh). A
# build of its own (.build-fuzz), since the sanitizers instrument every module it uses.
SECONDS ?= 60
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --product VigilFuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
	Fuzz/run.sh .build-fuzz/debug/VigilFuzz $(SECONDS)

# The fault drills on the built vigil (Drills/drills.py), each printing PASS or FAIL and its
# figure: unplug, clock jump, disk full (mounts a small tmpfs: root), kill -9 KILLS times, the
# broker down BROKER_S seconds. About 30 minutes as given; KILLS=10 BROKER_S=60 for a quick look.
KILLS ?= 100
BROKER_S ?= 600
drills: build
	@$(MAKE) --no-print-directory deps APT_PACKAGES="faketime mosquitto mosquitto-clients"
	$(BROWSER_PYTHON) Drills/drills.py --vigil .build/debug/vigil --kills $(KILLS) --broker-seconds $(BROKER_S)

clean:
	rm -rf .build

# make deb and make deploy-test.
include deploy/debian/deb.mk
