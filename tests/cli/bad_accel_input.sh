#!/bin/sh
# Rule: impossible accelerator designs and workloads they cannot run get one line
# "arclight: FILE:FIELD: ..." on stderr, nothing on stdout, and exit status 2.
# usage: bad_accel_input.sh ARCLIGHT DATA_DIR
set -u
A=$1
D=$2
fails=0
expect_bad() { # name, text the message must hold, command...
    name=$1 want=$2
    shift 2
    out=$("$A" "$@" 2>/tmp/arc_bad_accel.$$)
    st=$?
    err=$(cat /tmp/arc_bad_accel.$$)
    rm -f /tmp/arc_bad_accel.$$
    if [ $st -ne 2 ] || [ -n "$out" ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then
        echo "FAIL [$name]: status $st, stdout '$out', stderr '$err'"
        fails=$((fails + 1))
        return
    fi
    case $err in
    "arclight: "*"$want"*) ;;
    *) echo "FAIL [$name]: message lacks '$want': $err"; fails=$((fails + 1)) ;;
    esac
}
expect_bad "unknown preset" "le-nope" sim minimax-text-01 --hw le-nope
expect_bad "zero banks" "sram.banks" hw show "$D/bad-le-zero-banks.json"
expect_bad "SRAM below one tile" "sram.capacity_bytes" hw show "$D/bad-le-sram-below-tile.json"
expect_bad "rate above 1" "snn.rate_matrix" hw show "$D/bad-snn-rate.json"
expect_bad "an snn field in an le file" "snn.cores" hw show "$D/bad-le-snn-field.json"
expect_bad "bf16 on an int8 array" "--dtype" sim minimax-text-01 --hw le-sram-lpu --tp 8
expect_bad "bf16 on a spiking design" "--dtype" sim minimax-text-01 --hw snn-loihi --tp 8
expect_bad "more chips than the design has" "--devices" sim minimax-text-01 --hw le-hbm-sram --tp 8 --pp 2 --devices 16
expect_bad "--fit with --tp" "--tp" sim minimax-text-01 --hw le-hbm-sram --fit --tp 8
expect_bad "nothing fits" "--fit" sim minimax-text-01 --hw le-lpddr-edge --fit --dtype int8 --batch 4096
if [ $fails -ne 0 ]; then
    echo "FAIL bad_accel_input: $fails cases"
    exit 1
fi
echo "PASS bad_accel_input"
