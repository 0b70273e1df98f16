#!/bin/sh
# Rule: the commands a user types work and agree with each other. `model show --json` and
# `sim --json` carry the documented keys with sane values; a trace written with -o checks, equals
# the one written to stdout, and simulates to the same latency as the model with the same flags;
# `hw list`, `hw show` and `model list` work. Good runs exit 0 with nothing on stderr.
# Usage: smoke.sh ARCLIGHT DATA_DIR (needs python3 to read the JSON)
# Not for: bad input (bad_input.sh) or `arclight report` (report_outputs.sh).
# shellcheck disable=SC2086 # $FLAGS is split into words on purpose
set -u
ARC=$1
DATA=$2
. "${0%/*}/lib.sh"

# ---- model show ----
run "model show --json" "$TMP/model.json" model show minimax-text-01 --json
run "model show text" "$TMP/model.txt" model show minimax-text-01
grep -q "456" "$TMP/model.txt" || fail "model show does not print the 456 B total"
run "model show variant" "$TMP/model1.json" model show minimax-text-01 --softmax-every 1 --json
run "model show config file" "$TMP/tiny.json" model show "$DATA/tiny-hybrid.json" --json
run "model list" "$TMP/models.txt" model list
if ! grep -q "minimax-text-01" "$TMP/models.txt" || ! grep -q "llama-3.1-70b" "$TMP/models.txt"; then
    fail "model list: $(cat "$TMP/models.txt")"
fi

# ---- sim --json ----
FLAGS="--phase decode --batch 4 --ctx 32768 --tp 8 --devices 8"
run "sim --json" "$TMP/sim.json" sim minimax-text-01 --hw 8xh200 $FLAGS --json
run "sim text" "$TMP/sim.txt" sim minimax-text-01 --hw 8xh200 $FLAGS
grep -q "latency" "$TMP/sim.txt" || fail "sim text has no latency line"

# ---- trace -o, --check, sim of the trace ----
run "trace -o" "$TMP/trace.out" trace minimax-text-01 $FLAGS -o "$TMP/t.csv"
[ -s "$TMP/trace.out" ] && fail "trace -o wrote to stdout"
[ -s "$TMP/t.csv" ] || fail "trace -o wrote no file"
run "trace to stdout" "$TMP/t-stdout.csv" trace minimax-text-01 $FLAGS
cmp -s "$TMP/t.csv" "$TMP/t-stdout.csv" || fail "trace -o and trace to stdout differ"
head -n 1 "$TMP/t.csv" | grep -q "^# arclight-trace v1 model=minimax-text-01 phase=decode batch=4 ctx=32768 tp=8 " ||
    fail "header: $(head -n 1 "$TMP/t.csv")"
run "trace --check" "$TMP/check.txt" trace --check "$TMP/t.csv"
grep -q "ok" "$TMP/check.txt" || fail "trace --check says: $(cat "$TMP/check.txt")"
run "sim of the trace" "$TMP/simt.json" sim "$TMP/t.csv" --hw 8xh200 --json

# a prefill trace of a variant on another node, too
run "prefill trace" "$TMP/p.out" trace minimax-text-01 --phase prefill --ctx 5000 --tp 8 --devices 8 --softmax-every 4 -o "$TMP/p.csv"
run "prefill trace sim" "$TMP/simp.json" sim "$TMP/p.csv" --hw 8xb200 --json
run "prefill model sim" "$TMP/simm.json" sim minimax-text-01 --phase prefill --ctx 5000 --tp 8 --devices 8 --softmax-every 4 --hw 8xb200 --json


# ---- hw ----
run "hw list" "$TMP/hw.txt" hw list
for h in h200-sxm 8xh200 h100-sxm 8xh100 b200 8xb200 a100-sxm; do
    grep -q "$h" "$TMP/hw.txt" || fail "hw list lacks $h"
done
run "hw show" "$TMP/hws.txt" hw show h200-sxm
grep -q "memory.copy_bw_bytes_per_s" "$TMP/hws.txt" || fail "hw show lacks memory.copy_bw_bytes_per_s"
run "hw show --json" "$TMP/hws.json" hw show 8xh200 --json
run "hw show override file" "$TMP/hwo.txt" hw show "$DATA/h200-override.json"
grep -q "override" "$TMP/hwo.txt" || fail "the override file shows no override"
run "version" "$TMP/v.txt" version
grep -q "^arclight " "$TMP/v.txt" || fail "version: $(cat "$TMP/v.txt")"

# ---- the JSON outputs, read in one python3 run (its start-up is slow) ----
name="json"
python3 - "$TMP" >"$TMP/json.txt" 2>&1 <<'PY' || fail "python3 failed: $(cat "$TMP/json.txt")"
import json, os, sys
d = sys.argv[1]
def load(f):
    with open(os.path.join(d, f)) as fh:
        return json.load(fh)
def need(cond, what):
    if not cond:
        print(what)
def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b))

j = load("model.json")
for k in ("params_total", "params_active", "layers", "softmax_layers", "lightning_layers",
          "kv_bytes_per_token", "state_bytes_per_sequence"):
    need(k in j, "model show --json: missing key " + k)
need(abs(j.get("params_total", 0) / 456e9 - 1) < 0.01, "model show: params_total %r" % j.get("params_total"))
need(abs(j.get("params_active", 0) / 45.9e9 - 1) < 0.01, "model show: params_active %r" % j.get("params_active"))
need(j.get("layers") == 80, "model show: layers %r" % j.get("layers"))
need(j.get("softmax_layers") == 10, "model show: softmax_layers %r" % j.get("softmax_layers"))
need(j.get("lightning_layers") == 70, "model show: lightning_layers %r" % j.get("lightning_layers"))
need(j.get("kv_bytes_per_token") == 40960, "model show: kv_bytes_per_token %r" % j.get("kv_bytes_per_token"))
need(j.get("state_bytes_per_sequence") == 70 * 64 * 128 * 128 * 4,
     "model show: state_bytes_per_sequence %r" % j.get("state_bytes_per_sequence"))

j = load("model1.json")
need(j.get("softmax_layers") == 80 and j.get("lightning_layers") == 0,
     "model show --softmax-every 1: softmax_layers %r" % j.get("softmax_layers"))
need(j.get("state_bytes_per_sequence") == 0, "model show --softmax-every 1: state %r" % j.get("state_bytes_per_sequence"))
need(load("tiny.json").get("params_total") == 186624, "model show tiny-hybrid.json: params_total")

j = load("sim.json")
for k in ("latency_s", "energy_j", "latency_per_token_s", "energy_per_token_j"):
    need(isinstance(j.get(k), (int, float)) and j[k] > 0, "sim --json: %s %r" % (k, j.get(k)))
kinds = j.get("breakdown", {}).get("by_layer_kind", {})
for k in ("softmax_attn", "lightning_attn", "moe_ffn", "other"):
    need(k in kinds and kinds[k] > 0, "sim --json: breakdown.by_layer_kind.%s %r" % (k, kinds.get(k)))
need(close(sum(kinds.values()), j.get("latency_s", 0)), "sim --json: by_layer_kind does not add up to latency_s")
need(j.get("latency_per_token_s") == j.get("latency_s"), "sim --json: decode latency per token is not the step's")
need(close(j.get("energy_per_token_j", 0) * 4, j.get("energy_j", 0)), "sim --json: energy per token x batch 4 != energy")

for trace, model in (("simt.json", "sim.json"), ("simp.json", "simm.json")):
    a, b = load(trace), load(model)
    for k in ("latency_s", "energy_j", "latency_per_token_s", "energy_per_token_j"):
        need(close(a[k], b[k]), "sim of %s vs the model: %s %r vs %r" % (trace, k, a[k], b[k]))
    for k, v in b["breakdown"]["by_layer_kind"].items():
        need(close(a["breakdown"]["by_layer_kind"][k], v), "sim of %s vs the model: by_layer_kind.%s" % (trace, k))

f = load("hws.json").get("figures", {})
need(len(f) == 22, "hw show --json: %d figures" % len(f))
need(f.get("devices", {}).get("value") == 8, "hw show 8xh200 --json: devices %r" % f.get("devices"))
for k, v in f.items():
    need(v.get("source"), "hw show --json: figure %s has no source" % k)
PY
[ -s "$TMP/json.txt" ] && fail "$(cat "$TMP/json.txt")"

finish smoke
