#!/bin/sh
# Rule: the lightning unit's measured area reaches the report only through its cache. `arclight
# report --rtl-area` synthesizes the generated decode unit (D 16 with 2, 4 and 8 lanes, D 128 with 2
# and 8) with Yosys, the state banks kept as memories, and writes rtl-area/area.csv and its logic
# fit, rtl-area/lightning-unit.json, in the built-in sim/area/lightning-unit.json's form (the area
# model loads it); report.md shows a row per design with logic cells, flip-flops, state bits and a
# 45 nm logic area; a later `arclight report` without the flag runs no Yosys (the cache is left as
# it was) and shows the same rows; a cache whose design hash no longer matches is called stale, and
# no cache gives the line saying how to fill it, never a made-up figure. The modelled part (each le
# design's area at its node) is in every report, cache or not.
# Usage: report_unit_area_cached.sh ARCLIGHT DATA_DIR
# Not for: the counts themselves (rtl_area_* tests, rtl/area.c) or the area model
# (test_le_area_adds_the_unit_logic.c).
set -u
A=$1
D=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$A" report --out "$T/out" >/dev/null 2>"$T/err" || fail "report exited $?: $(cat "$T/err")"
grep -q '^## The lightning unit' "$T/out/report.md" || fail "no lightning unit section"
grep -q 'Not computed for this report: `arclight report --out DIR --rtl-area`' "$T/out/report.md" || fail "no cache: the how-to line is missing"
grep -q '^| decode_d1' "$T/out/report.md" && fail "no cache, but a figure row"
grep -q '^| le-hbm-sram | 4 nm | 800 mm^2 | none | -- | 800 mm^2 (the die) |' "$T/out/report.md" || fail "no modelled row for le-hbm-sram"

"$A" report --out "$T/out" --rtl-area >/dev/null 2>"$T/err" || fail "report --rtl-area exited $?: $(cat "$T/err")"
csv="$T/out/rtl-area/area.csv"
[ "$(wc -l <"$csv")" -eq 6 ] || fail "area.csv has $(wc -l <"$csv") lines, expected a header and 5 designs"
for dl in 16:2 16:4 16:8 128:2 128:8; do
    d=${dl%:*} l=${dl#*:}
    row=$(grep "^| decode_d${d}_l${l}_h1_q16_8 | $d | $l | " "$T/out/report.md") || fail "no row for D $d, $l lanes"
    echo "$row"
    echo "$row" | grep -Eq "\| [1-9][0-9]* \| [1-9][0-9]* \| $((d * d * 16)) \| [0-9.]+ mm\^2 \| [0-9.]+ mm\^2 \([-+][0-9.]+%\) \|\$" ||
        fail "row for D $d, $l lanes lacks cells, flip-flops, D x D x 16 state bits, area or the fit"
done
"$A" hw area "$D/le-hbm-sram-lu64.json" --area-unit "$T/out/rtl-area/lightning-unit.json" >"$T/hw" 2>"$T/err" ||
    fail "the written fit does not load: $(cat "$T/err")"
grep -q 'rtl-area/lightning-unit.json, Yosys ' "$T/hw" || fail "hw area did not use the written fit: $(cat "$T/hw")"

cp "$csv" "$T/cache.copy"
"$A" report --out "$T/out" >/dev/null 2>"$T/err" || fail "report (cached) exited $?"
cmp -s "$csv" "$T/cache.copy" || fail "a report without --rtl-area rewrote the cache"
grep -q '^| decode_d16_l4_h1_q16_8 | 16 | 4 | ' "$T/out/report.md" || fail "the cached figures are not shown"

sed 's/,[0-9a-f]\{16\},/,0000000000000000,/' "$T/cache.copy" >"$csv"
"$A" report --out "$T/out" >/dev/null 2>"$T/err" || fail "report (stale cache) exited $?"
grep -q 'area.csv is stale' "$T/out/report.md" || fail "a stale cache is not called stale"
grep -q '^| decode_d1' "$T/out/report.md" && fail "a stale cache's figures are shown"
echo "PASS report_unit_area_cached"
