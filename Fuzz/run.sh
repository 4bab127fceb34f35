#!/bin/sh
# Runs every fuzz target for SECONDS each: `Fuzz/run.sh HARNESS SECONDS` (make fuzz SECONDS=N).
# Each target's corpus grows in .build-fuzz/corpus/<target>, seeded from the target's own seeds;
# a finding is written to .build-fuzz/findings/<target>-crash-… and fails the run. Copy a
# finding into Fuzz/Regressions/<target>/ once it is fixed: `swift test` replays it from then on.
set -eu
harness=$1
seconds=${2:-60}
work=.build-fuzz
failed=""
for target in $(VIGIL_FUZZ_TARGET=list "$harness"); do
    corpus="$work/corpus/$target"
    mkdir -p "$corpus" "$work/findings"
    regressions="Fuzz/Regressions/$target"
    extra=""
    [ -d "$regressions" ] && extra="$regressions"
    printf '%-22s ' "$target"
    log="$work/findings/$target.log"
    # ASan's leak check is off: the harness keeps its target in a global on purpose.
    # The Swift runtime's own backtracer is off: ASan already prints the stack, and the two collide.
    if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 VIGIL_FUZZ_TARGET="$target" VIGIL_FUZZ_SEED_INTO="$corpus" \
        "$harness" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/findings/$target-" "$corpus" $extra >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "ok: $runs inputs in ${seconds} s, $edges, corpus $(ls "$corpus" | wc -l)"
    else
        echo "FINDING (see $log)"
        grep -E "Fatal error|ERROR: |SUMMARY|Test unit written" "$log" | head -5 | sed 's/^/    /'
        failed="$failed $target"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzzing found something in:$failed" >&2
    exit 1
fi
