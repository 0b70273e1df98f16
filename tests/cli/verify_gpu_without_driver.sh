#!/bin/sh
# Rule: `arclight verify gpu` on a machine without an NVIDIA driver exits 2 with one line naming
# libcuda.so.1, and writes nothing to stdout; bad verify arguments exit 2 with one line before any
# driver is looked for. The driver is made absent by pointing ARCLIGHT_LIBCUDA at a missing file, so
# the rule holds on machines that do have one.
# usage: verify_gpu_without_driver.sh ARCLIGHT [DATA_DIR]
set -u
ARC=$1
. "${0%/*}/lib.sh"
ARCLIGHT_LIBCUDA="$TMP/no/libcuda.so.1"
export ARCLIGHT_LIBCUDA
one_line() { # text the line must hold, verify arguments...
    want=$1
    shift
    expect_bad "verify $*" "$want" verify "$@"
}
one_line "arclight: no NVIDIA GPU driver (libcuda.so.1): " gpu
one_line "arclight: no NVIDIA GPU driver (libcuda.so.1): " gpu --kernel lightning-decode --json "$TMP/v.json"
[ -e "$TMP/v.json" ] && fail "verify without a driver wrote its JSON"
one_line "--kernel" gpu --kernel lightning-train
one_line "expected 'gpu'" cpu
one_line "--hw" gpu --hw le-hbm-sram
one_line "nosuchhw" gpu --hw nosuchhw
one_line "--reps" gpu --reps 3
one_line "unknown option" gpu --fast
one_line "--split" gpu --split 3
one_line "--warps" gpu --kernel lightning-prefill --split 1 --warps 4
finish verify_gpu_without_driver
