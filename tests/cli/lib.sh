# What the command-line tests share. A test sets ARC (the arclight binary) and sources this file:
#     . "${0%/*}/lib.sh"
# It makes $TMP (removed on exit) and the counters fails and steps, and gives fail, run,
# expect_bad and finish. The checks use shell builtins where they can: every test also runs under
# ASan, where each arclight run is the cost.
# Not for: what a command must print (each test checks its own output).

TMP=$(mktemp -d "${TMPDIR:-/tmp}/arclight-test-XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
fails=0
steps=0
name=

# fail MESSAGE: one failed check of the step named $name
fail() {
    echo "FAIL [$name]: $*"
    fails=$((fails + 1))
}

# run NAME OUTFILE ARGS...: arclight ARGS > OUTFILE must exit 0 with an empty stderr
run() {
    name=$1
    out=$2
    shift 2
    steps=$((steps + 1))
    "$ARC" "$@" >"$out" 2>"$TMP/err"
    rc=$?
    [ "$rc" -eq 0 ] || fail "arclight $*: exit status $rc: $(cat "$TMP/err")"
    [ -s "$TMP/err" ] && fail "arclight $*: wrote to stderr: $(cat "$TMP/err")"
    return 0
}

# expect_bad NAME WANT ARGS...: the bad-input rule. arclight ARGS must exit 2, write nothing to
# stdout and exactly one line to stderr, ending in a newline, starting "arclight: " and holding
# the fixed string WANT ("" for any).
expect_bad() {
    name=$1
    want=$2
    shift 2
    steps=$((steps + 1))
    "$ARC" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    n=0
    first=
    l=
    while IFS= read -r l; do
        n=$((n + 1))
        [ "$n" -eq 1 ] && first=$l
    done <"$TMP/err"
    why=
    if [ -n "$l" ]; then # a last line without its newline
        why=" stderr does not end in a newline;"
        n=$((n + 1))
        [ "$n" -eq 1 ] && first=$l
    fi
    [ "$rc" -eq 2 ] || why="$why exit status $rc, want 2;"
    [ -s "$TMP/out" ] && why="$why wrote to stdout;"
    [ "$n" -eq 1 ] || why="$why stderr has $n lines, want one;"
    case $first in
    "arclight: "?*) ;;
    *) why="$why stderr does not start with \"arclight: \";" ;;
    esac
    case $first in
    *"$want"*) ;;
    *) why="$why the message lacks \"$want\";" ;;
    esac
    [ -z "$why" ] && return 0
    fail "${why# } command: arclight $*; stderr: $(cat "$TMP/err")"
}

# finish TEST [WHAT]: prints PASS or FAIL with the counts (and WHAT); exits 1 on any failure
finish() {
    if [ "$fails" -ne 0 ]; then
        echo "FAIL $1: $fails failed checks in $steps steps"
        exit 1
    fi
    echo "PASS $1 ($steps steps${2:+, $2})"
    exit 0
}
