# Vigil: the two commands a newcomer needs are `make run` and `make test`.
# Each installs the Debian packages it needs first (as root, or through sudo).

SWIFT ?= swift
# Debian packages the build and the tests need; later parts of Vigil add theirs here.
APT_PACKAGES ?= libsqlite3-dev libmosquitto-dev mosquitto mosquitto-clients openssl
SPEED ?= 120

.PHONY: run test build deps bench clean

run: deps build
	.build/debug/vigil demo --speed $(SPEED)

# The real-time suites (pseudo-terminals, the agent on a sped-up clock, the binary) run after
# the rest: the clinic-story suites keep both cores busy for seconds, and a starved simulator
# tests the machine, not Vigil.
REAL_TIME_SUITES = SerialPortTests|DeviceConnectionTests|RoomAgentTests|CommandLineTests|CrashRecoveryTests|RoomMQTTTests|BrokerOutageTests|RunCommandTests

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(REAL_TIME_SUITES)'
	$(SWIFT) test --skip-build --filter '$(REAL_TIME_SUITES)'

build:
	$(SWIFT) build

# Installs whatever of APT_PACKAGES is missing; does nothing when all are there.
deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift is not on PATH: install Swift 6.1 or later first" >&2; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Speed figures (never asserted in tests): see Benchmarks/README.md.
bench: deps
	$(SWIFT) run -c release VigilBenchmarks

clean:
	rm -rf .build
