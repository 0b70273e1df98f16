/* arclight sweeps across machines: `mpirun -np N arclight sweep SPEC --db FILE`.
 *
 * For: spreading one sweep over the ranks of an MPI job and gathering every row into one
 * database that rank 0 alone opens and writes. Rank 0 reads the spec and sends its text to every
 * rank (the other machines need not see the spec file, only the files it names); each rank
 * parses it, and the ranks check that they agree on its hash. Rank 0 opens the database (or
 * resumes it) exactly as a single-process run would, then, segment by segment (2^20 points), finds
 * the points not yet present and broadcasts that bitmap; every rank takes blocks of 256 of those
 * points in turn (rank r takes blocks r, r + N, ...), evaluates them on o->jobs threads
 * (arc_sweep_run_points) and sends the rows to rank 0 as bytes; rank 0 writes its own rows and
 * the others' in the same batched transactions. A row is a pure function of (spec, engine,
 * point), so the database equals a single-process run's, point for point.
 *
 * Errors: a failure on any rank (a spec that does not parse, a database that is refused, a write
 * that fails) ends the run on every rank with the same status and the same one-line message (the
 * lowest failing rank's); rank 0 alone reports it (io->finish). Nothing calls MPI_Abort.
 *
 * The MPI code lives in a plug-in (libarclight_mpi.so, sim/sweep_mpi.c) that this module opens
 * only when the process was started by an MPI launcher, so no other command (and no plain
 * `arclight sweep`) loads libmpi or pays for MPI_Init (an OpenMPI singleton init forks a daemon:
 * about 0.6 s). ARCLIGHT_MPI_PLUGIN overrides the plug-in's path.
 * Not for: the single-machine sweep (sweep_db.h), evaluating points (sweep.h) or printing. */
#ifndef ARCLIGHT_SWEEP_MPI_H
#define ARCLIGHT_SWEEP_MPI_H

#include "arclight/sweep_db.h"

/* Where this process sits in the MPI job. */
struct arc_sweep_mpi_where {
    int rank, size;      /* this rank of size */
    char engine[32];     /* the effective engine's name (for the summary line) */
};

/* 1 when an MPI launcher started this process (OpenMPI's OMPI_COMM_WORLD_SIZE, or PMIx's
 * PMIX_RANK, or PMI_SIZE as Slurm and MPICH set them), else 0. Reads the environment only. */
int arc_sweep_mpi_launched(void);

/* What rank 0 reports, on the thread that called arc_sweep_mpi_run. */
struct arc_sweep_mpi_io {
    /* may be NULL: points present of total, at most every 0.1 s */
    void (*progress)(void *ctx, uint64_t done, uint64_t total, double elapsed_s);
    /* may be NULL: the outcome (st and arc_error(), or stats), called while every other rank waits
     * in a barrier, so what it prints is out before any rank exits and mpirun ends the job */
    void (*finish)(void *ctx, int st, const struct arc_sweep_stats *stats,
                   const struct arc_sweep_mpi_where *where);
    void *ctx;
};

/* The whole sweep of spec_path into db_path over the MPI job's ranks: every rank calls it once,
 * and it initialises and finalises MPI. engine (may be NULL) overrides the spec's; o->jobs threads
 * per rank. On rank 0, stats describe the run (written counts every rank's rows), and io->finish
 * is called once MPI is running, success or not. Returns ARC_OK or the same negative status on
 * every rank, with arc_error() holding the same message. ARC_ETOOL when the plug-in or MPI cannot
 * start (then finish is not called, and every rank has the message). */
int arc_sweep_mpi_run(const char *spec_path, const char *engine, const char *db_path, int resume,
                      const struct arc_sweep_opts *o, const struct arc_sweep_mpi_io *io,
                      struct arc_sweep_stats *stats, struct arc_sweep_mpi_where *where);

/* The plug-in's entry, with the signature of arc_sweep_mpi_run. */
typedef int (*arc_sweep_mpi_run_fn)(const char *, const char *, const char *, int,
                                    const struct arc_sweep_opts *, const struct arc_sweep_mpi_io *,
                                    struct arc_sweep_stats *, struct arc_sweep_mpi_where *);

#endif
