/* arclight sweep database: the SQLite store of a sweep's rows, and the single-machine run that
 * fills it. The schema and the rules are in include/arclight/sweep_db.h.
 * Not for: evaluating points (sim/sweep.c) or printing (cli/cmd_sweep.c). */
#include "arclight/sweep_db.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "arclight/fsutil.h"

#define SEGMENT_POINTS (UINT64_C(1) << 20) /* points whose done-bitmap and to-do list a run holds at once */

struct arc_sweep_db {
    sqlite3 *db;
    sqlite3_stmt *ins;
    const struct arc_sweep *s;
    char path[512];
    int in_tx;
};

/* the output columns after the axes, in the order rows bind them */
static const char *const out_cols_[] = {
    "valid INTEGER NOT NULL", "error TEXT", "latency_s REAL", "energy_j REAL",
    "latency_per_token_s REAL", "energy_per_token_j REAL", "tokens REAL", "bound TEXT",
    "fits INTEGER", "footprint_bytes REAL", "capacity_bytes REAL", "devices INTEGER",
    "area_mm2 REAL", "flop REAL", "link_bytes REAL", "cycles INTEGER", "alt_energy_j REAL",
    "energy_idle_j REAL", "energy_compute_j REAL", "energy_memory_j REAL", "energy_sram_j REAL",
    "energy_wire_j REAL", "energy_link_j REAL",
};
enum { N_OUT_COLS = sizeof out_cols_ / sizeof out_cols_[0] };
_Static_assert(ARC_EPART_COUNT == 6, "update out_cols_ and bind_row_'s energy columns");

static int sqlerr_(struct arc_sweep_db *d, const char *what)
{
    return arc_errorf(ARC_EIO, "%s: %s: %s", d->path, what, sqlite3_errmsg(d->db));
}

static int exec_(struct arc_sweep_db *d, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(d->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int st = arc_errorf(ARC_EIO, "%s: %s: %s", d->path, sql, msg ? msg : sqlite3_errmsg(d->db));
        sqlite3_free(msg);
        return st;
    }
    return ARC_OK;
}

/* one text value of meta, or NULL (into buf) */
static const char *meta_(struct arc_sweep_db *d, const char *key, char *buf, size_t n)
{
    sqlite3_stmt *q = NULL;
    const char *out = NULL;
    if (sqlite3_prepare_v2(d->db, "SELECT value FROM meta WHERE key = ?", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
            snprintf(buf, n, "%s", (const char *)sqlite3_column_text(q, 0));
            out = buf;
        }
    }
    sqlite3_finalize(q);
    return out;
}

static int tables_(struct arc_sweep_db *d, int64_t *n)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(d->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        *n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW)
        return arc_errorf(ARC_EINPUT, "%s: not a readable SQLite database (%s); expected an arclight sweep database or a new path",
                          d->path, sqlite3_errstr(rc));
    return ARC_OK;
}

int arc_sweep_db_count(struct arc_sweep_db *d, uint64_t *n_rows)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(d->db, "SELECT count(*) FROM points", -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        *n_rows = (uint64_t)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? ARC_OK : sqlerr_(d, "counting points");
}

#define INPUTS_MAX (ARC_SWEEP_IN_COUNT * 32) /* meta spec_inputs: "model=HEX,hw=HEX,calibration=HEX,tables=HEX" */

/* meta spec_inputs: each named file's name and FNV-1a 64 */
static void inputs_text_(const struct arc_sweep *s, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < ARC_SWEEP_IN_COUNT; i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s=%016llx", i ? "," : "",
                 arc_sweep_input_name((enum arc_sweep_input)i), (unsigned long long)s->input_fnv[i]);
}

/* 1 when meta spec holds s's canonical text, else 0 */
static int same_text_(struct arc_sweep_db *d)
{
    sqlite3_stmt *q = NULL;
    int same = 0;
    if (sqlite3_prepare_v2(d->db, "SELECT value = ? FROM meta WHERE key = 'spec'", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, d->s->canonical, -1, SQLITE_STATIC);
        same = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
    }
    sqlite3_finalize(q);
    return same;
}

/* The refusal of a database whose spec_hash (stored) is not this spec's: which input differs. */
static int other_sweep_(struct arc_sweep_db *d, const char *hash)
{
    const struct arc_sweep *s = d->s;
    if (!same_text_(d))
        return arc_errorf(ARC_EINPUT, "%s:meta.spec_hash: holds another sweep (spec hash %s, this spec %s); expected the same spec and engine, or another --db",
                          d->path, hash, s->hash_hex);
    /* the same text: a file it names has other bytes now */
    char stored[INPUTS_MAX + 2], mine[INPUTS_MAX], changed[INPUTS_MAX] = "";
    stored[0] = ',';
    if (!meta_(d, "spec_inputs", stored + 1, sizeof stored - 2))
        return arc_errorf(ARC_EINPUT, "%s:meta.spec_hash: holds this spec, hashed by an arclight that did not cover the files it names (spec hash %s, now %s); expected another --db",
                          d->path, hash, s->hash_hex);
    strcat(stored, ",");
    if (!strstr(stored, ",tables="))
        return arc_errorf(ARC_EINPUT, "%s:meta.spec_hash: holds this spec, hashed by an arclight that did not cover its built-in energy and area tables (spec hash %s, now %s); expected another --db",
                          d->path, hash, s->hash_hex);
    for (int i = 0; i < ARC_SWEEP_IN_COUNT; i++) {
        snprintf(mine, sizeof mine, ",%s=%016llx,", arc_sweep_input_name((enum arc_sweep_input)i),
                 (unsigned long long)s->input_fnv[i]);
        if (!strstr(stored, mine))
            snprintf(changed + strlen(changed), sizeof changed - strlen(changed), "%s%s", changed[0] ? ", " : "",
                     arc_sweep_input_name((enum arc_sweep_input)i));
    }
    return arc_errorf(ARC_EINPUT, "%s:meta.spec_hash: holds this spec over other file contents (%s changed since the database was made; spec hash %s, now %s); expected the files the spec names as they were, or another --db",
                      d->path, changed[0] ? changed : "an input", hash, s->hash_hex);
}

/* The checks of an existing arclight database against the spec, before anything is written. */
static int check_existing_(struct arc_sweep_db *d, int resume)
{
    const struct arc_sweep *s = d->s;
    char buf[64];
    const char *hash = meta_(d, "spec_hash", buf, sizeof buf);
    if (!hash)
        return arc_errorf(ARC_EINPUT, "%s:meta.spec_hash: missing; expected an arclight sweep database or a new path", d->path);
    if (strcmp(hash, s->hash_hex) != 0)
        return other_sweep_(d, hash);
    const char *ver = meta_(d, "schema_version", buf, sizeof buf);
    if (!ver || atoi(ver) != ARC_SWEEP_DB_SCHEMA)
        return arc_errorf(ARC_EINPUT, "%s:meta.schema_version: expected %d, found %s", d->path,
                          ARC_SWEEP_DB_SCHEMA, ver ? ver : "none");
    uint64_t n = 0;
    int st = arc_sweep_db_count(d, &n);
    if (st < 0)
        return st;
    if (!resume)
        return arc_errorf(ARC_EINPUT, "%s: already holds this sweep (%llu of %llu points); expected --resume to finish it, or another --db",
                          d->path, (unsigned long long)n, (unsigned long long)s->n_points);
    return ARC_OK;
}

/* inserts one meta pair; *bad counts failures */
static void meta_put_(sqlite3_stmt *q, const char *key, const char *value, int *bad)
{
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, value, -1, SQLITE_TRANSIENT);
    *bad += sqlite3_step(q) != SQLITE_DONE;
    sqlite3_reset(q);
}

static int create_(struct arc_sweep_db *d)
{
    const struct arc_sweep *s = d->s;
    struct arc_buf sql = {0};
    arc_buf_printf(&sql, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
                         "CREATE TABLE points(point INTEGER PRIMARY KEY");
    for (int a = 0; a < s->n_axes; a++)
        arc_buf_printf(&sql, ", \"%s\" %s", s->axes[a].path,
                       s->axes[a].text ? "TEXT" : s->axes[a].integer ? "INTEGER" : "REAL");
    for (int i = 0; i < N_OUT_COLS; i++)
        arc_buf_printf(&sql, ", %s", out_cols_[i]);
    arc_buf_printf(&sql, ");\n");
    int st = exec_(d, "BEGIN");
    if (st >= 0)
        st = exec_(d, sql.data);
    arc_buf_free(&sql);
    sqlite3_stmt *q = NULL;
    if (st >= 0 && sqlite3_prepare_v2(d->db, "INSERT INTO meta VALUES(?, ?)", -1, &q, NULL) != SQLITE_OK)
        st = sqlerr_(d, "writing meta");
    if (st >= 0) {
        int bad = 0;
        char num[64], axes[ARC_SWEEP_AXES_MAX * (ARC_SWEEP_PATH_MAX + 1)] = "", when[32];
        snprintf(num, sizeof num, "%d", ARC_SWEEP_DB_SCHEMA);
        meta_put_(q, "schema_version", num, &bad);
        meta_put_(q, "arclight_version", arc_version(), &bad);
        meta_put_(q, "spec", s->canonical, &bad);
        meta_put_(q, "spec_hash", s->hash_hex, &bad);
        meta_put_(q, "spec_hash_method",
                  "FNV-1a 64 of spec, continued over the four values of spec_inputs in order, 8 bytes each, least "
                  "significant first. spec_inputs covers the bytes of every file the spec names, as loaded (a "
                  "built-in's embedded copy or the file), whatever their paths: model = FNV-1a 64 of the model "
                  "config; hw = FNV-1a 64, from the offset basis, over the FNV-1a 64 of the hardware file, then of "
                  "its preset, then of the preset's preset (8 bytes each, as above); calibration = FNV-1a 64 of "
                  "the calibration file the hardware names, or 0 when none; tables = FNV-1a 64, from the offset "
                  "basis, over the FNV-1a 64 of each built-in energy and area table's path (sim/energy/*.json, "
                  "sim/area/*.json, sorted), then of its bytes",
                  &bad);
        char inputs[INPUTS_MAX];
        inputs_text_(s, inputs, sizeof inputs);
        meta_put_(q, "spec_inputs", inputs, &bad);
        meta_put_(q, "spec_file", s->file, &bad);
        meta_put_(q, "engine", s->engine->name, &bad);
        meta_put_(q, "hw", s->hw.name, &bad);
        meta_put_(q, "model", s->model.name, &bad);
        snprintf(num, sizeof num, "%llu", (unsigned long long)s->n_points);
        meta_put_(q, "n_points", num, &bad);
        snprintf(num, sizeof num, "%llu", (unsigned long long)s->grid);
        meta_put_(q, "grid_points", num, &bad);
        for (int a = 0; a < s->n_axes; a++)
            snprintf(axes + strlen(axes), sizeof axes - strlen(axes), "%s%s", a ? "," : "", s->axes[a].path);
        meta_put_(q, "axes", axes, &bad);
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        meta_put_(q, "created_utc", when, &bad);
        if (bad)
            st = sqlerr_(d, "writing meta");
    }
    sqlite3_finalize(q);
    if (st >= 0)
        st = exec_(d, "COMMIT");
    return st;
}

/* Refuses a path SQLite could not write (the file, or its directory, where the journal goes),
 * before anything is opened. A file whose mode has no write bit counts as read-only even for root. */
static int check_writable_(const char *path, int *exists)
{
    struct stat sb;
    *exists = stat(path, &sb) == 0;
    if (!*exists && errno != ENOENT)
        return arc_errorf(ARC_EINPUT, "%s: cannot use as the database: %s", path, strerror(errno));
    if (*exists && !S_ISREG(sb.st_mode))
        return arc_errorf(ARC_EINPUT, "%s: not a regular file; expected a database file", path);
    if (*exists && ((sb.st_mode & 0222) == 0 || access(path, W_OK) != 0))
        return arc_errorf(ARC_EINPUT, "%s: read-only; expected a database path arclight can write", path);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return arc_errorf(ARC_EINPUT, "%s: no such directory %s; expected a database path in an existing directory", path, dir);
    if (access(dir, W_OK) != 0)
        return arc_errorf(ARC_EINPUT, "%s: directory %s is read-only; expected a writable one (SQLite keeps its journal there)", path, dir);
    return ARC_OK;
}

int arc_sweep_db_open(const char *path, const struct arc_sweep *s, int resume, struct arc_sweep_db **out)
{
    *out = NULL;
    if (strlen(path) >= sizeof((struct arc_sweep_db *)0)->path)
        return arc_errorf(ARC_EINPUT, "%s: expected a path of at most 511 characters", path);
    int exists;
    int st = check_writable_(path, &exists);
    if (st < 0)
        return st;
    struct arc_sweep_db *d = arc_xcalloc(1, sizeof *d);
    d->s = s;
    snprintf(d->path, sizeof d->path, "%s", path);
    int flags = SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path, &d->db, flags, NULL) != SQLITE_OK) {
        st = arc_errorf(ARC_EINPUT, "%s: cannot open the database: %s", path, d->db ? sqlite3_errmsg(d->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(d->db, 2000);
    int64_t n_tables = 0;
    if ((st = tables_(d, &n_tables)) < 0)
        goto fail;
    if (n_tables > 0 && (st = check_existing_(d, resume)) < 0)
        goto fail;
    /* from here on the database is ours to write */
    if ((st = exec_(d, "PRAGMA journal_mode=WAL")) < 0 || (st = exec_(d, "PRAGMA synchronous=NORMAL")) < 0)
        goto fail;
    if (n_tables == 0 && (st = create_(d)) < 0)
        goto fail;
    struct arc_buf sql = {0};
    arc_buf_printf(&sql, "INSERT INTO points VALUES(?");
    for (int i = 0; i < s->n_axes + N_OUT_COLS; i++)
        arc_buf_printf(&sql, ", ?");
    arc_buf_printf(&sql, ")");
    int rc = sqlite3_prepare_v2(d->db, sql.data, -1, &d->ins, NULL);
    arc_buf_free(&sql);
    if (rc != SQLITE_OK) {
        st = arc_errorf(ARC_EINPUT, "%s:points: the table does not match this spec's columns: %s", path, sqlite3_errmsg(d->db));
        goto fail;
    }
    *out = d;
    return ARC_OK;
fail:
    sqlite3_close(d->db);
    free(d);
    return st;
}

int arc_sweep_db_done(struct arc_sweep_db *d, uint64_t first, uint64_t n, uint8_t *done, uint64_t *n_done)
{
    memset(done, 0, (size_t)((n + 7) / 8));
    *n_done = 0;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(d->db, "SELECT point FROM points WHERE point >= ? AND point < ?", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return sqlerr_(d, "reading done points");
    sqlite3_bind_int64(q, 1, (sqlite3_int64)first);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)(first + n));
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        uint64_t p = (uint64_t)sqlite3_column_int64(q, 0) - first;
        done[p / 8] |= (uint8_t)(1u << (p % 8));
        ++*n_done;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? ARC_OK : sqlerr_(d, "reading done points");
}

static void bind_num_(sqlite3_stmt *q, int col, int valid, double v)
{
    if (valid && isfinite(v))
        sqlite3_bind_double(q, col, v);
    else
        sqlite3_bind_null(q, col);
}

static void bind_row_(struct arc_sweep_db *d, const struct arc_sweep_row *r)
{
    const struct arc_sweep *s = d->s;
    sqlite3_stmt *q = d->ins;
    int c = 1, ok = r->valid;
    sqlite3_bind_int64(q, c++, (sqlite3_int64)r->point);
    for (int a = 0; a < s->n_axes; a++, c++) {
        const struct arc_sweep_axis *ax = &s->axes[a];
        double v = ax->num[r->vi[a]];
        if (ax->text)
            sqlite3_bind_text(q, c, ax->str[r->vi[a]], -1, SQLITE_STATIC);
        else if (ax->integer && v == floor(v) && fabs(v) < 9e18)
            sqlite3_bind_int64(q, c, (sqlite3_int64)v);
        else
            sqlite3_bind_double(q, c, v);
    }
    sqlite3_bind_int(q, c++, ok);
    if (ok)
        sqlite3_bind_null(q, c++);
    else
        sqlite3_bind_text(q, c++, r->error, -1, SQLITE_STATIC);
    bind_num_(q, c++, ok, r->latency_s);
    bind_num_(q, c++, ok, r->energy_j);
    bind_num_(q, c++, ok, r->latency_per_token_s);
    bind_num_(q, c++, ok, r->energy_per_token_j);
    bind_num_(q, c++, ok, r->tokens);
    if (ok)
        sqlite3_bind_text(q, c++, arc_bound_name((enum arc_bound)r->bound), -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, c++);
    if (ok)
        sqlite3_bind_int(q, c++, r->fits);
    else
        sqlite3_bind_null(q, c++);
    bind_num_(q, c++, ok, r->footprint_bytes);
    bind_num_(q, c++, ok, r->capacity_bytes);
    if (r->devices > 0)
        sqlite3_bind_int(q, c++, r->devices);
    else
        sqlite3_bind_null(q, c++);
    bind_num_(q, c++, ok, r->area_mm2);
    bind_num_(q, c++, ok, r->flop);
    bind_num_(q, c++, ok, r->link_bytes);
    if (ok && r->cycles > 0)
        sqlite3_bind_int64(q, c++, (sqlite3_int64)r->cycles);
    else
        sqlite3_bind_null(q, c++);
    bind_num_(q, c++, ok && r->alt_energy_j > 0, r->alt_energy_j);
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        bind_num_(q, c++, ok, r->energy_by_j[i]);
    ARC_ASSERT(c == 2 + s->n_axes + N_OUT_COLS);
}

int arc_sweep_db_insert(struct arc_sweep_db *d, const struct arc_sweep_row *rows, size_t n)
{
    int st;
    if (!d->in_tx) {
        if ((st = exec_(d, "BEGIN")) < 0)
            return st;
        d->in_tx = 1;
    }
    for (size_t i = 0; i < n; i++) {
        bind_row_(d, &rows[i]);
        int rc = sqlite3_step(d->ins);
        sqlite3_reset(d->ins);
        if (rc == SQLITE_CONSTRAINT)
            return arc_errorf(ARC_EIO, "%s: point %llu is already in the database; expected each point once",
                              d->path, (unsigned long long)rows[i].point);
        if (rc != SQLITE_DONE)
            return sqlerr_(d, "writing a point");
    }
    return ARC_OK;
}

int arc_sweep_db_commit(struct arc_sweep_db *d)
{
    if (!d->in_tx)
        return ARC_OK;
    d->in_tx = 0;
    return exec_(d, "COMMIT");
}

void arc_sweep_db_close(struct arc_sweep_db *d)
{
    if (!d)
        return;
    if (d->in_tx)
        sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(d->ins);
    sqlite3_close(d->db);
    free(d);
}

/* ---- the single-machine run ---- */

struct db_sink_ {
    struct arc_sweep_db *db;
    struct arc_sweep_stats *stats;
    void (*progress)(void *ctx, uint64_t done, uint64_t total, double elapsed_s);
    void *progress_ctx;
    double t_before; /* seconds of earlier segments */
};

static int sink_rows_(void *ctx, const struct arc_sweep_row *rows, size_t n)
{
    struct db_sink_ *k = ctx;
    int st = arc_sweep_db_insert(k->db, rows, n);
    if (st >= 0) {
        k->stats->written += n;
        for (size_t i = 0; i < n; i++)
            k->stats->valid += (uint64_t)rows[i].valid;
    }
    return st;
}

static int sink_flush_(void *ctx)
{
    struct db_sink_ *k = ctx;
    return arc_sweep_db_commit(k->db);
}

static void sink_progress_(void *ctx, uint64_t done, uint64_t total, double elapsed_s)
{
    struct db_sink_ *k = ctx;
    k->progress(k->progress_ctx, done, total, k->t_before + elapsed_s);
}

static double now_s_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int arc_sweep_db_run(const struct arc_sweep *s, const char *path, int resume, const struct arc_sweep_opts *o,
                     void (*progress)(void *ctx, uint64_t done, uint64_t total, double elapsed_s),
                     void *progress_ctx, struct arc_sweep_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->n_points = s->n_points;
    double t0 = now_s_();
    struct arc_sweep_db *db;
    int st = arc_sweep_db_open(path, s, resume, &db);
    if (st < 0)
        return st;
    if ((st = arc_sweep_db_count(db, &stats->done_before)) < 0) {
        arc_sweep_db_close(db);
        return st;
    }
    struct db_sink_ k = {.db = db, .stats = stats, .progress = progress, .progress_ctx = progress_ctx};
    struct arc_sweep_sink sink = {.rows = sink_rows_, .flush = sink_flush_,
                                  .progress = progress ? sink_progress_ : NULL, .ctx = &k};
    uint64_t seg = s->n_points < SEGMENT_POINTS ? s->n_points : SEGMENT_POINTS;
    uint8_t *done = arc_xmalloc((size_t)((seg + 7) / 8));
    uint64_t *todo = arc_xmalloc((size_t)seg * sizeof *todo);
    uint64_t present = stats->done_before; /* rows in the database as the segment starts */
    for (uint64_t first = 0; st >= 0 && first < s->n_points; first += seg) {
        uint64_t n = s->n_points - first < seg ? s->n_points - first : seg, n_done;
        if ((st = arc_sweep_db_done(db, first, n, done, &n_done)) < 0)
            break;
        size_t m = 0;
        for (uint64_t i = 0; i < n; i++)
            if (!(done[i / 8] >> (i % 8) & 1))
                todo[m++] = first + i;
        if (m == 0)
            continue;
        struct arc_sweep_opts so = *o;
        so.done_before = present;
        so.total = s->n_points;
        k.t_before = now_s_() - t0;
        st = arc_sweep_run_points(s, todo, m, &so, &sink);
        present += m;
    }
    free(todo);
    free(done);
    if (st >= 0)
        st = arc_sweep_db_commit(db);
    arc_sweep_db_close(db);
    stats->seconds = now_s_() - t0;
    return st;
}
