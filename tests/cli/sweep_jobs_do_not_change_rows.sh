#!/bin/sh
# Rule: the rows of a sweep do not depend on --jobs. A grid with valid and invalid points (an SRAM
# below two weight tiles, more chips than the design has), a random sample of a larger grid, and
# a cycle-engine grid each give the same rows, point for point and byte for byte, with 1, 2 and 3
# jobs; every point is present once; invalid rows carry their reason and no outputs; the meta
# table names the spec, its hash and the version.
# Usage: sweep_jobs_do_not_change_rows.sh ARCLIGHT DATA_DIR (needs the sqlite3 command)
# Not for: bad input (sweep_bad_input.sh) or crashes (sweep_survives_kill_and_resume.sh).
set -u
ARC=$1
. "${0%/*}/lib.sh"

cat >"$TMP/grid.json" <<'EOF'
{"_comment": "3 x 4 x 5 x 2 x 3 = 360 points, some invalid",
 "model": "minimax-text-01", "hw": "le-hbm-sram", "workload": {"phase": "decode", "ctx": 65536},
 "axes": {"hw.sram.capacity_bytes": {"from": 4e5, "to": 4e8, "points": 3},
          "hw.matrix.rows": [64, 128, 256, 512],
          "workload.batch": {"from": 1, "to": 16, "points": 5},
          "workload.tp": [8, 16],
          "model.softmax_every": [0, 8, 1]}}
EOF
cat >"$TMP/sample.json" <<'EOF'
{"model": "minimax-text-01", "hw": "8xh200", "workload": {"tp": 8},
 "axes": {"workload.batch": {"from": 1, "to": 256, "step": 1},
          "workload.ctx": {"from": 1024, "to": 4194304, "points": 64},
          "hw.memory.copy_bw_bytes_per_s": {"from": 2e12, "to": 4.8e12, "points": 16},
          "workload.phase": ["prefill", "decode"]},
 "sample": {"random": 3000, "seed": 42}}
EOF
cat >"$TMP/cycle.json" <<'EOF'
{"model": "minimax-text-01", "hw": "le-hbm-sram", "engine": "cycle",
 "workload": {"tp": 8, "ctx": 4096},
 "axes": {"workload.batch": [1, 2, 4], "hw.matrix.rows": [128, 512]}}
EOF

dump() { # dump DB: every row in point order
    sqlite3 "$1" 'SELECT * FROM points ORDER BY point' || fail "cannot read $1"
}

for s in grid sample cycle; do
    for j in 1 2 3; do
        run "$s, --jobs $j" "$TMP/$s.$j.out" sweep "$TMP/$s.json" --db "$TMP/$s.$j.sqlite" --jobs $j
        dump "$TMP/$s.$j.sqlite" >"$TMP/$s.$j.rows"
    done
    cmp -s "$TMP/$s.1.rows" "$TMP/$s.2.rows" || fail "$s: --jobs 1 and --jobs 2 rows differ"
    cmp -s "$TMP/$s.1.rows" "$TMP/$s.3.rows" || fail "$s: --jobs 1 and --jobs 3 rows differ"
    n=$(sqlite3 "$TMP/$s.1.sqlite" "SELECT value FROM meta WHERE key = 'n_points'")
    got=$(sqlite3 "$TMP/$s.2.sqlite" 'SELECT count(*) || " " || count(DISTINCT point) || " " || min(point) || " " || max(point) FROM points')
    [ "$got" = "$n $n 0 $((n - 1))" ] || fail "$s: rows (count, distinct, min, max) $got; want $n points 0..$((n - 1))"
done

# the grid has both kinds of point, each as the schema says
DB=$TMP/grid.2.sqlite
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM points')" = 360 ] || fail "the grid is not 360 points"
bad=$(sqlite3 "$DB" "SELECT count(*) FROM points WHERE valid = 0 AND error LIKE '%two weight tiles%' AND latency_s IS NULL")
[ "$bad" -gt 0 ] || fail "no invalid point for an SRAM below two tiles"
bad=$(sqlite3 "$DB" "SELECT count(*) FROM points WHERE valid = 0 AND \"workload.tp\" = 16")
[ "$bad" = 180 ] || fail "tp 16 on 8 chips: $bad invalid rows, want all 180"
bad=$(sqlite3 "$DB" "SELECT count(*) FROM points WHERE \"workload.tp\" = 16 AND error NOT LIKE '%sram.capacity_bytes%' AND error NOT LIKE '%--devices%'")
[ "$bad" = 0 ] || fail "tp 16 on 8 chips: $bad invalid rows name neither the SRAM nor --devices"
good=$(sqlite3 "$DB" "SELECT count(*) FROM points WHERE valid = 1 AND error IS NULL AND latency_s > 0 AND energy_per_token_j > 0 AND bound IS NOT NULL AND area_mm2 > 0")
[ "$good" -gt 0 ] || fail "no valid point with its outputs"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM points WHERE valid NOT IN (0, 1) OR (valid = 0) != (error IS NOT NULL)")" = 0 ] ||
    fail "valid and error disagree"
[ "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'axes'")" = "hw.sram.capacity_bytes,hw.matrix.rows,workload.batch,workload.tp,model.softmax_every" ] ||
    fail "meta.axes does not list the axes in order"
hash=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'spec_hash'")
case $hash in
[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;;
*) fail "meta.spec_hash is not 16 hex digits: $hash" ;;
esac
sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'spec'" | grep -q '"engine":"cost"' || fail "meta.spec lacks the engine"
[ "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'arclight_version'")" = "$("$ARC" version | cut -d' ' -f2)" ] ||
    fail "meta.arclight_version is not the command's version"
grep -q "^sweep .*: 360 points (360 written now" "$TMP/grid.1.out" || fail "the summary line: $(cat "$TMP/grid.1.out")"
[ "$(sqlite3 "$TMP/cycle.1.sqlite" 'SELECT count(*) FROM points WHERE valid = 1 AND cycles > 0')" = 6 ] ||
    fail "the cycle engine's rows lack cycles"

finish sweep_jobs_do_not_change_rows
