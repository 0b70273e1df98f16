/* arclight sweeps across machines: the library's side, which tells whether an MPI launcher
 * started this process and opens the MPI plug-in (libarclight_mpi.so, sim/sweep_mpi.c) only then.
 *
 * For: keeping libmpi and MPI_Init out of every process that does not run under mpirun. The
 * plug-in's path is the one the build wrote (ARC_MPI_PLUGIN); ARCLIGHT_MPI_PLUGIN overrides it.
 * Not for: MPI itself (sim/sweep_mpi.c). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/sweep_mpi.h"

#ifndef ARC_MPI_PLUGIN
#define ARC_MPI_PLUGIN "libarclight_mpi.so"
#endif

static int set_(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

int arc_sweep_mpi_launched(void)
{
    return set_("OMPI_COMM_WORLD_SIZE") || set_("PMIX_RANK") || set_("PMI_SIZE");
}

int arc_sweep_mpi_run(const char *spec_path, const char *engine, const char *db_path, int resume,
                      const struct arc_sweep_opts *o, const struct arc_sweep_mpi_io *io,
                      struct arc_sweep_stats *stats, struct arc_sweep_mpi_where *where)
{
    where->rank = 0;
    where->size = 1;
    where->engine[0] = '\0';
    memset(stats, 0, sizeof *stats);
    const char *path = getenv("ARCLIGHT_MPI_PLUGIN");
    if (!path || !*path)
        path = ARC_MPI_PLUGIN;
    /* RTLD_GLOBAL: OpenMPI opens its own components later and they look for libmpi's symbols */
    void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!h)
        return arc_errorf(ARC_ETOOL, "sweep: launched by mpirun, but the MPI plug-in cannot be loaded: %s", dlerror());
    arc_sweep_mpi_run_fn run;
    *(void **)&run = dlsym(h, "arc_sweep_mpi_run_impl");
    if (!run)
        return arc_errorf(ARC_ETOOL, "sweep: %s lacks arc_sweep_mpi_run_impl", path);
    /* the plug-in stays open: MPI has been finalised, but its libraries keep handlers registered */
    return run(spec_path, engine, db_path, resume, o, io, stats, where);
}
