#!/usr/bin/env bash
# Builds and runs the libFuzzer targets under Fuzz/ (the importers' CSV and XML readers).
#
#   scripts/fuzz.sh TARGET|all [SECONDS]      (default 60 seconds per target; 0: build only)
#
#   TARGET: CSVReaderFuzz | XMLResellerExportFuzz | XMLMailboxExportFuzz
#
# Each target is compiled with `swiftc -sanitize=fuzzer,address` (ImpactModel as its own module,
# then Sources/ImpactImport + Fuzz/Shared + Fuzz/TARGET/main.swift as module ImpactImport, so the
# targets see the readers' internals) into .build-fuzz/TARGET/, and run at `nice -n 10` on a
# working corpus .build-fuzz/corpus/TARGET (the seeds of Fuzz/corpus/TARGET copied in; what the
# fuzzer finds there is kept between runs). Crashes, timeouts and out-of-memory inputs are
# saved to Fuzz/crashes/TARGET/; the script then prints how to reproduce them and exits 1.
# `all` runs the targets one after the other.
#
# Environment: MAX_LEN (default 4096 for CSV, 8192 for XML), FUZZ_JOBS=N (libFuzzer -jobs/-workers,
# default 1), FUZZ_ARGS (more libFuzzer flags), SWIFTC (default swiftc).
#
# The Swift code is built at -O with `-assert-config Debug` (assert() stays on: the CSV reader's
# internal asserts are invariants too). libxml2 is the system library, not instrumented: the
# fuzzer sees coverage of the Swift side only, and ASan checks libxml2's heap use only through
# its malloc/free interceptors.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/.build-fuzz"
SWIFTC=${SWIFTC:-swiftc}
TARGETS=(CSVReaderFuzz XMLResellerExportFuzz XMLMailboxExportFuzz)

usage() {
    echo "usage: scripts/fuzz.sh TARGET|all [SECONDS]" >&2
    echo "  targets: ${TARGETS[*]}" >&2
    exit 64
}

[[ $# -ge 1 && $# -le 2 ]] || usage
SECONDS_PER_TARGET=${2:-60}
[[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]] || usage
if [[ $1 == all ]]; then
    selected=("${TARGETS[@]}")
else
    selected=()
    for t in "${TARGETS[@]}"; do [[ $t == "$1" ]] && selected=("$t"); done
    [[ ${#selected[@]} -eq 1 ]] || usage
fi

# libxml2's headers: pkg-config if it knows them, else the Debian/Ubuntu location.
LIBXML2_CFLAGS=$(pkg-config --cflags-only-I libxml-2.0 2>/dev/null || echo "-I/usr/include/libxml2")
XCC_FLAGS=()
for flag in $LIBXML2_CFLAGS; do XCC_FLAGS+=(-Xcc "$flag"); done

# Swift 6 language mode: the sources and the fuzz entry points compile in it.
COMMON_FLAGS=(-swift-version 6 -parse-as-library -O -assert-config Debug -g -sanitize=fuzzer,address)

build() {
    local target=$1 dir="$OUT/$1"
    mkdir -p "$dir/modules"
    echo "== building $target" >&2
    local model_sources=() import_sources=()
    while IFS= read -r -d '' f; do model_sources+=("$f"); done \
        < <(find "$ROOT/Sources/ImpactModel" -name '*.swift' -print0 | sort -z)
    while IFS= read -r -d '' f; do import_sources+=("$f"); done \
        < <(find "$ROOT/Sources/ImpactImport" "$ROOT/Fuzz/Shared" -name '*.swift' -print0 | sort -z)
    # One directory per target, so that two targets can be built at the same time.
    (cd "$dir" && "$SWIFTC" "${COMMON_FLAGS[@]}" -module-name ImpactModel -wmo -c \
        -emit-module -emit-module-path "$dir/modules/ImpactModel.swiftmodule" \
        -o "$dir/ImpactModel.o" "${model_sources[@]}")
    (cd "$dir" && "$SWIFTC" "${COMMON_FLAGS[@]}" -module-name ImpactImport -wmo \
        -I "$dir/modules" -I "$ROOT/Sources/CLibXML2" "${XCC_FLAGS[@]}" \
        "${import_sources[@]}" "$ROOT/Fuzz/$target/main.swift" "$dir/ImpactModel.o" \
        -lxml2 -o "$dir/$target")
}

run() {
    local target=$1 dir="$OUT/$1"
    local corpus="$OUT/corpus/$target" crashes="$ROOT/Fuzz/crashes/$target"
    local max_len=${MAX_LEN:-$([[ $target == CSV* ]] && echo 4096 || echo 8192)}
    mkdir -p "$corpus" "$crashes" "$OUT/tmp" "$OUT/logs"
    cp -R "$ROOT/Fuzz/corpus/$target/." "$corpus/"
    local dict=()
    [[ -f "$ROOT/Fuzz/$target/fuzz.dict" ]] && dict=(-dict="$ROOT/Fuzz/$target/fuzz.dict")
    local jobs=()
    [[ ${FUZZ_JOBS:-1} -gt 1 ]] && jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
    local log="$OUT/logs/$target.log" marker="$OUT/logs/$target.started"
    touch "$marker"
    echo "== fuzzing $target for ${SECONDS_PER_TARGET}s (log: ${log#$ROOT/})" >&2
    local status=0
    # shellcheck disable=SC2086
    (cd "$dir" && TMPDIR="$OUT/tmp" SWIFT_BACKTRACE=enable=no nice -n 10 "./$target" \
        -max_len="$max_len" -rss_limit_mb=512 -malloc_limit_mb=512 -timeout=10 \
        -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
        -artifact_prefix="$crashes/" "${dict[@]}" "${jobs[@]}" ${FUZZ_ARGS:-} "$corpus") \
        2>&1 | tee "$log" >&2 || status=$?
    local found=()
    while IFS= read -r -d '' f; do found+=("$f"); done \
        < <(find "$crashes" -type f -newer "$marker" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) -print0)
    rm -f "$marker"
    if [[ $status -ne 0 || ${#found[@]} -gt 0 ]]; then
        echo "== $target FAILED (libFuzzer exit $status); inputs saved:" >&2
        for f in "${found[@]}"; do echo "   ${f#$ROOT/}" >&2; done
        cat >&2 <<EOF
== to reproduce (one run of one input, the report shows the stack and the broken invariant):
   SWIFT_BACKTRACE=enable=no $OUT/$target/$target -rss_limit_mb=512 -timeout=10 Fuzz/crashes/$target/<file>
== to minimise it:
   SWIFT_BACKTRACE=enable=no $OUT/$target/$target -minimize_crash=1 -max_total_time=60 -exact_artifact_path=Fuzz/crashes/$target/minimized Fuzz/crashes/$target/<file>
== then add the input to Tests/ImpactImportTests/Fixtures/fuzz-regressions/ (see FuzzRegressionTests.swift).
EOF
        return 1
    fi
    echo "== $target: no crash" >&2
    grep -E '^(Done|stat::|#[0-9]+ +DONE)' "$log" >&2 || true
}

for target in "${selected[@]}"; do build "$target"; done
[[ $SECONDS_PER_TARGET -eq 0 ]] && exit 0  # 0 seconds: build only
failed=0
for target in "${selected[@]}"; do run "$target" || failed=1; done
exit $failed
