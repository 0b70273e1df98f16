# What the MPI command-line tests share, after lib.sh: mpirun for two ranks on one small machine.
#     . "${0%/*}/mpi_lib.sh"
# It writes $TMP/mpi (a wrapper: $TMP/mpi NP ARGS... runs mpirun -np NP arclight ARGS, quiet, oversubscribed, on shared
# memory only) and exports what OpenMPI needs to run as root (tests run as root here and in CI)
# and in containers without ptrace (no single-copy transfers), and, for sanitizer builds, LeakSanitizer
# suppressions of OpenMPI's libraries (tests/lsan-openmpi.supp). with_mpi NP CMD... runs lib.sh's
# CMD (run or expect_bad) with ARC pointing at the wrapper for NP ranks.
# Not for: what a sweep must write (each test checks its own rows).

MPIRUN=$(command -v mpirun) || { echo "FAIL: mpirun not found (scripts/install-deps.sh installs openmpi-bin)"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
# a rank that exits 2 ends the job at once, not after the default 1 s grace
export OMPI_MCA_odls_base_sigkill_timeout=0
# under -DARC_SANITIZE=ON: OpenMPI's own allocations live until exit; keep its components loaded
# so their frames have names, unwind fully, and suppress those libraries only (harmless otherwise)
export OMPI_MCA_mca_base_component_disable_dlclose=1
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "${0%/*}/.." && pwd)/lsan-openmpi.supp:print_suppressions=0"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
ARC1=$ARC
cat >"$TMP/mpi" <<EOS
#!/bin/sh
# mpi NP ARGS...: arclight ARGS on NP ranks
np=\$1
shift
exec "$MPIRUN" -q --oversubscribe -np "\$np" "$ARC1" "\$@"
EOS
chmod +x "$TMP/mpi"

with_mpi() {
    np=$1
    shift
    printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$TMP/mpi" "$np" >"$TMP/mpi$np"
    chmod +x "$TMP/mpi$np"
    ARC=$TMP/mpi$np
    "$@"
    ARC=$ARC1
}
