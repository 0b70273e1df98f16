#!/bin/sh
# Rule: `mpirun -np N arclight sweep` writes the same database as one process, point for point and
# byte for byte (SELECT * ... ORDER BY point): a grid with valid and invalid points on 2 and 3
# ranks (more ranks than cores, blocks dealt unevenly), and a random sample on 2 ranks; --resume
# under mpirun finishes a database that lacks scattered points and a whole block, and a database
# begun under mpirun resumes in one process. Bad input under mpirun (a spec with an unknown path,
# a missing spec, a finished database without --resume, another spec's database, a directory that
# does not exist) ends every rank: exit 2, one line on stderr, nothing on stdout, the database as
# it was. Without a launcher the MPI plug-in is never opened; under one, a missing plug-in is a
# tool failure (exit 1).
# Usage: sweep_mpi_rows_equal_one_process.sh ARCLIGHT DATA_DIR (needs mpirun and sqlite3)
# Not for: a run killed mid-way (sweep_mpi_survives_kill_and_resume.sh).
set -u
ARC=$1
. "${0%/*}/lib.sh"
. "${0%/*}/mpi_lib.sh"

cat >"$TMP/grid.json" <<'EOS'
{"_comment": "3 x 4 x 5 x 2 x 3 = 360 points, some invalid",
 "model": "minimax-text-01", "hw": "le-hbm-sram", "workload": {"phase": "decode", "ctx": 65536},
 "axes": {"hw.sram.capacity_bytes": {"from": 4e5, "to": 4e8, "points": 3},
          "hw.matrix.rows": [64, 128, 256, 512],
          "workload.batch": {"from": 1, "to": 16, "points": 5},
          "workload.tp": [8, 16],
          "model.softmax_every": [0, 8, 1]}}
EOS
cat >"$TMP/sample.json" <<'EOS'
{"model": "minimax-text-01", "hw": "8xh200", "workload": {"tp": 8},
 "axes": {"workload.batch": {"from": 1, "to": 256, "step": 1},
          "workload.ctx": {"from": 1024, "to": 4194304, "points": 64},
          "workload.phase": ["prefill", "decode"]},
 "sample": {"random": 3000, "seed": 7}}
EOS
dump() { sqlite3 "$1" 'SELECT * FROM points ORDER BY point' || fail "cannot read $1"; }
same() { # same DB REF: DB's rows are REF's
    dump "$1" >"$TMP/a.rows"
    cmp -s "$TMP/a.rows" "$2" || fail "$1: rows differ from one process's ($(wc -l <"$TMP/a.rows") vs $(wc -l <"$2") lines)"
}

for s in grid sample; do
    run "$s, one process" "$TMP/$s.out" sweep "$TMP/$s.json" --db "$TMP/$s.sqlite" --jobs 2
    dump "$TMP/$s.sqlite" >"$TMP/$s.rows"
    with_mpi 2 run "$s, 2 ranks" "$TMP/$s.2.out" sweep "$TMP/$s.json" --db "$TMP/$s.2.sqlite" --jobs 1
    same "$TMP/$s.2.sqlite" "$TMP/$s.rows"
done
grep -q "^sweep .*: 360 points (360 written now.* on 2 ranks x 1 jobs" "$TMP/grid.2.out" || fail "the 2-rank summary: $(cat "$TMP/grid.2.out")"
with_mpi 3 run "grid, 3 ranks" "$TMP/grid.3.out" sweep "$TMP/grid.json" --db "$TMP/grid.3.sqlite" --jobs 1
same "$TMP/grid.3.sqlite" "$TMP/grid.rows"
[ "$(sqlite3 "$TMP/grid.2.sqlite" "SELECT value FROM meta WHERE key = 'spec_hash'")" = \
  "$(sqlite3 "$TMP/grid.sqlite" "SELECT value FROM meta WHERE key = 'spec_hash'")" ] || fail "the spec hashes differ"

# --resume under mpirun: scattered points and a whole block missing
cp "$TMP/sample.sqlite" "$TMP/part.sqlite"
sqlite3 "$TMP/part.sqlite" 'DELETE FROM points WHERE point % 7 = 3 OR point BETWEEN 1000 AND 1600'
with_mpi 2 run "resume on 2 ranks" "$TMP/resume.out" sweep "$TMP/sample.json" --db "$TMP/part.sqlite" --jobs 1 --resume
grep -q "were already present" "$TMP/resume.out" || fail "the resume's summary: $(cat "$TMP/resume.out")"
same "$TMP/part.sqlite" "$TMP/sample.rows"
# begun under mpirun, finished in one process
sqlite3 "$TMP/sample.2.sqlite" 'DELETE FROM points WHERE point >= 2000'
run "resume in one process" "$TMP/resume1.out" sweep "$TMP/sample.json" --db "$TMP/sample.2.sqlite" --jobs 2 --resume
same "$TMP/sample.2.sqlite" "$TMP/sample.rows"

# bad input under mpirun: one line, exit 2, the database untouched
echo '{"model": "minimax-text-01", "hw": "le-hbm-sram", "axes": {"hw.no_such_figure": [1]}}' >"$TMP/bad.json"
with_mpi 2 expect_bad "unknown path on 2 ranks" "bad.json:axes.hw.no_such_figure" sweep "$TMP/bad.json" --db "$TMP/bad.sqlite"
[ -e "$TMP/bad.sqlite" ] && fail "a bad spec created the database"
with_mpi 2 expect_bad "missing spec on 2 ranks" "missing.json" sweep "$TMP/missing.json" --db "$TMP/bad.sqlite"
cp "$TMP/grid.2.sqlite" "$TMP/keep.sqlite"
with_mpi 2 expect_bad "finished database without --resume" "expected --resume" sweep "$TMP/grid.json" --db "$TMP/grid.2.sqlite"
with_mpi 2 expect_bad "another spec's database" "holds another sweep" sweep "$TMP/sample.json" --db "$TMP/grid.2.sqlite" --resume
cmp -s "$TMP/grid.2.sqlite" "$TMP/keep.sqlite" || fail "a refused run changed the database"
with_mpi 2 expect_bad "no such directory" "no such directory" sweep "$TMP/grid.json" --db "$TMP/nodir/x.sqlite"

# the plug-in is opened under a launcher only
export ARCLIGHT_MPI_PLUGIN="$TMP/no-such-plugin.so"
run "no launcher, no plug-in" "$TMP/plain.out" sweep "$TMP/grid.json" --db "$TMP/plain.sqlite" --jobs 1
same "$TMP/plain.sqlite" "$TMP/grid.rows"
steps=$((steps + 1))
name="missing plug-in under mpirun"
"$TMP/mpi" 1 sweep "$TMP/grid.json" --db "$TMP/np.sqlite" >/dev/null 2>"$TMP/err"
rc=$?
unset ARCLIGHT_MPI_PLUGIN
[ "$rc" -eq 1 ] && grep -q "^arclight: sweep: launched by mpirun, but the MPI plug-in cannot be loaded" "$TMP/err" ||
    fail "exit status $rc, stderr: $(cat "$TMP/err")"

finish sweep_mpi_rows_equal_one_process
