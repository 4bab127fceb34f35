#!/bin/sh
# Builds vigil_<version>_<arch>.deb from a SwiftPM build folder:
#   deploy/debian/build-deb.sh BUILD_DIR OUT_DIR     (prints the .deb's path)
# BUILD_DIR holds `vigil` and its Vigil_VigilPages.resources (e.g. .build/release). `make deb`
# builds it with --static-swift-stdlib; a build linked to Swift's shared runtime works too: the
# runtime's libraries go into the package, next to the program (see ship_swift_runtime).
# Environment: VERSION overrides the version `vigil --version` gives; DEB_COMPRESSION is
# dpkg-deb's -Z (xz by default; the test uses a faster one).
set -eu

fail() { echo "build-deb: $*" >&2; exit 1; }

[ $# -eq 2 ] || fail "usage: build-deb.sh BUILD_DIR OUT_DIR"
build=$(cd "$1" 2>/dev/null && pwd -P) || fail "no build folder $1"
mkdir -p "$2"
out=$(cd "$2" && pwd -P)
src=$(cd "$(dirname "$0")/../.." && pwd -P)
bin="$build/vigil"
assets="$build/Vigil_VigilPages.resources/Assets"
[ -x "$bin" ] || fail "no program $bin: build it first (swift build)"
[ -d "$assets" ] || fail "no $assets: the pages' files come from the build's resources bundle"
for tool in dpkg-deb dpkg-shlibdeps ldd readelf gzip strip; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt install dpkg-dev binutils)"
done

# The version: `vigil --version` prints "vigil 0.9.0 (revision abc1234)" first. A binary from
# before that option existed gets 0.9.0 and the clone's revision.
first=$("$bin" --version 2>/dev/null | head -n 1) || first=""
case "$first" in
"vigil "*) version=${VERSION:-$(echo "$first" | cut -d' ' -f2)}
           revision=$(echo "$first" | sed -n 's/.*(revision \([^)]*\)).*/\1/p') ;;
*)         version=${VERSION:-0.9.0}
           revision=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown) ;;
esac
echo "$version" | grep -Eq '^[0-9][A-Za-z0-9.+~-]*$' || fail "version '$version' is not a Debian version"
arch=$(dpkg --print-architecture)
# Reproducible: every file, the changelog and the archive carry the last commit's time.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/debian/vigil"   # dpkg-shlibdeps expects the package's tree at debian/<package>
put() { install -D -m "$1" "$2" "$root$3"; }

# The program lives in /usr/lib/vigil with what it needs next to it; the pages' files are read
# from /usr/share/vigil/web (Sources/VigilPages/Assets.swift).
put 0755 "$bin" /usr/lib/vigil/vigil
# Debug symbols are for developers: a release build's 180 MB are mostly them.
strip --strip-unneeded "$root/usr/lib/vigil/vigil"
install -d -m 0755 "$root/usr/bin"
ln -s ../lib/vigil/vigil "$root/usr/bin/vigil"
for f in "$assets"/*; do put 0644 "$f" "/usr/share/vigil/web/$(basename "$f")"; done
for f in "$src"/Devices/*.yaml; do put 0644 "$f" "/usr/share/vigil/Devices/$(basename "$f")"; done
put 0644 "$src/deploy/alarms.default.yaml" /usr/share/vigil/alarms.default.yaml
put 0644 "$src/deploy/vigil.example.yaml" /etc/vigil/vigil.yaml
# 0640 from the start: on an upgrade from a version without it, postinst's first-install
# chown does not run, and the PIN hashes a clinic adds must never be world-readable.
put 0640 "$src/deploy/station.example.yaml" /etc/vigil/station.yaml
put 0644 "$src/deploy/vigil.service" /lib/systemd/system/vigil.service
put 0644 "$src/deploy/vigil-station.service" /lib/systemd/system/vigil-station.service
put 0644 "$src/deploy/99-vigil-devices.rules" /lib/udev/rules.d/99-vigil-devices.rules
put 0644 "$src/deploy/debian/modules-load.conf" /usr/lib/modules-load.d/vigil.conf
put 0644 "$src/deploy/mosquitto/vigil.conf" /usr/share/doc/vigil/examples/mosquitto/vigil.conf
put 0644 "$src/deploy/mosquitto/vigil.acl" /usr/share/doc/vigil/examples/mosquitto/vigil.acl
put 0644 "$src/deploy/mosquitto/bridge.conf" /usr/share/doc/vigil/examples/mosquitto/bridge.conf
put 0644 "$src/README.md" /usr/share/doc/vigil/README.md

. "$src/deploy/debian/runtime.sh"
ship_swift_runtime "$bin" "$root/usr/lib/vigil"
write_copyright "$src" "$build" "$bin" > "$root/usr/share/doc/vigil/copyright"
chmod 0644 "$root/usr/share/doc/vigil/copyright"
{
    echo "vigil ($version) unstable; urgency=medium"
    echo
    echo "  * Built from revision $revision."
    echo
    echo " -- $(git -C "$src" log -1 --format='%an <%ae>' 2>/dev/null || echo 'Vigil <vigil@localhost>')  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$root/usr/share/doc/vigil/changelog.gz"
chmod 0644 "$root/usr/share/doc/vigil/changelog.gz"

# Depends: what the program and any shipped runtime library link against, with the versions
# Debian's shlibs give; adduser for postinst. dpkg-shlibdeps wants a debian/control to read.
printf 'Source: vigil\n\nPackage: vigil\nArchitecture: any\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O -l"$root/usr/lib/vigil" -e "$root/usr/lib/vigil/vigil" \
    $(find "$root/usr/lib/vigil" -name '*.so*' -type f) 2>"$work/shlibdeps.log") \
    || { cat "$work/shlibdeps.log" >&2; fail "dpkg-shlibdeps could not work out the dependencies"; }
depends="adduser, ${depends#shlibs:Depends=}"

install -d -m 0755 "$root/DEBIAN"
for f in postinst prerm postrm; do install -m 0755 "$src/deploy/debian/$f" "$root/DEBIAN/$f"; done
install -m 0644 "$src/deploy/debian/conffiles" "$root/DEBIAN/conffiles"
# md5sums for `dpkg --verify`; conffiles are left out, as debhelper does (dpkg keeps their own).
(cd "$root" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
cat > "$root/DEBIAN/control" <<EOF
Package: vigil
Version: $version
Architecture: $arch
Maintainer: $(git -C "$src" log -1 --format='%an <%ae>' 2>/dev/null || echo 'Vigil <vigil@localhost>')
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: Vigil, the edge agent of a ketamine dosing room
 Reads the room's pulse oximeter and blood-pressure monitor, raises threshold
 alarms, times the session through its phases, plays the patient's music and
 keeps every reading, alarm and action in a local SQLite database, published
 to the clinic's MQTT broker. Built from revision $revision.
EOF

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb="$out/vigil_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$root" "$deb" >/dev/null
echo "$deb"
