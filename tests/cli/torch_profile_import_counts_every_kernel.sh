#!/bin/sh
# Rule: importing a PyTorch profile keeps every GPU kernel and its measured time. For both captures
# in tests/data/hf-minimax-tiny, `arclight trace --import-torch-profile` writes one row per kernel
# (the rows that are not memcpy or memset number the "cat": "kernel" events, counted here with
# grep), its measured kernel time and span equal the durations summed here with awk, the trace
# passes --check, and the cost engine replays it on a GPU (h200-sxm) and on a low-energy design
# (le-hbm-sram, bf16 like the capture: a trace's dtype comes from its header). Facts read by hand
# from the fixtures pin the mapping: 34 aten::mm kernels are 34 gemm rows; ATen's generic
# elementwise_kernel events are elementwise_strided rows (287 prefill, 93 decode); the LM head is
# 2048 (prefill) or 1 (decode) x 32000 x 1024 with its 1024 x 32000 bf16 weight; 16 aten::_grouped_mm
# kernels are grouped_gemm over 8 (prefill: 4096 rows) or 2 (decode: 2 rows) experts; the aten::bmm
# kernels are grouped_gemm rows (225, 15); the cuDNN attention kernel is softmax attention, 16 heads,
# 8 KV heads of 64, 2048 x 2048 tokens (prefill) or 1 x 2067 (decode, 2066 cached). A hand-made
# profile pins the links (External id, else the launch's correlation) and a kernel whose External id
# names no CPU op: imported, counted as unattributed.
# Usage: torch_profile_import_counts_every_kernel.sh ARCLIGHT DATA_DIR
# Not for: damaged profiles (torch_profile_import_rejects_damage.sh).
set -u
ARC=$1
DATA=$2
. "${0%/*}/lib.sh"
FIX=$DATA/hf-minimax-tiny

# json_num FILE KEY: a top-level number of a pretty-printed summary
json_num() { sed -n "s/^[[:space:]]\{1,2\}\"$2\":[[:space:]]*\([-0-9.eE+]*\),\{0,1\}\$/\1/p" "$1"; }
# same A B TOL: |A - B| <= TOL
same() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit !(d <= t && -d <= t) }'; }

for phase in prefill decode; do
    P=$TMP/$phase
    gzip -dc "$FIX/${phase}_trace.json.gz" >"$P.json" || { echo "FAIL: cannot decompress the $phase fixture"; exit 1; }
    run "import $phase" "$P.txt" trace --import-torch-profile "$P.json" -o "$P.csv" --json "$P.sum.json"
    name="$phase: kernel count"
    want=$(grep -c '"cat": "kernel"' "$P.json")
    rows=$(awk -F, 'NR > 2 && !/^#/ && $5 !~ /^mem(cpy|set)/' "$P.csv" | wc -l)
    got=$(json_num "$P.sum.json" kernels)
    [ "$rows" -eq "$want" ] || fail "$rows kernel rows in the trace, $want kernel events in the profile"
    [ "$got" = "$want" ] || fail "the summary counts $got kernels, the profile has $want"
    grep -q "^$P.json -> $P.csv: [0-9]* rows: $want kernels," "$P.txt" || fail "the printed summary lacks \"$want kernels\": $(head -1 "$P.txt")"
    # the durations and the span, in microseconds, summed independently
    awk '/"cat": "kernel"/ { k = 1 }
         k && /"dur": / { d = $0; sub(/.*"dur": */, "", d); sub(/[^-0-9.eE+].*/, "", d)
                          t = $0; sub(/.*"ts": */, "", t); sub(/[^-0-9.eE+].*/, "", t)
                          sum += d; if (n++ == 0 || t < t0) t0 = t; if (t + d > t1) t1 = t + d; k = 0 }
         END { printf "%.6f %.6f\n", sum, t1 - t0 }' "$P.json" >"$P.sums"
    read -r sum span <"$P.sums"
    name="$phase: measured time"
    got=$(json_num "$P.sum.json" kernel_time_s)
    same "$(awk -v g="$got" 'BEGIN { printf "%.6f", g * 1e6 }')" "$sum" 0.001 || fail "kernel_time_s $got s, the durations add up to $sum us"
    got=$(json_num "$P.sum.json" kernel_span_s)
    same "$(awk -v g="$got" 'BEGIN { printf "%.6f", g * 1e6 }')" "$span" 0.01 || fail "kernel_span_s $got s, the events span $span us"
    # every row's measured time is in one op kind: the kinds add up to kernels + memcpy + memset
    tot=$(awk '/"measured_s":/ { v = $0; sub(/.*"measured_s":[ \t]*/, "", v); s += v } END { printf "%.9f", s }' "$P.sum.json")
    all=$(awk -v a="$(json_num "$P.sum.json" kernel_time_s)" -v b="$(json_num "$P.sum.json" memcpy_time_s)" \
              -v c="$(json_num "$P.sum.json" memset_time_s)" 'BEGIN { printf "%.9f", a + b + c }')
    same "$tot" "$all" 1e-9 || fail "the op kinds hold $tot s, the events $all s"

    run "check $phase" "$TMP/out" trace --check "$P.csv"
    run "replay $phase on h200-sxm" "$TMP/out" sim "$P.csv" --hw h200-sxm
    run "replay $phase on le-hbm-sram" "$TMP/out" sim "$P.csv" --hw le-hbm-sram

    # facts read by hand from the fixture
    name="$phase: the mapping"
    [ "$(awk -F, '$4 == "gemm"' "$P.csv" | wc -l)" -eq 34 ] || fail "expected 34 gemm rows (aten::mm kernels)"
    # ATen's generic elementwise kernel (broadcast, strided operands) is elementwise_strided; in
    # these captures each one is its op's only or longest kernel, so the rows number the events
    gen=$(grep -c '"name": "void at::native::elementwise_kernel<' "$P.json")
    [ "$gen" -gt 0 ] || fail "the fixture has no generic elementwise kernel to pin"
    [ "$(awk -F, '$4 == "elementwise_strided"' "$P.csv" | wc -l)" -eq "$gen" ] ||
        fail "expected $gen elementwise_strided rows (at::native::elementwise_kernel events)"
    [ "$(awk -F, '$5 == "masked_fill" && $4 != "elementwise_strided"' "$P.csv" | wc -l)" -eq 0 ] ||
        fail "masked_fill_ with a broadcast mask runs the generic kernel: every such row is elementwise_strided"
    if [ "$phase" = prefill ]; then m=2048 experts=8 rows=4096 bmm=225 sq=2048 skv=2048 hdr='phase=prefill batch=1 ctx=2048 '
    else m=1 experts=2 rows=2 bmm=15 sq=1 skv=2067 hdr='phase=decode batch=1 ctx=2066 '; fi
    lm=$(awk -F, '$4 == "gemm" && $8 == 32000 { print $5, $6, $7, $9, $19, $20 }' "$P.csv")
    [ "$lm" = "mm bf16 $m 1024 $((2 * m * 32000 * 1024)) $((1024 * 32000 * 2))" ] || fail "LM head row: \"$lm\""
    g=$(awk -F, '$4 == "grouped_gemm" && $5 == "grouped_mm" { n++; if ($10 != e || $7 != r) bad++ } END { print n + 0, bad + 0 }' e=$experts r=$rows "$P.csv")
    [ "$g" = "16 0" ] || fail "expected 16 grouped_mm rows over $experts experts, $rows rows: got (rows, mismatches) $g"
    [ "$(awk -F, '$4 == "grouped_gemm" && $5 == "bmm"' "$P.csv" | wc -l)" -eq $bmm ] || fail "expected $bmm bmm rows"
    att=$(awk -F, '$4 == "softmax_attn" { print $11, $12, $13, $14, $15, $16 }' "$P.csv")
    [ "$att" = "1 16 8 64 $sq $skv" ] || fail "softmax attention row (batch heads kv_heads head_dim seq_q seq_kv): \"$att\""
    head -1 "$P.csv" | grep -q " $hdr" || fail "header lacks \"$hdr\": $(head -1 "$P.csv")"
done

# with the model's config: its layer pattern and footprint in the header; still checks and replays
run "import with the config" "$TMP/out" trace --import-torch-profile "$TMP/decode.json" "$FIX/config.json" \
    --model hf-minimax-tiny -o "$TMP/model.csv"
name="import with the config"
head -1 "$TMP/model.csv" | grep -q ' model=hf-minimax-tiny .* mem_kv_bytes=[1-9][0-9]* .*pattern=LLLLLLLS$' ||
    fail "header: $(head -1 "$TMP/model.csv")"
run "check, with the config" "$TMP/out" trace --check "$TMP/model.csv"
run "replay, with the config" "$TMP/out" sim "$TMP/model.csv" --hw h200-sxm

# by hand: a kernel tied to its op by External id, one by its launch's correlation, and one whose
# External id names no CPU op (kept, counted as unattributed, no work); then a kernel alone
cat >"$TMP/mini.json" <<'EOF'
{"traceEvents": [
 {"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 1, "tid": 1, "ts": 0, "dur": 10,
  "args": {"External id": 1, "Input Dims": [[4, 8], [8, 16]], "Input type": ["c10::BFloat16", "c10::BFloat16"]}},
 {"ph": "X", "cat": "cpu_op", "name": "aten::add", "pid": 1, "tid": 1, "ts": 10, "dur": 5,
  "args": {"External id": 2, "Input Dims": [[4, 16], [4, 16], []], "Input type": ["c10::BFloat16", "c10::BFloat16", "Scalar"]}},
 {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 1, "tid": 1, "ts": 11, "dur": 1,
  "args": {"External id": 2, "correlation": 12}},
 {"ph": "X", "cat": "kernel", "name": "some_gemm", "pid": 0, "tid": 7, "ts": 5, "dur": 2,
  "args": {"External id": 1, "correlation": 10}},
 {"ph": "X", "cat": "kernel", "name": "mystery", "pid": 0, "tid": 7, "ts": 8, "dur": 1,
  "args": {"External id": 99, "correlation": 11}},
 {"ph": "X", "cat": "kernel", "name": "add_kernel", "pid": 0, "tid": 7, "ts": 12, "dur": 1,
  "args": {"correlation": 12}}
]}
EOF
run "hand-made profile" "$TMP/mini.txt" trace --import-torch-profile "$TMP/mini.json" -o "$TMP/mini.csv" --phase prefill --batch 1 --ctx 4
grep -q ': 3 rows: 3 kernels, 0 memcpy, 0 memset; 1 unattributed,' "$TMP/mini.txt" || fail "summary: $(head -1 "$TMP/mini.txt")"
rows=$(awk -F, 'NR > 2 && !/^#/ { print $4, $5, $7, $8, $9, $19, $20, $21 }' "$TMP/mini.csv" | tr '\n' ';')
[ "$rows" = "gemm mm 4 16 8 1024 256 192;elementwise unattributed 0 0 0 0 0 0;elementwise add 4 16 16 64 0 384;" ] ||
    fail "rows (op name m n k flop weight_bytes act_bytes): $rows"
printf '{"traceEvents": [{"ph": "X", "cat": "kernel", "name": "k", "ts": 1, "dur": 1, "args": {}}]}\n' >"$TMP/alone.json"
run "a kernel alone" "$TMP/alone.txt" trace --import-torch-profile "$TMP/alone.json" -o "$TMP/alone.csv" --phase decode --batch 1 --ctx 1
grep -q ': 1 rows: 1 kernels, 0 memcpy, 0 memset; 1 unattributed,' "$TMP/alone.txt" || fail "summary: $(head -1 "$TMP/alone.txt")"

finish torch_profile_import_counts_every_kernel
