#!/bin/sh
# Rule: bad input gets exit status 2 and one line. For every kind of bad input (files, names,
# flags, combinations the hardware cannot run) arclight exits with status exactly 2, writes exactly
# one line to stderr starting "arclight: " and naming what was wrong, writes nothing to stdout, and
# leaves an existing -o output file byte-identical (no temporary files left beside it either).
# Usage: bad_input.sh ARCLIGHT DATA_DIR
# Not for: good input (smoke.sh) or `arclight report` (report_outputs.sh).
set -u
ARC=$1
DATA=$2
. "${0%/*}/lib.sh"

# expect_bad_o NAME WANT ARGS...: as expect_bad, with -o to an existing file that must survive
expect_bad_o() {
    name=$1
    want=$2
    shift 2
    rm -rf "$TMP/o"
    mkdir "$TMP/o"
    printf 'precious output\nline 2\n' >"$TMP/o/keep.csv"
    cp "$TMP/o/keep.csv" "$TMP/keep.orig"
    expect_bad "$name" "$want" "$@" -o "$TMP/o/keep.csv"
    cmp -s "$TMP/o/keep.csv" "$TMP/keep.orig" || fail "-o file changed"
    left=$(ls -A "$TMP/o")
    [ "$left" = keep.csv ] || fail "files left beside the -o file: $left"
}

# ---- a good trace to damage ----
"$ARC" trace minimax-text-01 --tp 8 --devices 8 --ctx 4096 -o "$TMP/good.csv" || {
    echo "FAIL: could not write a good trace"
    exit 1
}
"$ARC" trace --check "$TMP/good.csv" >/dev/null || {
    echo "FAIL: the good trace does not check"
    exit 1
}
dd if="$TMP/good.csv" of="$TMP/trunc.csv" bs=1000 count=20 2>/dev/null
# one activation byte count edited on line 10: only the checksum can tell
awk -F, -v OFS=, 'NR == 10 { $21 = $21 + 1 } { print }' "$TMP/good.csv" >"$TMP/edited.csv"
name="hand-edited trace"
cmp -s "$TMP/good.csv" "$TMP/edited.csv" && fail "the edit did not change the trace"
# end line gone
sed '$d' "$TMP/good.csv" >"$TMP/noend.csv"

printf '{"model_type": "llama",\000 "hidden_size": 64}\n' >"$TMP/nul.json"

# ---- model files ----
expect_bad "malformed JSON config" "malformed JSON" model show "$DATA/bad-malformed.json"
expect_bad "config missing hidden_size" "hidden_size" model show "$DATA/bad-missing-hidden.json"
expect_bad "config with an unknown key" "colour" model show "$DATA/bad-unknown-key.json"
expect_bad "num_hidden_layers 0" "num_hidden_layers" model show "$DATA/bad-zero-layers.json"
expect_bad "negative hidden_size" "hidden_size" model show "$DATA/bad-negative-hidden.json"
expect_bad_o "malformed JSON config, trace -o" "malformed JSON" trace "$DATA/bad-malformed.json"
expect_bad "a NUL byte in a config" "NUL" model show "$TMP/nul.json"
expect_bad "missing config file" "nope.json" model show "$TMP/nope.json"
expect_bad "a directory as a model" "directory" trace "$DATA"
expect_bad "unknown model name" "no-such-model" sim no-such-model --hw 8xh200

# ---- hardware ----
expect_bad "unknown hardware name" "no-such-gpu" sim minimax-text-01 --hw no-such-gpu
expect_bad "hardware file with an unknown field" "speed_bytes_per_s" hw show "$DATA/hw-unknown-field.json"
expect_bad "hardware figure without a source" "source" hw show "$DATA/hw-no-source.json"
expect_bad "negative bandwidth" "copy_bw_bytes_per_s" hw show "$DATA/hw-negative-bw.json"
expect_bad "sim without --hw" "--hw" sim minimax-text-01
expect_bad "fp8 on a100" "--dtype" sim minimax-text-01 --hw a100-sxm --dtype fp8
expect_bad "16 devices on 8xh200" "--devices" sim minimax-text-01 --hw 8xh200 --tp 8 --devices 16 --batch 2

# ---- traces ----
expect_bad "truncated trace, check" "truncated" trace --check "$TMP/trunc.csv"
expect_bad "truncated trace, sim" "truncated" sim "$TMP/trunc.csv" --hw 8xh200
expect_bad "trace without its end line" "truncated" trace --check "$TMP/noend.csv"
expect_bad "hand-edited trace, check" "crc32" trace --check "$TMP/edited.csv"
expect_bad "trace --check of a missing file" "missing.csv" trace --check "$TMP/missing.csv"
expect_bad "trace --check with a model too" "--check" trace --check "$TMP/good.csv" minimax-text-01
expect_bad "sim of a trace with workload flags" "--batch" sim "$TMP/good.csv" --hw 8xh200 --batch 2

# ---- workload flags ----
expect_bad "--batch 0" "--batch" sim minimax-text-01 --hw 8xh200 --batch 0
expect_bad "--batch -1" "--batch" sim minimax-text-01 --hw 8xh200 --batch -1
expect_bad "--batch abc" "--batch" sim minimax-text-01 --hw 8xh200 --batch abc
expect_bad "--batch without a value" "--batch" sim minimax-text-01 --hw 8xh200 --batch
expect_bad "--pp beyond the layers" "--pp" sim minimax-text-01 --hw 8xh200 --pp 81 --devices 81
expect_bad "--ctx 0" "--ctx" sim minimax-text-01 --hw 8xh200 --ctx 0
expect_bad "--tp 3 on minimax" "--tp" sim minimax-text-01 --hw 8xh200 --tp 3
expect_bad "--ep 3 on minimax" "--ep" trace minimax-text-01 --ep 3 --devices 3
expect_bad "--ep 8 on a dense model" "--ep" trace llama-3.1-70b --ep 8 --devices 8
expect_bad "--chunk not a power of two" "--chunk" trace minimax-text-01 --chunk 100
expect_bad "--phase foo" "--phase" sim minimax-text-01 --hw 8xh200 --phase foo
expect_bad "--dtype fp32" "--dtype" trace minimax-text-01 --dtype fp32
expect_bad "--softmax-every 81" "--softmax-every" model show minimax-text-01 --softmax-every 81
expect_bad "--softmax-every and --softmax-layers" "--softmax" trace minimax-text-01 --softmax-every 8 --softmax-layers 10
expect_bad "unknown option" "--bogus" sim minimax-text-01 --hw 8xh200 --bogus
expect_bad "a flag that takes no value" "--json" hw show h200-sxm --json=yes
expect_bad "unknown command" "frobnicate" frobnicate

# ---- -o must survive a failed run ----
expect_bad_o "trace -o an existing file plus a bad flag" "--batch" trace minimax-text-01 --batch 0
expect_bad_o "trace -o an existing file, unknown model" "no-such-model" trace no-such-model

finish bad_input
