#!/bin/sh
# Rule: bad sweep input gets exit status 2, one line naming FILE:FIELD, nothing on stdout, and an
# existing database left byte-identical with no journal files beside it. Covered: unknown axis
# paths (hardware, workload, model, no prefix, a figure of another kind of hardware), empty axes,
# malformed and incomplete specs and ranges, a database from another spec or engine (with and
# without --resume), this spec's database without --resume, a read-only database, a path that
# cannot be created, a file that is not an arclight database.
# Usage: sweep_bad_input.sh ARCLIGHT DATA_DIR (needs the sqlite3 command)
# Not for: good sweeps (sweep_jobs_do_not_change_rows.sh, sweep_survives_kill_and_resume.sh).
set -u
ARC=$1
. "${0%/*}/lib.sh"

spec() { # spec FILE AXES [EXTRA]: a small sweep on 8xh200
    printf '{"model": "minimax-text-01", "hw": "8xh200", "workload": {"tp": 8}, %s"axes": %s}\n' "${3:-}" "$2" >"$TMP/$1"
}
spec a.json '{"workload.batch": [1, 2], "workload.ctx": [8192, 16384]}'
spec b.json '{"workload.batch": [1, 3], "workload.ctx": [8192, 16384]}'
mkdir -p "$TMP/db"
run "a good sweep" "$TMP/out" sweep "$TMP/a.json" --db "$TMP/db/a.sqlite"
DB=$TMP/db/a.sqlite
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM points')" = 4 ] || fail "the good sweep did not write 4 rows"
sum=$(cksum <"$DB")

# expect_bad_db NAME WANT ARGS...: as expect_bad, and the database is untouched
expect_bad_db() {
    expect_bad "$@"
    [ "$(cksum <"$DB")" = "$sum" ] || fail "the database changed"
    left=$(ls -A "$TMP/db")
    [ "$left" = a.sqlite ] || fail "files beside the database: $left"
}

expect_bad_db "another spec" "meta.spec_hash" sweep "$TMP/b.json" --db "$DB"
expect_bad_db "another spec, --resume" "meta.spec_hash" sweep "$TMP/b.json" --db "$DB" --resume
expect_bad_db "another engine" "meta.spec_hash" sweep "$TMP/a.json" --db "$DB" --engine cycle --resume
expect_bad_db "this spec without --resume" "--resume" sweep "$TMP/a.json" --db "$DB"

spec c.json '{"hw.sram.nope": [1]}'
expect_bad_db "unknown hardware path" "c.json:axes.hw.sram.nope: unknown hardware field" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"hw.matrix.rows": [128]}'
expect_bad_db "a figure of another kind" "axes.hw.matrix.rows: not a figure of gpu hardware" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.beam": [1]}'
expect_bad_db "unknown workload path" "axes.workload.beam: unknown workload field" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"model.experts": [1]}'
expect_bad_db "unknown model path" "axes.model.experts: unknown model variant" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"batch": [1]}'
expect_bad_db "a path without its prefix" "axes.batch: unknown axis" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.batch": []}'
expect_bad_db "an empty axis" "axes.workload.batch: empty list" sweep "$TMP/c.json" --db "$DB"
spec c.json '{}'
expect_bad_db "no axes" "c.json:axes: empty" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.ctx": {"from": 8, "to": 64, "step": 8, "points": 3}}'
expect_bad_db "step and points" "axes.workload.ctx" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.ctx": {"from": 64, "to": 8, "step": 8}}'
expect_bad_db "a range backwards" "axes.workload.ctx.to" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.ctx": {"from": 0, "to": 8, "points": 4}}'
expect_bad_db "a log range from 0" "axes.workload.ctx.from" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.dtype": ["bf17"]}'
expect_bad_db "an unknown name" "axes.workload.dtype[0]" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.batch": [1]}' '"sample": {"random": 5, "seed": 1}, '
expect_bad_db "a sample larger than the grid" "sample.random" sweep "$TMP/c.json" --db "$DB"
spec c.json '{"workload.batch": [1]}' '"axis": 1, '
expect_bad_db "an unknown key" "c.json:axis: unknown key" sweep "$TMP/c.json" --db "$DB"
printf '{"model": "minimax-text-01", "hw": "8xh200", "axes": {"workload.batch": [1, 2}}\n' >"$TMP/c.json"
expect_bad_db "malformed JSON" "c.json: malformed JSON" sweep "$TMP/c.json" --db "$DB"
printf '{"hw": "8xh200", "axes": {"workload.batch": [1]}}\n' >"$TMP/c.json"
expect_bad_db "no model" "c.json:model: missing" sweep "$TMP/c.json" --db "$DB"
expect_bad_db "no spec file" "nope.json" sweep "$TMP/nope.json" --db "$DB"
expect_bad_db "--jobs 0" "--jobs" sweep "$TMP/a.json" --db "$DB" --jobs 0
expect_bad_db "an unknown engine" "--engine: unknown engine" sweep "$TMP/a.json" --db "$DB" --engine warp
spec c.json '{"workload.batch": [1]}' '"engine": "warp", '
expect_bad_db "an unknown engine in the spec" "c.json:engine: unknown engine" sweep "$TMP/c.json" --db "$DB"

# read-only and impossible paths
cp "$DB" "$TMP/ro.sqlite"
chmod 444 "$TMP/ro.sqlite"
rosum=$(cksum <"$TMP/ro.sqlite")
expect_bad "a read-only database" "ro.sqlite: read-only" sweep "$TMP/a.json" --db "$TMP/ro.sqlite" --resume
[ "$(cksum <"$TMP/ro.sqlite")" = "$rosum" ] || fail "the read-only database changed"
expect_bad "a path that cannot be created" "/proc/" sweep "$TMP/a.json" --db /proc/arclight-sweep.sqlite
expect_bad "a missing directory" "no such directory" sweep "$TMP/a.json" --db "$TMP/nodir/x.sqlite"
[ -e "$TMP/nodir" ] && fail "a directory was created"
printf 'not a database, but precious\n' >"$TMP/junk.sqlite"
expect_bad "not a database" "junk.sqlite: not a readable SQLite database" sweep "$TMP/a.json" --db "$TMP/junk.sqlite"
[ "$(cat "$TMP/junk.sqlite")" = "not a database, but precious" ] || fail "the junk file changed"
sqlite3 "$TMP/other.sqlite" 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'
osum=$(cksum <"$TMP/other.sqlite")
expect_bad "another program's database" "other.sqlite:meta.spec_hash: missing" sweep "$TMP/a.json" --db "$TMP/other.sqlite"
[ "$(cksum <"$TMP/other.sqlite")" = "$osum" ] || fail "the other database changed"

finish sweep_bad_input
