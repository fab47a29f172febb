#!/usr/bin/env bash
# Crash safety: kill imports (and reports) with SIGKILL at random moments, many times, and
# check that the database is always openable (PRAGMA integrity_check = ok) and holds either
# the data from before the import or the data after it, never a mix (for a first import into
# a new database: no file, the empty database, or the complete data); and that every report
# file present is complete.
#
#   scripts/crash-test.sh [ITERATIONS=60] [MAILBOXES=200000]
#   RI_BIN=/path/to/reseller-impact scripts/crash-test.sh
#
# Exit 0 when every iteration held, 1 otherwise. Needs sqlite3.
set -euo pipefail
iterations=${1:-60}
mailboxes=${2:-200000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${RI_BIN:-$root/.build/release/reseller-impact}
[ -x "$bin" ] || bin=$root/.build/debug/reseller-impact
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/crash-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A fingerprint of the stored data, independent of row ids and file order.
fingerprint() {
  sqlite3 "$1" "SELECT reseller_id, name FROM reseller ORDER BY 1;
                SELECT customer_id, reseller_id, name FROM customer ORDER BY 1;
                SELECT domain, customer_id FROM domain ORDER BY 1;
                SELECT m.address, v.cluster, v.volume FROM mailbox m JOIN volume v ON v.id = m.volume_id ORDER BY 1;
                SELECT volume_id, mailboxes, unattributed FROM volume_total ORDER BY 1;
                SELECT count(*), sum(mailboxes), sum(customers) FROM reseller_total;
                SELECT volume_id, hex(packed) FROM volume_exposure ORDER BY 1;" | sha256sum | cut -c1-16
}

echo "data: two generated exports of $mailboxes mailboxes (old and new)"
"$bin" generate --out "$work/old" --mailboxes "$mailboxes" --resellers 500 --customers $((mailboxes / 5)) --clusters A,B --volumes 12 --seed 1 --dirty 0.001 >/dev/null
"$bin" generate --out "$work/new" --mailboxes "$mailboxes" --resellers 500 --customers $((mailboxes / 5)) --clusters A,B --volumes 12 --seed 2 --dirty 0.001 >/dev/null
"$bin" import --db "$work/pristine.sqlite" "$work/old" 2>/dev/null
old=$(fingerprint "$work/pristine.sqlite")
cp "$work/pristine.sqlite" "$work/full.sqlite"
start=$(date +%s%N)
"$bin" import --db "$work/full.sqlite" --allow-shrink "$work/new" 2>/dev/null
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
new=$(fingerprint "$work/full.sqlite")
echo "a full import takes ${full_ms} ms; fingerprints: before $old, after $new"

failures=0; saw_old=0; saw_new=0
for i in $(seq 1 "$iterations"); do
  rm -f "$work"/db.sqlite*
  cp "$work/pristine.sqlite" "$work/db.sqlite"
  delay_ms=$(( RANDOM * (full_ms + 200) / 32768 ))
  "$bin" import --db "$work/db.sqlite" --allow-shrink "$work/new" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check=$(sqlite3 "$work/db.sqlite" "PRAGMA integrity_check" 2>&1 || true)
  got=$(fingerprint "$work/db.sqlite" 2>/dev/null || echo unreadable)
  if [ "$check" != "ok" ]; then
    echo "FAIL #$i (killed after ${delay_ms} ms): integrity_check: $check"; failures=$((failures + 1))
  elif [ "$got" = "$old" ]; then saw_old=$((saw_old + 1))
  elif [ "$got" = "$new" ]; then saw_new=$((saw_new + 1))
  else
    echo "FAIL #$i (killed after ${delay_ms} ms): the data is neither the old nor the new ($got)"; failures=$((failures + 1))
  fi
  if [ $((i % 10)) -eq 0 ]; then
    # The database stays usable: the next import completes.
    if ! "$bin" import --db "$work/db.sqlite" --allow-shrink "$work/new" >/dev/null 2>&1 || [ "$(fingerprint "$work/db.sqlite")" != "$new" ]; then
      echo "FAIL #$i: the import after the kill did not complete"; failures=$((failures + 1))
    fi
  fi
done
echo "imports killed: $iterations; old data intact: $saw_old; new data complete: $saw_new; failures: $failures"

# A first import into a new database runs with a rollback journal instead of WAL (it writes
# the file once): killed, it must leave no file, or an empty database, or the complete data;
# and the next import completes and leaves the database in WAL mode.
first_iterations=$(( iterations / 2 > 10 ? iterations / 2 : 10 ))
mkdir -p "$work/none"
"$bin" import --db "$work/empty.sqlite" "$work/none" >/dev/null 2>&1
empty=$(fingerprint "$work/empty.sqlite")
# Volume ids depend on what the database saw before: the reference is a new database.
"$bin" import --db "$work/first-full.sqlite" "$work/new" >/dev/null 2>&1
first_new=$(fingerprint "$work/first-full.sqlite")
first_failures=0; saw_none=0; saw_empty=0; saw_first=0
for i in $(seq 1 "$first_iterations"); do
  rm -f "$work"/first.sqlite*
  delay_ms=$(( RANDOM * (full_ms + 200) / 32768 ))
  "$bin" import --db "$work/first.sqlite" "$work/new" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ ! -s "$work/first.sqlite" ]; then saw_none=$((saw_none + 1)); continue; fi
  check=$(sqlite3 "$work/first.sqlite" "PRAGMA integrity_check" 2>&1 || true)
  got=$(fingerprint "$work/first.sqlite" 2>/dev/null || echo unreadable)
  if [ "$check" != "ok" ]; then
    echo "FAIL first #$i (killed after ${delay_ms} ms): integrity_check: $check"; first_failures=$((first_failures + 1))
  elif [ "$got" = "$empty" ]; then saw_empty=$((saw_empty + 1))
  elif [ "$got" = "$first_new" ]; then saw_first=$((saw_first + 1))
  else
    echo "FAIL first #$i (killed after ${delay_ms} ms): the data is neither empty nor complete ($got)"; first_failures=$((first_failures + 1))
  fi
  if ! "$bin" import --db "$work/first.sqlite" --allow-shrink "$work/new" >/dev/null 2>&1 \
     || [ "$(fingerprint "$work/first.sqlite")" != "$first_new" ] \
     || [ "$(sqlite3 "$work/first.sqlite" "PRAGMA journal_mode")" != "wal" ]; then
    echo "FAIL first #$i: the import after the kill did not complete in WAL mode"; first_failures=$((first_failures + 1))
  fi
done
echo "first imports killed: $first_iterations; no file yet: $saw_none; empty database: $saw_empty; complete: $saw_first; failures: $first_failures"
failures=$((failures + first_failures))

# Reports: a killed report never leaves a truncated draft or list.
offline=$(grep -v '^#' "$work/new/offline.txt" | head -3 | paste -sd, -)
"$bin" report --db "$work/full.sqlite" --offline "$offline" --out "$work/report" >/dev/null 2>&1
report_ms=300
report_failures=0
for i in $(seq 1 20); do
  rm -rf "$work/r"
  delay_ms=$(( RANDOM * report_ms / 32768 ))
  "$bin" report --db "$work/full.sqlite" --offline "$offline" --out "$work/r" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -d "$work/r/resellers" ] || continue
  for f in "$work/r/resellers"/*; do
    [ -e "$f" ] || continue
    case "$f" in *.partial-*) continue ;; esac
    if ! cmp -s "$f" "$work/report/resellers/$(basename "$f")"; then
      echo "FAIL report #$i: $(basename "$f") differs from a complete report"; report_failures=$((report_failures + 1))
    fi
  done
done
echo "reports killed: 20; incomplete files found: $report_failures"
[ "$failures" -eq 0 ] && [ "$report_failures" -eq 0 ]
