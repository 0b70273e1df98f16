#!/bin/sh
# Rule: `arclight hw area HW` gives an le design's area piece by piece (include/arclight/area.h):
# the die area alone without a lightning unit (and for GPUs), die plus the unit's logic at the node
# with one, the state's SRAM said to be inside the die and not added; bad area data (a negative bit
# cell, a figure without a source, a design whose state bits do not add up, given with
# --area-nodes / --area-unit) and misused flags get one line "arclight: FILE:FIELD: expected ..."
# and exit status 2.
# usage: hw_area.sh ARCLIGHT DATA_DIR
# Not for: the figures' arithmetic (test_le_area_adds_the_unit_logic.c).
set -u
ARC=$1
D=$2
. "${0%/*}/lib.sh"

run "le design with a 64-lane unit" "$TMP/lu64" hw area "$D/le-hbm-sram-lu64.json"
grep -q '^  lightning unit  *64 lanes, D 128 ' "$TMP/lu64" || fail "no unit line: $(cat "$TMP/lu64")"
grep -q '^    logic at the node  *0\.0162 mm^2  added to the die' "$TMP/lu64" || fail "no logic at 4 nm: $(cat "$TMP/lu64")"
grep -q '^    state banks .*inside the die, not added' "$TMP/lu64" || fail "the state is not said to be inside the die"
grep -q '^  area per device  *800\.0162 mm^2' "$TMP/lu64" || fail "area per device is not 800 + 0.0162: $(cat "$TMP/lu64")"

run "the same at D 16" "$TMP/d16" hw area "$D/le-hbm-sram-lu64.json" --dim 16
grep -q '^  lightning unit  *64 lanes, D 16 ' "$TMP/d16" || fail "--dim 16 is not the unit's D"

run "le design without a unit" "$TMP/plain" hw area le-hbm-sram
grep -q '^  lightning unit  *none ' "$TMP/plain" || fail "no 'none' unit line"
grep -q '^  area per device  *800\.0000 mm^2' "$TMP/plain" || fail "area is not the die area: $(cat "$TMP/plain")"

run "a GPU" "$TMP/gpu" hw area h200-sxm
grep -q '^  area per device .*the die area' "$TMP/gpu" || fail "a GPU's area is not its die area: $(cat "$TMP/gpu")"

expect_bad "negative bit cell" "bad-area-negative-bitcell.json:sram_bitcell_um2[1].um2.value: expected a number in (0, 10]" \
    hw area "$D/le-hbm-sram-lu64.json" --area-nodes "$D/bad-area-negative-bitcell.json"
expect_bad "figure without a source" "bad-area-no-source.json:logic_factor[1].factor.source: expected where the figure comes from" \
    hw area le-hbm-sram --area-nodes "$D/bad-area-no-source.json"
expect_bad "state bits that do not add up" "bad-area-unit-state-bits.json:designs[1].state_bits: expected heads x dim x dim x 16 = 4096" \
    hw area le-hbm-sram --area-unit "$D/bad-area-unit-state-bits.json"
expect_bad "a node outside the tables" "le-hbm-sram-lu64.json:process_nm: expected 7 to 45 nm for a lightning unit's area" \
    hw area "$D/le-hbm-sram-lu64.json" --area-nodes "$D/area-nodes-to-7nm.json" --area-unit lightning-unit
expect_bad "dim 0" "--dim" hw area "$D/le-hbm-sram-lu64.json" --dim 0
expect_bad "--dim on hw show" "--dim: only 'hw area' takes it" hw show le-hbm-sram --dim 16
finish hw_area
