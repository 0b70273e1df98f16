/* arclight sweep: parse the arguments, run a spec's sweep into its SQLite database (over the MPI
 * job's ranks when an MPI launcher started the process), draw the progress bar on a terminal,
 * print one summary line.
 * Not for: the sweep itself (sim/sweep.c, sim/sweep_db.c, sim/sweep_mpi.c). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arclight/sweep_db.h"
#include "arclight/sweep_mpi.h"
#include "cli.h"

/* The bar: points done of total, the rate and the time left; stderr, terminals only, at most
 * ten redraws a second (the run calls it every 0.1 s). */
struct bar_ {
    int drawn;      /* the bar is on the screen */
    uint64_t start; /* points present at the first call: the rate counts this run's */
};

static void progress_(void *ctx, uint64_t done, uint64_t total, double elapsed_s)
{
    struct bar_ *b = ctx;
    if (!b->drawn)
        b->start = done;
    b->drawn = 1;
    double frac = total ? (double)done / (double)total : 1;
    double rate = elapsed_s > 0 ? (double)(done - b->start) / elapsed_s : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    char bar[31];
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %llu/%llu %5.1f%% %9.0f points/s  ETA %2d:%02d:%02d ", bar,
            (unsigned long long)done, (unsigned long long)total, 100 * frac, rate,
            (int)(left / 3600), (int)(left / 60) % 60, (int)left % 60);
    fflush(stderr);
}

/* Under mpirun: every rank runs the sweep; rank 0 alone prints, the message or the summary,
 * while the others wait (arc_sweep_mpi_io.finish), and every rank exits with the same status. */
struct mpi_out_ {
    struct bar_ bar;
    const char *spec, *db;
    long long jobs;
    int reported;
};

static void mpi_progress_(void *ctx, uint64_t done, uint64_t total, double elapsed_s)
{
    struct mpi_out_ *m = ctx;
    progress_(&m->bar, done, total, elapsed_s);
}

static void mpi_finish_(void *ctx, int st, const struct arc_sweep_stats *stats, const struct arc_sweep_mpi_where *w)
{
    struct mpi_out_ *m = ctx;
    m->reported = 1;
    if (m->bar.drawn)
        fputc('\n', stderr);
    if (st < 0) {
        cli_fail(st);
        return;
    }
    printf("sweep %s: %llu points (%llu written now, %llu valid; %llu were already present) in %.2f s, %.0f points/s on %d ranks x %lld jobs, %s engine -> %s\n",
           m->spec, (unsigned long long)stats->n_points, (unsigned long long)stats->written,
           (unsigned long long)stats->valid, (unsigned long long)stats->done_before, stats->seconds,
           stats->seconds > 0 ? (double)stats->written / stats->seconds : 0.0, w->size, m->jobs, w->engine, m->db);
    fflush(stdout);
}

static int sweep_mpi_(const char *spec, const char *db, const char *engine, int resume, long long jobs)
{
    struct arc_sweep_opts o = {.jobs = (int)jobs};
    struct arc_sweep_stats stats;
    struct arc_sweep_mpi_where w;
    struct mpi_out_ m = {.spec = spec, .db = db, .jobs = jobs};
    struct arc_sweep_mpi_io io = {.progress = isatty(STDERR_FILENO) ? mpi_progress_ : NULL,
                                  .finish = mpi_finish_, .ctx = &m};
    int st = arc_sweep_mpi_run(spec, engine, db, resume, &o, &io, &stats, &w);
    if (st < 0 && w.rank == 0 && !m.reported)
        return cli_fail(st); /* MPI never started (every rank is "0" and says so) */
    return st >= 0 ? 0 : st == ARC_ETOOL || st == ARC_ENOMEM ? 1 : 2; /* as cli_fail */
}

int cmd_sweep(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "sweep", "--db= --jobs= --engine= --resume", &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos != 1)
        return cli_fail(arc_errorf(ARC_EINPUT, "sweep: expected one SPEC.json"));
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long long jobs = cores > 0 ? cores : 1;
    if ((st = cli_int(&a, "--jobs", 1, 1024, &jobs)) < 0)
        return cli_fail(st);
    const char *spec = a.pos[0];
    char db[1024];
    if (cli_has(&a, "--db")) {
        snprintf(db, sizeof db, "%s", cli_get(&a, "--db"));
    } else { /* SPEC.json -> SPEC.sqlite beside it */
        size_t n = strlen(spec);
        if (n > 5 && strcmp(spec + n - 5, ".json") == 0)
            n -= 5;
        snprintf(db, sizeof db, "%.*s.sqlite", (int)n, spec);
    }
    if (arc_sweep_mpi_launched())
        return sweep_mpi_(spec, db, cli_get(&a, "--engine"), cli_has(&a, "--resume"), jobs);
    struct arc_sweep s;
    if ((st = arc_sweep_load(spec, cli_get(&a, "--engine"), &s)) < 0)
        return cli_fail(st);
    struct arc_sweep_opts o = {.jobs = (int)jobs};
    struct arc_sweep_stats stats;
    int tty = isatty(STDERR_FILENO);
    struct bar_ bar = {0, 0};
    st = arc_sweep_db_run(&s, db, cli_has(&a, "--resume"), &o, tty ? progress_ : NULL, &bar, &stats);
    if (bar.drawn)
        fputc('\n', stderr);
    if (st < 0) {
        arc_sweep_free(&s);
        return cli_fail(st);
    }
    printf("sweep %s: %llu points (%llu written now, %llu valid; %llu were already present) in %.2f s, %.0f points/s on %lld jobs, %s engine -> %s\n",
           spec, (unsigned long long)stats.n_points, (unsigned long long)stats.written,
           (unsigned long long)stats.valid, (unsigned long long)stats.done_before, stats.seconds,
           stats.seconds > 0 ? (double)stats.written / stats.seconds : 0.0, jobs, s.engine->name, db);
    arc_sweep_free(&s);
    return 0;
}
