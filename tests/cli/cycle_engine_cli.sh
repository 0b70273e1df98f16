#!/bin/sh
# Rule: `arclight sim --engine cycle` works from the command line and refuses what it cannot do.
# Good runs (a model, a trace file, --fit, --json, --timeline) exit 0 with nothing on stderr; the
# JSON carries a "cycle" object with the units' utilisation (and the cost engine's does not); the
# timeline parses, names its units and has non-overlapping events per unit. Bad input (the cycle
# engine on a GPU, --timeline without it, an unknown engine, a timeline in a missing directory)
# exits 2 with one line on stderr and nothing on stdout.
# Usage: cycle_engine_cli.sh ARCLIGHT DATA_DIR (needs python3 to read the JSON)
# Not for: the engine's figures (tests/test_cycle_*.c).
set -u
ARC=$1
. "${0%/*}/lib.sh"

FLAGS="--tp 8 --batch 2 --ctx 4096 --dtype bf16"
run "model, text" "$TMP/sim.txt" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine cycle
grep -q "^cycles " "$TMP/sim.txt" || fail "the text output has no cycles line"
run "model, --json" "$TMP/sim.json" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine cycle --json
run "cost, --json" "$TMP/cost.json" sim minimax-text-01 --hw le-hbm-sram $FLAGS --json
run "model, --timeline" "$TMP/tl.out" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine cycle --timeline "$TMP/tl.json"
run "trace file" "$TMP/t.out" trace minimax-text-01 --dtype int8 --tp 64 --pp 40 --devices 2560 -o "$TMP/t.csv"
run "trace file, --timeline" "$TMP/tt.json" sim "$TMP/t.csv" --hw le-sram-lpu --engine cycle --json --timeline "$TMP/tl2.json"
run "--fit" "$TMP/fit.txt" sim minimax-text-01 --hw snn-4nm --fit --dtype int8 --engine cycle
cmp -s "$TMP/tl.out" "$TMP/sim.txt" || fail "--timeline changed the text output"

expect_bad "cycle engine on a GPU" "--engine cost" sim minimax-text-01 --hw h200-sxm --engine cycle
expect_bad "--timeline without the cycle engine" "--timeline" sim minimax-text-01 --hw le-hbm-sram $FLAGS --timeline "$TMP/x.json"
expect_bad "unknown engine" "cycle" sim minimax-text-01 --hw le-hbm-sram --engine warp
expect_bad "timeline in a missing directory" "no-such-dir" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine cycle --timeline "$TMP/no-such-dir/x.json"
[ -e "$TMP/x.json" ] && fail "a refused --timeline wrote a file"

name="json"
python3 - "$TMP" >"$TMP/py.txt" 2>&1 <<'PY' || fail "python3 failed: $(cat "$TMP/py.txt")"
import json, os, sys
d = sys.argv[1]
def load(f):
    with open(os.path.join(d, f)) as fh:
        return json.load(fh)
def need(cond, what):
    if not cond:
        print(what)
j = load("sim.json")
c = j.get("cycle", {})
need(j.get("engine") == "cycle", "sim --json: engine %r" % j.get("engine"))
need(c.get("cycles", 0) > 0, "sim --json: cycle.cycles %r" % c.get("cycles"))
need(abs(c.get("cycles", 0) / c.get("clock_hz", 1) / j["latency_s"] - 1) < 1e-9, "cycles / clock != latency_s")
u = c.get("units", {})
for k in ("dma", "sram", "array", "vector", "link"):
    need(k in u and 0 <= u[k]["utilisation"] <= 1, "sim --json: cycle.units.%s %r" % (k, u.get(k)))
need("cycle" not in load("cost.json"), "the cost engine's JSON has a cycle object")
need(load("tt.json").get("cycle", {}).get("cycles", 0) > 0, "sim of a trace file: no cycles")
for f in ("tl.json", "tl2.json"):
    t = load(f)
    ev = t["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    xs = [e for e in ev if e["ph"] == "X"]
    need(len(xs) > 0, f + ": no X events")
    by = {}
    for e in xs:
        need(e["pid"] == 0 and e["tid"] in names, f + ": event without a named unit: %r" % e)
        need(e["ts"] >= 0 and e["dur"] >= 0, f + ": negative ts or dur: %r" % e)
        by.setdefault(e["tid"], []).append((e["ts"], e["dur"]))
    for tid, l in by.items():
        l.sort()
        bad = sum(1 for a, b in zip(l, l[1:]) if b[0] < a[0] + a[1] - 1e-6)
        need(bad == 0, "%s: %d overlapping events on %s" % (f, bad, names.get(tid)))
PY
[ -s "$TMP/py.txt" ] && fail "$(cat "$TMP/py.txt")"

finish cycle_engine_cli
