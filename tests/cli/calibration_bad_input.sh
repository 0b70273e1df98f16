#!/bin/sh
# Rule: calibrate and validate refuse bad input with one line and exit 2, and a good holdout set
# validates, its --json listing every point with its prediction. calibrate without a driver (ARCLIGHT_LIBCUDA at a missing file) names libcuda.so.1;
# bad options are refused before any driver is looked for. validate refuses: a damaged or
# incomplete file (FILE:FIELD), a calibration from another GPU, a set that shares shapes with the
# calibration, a holdout used as a calibration; an existing --json output is left as it was.
# usage: calibration_bad_input.sh ARCLIGHT [DATA_DIR]
set -u
ARC=$1
. "${0%/*}/lib.sh"
ARCLIGHT_LIBCUDA="$TMP/no/libcuda.so.1"
export ARCLIGHT_LIBCUDA

expect_bad "no driver" "no NVIDIA GPU driver (libcuda.so.1)" calibrate gpu --out "$TMP/c.json"
[ -e "$TMP/c.json" ] && fail "calibrate without a driver wrote its file"
expect_bad "set" "--set: fast: expected grid, holdout or quick" calibrate gpu --set fast
expect_bad "not gpu" "expected 'gpu'" calibrate cpu
expect_bad "le hw" "--hw: le-hbm-sram is not a GPU" calibrate gpu --hw le-hbm-sram
expect_bad "unknown hw" "nosuchhw" calibrate gpu --hw nosuchhw

# the shipped pair validates, and --json writes the table
run "validate" "$TMP/v.txt" validate h200-sxm.holdout --json "$TMP/v.json"
grep -q '^gemm bf16 ' "$TMP/v.txt" || fail "validate printed no gemm bf16 row"
grep -q '^all ' "$TMP/v.txt" || fail "validate printed no all row"
grep -q '"p90_abs_err"' "$TMP/v.json" || fail "validate --json lacks p90_abs_err"
# every held-out point with its prediction (the shipped set's points, counted in the file: each a
# "kind"), each err = predicted / measured - 1
want=$(grep -c '"kind"' "${0%/*}/../../sim/calib/h200-sxm.holdout.json")
[ "$want" -gt 400 ] || fail "counted $want points in the shipped holdout"
n=$(grep -c '"predicted_s"' "$TMP/v.json")
[ "$n" -eq "$want" ] || fail "validate --json lists $n points with a prediction, expected $want"
awk -v want="$want" '/"measured_s"/ { gsub(/[",]/, ""); m = $2 } /"predicted_s"/ { gsub(/[",]/, ""); p = $2 }
     /"err"/ { gsub(/[",]/, ""); d = p / m - 1 - $2; if (d > 1e-9 || d < -1e-9) bad++; seen++ }
     END { exit !(seen == want && !bad) }' "$TMP/v.json" || fail "a point's err is not predicted / measured - 1"

# damaged sets: each one line, exit 2, the earlier --json untouched
cp "$TMP/v.json" "$TMP/keep.json"
H=$TMP/h.json
sed 's/"gpu":[[:space:]]*"NVIDIA H200"/"gpu": "NVIDIA H100 80GB HBM3"/' "$2/../../sim/calib/h200-sxm.holdout.json" >"$H" 2>/dev/null ||
    fail "cannot read the shipped holdout"
grep -q '"gpu": "NVIDIA H100 80GB HBM3"' "$H" || fail "the damaged copy's provenance.gpu was not rewritten"
expect_bad "other gpu" "provenance.gpu: expected a set measured on NVIDIA H200" validate "$H" --json "$TMP/v.json"
sed 's/"time_min_s"/"time_least_s"/' "$2/../../sim/calib/h200-sxm.holdout.json" >"$H"
expect_bad "missing field" "points[0].time_min_s: missing" validate "$H" --json "$TMP/v.json"
head -c 2000 "$2/../../sim/calib/h200-sxm.holdout.json" >"$H"
expect_bad "truncated" "$H" validate "$H" --json "$TMP/v.json"
expect_bad "overlap" "shapes are in the calibration" validate h200-sxm --json "$TMP/v.json"
expect_bad "holdout as calibration" ":set: expected a calibration" validate h200-sxm.holdout --calib h200-sxm.holdout
expect_bad "missing file" "$TMP/none.json" validate "$TMP/none.json"
cmp -s "$TMP/v.json" "$TMP/keep.json" || fail "a refused validate changed the existing --json output"
finish calibration_bad_input
