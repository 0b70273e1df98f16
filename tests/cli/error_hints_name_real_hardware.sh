#!/bin/sh
# Rule: a hint in an error message names hardware that exists. When a workload needs more devices
# than the hardware has, the one-line error may suggest a node to try ("try a node such as X");
# X must then be a hardware name `arclight hw show` accepts.
# Usage: error_hints_name_real_hardware.sh ARCLIGHT DATA_DIR
# Not for: exit statuses and the one-line form (bad_input.sh).
set -u
ARC=$1
fails=0
cases=0
for hw in h200-sxm h100-sxm a100-sxm b200 8xh200 8xh100 8xb200; do
    cases=$((cases + 1))
    msg=$("$ARC" sim minimax-text-01 --hw "$hw" --tp 8 --devices 16 --batch 2 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "FAIL [$hw]: exit status $rc, want 2: $msg"
        fails=$((fails + 1))
        continue
    fi
    case $msg in
    *"such as "*)
        hint=${msg#*such as }
        hint=${hint%%[!A-Za-z0-9._-]*}
        if ! "$ARC" hw show "$hint" >/dev/null 2>&1; then
            echo "FAIL [$hw]: the message suggests \"$hint\", which is not a hardware name: $msg"
            fails=$((fails + 1))
        fi
        ;;
    esac
done
if [ "$fails" -ne 0 ]; then
    echo "FAIL error_hints_name_real_hardware: $fails of $cases"
    exit 1
fi
echo "PASS error_hints_name_real_hardware cases=$cases"
