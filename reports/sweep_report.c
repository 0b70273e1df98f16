/* arclight sweep reports: reads a sweep database and writes its Pareto fronts (energy per token
 * against latency per token, and against area where known) as gnuplot plots with their .gp and
 * .dat files, and front.md, a Markdown table of each front. The rules are in
 * include/arclight/sweep_report.h.
 * Not for: the built-in study's report (reports/report.c, whose file helpers it borrows) or
 * writing sweeps (sim/sweep_db.c). The database is opened read-only and never changed. */
#include "arclight/sweep_report.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "arclight/sweep.h"
#include "plot.h"
#include "report_internal.h"

#define CLOUD_MAX 20000 /* points drawn behind a front; more are thinned evenly */

/* ---- the front ---- */

static int cmp_point_(const void *pa, const void *pb)
{
    const struct arc_pareto_point *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

size_t arc_pareto_front(struct arc_pareto_point *p, size_t n, uint64_t *ties)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(p[i].x) && isfinite(p[i].y))
            p[m++] = p[i];
    if (m > 1)
        qsort(p, m, sizeof *p, cmp_point_);
    /* by x, then y: a point is on the front when its y is below every y seen so far; the first of
     * a run of equals stands for the run */
    size_t k = 0;
    double best = INFINITY;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && p[j].x == p[i].x && p[j].y == p[i].y)
            j++;
        if (p[i].y < best) {
            best = p[i].y;
            if (ties)
                ties[k] = j - i - 1;
            p[k++] = p[i];
        }
        i = j;
    }
    return k;
}

/* ---- the database ---- */

struct sdb_ {
    sqlite3 *db;
    const char *path;
    char spec_file[256], hash[32], engine[32], hw[64], model[64];
    char axes[ARC_SWEEP_AXES_MAX * (ARC_SWEEP_PATH_MAX + 1)];
    uint64_t rows, valid;
};

static void meta_(struct sdb_ *d, const char *key, char *buf, size_t n)
{
    sqlite3_stmt *q = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(d->db, "SELECT value FROM meta WHERE key = ?", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            snprintf(buf, n, "%s", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
}

static int open_(const char *path, struct sdb_ *d)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return arc_errorf(ARC_EINPUT, "%s: %s; expected a sweep database (arclight sweep SPEC --db FILE)", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return arc_errorf(ARC_EINPUT, "%s: not a regular file; expected a sweep database", path);
    if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return arc_errorf(ARC_EINPUT, "%s: cannot open: %s; expected a sweep database", path,
                          d->db ? sqlite3_errmsg(d->db) : "out of memory");
    sqlite3_busy_timeout(d->db, 2000);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(d->db, "SELECT value FROM meta WHERE key = 'spec_hash'", -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(d->hash, sizeof d->hash, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return arc_errorf(ARC_EINPUT, "%s: not an arclight sweep database (%s); expected the output of arclight sweep",
                          path, sqlite3_errmsg(d->db));
    if (!d->hash[0])
        return arc_errorf(ARC_EINPUT, "%s:meta.spec_hash: missing; expected the output of arclight sweep", path);
    char ver[32];
    meta_(d, "schema_version", ver, sizeof ver);
    if (atoi(ver) != 1)
        return arc_errorf(ARC_EINPUT, "%s:meta.schema_version: expected 1, found %s", path, ver[0] ? ver : "none");
    meta_(d, "spec_file", d->spec_file, sizeof d->spec_file);
    meta_(d, "engine", d->engine, sizeof d->engine);
    meta_(d, "hw", d->hw, sizeof d->hw);
    meta_(d, "model", d->model, sizeof d->model);
    meta_(d, "axes", d->axes, sizeof d->axes);
    rc = sqlite3_prepare_v2(d->db, "SELECT count(*), coalesce(sum(valid = 1), 0) FROM points", -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        d->rows = (uint64_t)sqlite3_column_int64(q, 0);
        d->valid = (uint64_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW)
        return arc_errorf(ARC_EINPUT, "%s:points: cannot read: %s; expected an arclight sweep database", path, sqlite3_errmsg(d->db));
    if (d->valid == 0) {
        char why[ARC_SWEEP_ERROR_MAX] = "";
        if (sqlite3_prepare_v2(d->db, "SELECT error FROM points WHERE valid = 0 ORDER BY point LIMIT 1", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            snprintf(why, sizeof why, "%s", (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        if (d->rows == 0)
            return arc_errorf(ARC_EINPUT, "%s:points: no rows; expected a sweep with at least one valid point", path);
        return arc_errorf(ARC_EINPUT, "%s:points: none of the %llu rows is valid (point 0's reason: %s); expected at least one valid point",
                          path, (unsigned long long)d->rows, why);
    }
    return ARC_OK;
}

static double col_(sqlite3_stmt *q, int i)
{
    return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

/* every valid row's (latency, energy) and, where area > 0, (area, energy) */
static int read_points_(struct sdb_ *d, struct arc_pareto_point **lat, size_t *n_lat,
                        struct arc_pareto_point **area, size_t *n_area)
{
    *lat = arc_xcalloc((size_t)d->valid, sizeof **lat);
    *area = arc_xcalloc((size_t)d->valid, sizeof **area);
    *n_lat = *n_area = 0;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(d->db, "SELECT point, latency_per_token_s, energy_per_token_j, area_mm2 FROM points "
                                       "WHERE valid = 1 ORDER BY point", -1, &q, NULL);
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n_lat < d->valid) { /* a run still writing adds rows: the count stands */
            uint64_t id = (uint64_t)sqlite3_column_int64(q, 0);
            double e = col_(q, 2), a = col_(q, 3);
            (*lat)[(*n_lat)++] = (struct arc_pareto_point){col_(q, 1), e, id};
            if (a > 0)
                (*area)[(*n_area)++] = (struct arc_pareto_point){a, e, id};
        }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return arc_errorf(ARC_EINPUT, "%s:points: cannot read: %s", d->path, sqlite3_errmsg(d->db));
    return ARC_OK;
}

/* ---- the files ---- */

struct front_ {
    const char *stem;   /* "front_latency" */
    const char *cloud;  /* "points_latency" */
    const char *title;  /* section and plot title */
    const char *xcol;   /* the database column of x */
    const char *xlabel;
};

/* points_*.dat: every point, thinned evenly to CLOUD_MAX; returns 1 when all values are > 0.
 * lo and hi get the range of x and y. */
static int cloud_(const struct arc_pareto_point *p, size_t n, const struct front_ *f, struct arc_buf *b,
                  double lo[2], double hi[2])
{
    size_t stride = n > CLOUD_MAX ? (n + CLOUD_MAX - 1) / CLOUD_MAX : 1;
    int positive = 1;
    lo[0] = lo[1] = INFINITY;
    hi[0] = hi[1] = -INFINITY;
    arc_buf_printf(b, "# every valid point%s: point %s energy_per_token_j\n",
                   stride > 1 ? " (thinned evenly for the plot)" : "", f->xcol);
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(p[i].x) && isfinite(p[i].y)))
            continue;
        positive &= p[i].x > 0 && p[i].y > 0;
        lo[0] = fmin(lo[0], p[i].x);
        hi[0] = fmax(hi[0], p[i].x);
        lo[1] = fmin(lo[1], p[i].y);
        hi[1] = fmax(hi[1], p[i].y);
        if (i % stride)
            continue;
        arc_buf_printf(b, "%llu", (unsigned long long)p[i].id);
        plot_num(b, p[i].x);
        plot_num(b, p[i].y);
        arc_buf_printf(b, "\n");
    }
    return positive;
}

/* quotes an identifier for SQL */
static void ident_(struct arc_buf *b, const char *s)
{
    arc_buf_printf(b, "\"");
    for (; *s; s++)
        arc_buf_printf(b, *s == '"' ? "\"\"" : "%c", *s);
    arc_buf_printf(b, "\"");
}

/* the Markdown table of a front: point, the axes, the outputs, ties */
static int table_(struct sdb_ *d, const struct arc_pareto_point *p, const uint64_t *ties, size_t k, struct arc_buf *md)
{
    static const char *const outs[] = {"latency_per_token_s", "energy_per_token_j", "area_mm2", "latency_s",
                                       "energy_j", "tokens", "bound", "fits", "devices"};
    enum { N_OUTS = sizeof outs / sizeof outs[0] };
    char axes[sizeof d->axes];
    snprintf(axes, sizeof axes, "%s", d->axes);
    const char *axis[ARC_SWEEP_AXES_MAX];
    int n_axes = 0;
    for (char *save = NULL, *t = strtok_r(axes, ",", &save); t && n_axes < ARC_SWEEP_AXES_MAX; t = strtok_r(NULL, ",", &save))
        axis[n_axes++] = t;
    struct arc_buf sql = {0};
    arc_buf_printf(&sql, "SELECT point");
    for (int a = 0; a < n_axes; a++) {
        arc_buf_printf(&sql, ", ");
        ident_(&sql, axis[a]);
    }
    for (int i = 0; i < N_OUTS; i++)
        arc_buf_printf(&sql, ", %s", outs[i]);
    arc_buf_printf(&sql, " FROM points WHERE point = ?");
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(d->db, sql.data, -1, &q, NULL);
    arc_buf_free(&sql);
    if (rc != SQLITE_OK)
        return arc_errorf(ARC_EINPUT, "%s:points: the columns do not match meta.axes (%s); expected an arclight sweep database",
                          d->path, sqlite3_errmsg(d->db));
    arc_buf_printf(md, "| point |");
    for (int a = 0; a < n_axes; a++)
        arc_buf_printf(md, " %s |", axis[a]);
    for (int i = 0; i < N_OUTS; i++)
        arc_buf_printf(md, " %s |", outs[i]);
    arc_buf_printf(md, " ties |\n|");
    for (int i = 0; i < 2 + n_axes + N_OUTS; i++)
        arc_buf_printf(md, " --- |");
    arc_buf_printf(md, "\n");
    for (size_t i = 0; i < k; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)p[i].id);
        if (sqlite3_step(q) != SQLITE_ROW) {
            sqlite3_finalize(q);
            return arc_errorf(ARC_EINPUT, "%s:points: point %llu vanished while reading", d->path, (unsigned long long)p[i].id);
        }
        arc_buf_printf(md, "| %llu |", (unsigned long long)p[i].id);
        for (int c = 1; c < 1 + n_axes + N_OUTS; c++) {
            int t = sqlite3_column_type(q, c);
            if (t == SQLITE_NULL)
                arc_buf_printf(md, " |");
            else if (t == SQLITE_FLOAT)
                arc_buf_printf(md, " %.9g |", sqlite3_column_double(q, c));
            else
                arc_buf_printf(md, " %s |", (const char *)sqlite3_column_text(q, c));
        }
        arc_buf_printf(md, " %llu |\n", (unsigned long long)ties[i]);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return ARC_OK;
}

/* one front: its cloud, its .dat, .gp and PNG, and its section of front.md; *k its size */
static int front_(struct rep_outdir *o, struct sdb_ *d, const struct front_ *f, struct arc_pareto_point *p,
                  size_t n, struct arc_buf *md, size_t *k)
{
    struct arc_buf cloud = {0}, dat = {0}, gp = {0};
    char name[80];
    double lo[2], hi[2];
    int positive = cloud_(p, n, f, &cloud, lo, hi);
    snprintf(name, sizeof name, "%s.dat", f->cloud);
    int st = rep_put(o, name, &cloud);
    if (st < 0)
        return st;
    uint64_t *ties = arc_xcalloc(n ? n : 1, sizeof *ties);
    *k = arc_pareto_front(p, n, ties);
    arc_buf_printf(&dat, "# Pareto front, both minimised, by %s ascending: point %s energy_per_token_j\n", f->xcol, f->xcol);
    for (size_t i = 0; i < *k; i++) {
        arc_buf_printf(&dat, "%llu", (unsigned long long)p[i].id);
        plot_num(&dat, p[i].x);
        plot_num(&dat, p[i].y);
        arc_buf_printf(&dat, "\n");
    }
    plot_begin(&gp, f->stem, 900, 600);
    arc_buf_printf(&gp, "set title '%s'\nset xlabel '%s'\nset ylabel 'energy per token (J)'\n", f->title, f->xlabel);
    if (positive)
        arc_buf_printf(&gp, "set logscale xy\n");
    for (int a = 0; a < 2; a++) /* one value on an axis: a range around it, not gnuplot's warning */
        if (lo[a] == hi[a] && isfinite(lo[a]))
            arc_buf_printf(&gp, "set %crange [%.9g:%.9g]\n", "xy"[a], lo[a] == 0 ? -1 : lo[a] - 0.1 * fabs(lo[a]),
                           lo[a] == 0 ? 1 : lo[a] + 0.1 * fabs(lo[a]));
    arc_buf_printf(&gp, "plot '%s.dat' using 2:3 with points pt 7 ps 0.4 lc rgb '#bbbbbb' title 'valid points', \\\n"
                        "     '%s.dat' using 2:3 with linespoints pt 7 ps 0.9 lw 1.5 lc rgb '#d62728' title 'Pareto front'\n",
                   f->cloud, f->stem);
    if ((st = rep_plot(o, f->stem, &dat, &gp)) < 0) {
        free(ties);
        return st;
    }
    arc_buf_printf(md, "## %s\n\n![%s](%s.png)\n\n%zu point%s on the front of %zu (`%s.dat`; every point in `%s.dat`).\n\n",
                   f->title, f->title, f->stem, *k, *k == 1 ? "" : "s", n, f->stem, f->cloud);
    st = table_(d, p, ties, *k, md);
    arc_buf_printf(md, "\n");
    free(ties);
    return st;
}

static void discard_(struct rep_outdir *o)
{
    DIR *dir = opendir(o->tmp);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", o->tmp, e->d_name);
            unlink(path);
        }
        closedir(dir);
    }
    rmdir(o->tmp);
}

int arc_sweep_report_write(const char *db_path, const char *dir, struct arc_sweep_report_info *info)
{
    memset(info, 0, sizeof *info);
    struct sdb_ d;
    int st = open_(db_path, &d);
    struct arc_pareto_point *lat = NULL, *area = NULL;
    size_t n_lat = 0, n_area = 0;
    struct rep_outdir *o = NULL;
    struct arc_buf md = {0};
    if (st < 0 || (st = read_points_(&d, &lat, &n_lat, &area, &n_area)) < 0)
        goto done;
    info->rows = d.rows;
    info->valid = d.valid;
    if ((st = arc_mkdirs(dir)) < 0)
        goto done;
    o = arc_xcalloc(1, sizeof *o);
    /* absolute: plot_render opens gnuplot's log after chdir into o->tmp, so a relative path would
     * miss it and gnuplot's warnings would reach our stderr */
    char cwd[512] = "";
    if (dir[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    snprintf(o->tmp, sizeof o->tmp, "%s%s%s/.arclight-tmpXXXXXX", cwd, cwd[0] ? "/" : "", dir);
    if (!mkdtemp(o->tmp)) {
        st = arc_errorf(ARC_EIO, "%s: cannot write: %s", dir, strerror(errno));
        free(o);
        o = NULL;
        goto done;
    }
    arc_buf_printf(&md, "# Sweep report: Pareto fronts\n\n"
                        "Database `%s`: spec `%s` (hash %s), %s engine, hardware %s, model %s; %llu rows, %llu valid. "
                        "Written by arclight %s.\n\n"
                        "A point is on a front when no other valid point is at most as large in both figures and "
                        "smaller in one (both are minimised). Points equal in both figures appear once, as the lowest "
                        "point index; `ties` counts the others. Area is `area_mm2` (per device the die area, plus the "
                        "lightning unit's logic at the node for an le design that carries one, x devices) where the "
                        "hardware gives it.\n\n",
                   db_path, d.spec_file, d.hash, d.engine, d.hw, d.model, (unsigned long long)d.rows,
                   (unsigned long long)d.valid, arc_version());
    static const struct front_ f_lat = {"front_latency", "points_latency", "Energy per token vs latency per token",
                                        "latency_per_token_s", "latency per token (s)"};
    static const struct front_ f_area = {"front_area", "points_area", "Energy per token vs area",
                                         "area_mm2", "area (mm^2, all devices)"};
    if ((st = front_(o, &d, &f_lat, lat, n_lat, &md, &info->front_latency)) < 0)
        goto done;
    if (info->front_latency == 0) {
        st = arc_errorf(ARC_EINPUT, "%s:points: no valid row has a finite latency and energy per token; expected at least one", db_path);
        goto done;
    }
    if (n_area > 0) {
        if ((st = front_(o, &d, &f_area, area, n_area, &md, &info->front_area)) < 0)
            goto done;
    } else {
        arc_buf_printf(&md, "## Energy per token vs area\n\nNo valid row has an area (`area_mm2`): the hardware "
                            "gives none, so there is no energy-area front.\n");
    }
    if ((st = rep_put(o, "front.md", &md)) < 0)
        goto done;
    for (int i = 0; i < o->n; i++) { /* every file exists: move them in */
        char from[1200], to[1200];
        snprintf(from, sizeof from, "%s/%s", o->tmp, o->names[i]);
        snprintf(to, sizeof to, "%s/%s", dir, o->names[i]);
        if (rename(from, to) != 0) {
            st = arc_errorf(ARC_EIO, "%s: cannot write: %s", to, strerror(errno));
            goto done;
        }
    }
    if (n_area == 0) { /* an earlier report's area front in dir would contradict this front.md */
        static const char *const stale[] = {"front_area.dat", "front_area.gp", "front_area.png", "points_area.dat"};
        for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
            char path[1200];
            snprintf(path, sizeof path, "%s/%s", dir, stale[i]);
            if (unlink(path) != 0 && errno != ENOENT) {
                st = arc_errorf(ARC_EIO, "%s: cannot remove a stale area front: %s", path, strerror(errno));
                goto done;
            }
        }
    }
done:
    if (o) {
        discard_(o);
        free(o);
    }
    arc_buf_free(&md);
    free(lat);
    free(area);
    sqlite3_close(d.db);
    return st;
}
