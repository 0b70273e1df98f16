#!/bin/sh
# Rule: a sweep killed with SIGKILL at any moment and rerun with --resume ends with every point
# exactly once and rows equal to a clean run's. The sweep is sized to take a few seconds on
# this machine (a probe measures the rate, so a sanitizer build runs fewer points); it is killed at
# three moments (about 15%, 40% and 65% of the clean run, with random jitter, printed), each time
# on a fresh database and resumed; a fourth run is killed, its resume killed too, then resumed.
# After every kill the database passes SQLite's integrity check, and at least one kill must land
# mid-run (some points written, not all).
# Usage: sweep_survives_kill_and_resume.sh ARCLIGHT DATA_DIR (needs sqlite3 and GNU date/sleep)
# Not for: --jobs (sweep_jobs_do_not_change_rows.sh) or bad input (sweep_bad_input.sh).
set -u
ARC=$1
. "${0%/*}/lib.sh"

now() { date +%s.%N; }
spec() { # spec FILE BATCHES: BATCHES x 100 points of MiniMax-Text-01 decode on 8xh200
    printf '{"model": "minimax-text-01", "hw": "8xh200", "workload": {"tp": 8},
 "axes": {"workload.batch": {"from": 1, "to": %d, "step": 1},
          "workload.ctx": {"from": 1024, "to": 4194304, "points": 100}}}\n' "$2" >"$TMP/$1"
}

# probe the rate, then size the sweep to about 3 s
spec probe.json 200
t0=$(now)
run "probe" "$TMP/probe.out" sweep "$TMP/probe.json" --db "$TMP/probe.sqlite" --jobs 2
t1=$(now)
B=$(awk -v a="$t0" -v b="$t1" 'BEGIN { r = 20000 / (b - a); n = int(r * 3 / 100); if (n < 200) n = 200; if (n > 4000) n = 4000; print n }')
N=$((B * 100))
spec s.json "$B"

t0=$(now)
run "clean run" "$TMP/clean.out" sweep "$TMP/s.json" --db "$TMP/clean.sqlite" --jobs 2
t1=$(now)
T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
echo "sweep of $N points: clean run $T s"

# same DB: the rows equal the clean run's, each point once
same() {
    got=$(sqlite3 "$1" "ATTACH '$TMP/clean.sqlite' AS c;
        SELECT (SELECT count(*) FROM points) || ' ' || (SELECT count(DISTINCT point) FROM points) || ' ' ||
               (SELECT count(*) FROM (SELECT * FROM points EXCEPT SELECT * FROM c.points)) || ' ' ||
               (SELECT count(*) FROM (SELECT * FROM c.points EXCEPT SELECT * FROM points));") || fail "cannot compare $1"
    [ "$got" = "$N $N 0 0" ] || fail "rows, distinct points, rows not in the clean run, clean rows missing: $got; want $N $N 0 0"
}

# killed DELAY: starts a sweep (--resume when $2 is set), kills it after DELAY s, checks the database
landed=0
killed() {
    "$ARC" sweep "$TMP/s.json" --db "$TMP/k.sqlite" --jobs 2 ${2:+--resume} >/dev/null 2>"$TMP/kerr" &
    pid=$!
    sleep "$1"
    kill -9 "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null # no "Killed" from the shell
    rc=$?
    steps=$((steps + 1))
    name="killed after $1 s"
    if [ -e "$TMP/k.sqlite" ]; then
        ok=$(sqlite3 "$TMP/k.sqlite" 'PRAGMA integrity_check') || fail "cannot open the killed database"
        [ "$ok" = ok ] || fail "integrity check: $ok"
        part=$(sqlite3 "$TMP/k.sqlite" 'SELECT count(*) FROM points' 2>/dev/null || echo 0)
    else
        part=0
    fi
    echo "killed after $1 s (exit status $rc): $part of $N points committed"
    [ "$rc" -eq 137 ] && [ "$part" -gt 0 ] && [ "$part" -lt "$N" ] && landed=$((landed + 1))
    return 0
}

for f in 0.15 0.4 0.65; do
    d=$(awk -v t="$T" -v f="$f" -v s="$$$f" 'BEGIN { srand(s); printf "%.3f", t * (f + 0.1 * (rand() - 0.5)) }')
    rm -f "$TMP"/k.sqlite*
    killed "$d"
    run "resume after $d s" "$TMP/resume.out" sweep "$TMP/s.json" --db "$TMP/k.sqlite" --jobs 2 --resume
    grep -q "were already present" "$TMP/resume.out" || fail "the resume's summary: $(cat "$TMP/resume.out")"
    same "$TMP/k.sqlite"
done

# killed twice: the run, then its resume
rm -f "$TMP"/k.sqlite*
killed "$(awk -v t="$T" 'BEGIN { printf "%.3f", t * 0.3 }')"
killed "$(awk -v t="$T" 'BEGIN { printf "%.3f", t * 0.2 }')" resume
run "resume after two kills" "$TMP/resume.out" sweep "$TMP/s.json" --db "$TMP/k.sqlite" --jobs 1 --resume
same "$TMP/k.sqlite"

[ "$landed" -ge 1 ] || fail "no kill landed mid-run (with some but not all points written)"
finish sweep_survives_kill_and_resume "$N points, $landed of 5 kills mid-run"
