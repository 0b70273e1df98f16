#!/bin/sh
# Rule: `arclight report --sweep DB` writes each Pareto front's .dat, .gp and PNG and front.md, and
# the front is exactly the valid rows nothing dominates (both figures minimised; of equal rows the
# lowest point): the points of front_latency.dat and front_area.dat equal an SQL query of the
# non-dominated rows straight from the database, in order of x; the Markdown tables list the same
# points with the same values; a database whose rows have no area gets no area front and says so.
# Bad input: a missing file, a file that is not a database, an SQLite file that is not a sweep's,
# and a sweep with no valid row each exit 2 with one line, and write no report.
# Usage: report_sweep_pareto_front.sh ARCLIGHT DATA_DIR (needs sqlite3)
# Not for: the front's corner cases (tests/test_pareto_front_by_hand.c).
set -u
ARC=$1
. "${0%/*}/lib.sh"

cat >"$TMP/grid.json" <<'EOS'
{"model": "minimax-text-01", "hw": "le-hbm-sram", "workload": {"phase": "decode", "ctx": 65536},
 "axes": {"hw.sram.capacity_bytes": {"from": 4e5, "to": 4e8, "points": 3},
          "hw.matrix.rows": [64, 128, 256, 512],
          "workload.batch": {"from": 1, "to": 64, "points": 7},
          "hw.die_area_mm2": [400, 800, 1600],
          "workload.tp": [8, 16]}}
EOS
run "sweep" "$TMP/sweep.out" sweep "$TMP/grid.json" --db "$TMP/g.sqlite" --jobs 2
run "report" "$TMP/report.out" report --sweep "$TMP/g.sqlite" --out "$TMP/rep"
grep -q "^arclight: sweep report written to $TMP/rep/front.md" "$TMP/report.out" || fail "the summary: $(cat "$TMP/report.out")"
for f in front.md front_latency.dat front_latency.gp front_latency.png points_latency.dat \
         front_area.dat front_area.gp front_area.png points_area.dat; do
    [ -s "$TMP/rep/$f" ] || fail "$f is missing or empty"
done

# front X: the non-dominated valid rows by X and energy per token, lowest point of equals, by X
front() {
    sqlite3 "$TMP/g.sqlite" "SELECT a.point FROM points a WHERE a.valid = 1 AND a.$1 > 0 AND NOT EXISTS (
        SELECT 1 FROM points b WHERE b.valid = 1 AND b.$1 > 0 AND b.point != a.point
          AND b.$1 <= a.$1 AND b.energy_per_token_j <= a.energy_per_token_j
          AND (b.$1 < a.$1 OR b.energy_per_token_j < a.energy_per_token_j
               OR b.point < a.point)) ORDER BY a.$1, a.energy_per_token_j"
}
# table N: the points and the two figures of front.md's Nth table (columns by name)
table() {
    awk -F'|' -v want="$1" -v xcol="$2" '
        /^\| point \|/ { t++; if (t == want) for (i = 2; i < NF; i++) { gsub(/ /, "", $i); col[$i] = i }; next }
        t == want && /^\| [0-9]/ { p = $2; x = $(col[xcol]); y = $(col["energy_per_token_j"]);
                                  gsub(/ /, "", p); gsub(/ /, "", x); gsub(/ /, "", y); print p, x, y }
        /^## / && t == want { exit }' "$TMP/rep/front.md"
}
n=1
for x in latency_per_token_s area_mm2; do
    stem=front_latency
    [ "$x" = area_mm2 ] && stem=front_area
    front "$x" >"$TMP/want.$x"
    grep -v '^#' "$TMP/rep/$stem.dat" >"$TMP/dat.$x"
    cut -d' ' -f1 "$TMP/dat.$x" | cmp -s - "$TMP/want.$x" ||
        fail "$stem.dat points $(cut -d' ' -f1 "$TMP/dat.$x" | tr '\n' ' ')are not the non-dominated rows $(tr '\n' ' ' <"$TMP/want.$x")"
    [ -s "$TMP/want.$x" ] || fail "no front by $x"
    table "$n" "$x" >"$TMP/md.$x"
    cmp -s "$TMP/md.$x" "$TMP/dat.$x" || fail "front.md's table $n differs from $stem.dat: $(diff "$TMP/md.$x" "$TMP/dat.$x" | head -4)"
    n=$((n + 1))
done
grep -q "front_latency.png" "$TMP/rep/front.md" || fail "front.md does not show the plot"
# the cloud holds every valid row
[ "$(grep -vc '^#' "$TMP/rep/points_latency.dat")" = "$(sqlite3 "$TMP/g.sqlite" 'SELECT count(*) FROM points WHERE valid = 1')" ] ||
    fail "points_latency.dat does not hold every valid row"

# no area known: no area front, and front.md says so
cp "$TMP/g.sqlite" "$TMP/noarea.sqlite"
sqlite3 "$TMP/noarea.sqlite" 'UPDATE points SET area_mm2 = NULL'
run "report without areas" "$TMP/r2.out" report --sweep "$TMP/noarea.sqlite" --out "$TMP/rep2"
[ -e "$TMP/rep2/front_area.dat" ] && fail "an area front without areas"
grep -q "No valid row has an area" "$TMP/rep2/front.md" || fail "front.md does not say there is no area"
cmp -s "$TMP/rep/front_latency.dat" "$TMP/rep2/front_latency.dat" || fail "the latency front changed with the areas"
# written over a directory that held an area front: none is left to contradict front.md
cp -r "$TMP/rep" "$TMP/rep3"
run "report without areas over one with" "$TMP/r3.out" report --sweep "$TMP/noarea.sqlite" --out "$TMP/rep3"
for f in front_area.dat front_area.gp front_area.png points_area.dat; do
    [ -e "$TMP/rep3/$f" ] && fail "a stale $f stayed beside a front.md that says there is no area front"
done
cmp -s "$TMP/rep2/front.md" "$TMP/rep3/front.md" || fail "front.md differs from a report into an empty directory"

# bad input: one line, exit 2, no report
expect_bad "missing file" "no-such.sqlite" report --sweep "$TMP/no-such.sqlite" --out "$TMP/bad"
expect_bad "not a database" "not an arclight sweep database" report --sweep "$TMP/grid.json" --out "$TMP/bad"
sqlite3 "$TMP/other.sqlite" 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'
expect_bad "another SQLite file" "not an arclight sweep database" report --sweep "$TMP/other.sqlite" --out "$TMP/bad"
sed 's/"workload.tp": \[8, 16\]/"workload.tp": [16]/' "$TMP/grid.json" >"$TMP/invalid.json"
run "all-invalid sweep" "$TMP/inv.out" sweep "$TMP/invalid.json" --db "$TMP/inv.sqlite" --jobs 2
expect_bad "no valid row" "inv.sqlite:points: none of the" report --sweep "$TMP/inv.sqlite" --out "$TMP/bad"
expect_bad "no value" "--sweep" report --sweep
[ -e "$TMP/bad" ] && fail "a refused report wrote $TMP/bad"

finish report_sweep_pareto_front
