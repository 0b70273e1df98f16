#!/bin/sh
# arclight report writes every promised output, each whole; a failed run (gnuplot missing) leaves
# the previous report as it was and no temporary files behind.
# usage: report_outputs.sh ARCLIGHT [DATA_DIR]
set -u
A=$1  # (the data directory, $2, is not needed)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$A" report --out "$T/out" >"$T/stdout" 2>"$T/stderr" || fail "report exited $?: $(cat "$T/stderr")"
for f in report.md study.csv study.json claims.csv; do
    [ -s "$T/out/$f" ] || fail "$f missing or empty"
done
for p in decode_latency prefill_time time_share_prefill time_share_decode attn_ratio energy_per_token roofline; do
    [ -s "$T/out/$p.gp" ] || fail "$p.gp missing"
    [ -s "$T/out/$p.png" ] || fail "$p.png missing"
    # PNG signature: \211 P N G
    sig=$(od -An -c -N4 "$T/out/$p.png" | tr -d ' ')
    [ "$sig" = "211PNG" ] || fail "$p.png is not a PNG ($sig)"
    grep -q "($p.png)" "$T/out/report.md" || fail "report.md does not show $p.png"
done
ls "$T/out"/*.dat >/dev/null 2>&1 || fail "no .dat files"
# 6 variants x 2 phases x 10 contexts, plus the header
[ "$(wc -l <"$T/out/study.csv")" -eq 121 ] || fail "study.csv has $(wc -l <"$T/out/study.csv") lines, expected 121"
[ "$(wc -l <"$T/out/claims.csv")" -eq 7 ] || fail "claims.csv should hold 6 claims"
grep -q '^## Claims' "$T/out/report.md" || fail "report.md has no claims section"
for claim in "2,700x" "little over 10%" "stays ~10%" "1/8 of a transformer" "memory-bound" "1,024,000"; do
    grep -q "$claim" "$T/out/report.md" || fail "claim '$claim' missing from report.md"
done
[ "$(grep -c '| \*\*\(yes\|no\)\*\* |' "$T/out/report.md")" -eq 6 ] || fail "each claim needs a yes/no verdict"
ls -a "$T/out" | grep -q '^\.arclight-tmp' && fail "temporary directory left behind"

# a failed run keeps the old report: no gnuplot on PATH
cp "$T/out/report.md" "$T/before.md"
cp "$T/out/decode_latency.png" "$T/before.png"
touch -d '2000-01-01' "$T/out/report.md"
PATH=/nonexistent "$A" report --out "$T/out" >"$T/stdout" 2>"$T/stderr"
st=$?
[ $st -eq 1 ] || fail "report without gnuplot exited $st, expected 1"
[ "$(wc -l <"$T/stderr")" -eq 1 ] || fail "expected one line on stderr, got: $(cat "$T/stderr")"
grep -q '^arclight: gnuplot' "$T/stderr" || fail "stderr should name gnuplot: $(cat "$T/stderr")"
cmp -s "$T/before.md" "$T/out/report.md" || fail "report.md changed by a failed run"
cmp -s "$T/before.png" "$T/out/decode_latency.png" || fail "a plot changed by a failed run"
ls -a "$T/out" | grep -q '^\.arclight-tmp' && fail "temporary directory left behind after a failure"

# an output path that cannot be a directory
: >"$T/file"
"$A" report --out "$T/file/sub" >"$T/stdout" 2>"$T/stderr"
st=$?
[ $st -eq 2 ] || fail "report into a path under a file exited $st, expected 2"
[ "$(wc -l <"$T/stderr")" -eq 1 ] || fail "expected one line on stderr"
echo "PASS report_outputs"
