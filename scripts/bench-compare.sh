#!/usr/bin/env bash
# Compares reseller-impact's import, analyze and report with the sqlite3 shell and DuckDB on the
# same generated data (issue #4; results and method in docs/PERFORMANCE.md).
#
#   swift build -c release                       # first: the binary under test
#   scripts/bench-compare.sh [SIZES…]            # default: 1000000 10000000 mailboxes
#
# For each size it generates the data once into $BENCH_DIR/data-N (reused when complete), then
# times with /usr/bin/time -v (wall time, peak RSS, CPU):
#   (a) reseller-impact import into a new database, analyze --json, report, and the same
#       import again into that database (the nightly case, shown but not a target);
#   (b) the sqlite3 shell: .import of 4-mailboxes.csv into mailbox(address TEXT PRIMARY KEY, …),
#       the reseller side into plain tables plus indexes, and the per-reseller analysis SQL;
#   (c) DuckDB (python3, `pip install --user duckdb` if missing) asking the same question
#       straight from the CSV files, every column read as VARCHAR.
# and prints one table per size and the ratios the targets of issue #4 name.
#
# The steps the targets compare (reseller-impact import and analyze, the shell's .import of the
# mailboxes, DuckDB) run $RUNS times each, a new database every time; the tables show the median
# wall and CPU time, the system (kernel) part of the CPU time, the highest peak memory and every
# run's wall time. One run of the same 10M import took 20.4-24.1 s on the same machine and data
# (docs/PERFORMANCE.md): a single run cannot tell a ratio near its limit from noise. The spread
# is in the system time (3.1 s in a fast run, 7.3-8.9 s in slow ones, the user time the same):
# the kernel's cost of the 3 GB the import writes through the page cache varies on a virtual
# machine whose free memory goes back to its host.
#
# Environment:
#   RUNS        runs of each compared step (default 3; 1 for a quick look)
#   RI_BIN      the binary (default: .build/release/reseller-impact of this checkout)
#   BENCH_DIR   data, databases and logs (default: /tmp/reseller-impact-bench); needs about
#               0.7 GB free per million mailboxes (data, two databases, the report)
#   NO_DUCKDB=1 skip DuckDB;  NO_INSTALL=1 do not try to pip-install it
#
# Everything runs one step at a time under `nice -n 10` (the benchmark machine is shared).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RI_BIN=${RI_BIN:-$ROOT/.build/release/reseller-impact}
BENCH_DIR=${BENCH_DIR:-/tmp/reseller-impact-bench}
RUNS=${RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000000 10000000)
NICE=(nice -n 10)

die() { echo "bench-compare: $*" >&2; exit 1; }

[ -x "$RI_BIN" ] || die "no binary at $RI_BIN: run 'swift build -c release' first (or set RI_BIN)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
command -v sqlite3 >/dev/null || die "the sqlite3 shell is missing (apt-get install sqlite3)"
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || die "RUNS is a number of runs from 1 to 99, not '$RUNS'"
for n in "${SIZES[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] && [ "$n" -ge 10 ] || die "sizes are mailbox counts of 10 or more, not '$n'"
done
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
# The checkout and binary as the run starts (either may change while it runs).
CHECKOUT=$(git -C "$ROOT" log -1 --format=%h 2>/dev/null || echo '?')
BUILT=$(date -r "$RI_BIN" '+%Y-%m-%d %H:%M:%S')

# --- DuckDB -------------------------------------------------------------------------------
DUCKDB=""
if [ "${NO_DUCKDB:-}" != 1 ]; then
    if python3 -c 'import duckdb' 2>/dev/null; then
        DUCKDB=$(python3 -c 'import duckdb; print(duckdb.__version__)')
    elif [ "${NO_INSTALL:-}" != 1 ] && python3 -m pip install --user --quiet duckdb >"$BENCH_DIR/pip-duckdb.log" 2>&1 \
         && python3 -c 'import duckdb' 2>/dev/null; then
        DUCKDB=$(python3 -c 'import duckdb; print(duckdb.__version__)')
    else
        echo "bench-compare: DuckDB could not be imported or installed (see $BENCH_DIR/pip-duckdb.log); skipping (c)" >&2
    fi
fi

# --- timing ---------------------------------------------------------------------------------
# median X…: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# timed_runs RUNS RESET NAME LOG CMD…: runs CMD RUNS times under /usr/bin/time -v, with
# stdout+stderr to LOG (the last run's), deleting RESET* first each time when RESET is not empty
# (a database the command creates). Appends "NAME<TAB>wall s<TAB>peak MB<TAB>cpu s<TAB>runs<TAB>sys s" to
# $RESULTS: the median wall and CPU time (each the median of its own, possibly from different
# runs), the highest peak, every run's wall time, the median system time. A failing run stops
# the script.
timed_runs() {
    local runs=$1 reset=$2 name=$3 log=$4; shift 4
    local tv="$log.time" i line w r c k walls=() rsss=() cpus=() syss=()
    for ((i = 1; i <= runs; i++)); do
        [ -z "$reset" ] || rm -f "$reset" "$reset"-journal "$reset"-wal "$reset"-shm
        # Write back what the previous step left dirty, so that a step is not measured while
        # the kernel is still flushing the one before (every contender alike).
        sync
        if ! /usr/bin/time -v -o "$tv" "${NICE[@]}" "$@" >"$log" 2>&1; then
            echo "bench-compare: step '$name' failed; last lines of $log:" >&2
            tail -n 15 "$log" >&2
            exit 1
        fi
        line=$(awk -F': ' '
            /Elapsed \(wall clock\) time/ {
                n = split($NF, p, ":"); wall = 0
                for (i = 1; i <= n; i++) wall = wall * 60 + p[i]
            }
            /Maximum resident set size/ { rss = $NF / 1024 }
            /User time \(seconds\)/ { cpu += $NF }
            /System time \(seconds\)/ { cpu += $NF; sys = $NF }
            END { printf "%.2f %.0f %.2f %.2f\n", wall, rss, cpu, sys }' "$tv")
        read -r w r c k <<<"$line"
        walls+=("$w"); rsss+=("$r"); cpus+=("$c"); syss+=("$k")
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(median "${walls[@]}")" "$(printf '%s\n' "${rsss[@]}" | LC_ALL=C sort -g | tail -n 1)" \
        "$(median "${cpus[@]}")" "$(IFS=/; echo "${walls[*]}")" "$(median "${syss[@]}")" >>"$RESULTS"
    tail -n 1 "$RESULTS" | awk -F'\t' '{ printf "  %-34s %8.2f s  %6d MB  (cpu %.2f s, sys %.2f s)%s\n", $1, $2, $3, $4, $6,
                                            ($5 ~ /\//) ? "  runs " $5 : "" }'
}
# timed NAME LOG CMD…: one run.
timed() { timed_runs 1 "" "$@"; }

# field STEP COLUMN [SIZE]: a figure from a size's results file (2 wall, 3 peak MB, 4 cpu).
field() {
    local file="$BENCH_DIR/results-${3:-$N}.tsv"
    [ -f "$file" ] && awk -F'\t' -v s="$1" -v c="$2" '$1 == s { print $c }' "$file" || true
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.3f", a / b }'; }
# verdict VALUE OP LIMIT: "met" or "NOT met" (or "n/a" without a value).
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        if (v == "") { print "n/a"; exit }
        ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 < l + 0)
        print ok ? "met" : "NOT met" }'
}

# Lower-cased domain of a mailbox address: what reseller-impact derives (after the last '@'; the
# generated addresses have exactly one).
DOMAIN_SQL="lower(substr(address, instr(address, '@') + 1))"

for N in "${SIZES[@]}"; do
    DATA="$BENCH_DIR/data-$N"
    WORK="$BENCH_DIR/run-$N"
    RESULTS="$BENCH_DIR/results-$N.tsv"
    CUSTOMERS=$(( N / 5 > 20000 ? N / 5 : 20000 ))
    echo
    echo "=== $N mailboxes (data: $DATA) ==="

    # Generate once; a folder without the marker is from an interrupted run.
    if [ ! -f "$DATA/.complete" ]; then
        rm -rf "$DATA"
        echo "  generating…"
        "${NICE[@]}" "$RI_BIN" generate --out "$DATA" --mailboxes "$N" --resellers 20000 --customers "$CUSTOMERS" \
            --clusters A,B --volumes 24 --seed 7 >"$BENCH_DIR/generate-$N.log" 2>&1 \
            || { tail -n 5 "$BENCH_DIR/generate-$N.log" >&2; die "generate failed"; }
        touch "$DATA/.complete"
    fi
    rm -rf "$WORK"; mkdir -p "$WORK"
    : >"$RESULTS"
    # Warm the page cache for every contender alike.
    cat "$DATA"/*.csv >/dev/null

    # Offline volumes, from offline.txt: as SQL literals 'A/vol02','A/vol03',…
    OFFLINE=$(grep -v '^[[:space:]]*#' "$DATA/offline.txt" | sed 's/#.*//; s/[[:space:]]//g' | grep -v '^$' \
        | sed "s/.*/'&'/" | paste -sd, -)
    [ -n "$OFFLINE" ] || die "$DATA/offline.txt names no volume"

    # (a) reseller-impact
    timed_runs "$RUNS" "$WORK/ri.sqlite" "reseller-impact import" "$WORK/ri-import.log" \
        "$RI_BIN" import --db "$WORK/ri.sqlite" "$DATA"
    timed_runs "$RUNS" "" "reseller-impact analyze --json" "$WORK/ri-analyze.log" \
        sh -c 'exec "$1" analyze --db "$2" --offline-file "$3" --json >"$4"' sh \
        "$RI_BIN" "$WORK/ri.sqlite" "$DATA/offline.txt" "$WORK/ri-analyze.json"
    timed "reseller-impact report" "$WORK/ri-report.log" \
        "$RI_BIN" report --db "$WORK/ri.sqlite" --offline-file "$DATA/offline.txt" --out "$WORK/report"
    # The nightly case: the same exports again into the database that holds them (WAL mode,
    # readers never blocked; a first import writes a new file once with a rollback journal).
    timed "reseller-impact import again" "$WORK/ri-reimport.log" "$RI_BIN" import --db "$WORK/ri.sqlite" "$DATA"

    # (b) the sqlite3 shell, default pragmas
    cat >"$WORK/shell-import-mailboxes.sql" <<EOF
CREATE TABLE mailbox(address TEXT PRIMARY KEY, cluster TEXT, volume TEXT, size_mb TEXT);
.import --csv --skip 1 $DATA/4-mailboxes.csv mailbox
EOF
    cat >"$WORK/shell-import-resellers.sql" <<EOF
CREATE TABLE reseller(reseller_id TEXT, name TEXT, contact_email TEXT, contact_name TEXT, language TEXT);
CREATE TABLE customer(customer_id TEXT, reseller_id TEXT, name TEXT, contact_email TEXT);
CREATE TABLE domain(domain TEXT, customer_id TEXT);
.import --csv --skip 1 $DATA/1-resellers.csv reseller
.import --csv --skip 1 $DATA/2-customers.csv customer
.import --csv --skip 1 $DATA/3-domains.csv domain
CREATE INDEX reseller_id ON reseller(reseller_id);
CREATE INDEX customer_id ON customer(customer_id);
CREATE INDEX domain_domain ON domain(domain);
EOF
    # Per reseller: mailboxes and affected mailboxes, and the status reseller-impact reports.
    cat >"$WORK/shell-analyze.sql" <<EOF
.mode csv
.headers on
.output $WORK/shell-analyze.csv
WITH m AS (
    SELECT $DOMAIN_SQL AS domain, (cluster || '/' || volume) IN ($OFFLINE) AS affected FROM mailbox
), per_reseller AS (
    SELECT c.reseller_id, count(*) AS mailboxes, sum(m.affected) AS affected
    FROM m JOIN domain d ON d.domain = m.domain JOIN customer c ON c.customer_id = d.customer_id
    GROUP BY c.reseller_id
)
SELECT r.reseller_id, r.name, coalesce(p.mailboxes, 0) AS mailboxes, coalesce(p.affected, 0) AS affected,
       CASE WHEN p.affected > 0 AND p.affected = p.mailboxes THEN 'full' WHEN p.affected > 0 THEN 'partial' ELSE 'none' END AS status
FROM reseller r LEFT JOIN per_reseller p ON p.reseller_id = r.reseller_id
ORDER BY r.reseller_id;
EOF
    timed_runs "$RUNS" "$WORK/shell.sqlite" "sqlite3 .import mailboxes" "$WORK/shell-import-mailboxes.log" \
        sh -c 'exec sqlite3 -bail "$1" <"$2"' sh "$WORK/shell.sqlite" "$WORK/shell-import-mailboxes.sql"
    timed "sqlite3 .import reseller side+idx" "$WORK/shell-import-resellers.log" \
        sh -c 'exec sqlite3 -bail "$1" <"$2"' sh "$WORK/shell.sqlite" "$WORK/shell-import-resellers.sql"
    timed "sqlite3 analysis SQL" "$WORK/shell-analyze.log" \
        sh -c 'exec sqlite3 -bail "$1" <"$2"' sh "$WORK/shell.sqlite" "$WORK/shell-analyze.sql"

    # (c) DuckDB, straight from the CSV files
    if [ -n "$DUCKDB" ]; then
        cat >"$WORK/duckdb-analyze.py" <<EOF
import duckdb, sys
def csv(name):
    return f"read_csv('$DATA/{name}', header=true, all_varchar=true, delim=',', quote='\"', escape='\"')"
con = duckdb.connect()
con.execute(f"""
COPY (
  WITH m AS (
      SELECT $DOMAIN_SQL AS domain, (cluster || '/' || volume) IN ($OFFLINE) AS affected
      FROM {csv('4-mailboxes.csv')}
  ), per_reseller AS (
      SELECT c.reseller_id, count(*) AS mailboxes, count(*) FILTER (WHERE m.affected) AS affected
      FROM m JOIN {csv('3-domains.csv')} d ON d.domain = m.domain
             JOIN {csv('2-customers.csv')} c ON c.customer_id = d.customer_id
      GROUP BY c.reseller_id
  )
  SELECT r.reseller_id, r.name, coalesce(p.mailboxes, 0) AS mailboxes, coalesce(p.affected, 0) AS affected,
         CASE WHEN p.affected > 0 AND p.affected = p.mailboxes THEN 'full' WHEN p.affected > 0 THEN 'partial' ELSE 'none' END AS status
  FROM {csv('1-resellers.csv')} r LEFT JOIN per_reseller p ON p.reseller_id = r.reseller_id
  ORDER BY r.reseller_id
) TO '$WORK/duckdb-analyze.csv' (HEADER)
""")
EOF
        timed_runs "$RUNS" "" "duckdb analysis from CSV" "$WORK/duckdb-analyze.log" python3 "$WORK/duckdb-analyze.py"
    fi

    # Do the three agree? (resellers fully / partially affected, affected mailboxes)
    echo "  cross-check (full, partial, affected mailboxes):"
    python3 - "$WORK" <<'EOF'
import csv, json, os, sys
work = sys.argv[1]
doc = json.load(open(os.path.join(work, "ri-analyze.json")))
rs = doc["resellers"]
print("    reseller-impact:", sum(r["status"] == "full" for r in rs), sum(r["status"] == "partial" for r in rs),
      sum(r["affected_mailboxes"] for r in rs))
for name in ("shell-analyze.csv", "duckdb-analyze.csv"):
    path = os.path.join(work, name)
    if os.path.exists(path):
        rows = list(csv.DictReader(open(path, newline="")))
        print(f"    {name.split('-')[0]:15}:", sum(r["status"] == "full" for r in rows), sum(r["status"] == "partial" for r in rows),
              sum(int(r["affected"]) for r in rows))
EOF
done

# --- summary ------------------------------------------------------------------------------
echo
echo "reseller-impact $("$RI_BIN" --version 2>/dev/null || echo '?') at $RI_BIN" \
     "(modified $BUILT; checkout $CHECKOUT when the run started)"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1); DuckDB ${DUCKDB:-not run}; $(nproc) cores; $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
for N in "${SIZES[@]}"; do
    echo
    echo "## $N mailboxes"
    printf '| %-34s | %8s | %7s | %8s | %8s | %s |\n' step "wall s" "peak MB" "cpu s" "sys s" "runs (wall s)"
    printf '|%s|%s|%s|%s|%s|%s|\n' ------------------------------------ ---------- --------- ---------- ---------- ----------------
    awk -F'\t' '{ printf "| %-34s | %8.2f | %7d | %8.2f | %8.2f | %s |\n", $1, $2, $3, $4, $6, $5 }' "$BENCH_DIR/results-$N.tsv"
done

echo
echo "## Targets (issue #4)"
printf '| %-52s | %8s | %-10s | %s\n' target value limit verdict
for N in "${SIZES[@]}"; do
    ri=$(field "reseller-impact import" 2 "$N"); sh=$(field "sqlite3 .import mailboxes" 2 "$N")
    r=$(ratio "$ri" "$sh")
    printf '| %-52s | %8s | %-10s | %s\n' "import / sqlite3 .import at $N" "${r:-n/a}" "<= 0.5" "$(verdict "$r" "<=" 0.5)"
    an=$(field "reseller-impact analyze --json" 2 "$N"); dk=$(field "duckdb analysis from CSV" 2 "$N")
    r=$(ratio "$an" "$dk")
    printf '| %-52s | %8s | %-10s | %s\n' "analyze / DuckDB at $N" "${r:-n/a}" "<= 0.1" "$(verdict "$r" "<=" 0.1)"
    if [ "$N" = 10000000 ]; then
        printf '| %-52s | %8s | %-10s | %s\n' "analyze wall s at 10M" "$an" "< 1" "$(verdict "$an" "<" 1)"
        rp=$(field "reseller-impact report" 2 "$N")
        printf '| %-52s | %8s | %-10s | %s\n' "report wall s at 10M" "$rp" "< 15" "$(verdict "$rp" "<" 15)"
        for step in import "analyze --json" report; do
            mb=$(field "reseller-impact $step" 3 "$N")
            printf '| %-52s | %8s | %-10s | %s\n' "peak MB of $step at 10M" "$mb" "< 300" "$(verdict "$mb" "<" 300)"
        done
    fi
done
i1=$(field "reseller-impact import" 2 1000000); i10=$(field "reseller-impact import" 2 10000000)
r=$(ratio "$i10" "$i1")
note=""
[ -n "$r" ] && { [[ " ${SIZES[*]} " == *" 1000000 "* && " ${SIZES[*]} " == *" 10000000 "* ]] || note=" (one size from an earlier run in $BENCH_DIR)"; }
printf '| %-52s | %8s | %-10s | %s\n' "import 10M / import 1M" "${r:-n/a}" "<= 11" "$(verdict "$r" "<=" 11)$note"
# The scaling ratio moves with the kernel's cost of the 10M import's 3 GB of page-cache writes
# on this kind of machine (docs/PERFORMANCE.md, "The machine"): shown beside it, not judged.
s1=$(field "reseller-impact import" 6 1000000); s10=$(field "reseller-impact import" 6 10000000)
if [ -n "$s1" ] && [ -n "$s10" ]; then
    printf '| %-52s | %8s | %-10s | %s\n' "system time of import 10M / 1M (s)" "$s10 / $s1" "" \
        "$(awk -v a="$s10" -v b="$s1" 'BEGIN { if (a > 10 * b * 1.5) print "10M kernel time out of proportion: a slow spell?"; else print "in proportion" }')"
fi
