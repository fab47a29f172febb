#!/usr/bin/env bash
# Independent check: run reseller-impact and the Python oracle (scripts/oracle/oracle.py,
# written from PRODUCT.md only) on the same inputs and diff their outputs.
#
#   scripts/check-oracle.sh DATASET_DIR OFFLINE_FILE
#
# DATASET_DIR may be any file or directory the importer accepts; a data set full of edge
# cases comes from:  python3 scripts/oracle/make_edge_dataset.py --out /tmp/edge --seed 1
# (then: scripts/check-oracle.sh /tmp/edge/dataset /tmp/edge/offline.txt).
#
# Environment:
#   RI_BIN=/path/to/reseller-impact   use this binary instead of `swift run -c release`
#   CHECK_DIR=/some/dir               work directory (default: a new mktemp -d); kept afterwards
#
# Compared: analyze --json (parsed), export affected-mailboxes (bytes), the list of report
# files, each report/resellers/*-affected-mailboxes.csv (bytes) and report/summary.json (parsed).
# Exit 0 when all equal, 1 on any difference, 2 when a step could not run.
set -uo pipefail

if [ $# -ne 2 ]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
DATASET=$(abspath "$1")
OFFLINE=$(abspath "$2")
[ -e "$DATASET" ] || { echo "no such data set: $DATASET" >&2; exit 2; }
[ -f "$OFFLINE" ] || { echo "no such offline file: $OFFLINE" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${CHECK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/check-oracle.XXXXXX")}
mkdir -p "$T/product"
T=$(cd "$T" && pwd)
P="$T/product"
O="$T/oracle"
rm -rf "$O" "$P/report" "$P/db.sqlite" "$P/export.csv" "$P/analyze.json"
echo "work directory: $T"

if [ -n "${RI_BIN:-}" ]; then
  ri() { "$RI_BIN" "$@"; }
else
  echo "building reseller-impact (release)…"
  (cd "$ROOT" && swift build -c release --product reseller-impact) >"$T/build.log" 2>&1 || {
    echo "swift build failed; see $T/build.log" >&2; tail -20 "$T/build.log" >&2; exit 2; }
  ri() { (cd "$ROOT" && swift run -c release --skip-build reseller-impact "$@"); }
fi

status=0
step() {  # step NAME STDOUT_FILE -- command…
  local name=$1 out=$2; shift 3
  "$@" >"$out" 2>"$T/$name.err"
  local rc=$?
  echo "$rc" >"$T/$name.rc"
  if [ "$rc" -ne 0 ]; then
    echo "product: $name exited $rc" >&2
    tail -5 "$T/$name.err" | sed 's/^/    /' >&2
  fi
  return "$rc"
}

echo "running the oracle…"
python3 "$ROOT/scripts/oracle/oracle.py" --offline-file "$OFFLINE" --out "$O" "$DATASET" 2>"$T/oracle.err"
orc=$?
sed 's/^/    /' "$T/oracle.err"

echo "running the product…"
step import "$T/import.out" -- ri import --db "$P/db.sqlite" "$DATASET"
irc=$?
if [ "$irc" -ne 0 ] || [ "$orc" -ne 0 ]; then
  # Import aborts (malformed XML, unknown volume, …): only the exit codes can be compared.
  step analyze "$P/analyze.json" -- ri analyze --db "$P/db.sqlite" --offline-file "$OFFLINE" --json
  arc=$?
  prc=$irc; [ "$prc" -eq 0 ] && prc=$arc
  if [ "$prc" -eq "$orc" ]; then
    echo "both stopped with exit $orc: no outputs to compare"; exit 0
  fi
  echo "FAIL: exit status differs: product import=$irc analyze=$arc, oracle=$orc" >&2
  exit 1
fi
step analyze "$P/analyze.json" -- ri analyze --db "$P/db.sqlite" --offline-file "$OFFLINE" --json || status=1
step export "$T/export.out" -- ri export affected-mailboxes --db "$P/db.sqlite" --offline-file "$OFFLINE" --out "$P/export.csv" || status=1
step report "$T/report.out" -- ri report --db "$P/db.sqlite" --offline-file "$OFFLINE" --out "$P/report" || status=1

echo "comparing (oracle: $O, product: $P)…"
python3 "$ROOT/scripts/oracle/compare.py" "$O" "$P" || status=1

if [ "$status" -ne 0 ]; then
  echo "FAIL: product and oracle differ (outputs kept in $T)" >&2
  exit 1
fi
echo "OK (outputs kept in $T)"
exit 0
