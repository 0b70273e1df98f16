#!/bin/sh
# Rule: the co-simulation's comparison can fail. arclight-cosim with --skew 1 (each call of the
# Verilated RTL annotated one cycle longer than it took) must report FAIL, exit 1, and show the
# total and the lightning unit's busy cycles differing; with --heads not the RTL's it must fail
# on the call's shape; bad options exit 2 with one line.
# Usage: cosim_detects_a_cycle_difference.sh ARCLIGHT_COSIM DATA_DIR
# Not for: the passing run (ctest cosim_lightning_rtl_matches_systemc).
cosim=$1
data=$2
args="--model $data/tiny-hybrid.json --hw $data/le-hbm-sram-lu4.json --tp 2 --steps 2 --dim 16 --lanes 4 --format fixed:16.8"
fail=0

out=$("$cosim" $args --heads 2 --skew 1 2>&1); st=$?
echo "$out"
[ $st -eq 1 ] || { echo "FAIL: --skew 1 exited $st, want 1"; fail=1; }
echo "$out" | grep -q '^FAIL cosim' || { echo "FAIL: --skew 1 printed no FAIL line"; fail=1; }
echo "$out" | grep -q 'cycles systemc [0-9]* != cosim' || { echo "FAIL: --skew 1: total cycles not reported different"; fail=1; }
echo "$out" | grep -q 'busy systemc [0-9]* != cosim' || { echo "FAIL: --skew 1: unit busy cycles not reported different"; fail=1; }

out=$("$cosim" $args --heads 4 2>&1); st=$?
echo "$out"
[ $st -eq 1 ] || { echo "FAIL: --heads 4 on an RTL of 2 heads exited $st, want 1"; fail=1; }
echo "$out" | grep -q 'head-steps' || { echo "FAIL: --heads 4: the call's shape not named"; fail=1; }

out=$("$cosim" $args --heads 2 --lanes 3 2>&1); st=$?
echo "$out"
[ $st -eq 2 ] || { echo "FAIL: --lanes 3 exited $st, want 2"; fail=1; }
[ "$(echo "$out" | grep -c '^arclight-cosim: ')" -eq 1 ] || { echo "FAIL: --lanes 3: want one line arclight-cosim: ..."; fail=1; }

out=$("$cosim" --model "$data/tiny-hybrid.json" --hw "$data/le-tiny.json" --tp 2 --dim 16 --lanes 4 --heads 2 --format fixed:16.8 2>&1); st=$?
echo "$out"
[ $st -eq 2 ] || { echo "FAIL: a design without the unit exited $st, want 2"; fail=1; }
echo "$out" | grep -q 'le-tiny.json:lightning_unit.lanes: expected' || { echo "FAIL: no FILE:FIELD line for a design without the unit"; fail=1; }

[ $fail -eq 0 ] && echo "PASS cosim_detects_a_cycle_difference"
exit $fail
