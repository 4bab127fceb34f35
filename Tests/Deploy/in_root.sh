#!/bin/sh
# Part of deb_test.sh, run in a private mount namespace: in_root.sh DEB BUILD_DIR SCRATCH.
# The throwaway root is this machine's own system under a copy-on-write layer (overlayfs on a
# tmpfs), with the Swift toolchain's runtime and the build folder hidden, as a room's computer
# has neither. dpkg, apt, adduser and the maintainer scripts run in it for real, chrooted; what
# they change lands in the layer and goes with it. (A debootstrap root would be cleaner still, but
# takes over a minute to fetch from the mirror on every run; this takes seconds.)
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
src=$(cd "$here/../.." && pwd -P)
. "$here/lib.sh"
. "$src/deploy/debian/runtime.sh"   # owner()

deb=$1 build=$2 T=$3
agent="" listener="" station=""   # the processes this script starts, ended whichever way it ends
trap 'for p in $agent $listener $station; do kill -KILL "$p" 2>/dev/null || true; done' EXIT
R="$T/root" layer="$T/layer"
mkdir -p "$R" "$layer"
mount -t tmpfs vigil-deb-test "$layer" || fail "cannot mount a tmpfs: the test needs root with CAP_SYS_ADMIN (a privileged container)"
mkdir "$layer/upper" "$layer/work"
mount -t overlay vigil-deb-test -o "lowerdir=/,upperdir=$layer/upper,workdir=$layer/work" "$R" \
    || fail "cannot mount an overlay on / (needs the overlay file system and CAP_SYS_ADMIN)"
# Hidden: every folder the build's Swift libraries came from (no Debian package owns them) and
# the build folder itself (SwiftPM's Bundle.module would find the pages' files there).
hidden="$build"
for lib in $(ldd "$build/vigil" | awk '$2 == "=>" { print $3 }'); do
    [ -n "$(owner "$lib")" ] || hidden="$hidden $(dirname "$lib")"
done
for dir in $(echo "$hidden" | tr ' ' '\n' | sort -u); do mount -t tmpfs hidden "$R$dir"; done
mount --bind /dev "$R/dev"
mount -t proc proc "$R/proc"
# A fresh /run: no systemd or udev running in the root (as in an image being built); a fresh /tmp.
mount -t tmpfs run "$R/run"
mount -t tmpfs tmp "$R/tmp"
mkdir "$R/tmp/deb"
mount --bind "$(dirname "$deb")" "$R/tmp/deb"
pkg="/tmp/deb/$(basename "$deb")"

in_root() { chroot "$R" "$@"; }
as_vigil() { chroot "$R" setpriv --reuid=vigil --regid=vigil --init-groups "$@"; }
purge_data=no   # VIGIL_PURGE_DATA for the maintainer scripts: set on purpose only, never inherited
apt_get() {
    log="$T/apt.log"
    in_root env DEBIAN_FRONTEND=noninteractive VIGIL_PURGE_DATA="$purge_data" apt-get -y -q -o Dpkg::Options::=--force-confdef "$@" > "$log" 2>&1 \
        || { cat "$log" >&2; fail "apt-get $*"; }
}
same() { cmp -s "$1" "$2" || fail "$1 differs from $2"; }
# What a second install must leave alone: all of the layer but apt's and dpkg's logs and
# status-old, dpkg's copy of its database as it was before the run.
snapshot() { tree_listing "$layer/upper" 'var/log/*' 'var/lib/dpkg/status-old' > "$1"; }

step "apt-get install ./$(basename "$deb")"
apt_get install "$pkg"
in_root dpkg-query -W -f '${Status}\n' vigil | grep -qx 'install ok installed' || fail "vigil is not installed"
in_root getent passwd vigil | grep -q ':/var/lib/vigil:' || fail "no system user vigil with home /var/lib/vigil"
for group in dialout audio; do
    in_root id -nG vigil | tr ' ' '\n' | grep -qx "$group" || fail "vigil is not in $group"
done
[ "$(in_root stat -c '%U:%G %a' /var/lib/vigil)" = "vigil:vigil 700" ] || fail "/var/lib/vigil is not vigil's, mode 0700"
[ "$(in_root stat -c '%U:%G %a' /etc/vigil/vigil.yaml)" = "root:vigil 640" ] || fail "/etc/vigil/vigil.yaml (PIN hashes) is not root:vigil 0640"
[ "$(in_root stat -c '%U:%G %a' /etc/vigil/station.yaml)" = "root:vigil 640" ] || fail "/etc/vigil/station.yaml (PIN hashes) is not root:vigil 0640"
in_root dpkg --verify vigil > "$T/verify" || true
[ ! -s "$T/verify" ] || { cat "$T/verify" >&2; fail "dpkg --verify vigil"; }
same "$R/lib/systemd/system/vigil.service" "$src/deploy/vigil.service"
same "$R/etc/vigil/vigil.yaml" "$src/deploy/vigil.example.yaml"
same "$R/lib/udev/rules.d/99-vigil-devices.rules" "$src/deploy/99-vigil-devices.rules"
for f in "$src"/Devices/*.yaml; do same "$R/usr/share/vigil/Devices/$(basename "$f")" "$f"; done
for f in "$build"/Vigil_VigilPages.resources/Assets/*; do same "$R/usr/share/vigil/web/$(basename "$f")" "$f"; done
ok "installed: user vigil in dialout and audio, /var/lib/vigil 0700, the config root:vigil 0640, every file as its source"

step "the installed program, without the Swift toolchain"
in_root ldd /usr/lib/vigil/vigil > "$T/ldd" || fail "ldd in the root"
if grep 'not found' "$T/ldd" >&2; then fail "the installed program lacks libraries"; fi
# Each library it loads belongs to an installed package: Debian's, or vigil's own copy of Swift's.
for lib in $(awk '$2 == "=>" { print $3 }' "$T/ldd"); do
    package=$(export DPKG_ADMINDIR="$R/var/lib/dpkg"; owner "$lib")   # asks the root's dpkg database
    [ -n "$package" ] || fail "the installed program loads $lib, which no installed package provides"
done
# MemoryDenyWriteExecute=yes refuses every mapping made executable after load: an object with an
# executable stack or text relocations would fail to load under the unit.
for object in /usr/lib/vigil/vigil $(awk '$2 == "=>" { print $3 }' "$T/ldd"); do
    [ "$(readelf -lW "$R$object" | awk '/GNU_STACK/ { print $7 }')" = RW ] \
        || fail "$object asks for an executable stack (MemoryDenyWriteExecute=yes would refuse it)"
    if readelf -dW "$R$object" | grep -q TEXTREL; then fail "$object has text relocations (MemoryDenyWriteExecute=yes)"; fi
done
as_vigil /usr/bin/vigil check-config /etc/vigil/vigil.yaml > "$T/check" 2>&1 \
    || { cat "$T/check" >&2; fail "vigil check-config /etc/vigil/vigil.yaml, as vigil, in the root"; }
grep -q 'ok:' "$T/check" || { cat "$T/check" >&2; fail "check-config did not say ok"; }
ok "every library from an installed package, none needing writable code; $(cat "$T/check")"
# A room without devices or broker, its pages on a free port (--http …:0); as vigil, writing the database
# where the unit's StateDirectory= puts it.
cat > "$R/tmp/room.yaml" <<'EOF'
site: test
room: deb
devices: []
http:
  address: 127.0.0.1
  port: 8080
  logins:
    - { role: nurse, pin: "$2b$12$VnGXVFU9BPjpVnkdOsd0uu9Gu5NJ/VNn5R6EvTPHABpR2v9FvekVa" }
EOF
# systemd's side of Type=notify and WatchdogSec=: a datagram socket the agent reports to (as
# /run/systemd/notify, writable by all), each message a line of $T/notify.log.
python3 - "$R/tmp/notify.sock" "$T/notify.log" <<'EOF' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
EOF
listener=$!
for _ in $(seq 1 50); do [ -S "$R/tmp/notify.sock" ] && break; sleep 0.1; done
[ -S "$R/tmp/notify.sock" ] || fail "the notify socket never appeared"
# A 2 s watchdog (the unit's is 10 s) to see it fed more than once in a short test.
watchdog_usec=2000000
# exec: $! must be the agent itself (chroot, env and setpriv exec in turn), not a subshell.
(exec chroot "$R" env NOTIFY_SOCKET=/tmp/notify.sock WATCHDOG_USEC=$watchdog_usec \
    setpriv --reuid=vigil --regid=vigil --init-groups /usr/bin/vigil run --config /tmp/room.yaml \
    --db /var/lib/vigil/vigil.sqlite --socket /tmp/control.sock --no-music --http 127.0.0.1:0 > "$T/agent.log" 2>&1) &
agent=$!
url=""
for _ in $(seq 1 100); do
    url=$(sed -n "s|.*the staff's pages are on \(http://[^ ]*/\).*|\1|p" "$T/agent.log")
    if [ -n "$url" ] || ! kill -0 "$agent" 2>/dev/null; then break; fi
    sleep 0.2
done
[ -n "$url" ] || { kill "$agent" 2>/dev/null || true; cat "$T/agent.log" >&2; fail "the installed agent never served its pages"; }
curl -sf -o "$T/vigil.css" "${url}assets/vigil.css" || { cat "$T/agent.log" >&2; fail "GET ${url}assets/vigil.css"; }
same "$T/vigil.css" "$R/usr/share/vigil/web/vigil.css"
kill -0 "$agent" 2>/dev/null || { cat "$T/agent.log" >&2; fail "the agent stopped after serving a page asset"; }
# Type=notify: READY=1 first, or systemd fails the start after TimeoutStartSec=. The watchdog: fed
# at least twice in 1.5 periods, or systemd would kill the agent.
for _ in $(seq 1 50); do grep -q '^READY=1' "$T/notify.log" && break; sleep 0.1; done
[ "$(head -n 1 "$T/notify.log" | cut -d' ' -f1)" = READY=1 ] || { cat "$T/notify.log" >&2; fail "the agent's first notification is not READY=1"; }
sleep 3
[ "$(grep -c '^WATCHDOG=1' "$T/notify.log")" -ge 2 ] \
    || { cat "$T/notify.log" >&2; fail "the agent fed a $watchdog_usec µs watchdog fewer than twice in 3 s"; }
# systemd stops the unit with SIGTERM and, TimeoutStopSec= later, SIGKILL: it must end well before.
kill -TERM "$agent"
for _ in $(seq 1 50); do kill -0 "$agent" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$agent" 2>/dev/null; then kill -KILL "$agent"; cat "$T/agent.log" >&2; fail "the agent was still running 10 s after SIGTERM"; fi
wait "$agent" || true
agent=""
grep -q '^STOPPING=1' "$T/notify.log" || { cat "$T/notify.log" >&2; fail "the agent did not notify STOPPING=1 on SIGTERM"; }
kill "$listener"
listener=""
[ -s "$R/var/lib/vigil/vigil.sqlite" ] || fail "the agent wrote no /var/lib/vigil/vigil.sqlite"
ok "the agent ran as vigil: READY=1, the watchdog fed, /assets/vigil.css served from /usr/share/vigil/web, its database written, STOPPING=1 and an end on SIGTERM"

step "the installed station runs as vigil from its shipped config"
# The example's broker name does not resolve here: the station must start anyway, serve its
# page from /usr/share/vigil/web, say on /healthz that it cannot see the broker, and stop on SIGTERM.
(exec chroot "$R" setpriv --reuid=vigil --regid=vigil --init-groups /usr/bin/vigil station --config /etc/vigil/station.yaml \
    --http 127.0.0.1:0 > "$T/station.log" 2>&1) &
station=$!
url=""
for _ in $(seq 1 100); do
    url=$(sed -n "s|.*the station's pages are on \(http://[^ ]*/\).*|\1|p" "$T/station.log")
    if [ -n "$url" ] || ! kill -0 "$station" 2>/dev/null; then break; fi
    sleep 0.2
done
[ -n "$url" ] || { kill "$station" 2>/dev/null || true; cat "$T/station.log" >&2; fail "the installed station never served its page"; }
curl -sf -o "$T/station.css" "${url}assets/station.css" || { cat "$T/station.log" >&2; fail "GET ${url}assets/station.css"; }
same "$T/station.css" "$R/usr/share/vigil/web/station.css"
health=$(curl -s -o /dev/null -w '%{http_code}' "${url}healthz")
[ "$health" = 503 ] || { cat "$T/station.log" >&2; fail "/healthz of a station without its broker answered $health, not 503"; }
kill -TERM "$station"
for _ in $(seq 1 50); do kill -0 "$station" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$station" 2>/dev/null; then kill -KILL "$station"; cat "$T/station.log" >&2; fail "the station was still running 10 s after SIGTERM"; fi
wait "$station" || true
station=""
grep -q "vigil station: stopped" "$T/station.log" || { cat "$T/station.log" >&2; fail "the station did not say it stopped"; }
mode=$(in_root stat -c '%U %a' /var/lib/vigil/station.sqlite 2>&1)
[ "$mode" = "vigil 600" ] || { cat "$T/station.log" >&2; fail "/var/lib/vigil/station.sqlite is not vigil's, 0600: $mode"; }
ok "the station ran as vigil: its page served from /usr/share/vigil/web, /healthz 503 without its broker, its archive 0600, an end on SIGTERM"

for unit in vigil vigil-station; do
    step "systemd-analyze verify on the installed $unit.service"
    systemd-analyze verify --root="$R" --man=no /lib/systemd/system/$unit.service > "$T/verify.log" 2>&1 \
        || { cat "$T/verify.log" >&2; fail "systemd-analyze verify"; }
    if grep "$unit\.service" "$T/verify.log" >&2; then fail "systemd-analyze verify warns about the unit"; fi
    ok "systemd-analyze verify passes"
done

step "a second install changes nothing"
snapshot "$T/before"
apt_get install --reinstall "$pkg"
snapshot "$T/after"
diff -u "$T/before" "$T/after" >&2 || fail "the second install changed the root (- before, + after)"
ok "$(wc -l < "$T/after") paths in the layer, the same before and after"

step "an edited config survives an upgrade"
echo "# edited on the room's computer" >> "$R/etc/vigil/vigil.yaml"
cp "$R/etc/vigil/vigil.yaml" "$T/edited.yaml"
# The same package as a newer version: unpacked, its version raised, packed again.
dpkg-deb -R "$deb" "$T/next"
version=$(sed -n 's/^Version: //p' "$T/next/DEBIAN/control")
sed -i "s/^Version: .*/Version: $version+next/" "$T/next/DEBIAN/control"
dpkg-deb --root-owner-group -Znone -b "$T/next" "$(dirname "$deb")/next.deb" > /dev/null
rm -rf "$T/next"
apt_get install /tmp/deb/next.deb
[ "$(in_root dpkg-query -W -f '${Version}' vigil)" = "$version+next" ] || fail "the upgrade did not install"
same "$R/etc/vigil/vigil.yaml" "$T/edited.yaml"
ok "upgraded to $version+next; /etc/vigil/vigil.yaml kept as edited"

step "remove keeps the config, purge keeps the database"
apt_get remove vigil
in_root dpkg-query -W -f '${Status}\n' vigil | grep -qx 'deinstall ok config-files' || fail "vigil not removed"
[ ! -e "$R/usr/lib/vigil/vigil" ] || fail "remove left the program"
same "$R/etc/vigil/vigil.yaml" "$T/edited.yaml"
sha=$(sha256sum < "$R/var/lib/vigil/vigil.sqlite")
apt_get purge vigil
[ ! -e "$R/etc/vigil" ] || fail "purge left /etc/vigil"
[ "$(sha256sum < "$R/var/lib/vigil/vigil.sqlite")" = "$sha" ] || fail "purge changed or deleted the database"
grep -q 'kept /var/lib/vigil' "$T/apt.log" || { cat "$T/apt.log" >&2; fail "purge did not say it kept the database"; }
ok "remove kept the edited config; purge deleted it, kept /var/lib/vigil/vigil.sqlite and said so"

step "purge with VIGIL_PURGE_DATA=yes deletes the database"
apt_get install "$pkg"
purge_data=yes
apt_get purge vigil
[ ! -e "$R/var/lib/vigil" ] || fail "VIGIL_PURGE_DATA=yes purge left /var/lib/vigil"
ok "deleted /var/lib/vigil"
