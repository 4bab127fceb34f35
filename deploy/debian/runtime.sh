# Sourced by build-deb.sh (which gives fail() and the scratch folder $work): what the program
# brings along besides itself. owner() is also used by Tests/Deploy/in_root.sh.

# The Debian package that owns a file, or nothing. With merged /usr, ldd may name
# /lib/x86_64-linux-gnu/libfoo.so.1 where dpkg recorded /usr/lib/x86_64-linux-gnu/libfoo.so.1
# (or the other way round): both spellings are asked.
owner() {
    case "$1" in
    /usr/lib/*) other="/lib/${1#/usr/lib/}" ;;
    /lib/*)     other="/usr/lib/${1#/lib/}" ;;
    *)          other="$1" ;;
    esac
    for path in "$1" "$other"; do
        found=$(dpkg-query -S "$path" 2>/dev/null | head -n 1) && [ -n "$found" ] && { echo "${found%%:*}"; return 0; }
    done
    return 0
}

# Libraries the program loads that no Debian package provides: Swift's runtime, when the build
# did not link it in (--static-swift-stdlib). They are copied next to the program, where the
# $ORIGIN entry of the RUNPATH SwiftPM gives Swift programs finds them on a room's computer, which
# has no Swift toolchain. A static build ships none.
ship_swift_runtime() {
    ldd "$1" > "$work/ldd" || fail "ldd $1 failed"
    if grep -q 'not found' "$work/ldd"; then
        fail "$1 needs libraries this machine lacks: $(grep 'not found' "$work/ldd" | tr -s ' \t' ' ')"
    fi
    shipped=0
    # Lines look like "libswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x…)".
    awk '$2 == "=>" { print $1, $3 }' "$work/ldd" > "$work/libs"
    while read -r name path; do
        [ -z "$(owner "$path")" ] || continue
        install -m 0644 "$path" "$2/$name"   # follows a symlink: the file itself, under its soname
        shipped=$((shipped + 1))
    done < "$work/libs"
    if [ "$shipped" -gt 0 ] && ! readelf -d "$1" | grep -E 'R(UN)?PATH' | grep -q '\$ORIGIN'; then
        fail "$1 links Swift's runtime dynamically but has no \$ORIGIN RUNPATH: build with --static-swift-stdlib"
    fi
}

# /usr/share/doc/vigil/copyright: Vigil, then the licence of every Swift package the build
# checked out (SwiftPM's checkouts/ folder above the build folder) and of the Swift runtime,
# all of which are linked into the program.
write_copyright() {
    checkouts=""
    dir=$2
    for _ in 1 2 3; do
        [ -d "$dir/checkouts" ] && { checkouts="$dir/checkouts"; break; }
        dir=$(dirname "$dir")
    done
    [ -n "$checkouts" ] || fail "no SwiftPM checkouts/ folder above $2: its packages' licences go into the copyright file"
    swift_license=$(dirname "$(readlink -f "$(command -v swift || echo /nonexistent)")")/../share/swift/LICENSE.txt
    [ -f "$swift_license" ] || fail "no Swift toolchain licence at $swift_license (is swift on PATH?)"

    echo "Vigil, the edge agent of a ketamine dosing room."
    echo "Copyright: the Vigil authors. The repository does not state a licence yet."
    echo
    echo "/usr/lib/vigil/vigil contains the Swift runtime and the Swift packages below; their licences follow."
    for package in "$checkouts"/*/; do
        name=$(basename "$package")
        for file in "$package"LICENSE* "$package"NOTICE* "$package"COPYING*; do
            [ -f "$file" ] || continue
            printf '\n===== %s: %s =====\n\n' "$name" "$(basename "$file")"
            cat "$file"
        done
    done
    printf '\n===== Swift runtime: LICENSE.txt =====\n\n'
    cat "$swift_license"
}
