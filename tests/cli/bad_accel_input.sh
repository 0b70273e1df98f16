#!/bin/sh
# Rule: impossible accelerator designs and workloads they cannot run get one line
# "arclight: FILE:FIELD: ..." on stderr, nothing on stdout, and exit status 2.
# usage: bad_accel_input.sh ARCLIGHT DATA_DIR
set -u
ARC=$1
D=$2
. "${0%/*}/lib.sh"
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
finish bad_accel_input
