#!/bin/sh
# Rule: `arclight sim --engine systemc` works from the command line like --engine cycle, leaves no
# temporary files, and refuses what it cannot do. Good runs (a model, a trace file, --fit, --json)
# exit 0 with nothing on stderr; the JSON says engine "systemc" and carries a "cycle" object whose
# cycles / clock equal the latency and are within 1% of the cycle engine's. Bad input (gpu or snn
# hardware, --timeline, a missing arclight-systemc named by ARCLIGHT_SYSTEMC) exits 2 with one line
# on stderr and nothing on stdout; a program that fails exits 1 with one line.
# Usage: systemc_engine_cli.sh ARCLIGHT DATA_DIR (needs python3 to read the JSON)
# Not for: the engine's figures on many cases (tests/test_systemc_agrees_with_cycle.c).
set -u
ARC=$1
. "${0%/*}/lib.sh"

# every run below makes its temporary files here; none may be left
mkdir "$TMP/tmpdir"
TMPDIR=$TMP/tmpdir
export TMPDIR

FLAGS="--tp 8 --batch 2 --ctx 4096 --dtype bf16"
run "model, text" "$TMP/sim.txt" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine systemc
grep -q "^engine     systemc: " "$TMP/sim.txt" || fail "the text output does not name the systemc engine"
grep -q "^cycles " "$TMP/sim.txt" || fail "the text output has no cycles line"
run "model, --json" "$TMP/sim.json" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine systemc --json
run "cycle, --json" "$TMP/cyc.json" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine cycle --json
run "trace file" "$TMP/t.out" trace minimax-text-01 --dtype int8 --tp 64 --pp 40 --devices 2560 -o "$TMP/t.csv"
run "trace file, --json" "$TMP/tt.json" sim "$TMP/t.csv" --hw le-sram-lpu --engine systemc --json
run "--fit" "$TMP/fit.txt" sim minimax-text-01 --hw le-lpddr-edge --fit --dtype int8 --engine systemc
name="no temporary files left"
steps=$((steps + 1))
left=$(ls -A "$TMP/tmpdir")
[ -z "$left" ] || fail "left in TMPDIR: $left"

expect_bad "systemc engine on a GPU" ':kind: expected "le"' sim minimax-text-01 --hw h200-sxm --engine systemc
expect_bad "systemc engine on snn" ':kind: expected "le"' sim minimax-text-01 --hw snn-4nm --fit --dtype int8 --engine systemc
expect_bad "systemc engine on a GPU trace" ':kind:' sim "$TMP/t.csv" --hw 8xh200 --engine systemc
expect_bad "--timeline with systemc" "--timeline" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine systemc --timeline "$TMP/x.json"
ARCLIGHT_SYSTEMC=$TMP/no-such-program
export ARCLIGHT_SYSTEMC
expect_bad "missing arclight-systemc" "ARCLIGHT_SYSTEMC" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine systemc
# a program that fails: exit status 1, one line
name="failing program"
steps=$((steps + 1))
printf '#!/bin/sh\necho "model exploded" >&2\nexit 1\n' >"$TMP/failing"
chmod +x "$TMP/failing"
ARCLIGHT_SYSTEMC=$TMP/failing
"$ARC" sim minimax-text-01 --hw le-hbm-sram $FLAGS --engine systemc >"$TMP/out" 2>"$TMP/err"
rc=$?
unset ARCLIGHT_SYSTEMC
[ "$rc" -eq 1 ] || fail "exit status $rc, want 1"
[ -s "$TMP/out" ] && fail "wrote to stdout"
n=0
while IFS= read -r l; do n=$((n + 1)); done <"$TMP/err"
[ "$n" -eq 1 ] || fail "stderr has $n lines, want one: $(cat "$TMP/err")"
grep -q "model exploded" "$TMP/err" || fail "the message lacks the program's last line: $(cat "$TMP/err")"
left=$(ls -A "$TMP/tmpdir")
[ -z "$left" ] || fail "a failed run left in TMPDIR: $left"

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
j, y = load("sim.json"), load("cyc.json")
c = j.get("cycle", {})
need(j.get("engine") == "systemc", "sim --json: engine %r" % j.get("engine"))
need(c.get("cycles", 0) > 0, "sim --json: cycle.cycles %r" % c.get("cycles"))
need(abs(c.get("cycles", 0) / c.get("clock_hz", 1) / j["latency_s"] - 1) < 1e-9, "cycles / clock != latency_s")
need(abs(j["latency_s"] / y["latency_s"] - 1) <= 0.01, "systemc %g s vs cycle %g s" % (j["latency_s"], y["latency_s"]))
need(abs(j["energy_j"] / y["energy_j"] - 1) <= 0.01, "systemc %g J vs cycle %g J" % (j["energy_j"], y["energy_j"]))
u = c.get("units", {})
for k in ("dma", "sram", "array", "vector", "link"):
    need(k in u and 0 <= u[k]["utilisation"] <= 1, "sim --json: cycle.units.%s %r" % (k, u.get(k)))
need(len(j.get("ops", [])) == len(y.get("ops", [])), "op tables differ in length")
need(load("tt.json").get("cycle", {}).get("cycles", 0) > 0, "sim of a trace file: no cycles")
PY
[ -s "$TMP/py.txt" ] && fail "$(cat "$TMP/py.txt")"

finish systemc_engine_cli
