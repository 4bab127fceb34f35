# Helpers for deb_test.sh and in_root.sh (POSIX sh, sourced).

fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }
ok() { echo "deb_test: ok: $*"; }
step() { echo "deb_test: -- $*"; }

# The manifest's entries, one "path" a line (comments and descriptions dropped); with
# `required`, only those without "(if any)".
manifest_paths() {
    grep -v '^#' "$src/deploy/debian/manifest" | grep -v '^[[:space:]]*$' |
        if [ "${1:-}" = required ]; then grep -v '(if any)'; else cat; fi | cut -f1
}

# Does a packaged path match a manifest entry? An entry ending in / is that folder itself; one
# with a * stands for files directly in its folder (a shell pattern, never a deeper path).
matches() {
    path=$1 entry=$2
    case "$entry" in
    */) [ "$path" = "$entry" ] ;;
    *\**) case "$path" in
          $entry) [ "$(dirname "$path")" = "$(dirname "$entry")" ] ;;
          *) return 1 ;;
          esac ;;
    *) [ "$path" = "$entry" ] ;;
    esac
}

# The names of the files a manifest entry with a * matched, sorted (from a list of paths).
names_under() {
    prefix=$(dirname "$1")/
    grep -F "$prefix" "$2" | while read -r path; do
        matches "$path" "$1" && basename "$path"
    done | sort
}

# A listing of a tree that changes when anything in it does: path, type, mode, owner, and the
# content's hash or the link's target. Times are left out (dpkg and apt set them as they go).
# Each pattern in $3… is a path (relative to the tree) left out, with why at the call.
tree_listing() {
    dir=$1; shift
    (cd "$dir" && find . -printf '%P\n' | sort | while read -r path; do
        [ -n "$path" ] || continue
        skip=no
        for pattern in "$@"; do case "$path" in $pattern) skip=yes ;; esac; done
        [ "$skip" = no ] || continue
        if [ -L "$path" ]; then what="-> $(readlink "$path")"
        elif [ -f "$path" ]; then what=$(sha256sum < "$path" | cut -c1-64)
        else what=""; fi
        echo "$path $(stat -c '%F %a %u %g' "$path") $what"
    done)
}
