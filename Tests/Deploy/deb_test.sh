#!/bin/sh
# The Debian package, end to end (make deploy-test; as root, like CI):
#   Tests/Deploy/deb_test.sh BUILD_DIR       (a SwiftPM build folder holding vigil)
# Builds the .deb from BUILD_DIR with deploy/debian/build-deb.sh; checks that it holds exactly
# what deploy/debian/manifest lists, and that the README's install table lists the same; rates
# the unit with systemd-analyze security (exposure below 3.0); then installs, reinstalls,
# upgrades, removes and purges it in a throwaway root (in_root.sh) with the real dpkg, apt and
# maintainer scripts, and runs the installed program there without the Swift toolchain.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
src=$(cd "$here/../.." && pwd -P)
. "$here/lib.sh"

[ $# -eq 1 ] || fail "usage: deb_test.sh BUILD_DIR"
[ "$(id -u)" -eq 0 ] || fail "run as root: the test mounts a throwaway root and installs into it with dpkg"
[ -x "$1/vigil" ] || fail "no $1/vigil: build first (swift build)"
build=$(cd "$1" && pwd -P)
started=$(date +%s)
T=$(mktemp -d /tmp/vigil-deb-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

step "build the package from $build"
# Uncompressed: xz takes minutes over a debug build's 200 MB, and the test reads the files, not
# the compression. make deb uses xz.
deb=$(DEB_COMPRESSION=none "$src/deploy/debian/build-deb.sh" "$build" "$T/out")
ok "built $(basename "$deb") in $(( $(date +%s) - started )) s"

step "dpkg -c against deploy/debian/manifest"
dpkg-deb -c "$deb" | awk '{ print substr($6, 2) }' > "$T/contents"
grep -v '/$' "$T/contents" > "$T/files" || true
manifest_paths > "$T/manifest"
while read -r path; do
    found=no
    while read -r entry; do matches "$path" "$entry" && { found=yes; break; }; done < "$T/manifest"
    [ "$found" = yes ] || fail "the package has $path, which deploy/debian/manifest does not list"
done < "$T/files"
manifest_paths required | while read -r entry; do
    found=no
    while read -r path; do matches "$path" "$entry" && { found=yes; break; }; done < "$T/contents"
    [ "$found" = yes ] || fail "deploy/debian/manifest lists $entry, which the package lacks"
done
# The folders given by pattern hold exactly their sources.
[ "$(names_under /usr/share/vigil/Devices/\* "$T/files")" = "$(cd "$src/Devices" && ls -1 ./*.yaml | sed 's|^\./||' | sort)" ] \
    || fail "/usr/share/vigil/Devices/ differs from Devices/*.yaml"
[ "$(names_under /usr/share/vigil/web/\* "$T/files")" = "$(ls -1 "$build/Vigil_VigilPages.resources/Assets" | sort)" ] \
    || fail "/usr/share/vigil/web/ differs from the build's Vigil_VigilPages.resources/Assets"
ok "$(wc -l < "$T/files") files, each listed; every required entry of the manifest present"

step "the README's install table against the manifest"
# The rows "| `/path` | what |" of the section "## Install on a room's computer".
sed -n "/^## Install on a room's computer/,/^## /p" "$src/README.md" |
    sed -n 's/^| `\(\/[^`]*\)` |.*/\1/p' | sort > "$T/readme"
[ -s "$T/readme" ] || fail "README.md has no \"## Install on a room's computer\" section with a table of paths"
sort "$T/manifest" | diff -u - "$T/readme" > "$T/readme.diff" \
    || { cat "$T/readme.diff" >&2; fail "README's install table and deploy/debian/manifest differ (- manifest, + README)"; }
ok "$(wc -l < "$T/readme") paths, the same in both"

for unit in vigil vigil-station; do
    step "systemd-analyze security $unit.service"
    systemd-analyze security --offline=true "$src/deploy/$unit.service" > "$T/security" 2>&1 \
        || { cat "$T/security" >&2; fail "systemd-analyze security failed"; }
    exposure=$(sed -n "s/.*Overall exposure level for $unit.service: \([0-9.]*\).*/\1/p" "$T/security")
    [ -n "$exposure" ] || { cat "$T/security" >&2; fail "no exposure level in systemd-analyze's output"; }
    awk -v e="$exposure" 'BEGIN { exit !(e < 3.0) }' \
        || { grep '✗' "$T/security" >&2; fail "exposure $exposure, not below 3.0"; }
    ok "exposure level $exposure (below 3.0)"
done

step "install, reinstall, upgrade, remove and purge in a throwaway root"
# A private mount namespace: every mount of in_root.sh goes when it ends, even if it fails.
unshare --mount --propagation private sh "$here/in_root.sh" "$deb" "$build" "$T"

echo "deb_test: all passed in $(( $(date +%s) - started )) s"
