#!/bin/sh
# Rule: a damaged PyTorch profile is refused with one line and exit status 2, and leaves existing
# output alone. A truncated file, text that is not JSON, JSON without traceEvents, a capture without
# GPU kernels, a kernel with a negative or missing duration, shapes that cannot be sizes, a missing
# file, and misused flags each make `arclight trace --import-torch-profile` exit 2 with exactly one
# line starting "arclight: " that names the file or flag, write nothing to stdout, and leave a
# pre-existing -o trace and --json summary byte-identical (same checksums, nothing left beside them).
# Usage: torch_profile_import_rejects_damage.sh ARCLIGHT DATA_DIR
# Not for: good profiles (torch_profile_import_counts_every_kernel.sh).
set -u
ARC=$1
DATA=$2
. "${0%/*}/lib.sh"

# expect_bad_out NAME WANT ARGS...: expect_bad, with -o and --json at files that must survive
expect_bad_out() {
    name=$1
    want=$2
    shift 2
    rm -rf "$TMP/o"
    mkdir "$TMP/o"
    printf 'precious trace\n' >"$TMP/o/keep.csv"
    printf '{"precious": true}\n' >"$TMP/o/keep.json"
    before=$(cksum "$TMP/o/keep.csv" "$TMP/o/keep.json" | awk '{ print $1, $2 }')
    expect_bad "$name" "$want" trace "$@" -o "$TMP/o/keep.csv" --json "$TMP/o/keep.json"
    after=$(cksum "$TMP/o/keep.csv" "$TMP/o/keep.json" | awk '{ print $1, $2 }')
    [ "$before" = "$after" ] || fail "an existing output file changed"
    left=$(ls -A "$TMP/o" | tr '\n' ' ')
    [ "$left" = "keep.csv keep.json " ] || fail "files left beside the outputs: $left"
}

G=$TMP/good.json
gzip -dc "$DATA/hf-minimax-tiny/decode_trace.json.gz" >"$G" || { echo "FAIL: cannot decompress the fixture"; exit 1; }
"$ARC" trace --import-torch-profile "$G" -o "$TMP/good.csv" >/dev/null || { echo "FAIL: the good profile does not import"; exit 1; }

# damage, each from the good profile where it can be
head -c 200000 "$G" >"$TMP/trunc.json"
printf 'PK\003\004 not json at all\n' >"$TMP/garbage.json"
printf '{"schemaVersion": 1, "traceEvents_": []}\n' >"$TMP/noevents.json"
printf '{"traceEvents": {"ph": "X"}}\n' >"$TMP/eventsobject.json"
printf '[{"ph": "X", "cat": "kernel", "ts": 1, "dur": 1}]\n' >"$TMP/array.json"
sed 's/"cat": "kernel"/"cat": "kernel_gone"/' "$G" >"$TMP/nokernels.json"
# the first kernel's duration (on the line after its "cat") made negative, then removed
awk '/"cat": "kernel"/ && !done { k = 1 } k && /"dur": / { sub(/"dur": /, "\"dur\": -"); k = 0; done = 1 } { print }' "$G" >"$TMP/negdur.json"
awk '/"cat": "kernel"/ && !done { k = 1 } k && /"dur": / { sub(/"dur": /, "\"dux\": "); k = 0; done = 1 } { print }' "$G" >"$TMP/nodur.json"
sed '0,/"Input Dims": \[\[32000, 1024\]/s//"Input Dims": [[-32000, 1024]/' "$G" >"$TMP/negdims.json"
printf '{"traceEvents": [1, 2]}\n' >"$TMP/notobjects.json"
name="damage was made"
cmp -s "$G" "$TMP/negdur.json" && fail "negdur.json is the good profile"
cmp -s "$G" "$TMP/nodur.json" && fail "nodur.json is the good profile"
cmp -s "$G" "$TMP/negdims.json" && fail "negdims.json is the good profile"

expect_bad_out "truncated JSON" "malformed JSON" --import-torch-profile "$TMP/trunc.json"
expect_bad_out "not JSON" "malformed JSON" --import-torch-profile "$TMP/garbage.json"
expect_bad_out "no traceEvents" "traceEvents: missing" --import-torch-profile "$TMP/noevents.json"
expect_bad_out "traceEvents not an array" "traceEvents: not an array" --import-torch-profile "$TMP/eventsobject.json"
expect_bad_out "a bare array" "traceEvents: missing" --import-torch-profile "$TMP/array.json"
expect_bad_out "events that are not objects" "traceEvents[0]" --import-torch-profile "$TMP/notobjects.json"
expect_bad_out "no GPU kernels" "no GPU kernels" --import-torch-profile "$TMP/nokernels.json"
expect_bad_out "negative kernel duration" "dur: negative" --import-torch-profile "$TMP/negdur.json"
expect_bad_out "missing kernel duration" "dur: missing" --import-torch-profile "$TMP/nodur.json"
expect_bad_out "negative tensor size" "Input Dims" --import-torch-profile "$TMP/negdims.json"
expect_bad_out "missing profile" "nope.json" --import-torch-profile "$TMP/nope.json"
expect_bad_out "a directory as the profile" "directory" --import-torch-profile "$TMP"
expect_bad_out "a bad --model name" "--model" --import-torch-profile "$G" --model "a b"
expect_bad_out "--dtype fp32" "--dtype" --import-torch-profile "$G" --dtype fp32
expect_bad_out "--ctx 0" "--ctx" --import-torch-profile "$G" --ctx 0
expect_bad_out "--softmax-every without a model" "--softmax-every" --import-torch-profile "$G" --softmax-every 8
expect_bad_out "an unknown model" "no-such-model" --import-torch-profile "$G" no-such-model
expect_bad_out "--check as well" "--import-torch-profile" --import-torch-profile "$G" --check "$TMP/good.csv"
expect_bad "no -o" "-o" trace --import-torch-profile "$G"
expect_bad "-o to stdout" "-o" trace --import-torch-profile "$G" -o -
expect_bad "--json without an import" "--json" trace minimax-text-01 --json "$TMP/x.json"

finish torch_profile_import_rejects_damage
