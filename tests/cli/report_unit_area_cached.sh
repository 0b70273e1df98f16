#!/bin/sh
# Rule: the lightning unit's area reaches the report only through its cache. `arclight report
# --rtl-area` synthesizes the generated decode unit at D 16 for 2, 4 and 8 lanes with Yosys and
# writes rtl-area/area.csv, and report.md shows a row per design with cells, flip-flops and a 45 nm
# area; a later `arclight report` without the flag runs no Yosys (the cache is left as it was) and
# shows the same rows; a cache whose design hash no longer matches is called stale, and no cache
# gives the line saying how to fill it, never a made-up figure.
# Usage: report_unit_area_cached.sh ARCLIGHT
# Not for: the counts themselves (rtl_area_* tests, rtl/area.c).
set -u
A=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$A" report --out "$T/out" >/dev/null 2>"$T/err" || fail "report exited $?: $(cat "$T/err")"
grep -q '^## The lightning unit' "$T/out/report.md" || fail "no lightning unit section"
grep -q 'Not computed for this report: `arclight report --out DIR --rtl-area`' "$T/out/report.md" || fail "no cache: the how-to line is missing"
grep -q '^| decode_d16_l' "$T/out/report.md" && fail "no cache, but a figure row"

"$A" report --out "$T/out" --rtl-area >/dev/null 2>"$T/err" || fail "report --rtl-area exited $?: $(cat "$T/err")"
csv="$T/out/rtl-area/area.csv"
[ "$(wc -l <"$csv")" -eq 4 ] || fail "area.csv has $(wc -l <"$csv") lines, expected a header and 3 designs"
for l in 2 4 8; do
    row=$(grep "^| decode_d16_l${l}_h1_q16_8 | $l | " "$T/out/report.md") || fail "no row for $l lanes"
    echo "$row"
    echo "$row" | grep -Eq '\| [1-9][0-9]* \| [1-9][0-9]* \| [0-9.]+ mm\^2 \|$' || fail "row for $l lanes lacks cells, flip-flops or area"
done

cp "$csv" "$T/cache.copy"
"$A" report --out "$T/out" >/dev/null 2>"$T/err" || fail "report (cached) exited $?"
cmp -s "$csv" "$T/cache.copy" || fail "a report without --rtl-area rewrote the cache"
grep -q '^| decode_d16_l4_h1_q16_8 | 4 | ' "$T/out/report.md" || fail "the cached figures are not shown"

sed 's/,[0-9a-f]\{16\},/,0000000000000000,/' "$T/cache.copy" >"$csv"
"$A" report --out "$T/out" >/dev/null 2>"$T/err" || fail "report (stale cache) exited $?"
grep -q 'area.csv is stale' "$T/out/report.md" || fail "a stale cache is not called stale"
grep -q '^| decode_d16_l' "$T/out/report.md" && fail "a stale cache's figures are shown"
echo "PASS report_unit_area_cached"
