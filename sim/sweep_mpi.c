/* arclight sweeps across machines: the MPI plug-in (libarclight_mpi.so). Every rank parses the
 * spec rank 0 sent, evaluates its blocks of the points left, and sends the rows to rank 0, which
 * alone writes the database. The protocol and the rules are in include/arclight/sweep_mpi.h.
 *
 * MPI is called from the thread that called arc_sweep_mpi_run_impl only (MPI_THREAD_FUNNELED):
 * arc_sweep_run_points hands rows to its sink on that thread, and the worker threads never
 * touch MPI. Rows travel as MPI_BYTE: they are plain structs, and every rank runs the same build.
 * Not for: opening this plug-in (sim/sweep_mpi_plugin.c), the store (sim/sweep_db.c), printing. */
#include <limits.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "arclight/fsutil.h"
#include "arclight/sweep_mpi.h"

#define SEGMENT_POINTS (UINT64_C(1) << 20) /* points whose done-bitmap rank 0 broadcasts at once */
#define BLOCK_POINTS 256                    /* the points left are dealt to the ranks in blocks of this */
#define SEND_ROWS 512                       /* rows per message to rank 0 (about 290 KB) */
#define COMMIT_ROWS 4096                    /* rank 0 commits after this many rows ... */
#define COMMIT_S 0.5                        /* ... or this long, like a single-process run */
#define PROGRESS_S 0.1

enum { TAG_ROWS = 1, TAG_DONE = 2 };

/* a status and its one-line message, as one rank tells the others */
struct msg_ {
    int st;
    char text[1020];
};

int arc_sweep_mpi_run_impl(const char *spec_path, const char *engine, const char *db_path, int resume,
                           const struct arc_sweep_opts *o, const struct arc_sweep_mpi_io *io,
                           struct arc_sweep_stats *stats, struct arc_sweep_mpi_where *where);

static double now_s_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A rank dies with its launcher: mpirun (or orted) killed with SIGKILL cannot tell its ranks, and
 * they would go on writing rows that a --resume started meanwhile also writes. Linux only. */
static void die_with_parent_(void)
{
#ifdef __linux__
    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* the launcher died before the call */
        raise(SIGKILL);
#endif
}

/* Collective: every rank passes its status; all return ARC_OK, or the lowest failing rank's
 * status with its message in arc_error(). */
static int agree_(MPI_Comm c, int rank, int size, int st)
{
    int who = st < 0 ? rank : size, first = size;
    MPI_Allreduce(&who, &first, 1, MPI_INT, MPI_MIN, c);
    if (first == size)
        return ARC_OK;
    struct msg_ m;
    memset(&m, 0, sizeof m);
    if (rank == first) {
        m.st = st;
        snprintf(m.text, sizeof m.text, "%s", arc_error());
    }
    MPI_Bcast(&m, (int)sizeof m, MPI_BYTE, first, c);
    return arc_errorf(m.st, "%s", m.text);
}

/* ---- ranks other than 0: rows go to rank 0 ---- */

struct send_ {
    MPI_Comm c;
    struct arc_sweep_row *buf; /* (SEND_ROWS) */
    size_t n;
};

static int send_flush_(void *ctx)
{
    struct send_ *k = ctx;
    if (k->n)
        MPI_Send(k->buf, (int)(k->n * sizeof *k->buf), MPI_BYTE, 0, TAG_ROWS, k->c);
    k->n = 0;
    return ARC_OK;
}

static int send_rows_(void *ctx, const struct arc_sweep_row *rows, size_t n)
{
    struct send_ *k = ctx;
    for (size_t i = 0; i < n; i++) {
        k->buf[k->n++] = rows[i];
        if (k->n == SEND_ROWS)
            send_flush_(k);
    }
    return ARC_OK;
}

/* ---- rank 0: its own rows and every other rank's into the database ---- */

struct root_ {
    MPI_Comm c;
    int size;
    struct arc_sweep_db *db;
    struct arc_sweep_stats *stats;
    int st;                    /* the run's first failure: rank 0's or one a rank reported */
    int done_ranks;            /* ranks that ended the current segment */
    struct arc_sweep_row *buf; /* (SEND_ROWS) a received message */
    size_t unflushed;
    double t0, last_commit, last_progress;
    uint64_t total;
    void (*progress)(void *ctx, uint64_t done, uint64_t total, double elapsed_s);
    void *progress_ctx;
};

static void put_(struct root_ *k, const struct arc_sweep_row *rows, size_t n)
{
    if (k->st < 0)
        return; /* a failed run drops rows, but still receives them so no rank blocks */
    int st = arc_sweep_db_insert(k->db, rows, n);
    if (st < 0) {
        k->st = st;
        return;
    }
    k->stats->written += n;
    for (size_t i = 0; i < n; i++)
        k->stats->valid += (uint64_t)rows[i].valid;
    k->unflushed += n;
    double t = now_s_();
    if (k->unflushed >= COMMIT_ROWS || t - k->last_commit >= COMMIT_S) {
        if ((st = arc_sweep_db_commit(k->db)) < 0)
            k->st = st;
        k->unflushed = 0;
        k->last_commit = t;
    }
    if (k->progress && t - k->last_progress >= PROGRESS_S) {
        k->progress(k->progress_ctx, k->stats->done_before + k->stats->written, k->total, t - k->t0);
        k->last_progress = t;
    }
}

static void handle_(struct root_ *k, const MPI_Status *ms)
{
    int bytes = 0;
    MPI_Get_count(ms, MPI_BYTE, &bytes);
    if (ms->MPI_TAG == TAG_ROWS) {
        ARC_ASSERT(bytes >= 0 && (size_t)bytes <= SEND_ROWS * sizeof *k->buf && bytes % sizeof *k->buf == 0);
        MPI_Recv(k->buf, bytes, MPI_BYTE, ms->MPI_SOURCE, TAG_ROWS, k->c, MPI_STATUS_IGNORE);
        put_(k, k->buf, (size_t)bytes / sizeof *k->buf);
    } else {
        struct msg_ m;
        MPI_Recv(&m, (int)sizeof m, MPI_BYTE, ms->MPI_SOURCE, TAG_DONE, k->c, MPI_STATUS_IGNORE);
        k->done_ranks++;
        if (m.st < 0 && k->st >= 0)
            k->st = arc_errorf(m.st, "%s", m.text);
    }
}

/* Receives what has arrived; with wait, until every other rank has ended the segment. */
static void drain_(struct root_ *k, int wait)
{
    for (;;) {
        MPI_Status ms;
        int flag = 0;
        if (wait) {
            if (k->done_ranks == k->size - 1)
                return;
            MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, k->c, &ms);
            flag = 1;
        } else {
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, k->c, &flag, &ms);
        }
        if (!flag)
            return;
        handle_(k, &ms);
    }
}

static int root_rows_(void *ctx, const struct arc_sweep_row *rows, size_t n)
{
    struct root_ *k = ctx;
    put_(k, rows, n);
    drain_(k, 0);
    return k->st;
}

static int root_flush_(void *ctx)
{
    struct root_ *k = ctx;
    drain_(k, 0);
    if (k->st >= 0) {
        int st = arc_sweep_db_commit(k->db);
        if (st < 0)
            k->st = st;
        k->unflushed = 0;
        k->last_commit = now_s_();
    }
    return k->st;
}

/* ---- the run ---- */

/* rank 0 reads the spec and every rank gets its text; each parses it, loading the files it names
 * itself, and they agree on its hash, which covers those files' bytes: a rank that finds another
 * hw file or calibration (another machine, another checkout) is refused, not mixed in */
static int spec_(MPI_Comm c, int rank, int size, const char *path, const char *engine, struct arc_sweep *s)
{
    char *text = NULL;
    size_t len = 0;
    int st = ARC_OK;
    if (rank == 0) {
        st = arc_file_read_text(path, "a JSON sweep spec", &text, &len);
        if (st == ARC_EIO) { /* as arc_sweep_load: a spec that cannot be read is bad input */
            char msg[512];
            snprintf(msg, sizeof msg, "%s", arc_error());
            st = arc_errorf(ARC_EINPUT, "%s", msg);
        } else if (st >= 0 && len >= INT_MAX) {
            st = arc_errorf(ARC_EINPUT, "%s: %zu bytes; expected a spec under 2 GB", path, len);
        }
    }
    if ((st = agree_(c, rank, size, st)) < 0) {
        free(text);
        return st;
    }
    long long n = (long long)len;
    MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, c);
    if (rank != 0)
        text = arc_xmalloc((size_t)n + 1);
    MPI_Bcast(text, (int)n, MPI_CHAR, 0, c);
    text[n] = '\0';
    st = arc_sweep_parse(text, path, engine, s);
    free(text);
    if ((st = agree_(c, rank, size, st)) < 0)
        return st;
    uint64_t h0 = s->hash;
    MPI_Bcast(&h0, 1, MPI_UINT64_T, 0, c);
    if (h0 != s->hash)
        st = arc_errorf(ARC_EINPUT, "%s: rank %d reads the spec as hash %s, rank 0 as %016llx; expected the same arclight build, and the same bytes in the model, hw and calibration files the spec names, on every rank",
                        path, rank, s->hash_hex, (unsigned long long)h0);
    if ((st = agree_(c, rank, size, st)) < 0)
        arc_sweep_free(s);
    return st;
}

int arc_sweep_mpi_run_impl(const char *spec_path, const char *engine, const char *db_path, int resume,
                           const struct arc_sweep_opts *o, const struct arc_sweep_mpi_io *io,
                           struct arc_sweep_stats *stats, struct arc_sweep_mpi_where *where)
{
    memset(stats, 0, sizeof *stats);
    double t0 = now_s_();
    die_with_parent_();
    int inited = 0, provided = 0;
    MPI_Initialized(&inited);
    if (!inited && MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return arc_errorf(ARC_ETOOL, "sweep: MPI_Init failed");
    MPI_Comm c = MPI_COMM_WORLD;
    int rank = 0, size = 1;
    MPI_Comm_rank(c, &rank);
    MPI_Comm_size(c, &size);
    where->rank = rank;
    where->size = size;

    struct arc_sweep s;
    int st = spec_(c, rank, size, spec_path, engine, &s);
    if (st < 0)
        goto out;
    snprintf(where->engine, sizeof where->engine, "%s", s.engine->name);
    stats->n_points = s.n_points;

    struct root_ k;
    memset(&k, 0, sizeof k);
    k.c = c;
    k.size = size;
    k.stats = stats;
    k.total = s.n_points;
    k.progress = io->progress;
    k.progress_ctx = io->ctx;
    k.t0 = k.last_commit = t0;
    struct send_ w = {.c = c};
    if (rank == 0) {
        st = arc_sweep_db_open(db_path, &s, resume, &k.db);
        if (st >= 0 && (st = arc_sweep_db_count(k.db, &stats->done_before)) < 0) {
            arc_sweep_db_close(k.db);
            k.db = NULL;
        }
        k.buf = arc_xmalloc(SEND_ROWS * sizeof *k.buf);
    } else {
        w.buf = arc_xmalloc(SEND_ROWS * sizeof *w.buf);
    }
    if ((st = agree_(c, rank, size, st)) < 0) {
        free(k.buf);
        free(w.buf);
        arc_sweep_free(&s);
        goto out;
    }

    struct arc_sweep_sink root_sink = {.rows = root_rows_, .flush = root_flush_, .ctx = &k};
    struct arc_sweep_sink send_sink = {.rows = send_rows_, .flush = send_flush_, .ctx = &w};
    uint64_t seg = s.n_points < SEGMENT_POINTS ? s.n_points : SEGMENT_POINTS;
    uint8_t *done = arc_xmalloc((size_t)((seg + 7) / 8));
    uint64_t *mine = arc_xmalloc((size_t)seg * sizeof *mine);
    int local = ARC_OK; /* this rank's own failure (ranks other than 0) */
    for (uint64_t first = 0; first < s.n_points; first += seg) {
        uint64_t n = s.n_points - first < seg ? s.n_points - first : seg, n_done = 0;
        int go = ARC_OK;
        if (rank == 0) {
            if (k.st >= 0 && (st = arc_sweep_db_done(k.db, first, n, done, &n_done)) < 0)
                k.st = st;
            go = k.st;
        }
        MPI_Bcast(&go, 1, MPI_INT, 0, c);
        if (go < 0)
            break;
        MPI_Bcast(done, (int)((n + 7) / 8), MPI_BYTE, 0, c);
        size_t m = 0;
        uint64_t left = 0; /* points of the segment not yet present, over all ranks */
        for (uint64_t i = 0; i < n; i++)
            if (!(done[i / 8] >> (i % 8) & 1)) {
                if ((int)(left / BLOCK_POINTS % (uint64_t)size) == rank)
                    mine[m++] = first + i;
                left++;
            }
        if (left == 0)
            continue;
        struct arc_sweep_opts so = *o;
        so.progress_s = PROGRESS_S;
        if (rank == 0) {
            k.done_ranks = 0;
            if (m > 0 && (st = arc_sweep_run_points(&s, mine, m, &so, &root_sink)) < 0 && k.st >= 0)
                k.st = st;
            drain_(&k, 1);
        } else {
            st = m > 0 ? arc_sweep_run_points(&s, mine, m, &so, &send_sink) : ARC_OK;
            send_flush_(&w);
            struct msg_ dm;
            memset(&dm, 0, sizeof dm);
            dm.st = st;
            if (st < 0) {
                snprintf(dm.text, sizeof dm.text, "%s (rank %d)", arc_error(), rank);
                local = st;
            }
            MPI_Send(&dm, (int)sizeof dm, MPI_BYTE, 0, TAG_DONE, c);
        }
    }
    free(mine);
    free(done);
    if (rank == 0) {
        if (k.st >= 0 && (st = arc_sweep_db_commit(k.db)) < 0)
            k.st = st;
        arc_sweep_db_close(k.db);
        if (io->progress && k.st >= 0)
            io->progress(io->ctx, stats->done_before + stats->written, s.n_points, now_s_() - t0);
        local = k.st;
    }
    free(k.buf);
    free(w.buf);
    arc_sweep_free(&s);
    st = agree_(c, rank, size, local);
out:
    stats->seconds = now_s_() - t0;
    if (rank == 0 && io->finish)
        io->finish(io->ctx, st, stats, where);
    MPI_Barrier(c); /* rank 0 has reported: only now may a rank exit (and mpirun end the job) */
    if (!inited)
        MPI_Finalize();
    return st;
}
