#!/bin/sh
# Rule: a 2-rank sweep killed with SIGKILL mid-run (mpirun killed; its ranks die with it) and
# resumed on 2 ranks with --resume ends with every point exactly once and rows equal to a clean
# one-process run's. The sweep is sized by a probe to take about 1 s in one process; mpirun is killed
# as soon as some rows are committed, so the kill lands mid-run whatever MPI's start-up costs.
# No rank outlives mpirun (a rank left writing would race the resume), the killed database passes
# SQLite's integrity check and holds some but not all points; then the resume is killed too, and a
# last resume finishes.
# Usage: sweep_mpi_survives_kill_and_resume.sh ARCLIGHT DATA_DIR (needs mpirun, sqlite3, setsid, ps)
# Not for: rows of an uninterrupted run (sweep_mpi_rows_equal_one_process.sh).
set -u
ARC=$1
. "${0%/*}/lib.sh"
. "${0%/*}/mpi_lib.sh"

now() { date +%s.%N; }
spec() { # spec FILE BATCHES: BATCHES x 100 points of MiniMax-Text-01 decode on 8xh200
    printf '{"model": "minimax-text-01", "hw": "8xh200", "workload": {"tp": 8},
 "axes": {"workload.batch": {"from": 1, "to": %d, "step": 1},
          "workload.ctx": {"from": 1024, "to": 4194304, "points": 100}}}\n' "$2" >"$TMP/$1"
}

spec probe.json 100
t0=$(now)
run "probe" "$TMP/probe.out" sweep "$TMP/probe.json" --db "$TMP/probe.sqlite" --jobs 2
t1=$(now)
B=$(awk -v a="$t0" -v b="$t1" 'BEGIN { r = 10000 / (b - a); n = int(r * 1 / 100); if (n < 100) n = 100; if (n > 2000) n = 2000; print n }')
N=$((B * 100))
spec s.json "$B"
run "clean run" "$TMP/clean.out" sweep "$TMP/s.json" --db "$TMP/clean.sqlite" --jobs 2

count() { sqlite3 "$TMP/k.sqlite" 'SELECT count(*) FROM points' 2>/dev/null || echo 0; }

# killed [--resume]: starts a 2-rank sweep in its own session, kills mpirun once rows are
# committed, waits for every process of the session to end, checks the database
landed=0
killed() {
    before=$(count)
    setsid "$MPIRUN" -q --oversubscribe -np 2 "$ARC" sweep "$TMP/s.json" --db "$TMP/k.sqlite" --jobs 1 ${1:-} >/dev/null 2>"$TMP/kerr" &
    pid=$!
    i=0
    while [ "$i" -lt 400 ] && kill -0 "$pid" 2>/dev/null; do # up to 20 s for the first commit
        [ "$(count)" -gt "$before" ] && break
        sleep 0.05
        i=$((i + 1))
    done
    kill -9 "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
    rc=$?
    steps=$((steps + 1))
    name="killed ${1:-run}"
    i=0
    while [ -n "$(ps -o pid= -s "$pid" 2>/dev/null)" ]; do
        [ "$i" -ge 100 ] && { fail "ranks outlived mpirun by 5 s: $(ps -o pid=,comm= -s "$pid")"; break; }
        sleep 0.05
        i=$((i + 1))
    done
    ok=$(sqlite3 "$TMP/k.sqlite" 'PRAGMA integrity_check') || fail "cannot open the killed database"
    [ "$ok" = ok ] || fail "integrity check: $ok"
    part=$(count)
    echo "killed ${1:-run} (exit status $rc): $part of $N points committed"
    [ "$rc" -eq 137 ] && [ "$part" -gt "$before" ] && [ "$part" -lt "$N" ] && landed=$((landed + 1))
    return 0
}

killed
killed --resume
with_mpi 2 run "resume on 2 ranks" "$TMP/resume.out" sweep "$TMP/s.json" --db "$TMP/k.sqlite" --jobs 1 --resume
grep -q "were already present" "$TMP/resume.out" || fail "the resume's summary: $(cat "$TMP/resume.out")"
got=$(sqlite3 "$TMP/k.sqlite" "ATTACH '$TMP/clean.sqlite' AS c;
    SELECT (SELECT count(*) FROM points) || ' ' || (SELECT count(DISTINCT point) FROM points) || ' ' ||
           (SELECT count(*) FROM (SELECT * FROM points EXCEPT SELECT * FROM c.points)) || ' ' ||
           (SELECT count(*) FROM (SELECT * FROM c.points EXCEPT SELECT * FROM points));") || fail "cannot compare"
[ "$got" = "$N $N 0 0" ] || fail "rows, distinct points, rows not in the clean run, clean rows missing: $got; want $N $N 0 0"
[ "$landed" -eq 2 ] || fail "$landed of 2 kills landed mid-run (some but not all points written)"
finish sweep_mpi_survives_kill_and_resume "$N points, $landed of 2 kills mid-run"
