#!/bin/sh
# Rule: a sweep is identified by its spec and the bytes of every file the spec names, so --resume
# on a database made from other inputs is refused. A spec names copies of a model config, a
# hardware file, that file's preset and the preset's calibration; after a first run, changing one
# figure in any one of them makes --resume fail with exit status 2 and one line naming
# meta.spec_hash and the input that changed, the database untouched; the same bytes written
# back (a new mtime, the same content) resume again. The built-in energy and area tables are an
# input too: a database whose stored tables hash differs is refused naming them.
# Usage: sweep_resume_refuses_changed_files.sh ARCLIGHT DATA_DIR (needs the sqlite3 command)
# Not for: another spec or engine on a database (sweep_bad_input.sh), kills (sweep_survives_kill_and_resume.sh).
set -u
ARC=$1
SRC=$2/../..
. "${0%/*}/lib.sh"

IN=$TMP/in
mkdir -p "$IN" "$TMP/db"
cp "$SRC/model/configs/minimax-text-01.json" "$IN/model.json"
cp "$SRC/sim/calib/h200-sxm.json" "$IN/calib.json"
sed "s|\"calibration\":[[:space:]]*\"h200-sxm\"|\"calibration\": \"$IN/calib.json\"|" "$SRC/sim/hw/h200-sxm.json" >"$IN/gpu.json"
grep -q "\"calibration\": \"$IN/calib.json\"" "$IN/gpu.json" || { echo "FAIL: cannot point the hardware copy at the calibration copy"; exit 1; }
printf '{"preset": "%s", "name": "node", "devices": 8, "die_area_mm2": 814}\n' "$IN/gpu.json" >"$IN/node.json"
printf '{"model": "%s", "hw": "%s", "workload": {"tp": 8}, "axes": {"workload.batch": [1, 2], "workload.ctx": [8192, 16384]}}\n' \
    "$IN/model.json" "$IN/node.json" >"$TMP/s.json"

DB=$TMP/db/s.sqlite
run "the first run" "$TMP/out" sweep "$TMP/s.json" --db "$DB"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM points')" = 4 ] || fail "the first run did not write 4 rows"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM points WHERE valid = 1')" = 4 ] || fail "the first run's rows are not all valid"
run "resume, files unchanged" "$TMP/out" sweep "$TMP/s.json" --db "$DB" --resume
grep -q "4 were already present" "$TMP/out" || fail "the resume's summary: $(cat "$TMP/out")"
sum=$(cksum <"$DB")

# changed WHAT FILE SED: one figure of FILE changed by SED; --resume is refused naming WHAT, and
# after the old bytes are written back it is accepted
changed() {
    cp "$IN/$2" "$TMP/keep.json"
    sed "$3" "$TMP/keep.json" >"$IN/$2"
    if cmp -s "$IN/$2" "$TMP/keep.json"; then
        name="change $2"
        steps=$((steps + 1))
        fail "sed '$3' did not change $2"
    fi
    expect_bad "$2 changed" "meta.spec_hash" sweep "$TMP/s.json" --db "$DB" --resume
    case $(cat "$TMP/err") in
    *"$1 changed"*) ;;
    *) fail "the message does not say that the $1 changed: $(cat "$TMP/err")" ;;
    esac
    [ "$(cksum <"$DB")" = "$sum" ] || fail "the database changed"
    left=$(ls -A "$TMP/db")
    [ "$left" = s.sqlite ] || fail "files beside the database: $left"
    cat "$TMP/keep.json" >"$IN/$2"
    touch "$IN/$2"
    run "$2 written back" "$TMP/out" sweep "$TMP/s.json" --db "$DB" --resume
    grep -q "4 were already present" "$TMP/out" || fail "the resume's summary: $(cat "$TMP/out")"
}

changed model model.json 's/"vocab_size": 200064/"vocab_size": 200065/'
changed hw node.json 's/"die_area_mm2": 814/"die_area_mm2": 815/'
changed hw gpu.json 's/"value": 814,/"value": 815,/'
changed calibration calib.json 's/"idle_w":\([[:space:]]*[0-9]*\)\.\([0-9]\)/"idle_w":\1.9\2/'

# The built-in energy and area tables are compiled in: a database made by a build whose tables
# differed (its stored tables= input and hash edited here, on a copy) is refused naming them, and
# one made before the tables were hashed (no tables= input) is refused as such.
name="tables"
steps=$((steps + 1))
ins=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'spec_inputs'")
printf '%s\n' "$ins" | grep -q ',tables=[0-9a-f]\{16\}$' || fail "meta.spec_inputs holds no tables= input: $ins"
cp "$DB" "$TMP/t.sqlite"
sqlite3 "$TMP/t.sqlite" "UPDATE meta SET value = substr(value, 1, instr(value, 'tables=') + 6) || '0000000000000000' WHERE key = 'spec_inputs';
                        UPDATE meta SET value = '0000000000000000' WHERE key = 'spec_hash';"
expect_bad "other tables" "tables changed" sweep "$TMP/s.json" --db "$TMP/t.sqlite" --resume
cp "$DB" "$TMP/t.sqlite"
sqlite3 "$TMP/t.sqlite" "UPDATE meta SET value = substr(value, 1, instr(value, ',tables=') - 1) WHERE key = 'spec_inputs';
                        UPDATE meta SET value = '0000000000000000' WHERE key = 'spec_hash';"
expect_bad "before the tables were hashed" "did not cover its built-in energy and area tables" sweep "$TMP/s.json" --db "$TMP/t.sqlite" --resume

finish sweep_resume_refuses_changed_files