#!/bin/sh
# Rule: `arclight verify gpu` on a machine without an NVIDIA driver exits 2 with one line naming
# libcuda.so.1, and writes nothing to stdout; bad verify arguments exit 2 with one line before any
# driver is looked for. The driver is made absent by pointing ARCLIGHT_LIBCUDA at a missing file, so
# the rule holds on machines that do have one.
# usage: verify_gpu_without_driver.sh ARCLIGHT [DATA_DIR]
set -u
A=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
one_line() { # want status, text the line must hold, verify arguments...
    want_st=$1
    want=$2
    shift 2
    ARCLIGHT_LIBCUDA="$T/no/libcuda.so.1" "$A" verify "$@" >"$T/out" 2>"$T/err"
    st=$?
    if [ $st -ne "$want_st" ] || [ -s "$T/out" ] || [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -q "^arclight: .*$want" "$T/err"; then
        echo "FAIL [verify $*]: status $st (expected $want_st), stdout: $(cat "$T/out"), stderr: $(cat "$T/err")"
        fails=$((fails + 1))
    fi
}
one_line 2 "verify: no NVIDIA GPU driver (libcuda.so.1): " gpu
one_line 2 "verify: no NVIDIA GPU driver (libcuda.so.1): " gpu --kernel lightning-decode --json "$T/v.json"
[ -e "$T/v.json" ] && { echo "FAIL: verify without a driver wrote its JSON"; fails=$((fails + 1)); }
one_line 2 "--kernel" gpu --kernel lightning-train
one_line 2 "expected 'gpu'" cpu
one_line 2 "--hw" gpu --hw le-hbm-sram
one_line 2 "nosuchhw" gpu --hw nosuchhw
one_line 2 "--reps" gpu --reps 3
one_line 2 "unknown option" gpu --fast
one_line 2 "--split" gpu --split 3
one_line 2 "--warps" gpu --kernel lightning-prefill --split 1 --warps 4
if [ $fails -ne 0 ]; then
    echo "FAIL verify_gpu_without_driver: $fails"
    exit 1
fi
echo "PASS verify_gpu_without_driver"
