/* arclight report: writes the built-in study as report.md, study.csv, study.json, claims.csv and
 * gnuplot plots (PNG, .gp, .dat).
 *
 * Everything is written into a fresh directory beside the target, gnuplot draws there, and only
 * when every file exists are they moved into the target one by one (rename(2)), so a failed run
 * leaves the previous report as it was.
 * Not for: computing the study (reports/study.c). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "arclight/json.h"
#include "arclight/report.h"
#include "plot.h"
#include "report_internal.h"

/* ---- output directory handling ---- */

int rep_put(struct rep_outdir *o, const char *name, struct arc_buf *b)
{
    ARC_ASSERT(o->n < REP_MAX_FILES && strlen(name) < 64);
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", o->tmp, name);
    int st = arc_file_write_atomic(path, b->data ? b->data : "", b->len);
    arc_buf_free(b);
    if (st < 0)
        return st;
    snprintf(o->names[o->n++], 64, "%s", name);
    return ARC_OK;
}

int rep_render(struct rep_outdir *o, const char *stem)
{
    int st = plot_render(o->tmp, stem);
    if (st < 0)
        return st;
    ARC_ASSERT(o->n < REP_MAX_FILES);
    snprintf(o->names[o->n++], 64, "%s.png", stem);
    return ARC_OK;
}

int rep_plot(struct rep_outdir *o, const char *stem, struct arc_buf *dat, struct arc_buf *gp)
{
    char name[80];
    snprintf(name, sizeof name, "%s.dat", stem);
    int st = rep_put(o, name, dat);
    snprintf(name, sizeof name, "%s.gp", stem);
    if (st < 0) {
        arc_buf_free(gp);
        return st;
    }
    if ((st = rep_put(o, name, gp)) < 0)
        return st;
    return rep_render(o, stem);
}

static void discard_(struct rep_outdir *o)
{
    DIR *d = opendir(o->tmp);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", o->tmp, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(o->tmp);
}

/* ---- helpers ---- */

static const char *ctx_label_(long long c, char *buf, size_t n)
{
    if (c >= 1 << 20 && c % (1 << 20) == 0)
        snprintf(buf, n, "%lldM", c >> 20);
    else if (c >= 1024 && c % 1024 == 0)
        snprintf(buf, n, "%lldK", c >> 10);
    else
        snprintf(buf, n, "%lld", c);
    return buf;
}

static const struct arc_study_point *pt_(const struct arc_study *s, int v, enum arc_phase ph, int c)
{
    return arc_study_at(s, v, ph, c);
}

static int find_variant_(const struct arc_study *s, const char *prefix)
{
    for (int v = 0; v < s->n_variants; v++)
        if (strncmp(s->variants[v].label, prefix, strlen(prefix)) == 0)
            return v;
    ARC_ASSERT(!"variant not in the study");
    return 0;
}

/* ---- CSV and JSON ---- */

static void csv_(const struct arc_study *s, struct arc_buf *b)
{
    arc_buf_printf(b, "variant,model,softmax_every,phase,batch,ctx,devices,tp,ep,latency_s,"
                      "latency_per_token_s,energy_j,energy_per_token_j,softmax_attn_block_s,"
                      "lightning_attn_block_s,moe_ffn_s,dense_ffn_s,other_s,softmax_kernel_s,"
                      "lightning_kernel_s,compute_bound_s,memory_bound_s,link_bound_s,"
                      "power_bound_s,overhead_bound_s,footprint_bytes,fits\n");
    for (int i = 0; i < s->n_points; i++) {
        const struct arc_study_point *p = &s->points[i];
        const struct arc_study_variant *v = &s->variants[p->variant];
        const struct arc_result *r = &p->r;
        arc_buf_printf(b, "\"%s\",%s,%d,%s,%lld,%lld,%d,%d,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.0f,%d\n",
                       v->label, v->model, v->softmax_every, arc_phase_name(p->wl.phase),
                       (long long)p->wl.batch, (long long)p->wl.ctx, p->wl.devices, p->wl.tp,
                       p->wl.ep, r->latency_s, r->latency_per_token_s, r->energy_j,
                       r->energy_per_token_j, r->by_block_s[ARC_BLOCK_SOFTMAX_ATTN],
                       r->by_block_s[ARC_BLOCK_LIGHTNING_ATTN], r->by_block_s[ARC_BLOCK_MOE_FFN],
                       r->by_block_s[ARC_BLOCK_DENSE_FFN], r->by_block_s[ARC_BLOCK_OTHER],
                       p->softmax_core_s, p->lightning_core_s, r->by_bound_s[ARC_BOUND_COMPUTE],
                       r->by_bound_s[ARC_BOUND_MEMORY], r->by_bound_s[ARC_BOUND_LINK],
                       r->by_bound_s[ARC_BOUND_POWER], r->by_bound_s[ARC_BOUND_OVERHEAD],
                       r->footprint_bytes, r->fits);
    }
}

static void csv_field_(struct arc_buf *b, const char *s, int last)
{
    arc_buf_printf(b, "\"");
    for (; *s; s++)
        arc_buf_printf(b, *s == '"' ? "\"\"" : "%c", *s);
    arc_buf_printf(b, "\"%s", last ? "\n" : ",");
}

static void claims_csv_(const struct arc_claim *c, int n, struct arc_buf *b)
{
    arc_buf_printf(b, "statement,figure,assumptions,agrees,why\n");
    for (int i = 0; i < n; i++) {
        csv_field_(b, c[i].statement, 0);
        csv_field_(b, c[i].figure, 0);
        csv_field_(b, c[i].assumptions, 0);
        arc_buf_printf(b, "%s,", c[i].agrees ? "yes" : "no");
        csv_field_(b, c[i].why, 1);
    }
}

static void json_(const struct arc_study *s, const struct arc_claim *c, int nc, struct arc_buf *b)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "arclight", arc_version());
    cJSON_AddStringToObject(j, "hw", s->hw_name);
    cJSON *set = cJSON_AddObjectToObject(j, "settings");
    cJSON_AddNumberToObject(set, "devices", s->devices);
    cJSON_AddNumberToObject(set, "tp", s->tp);
    cJSON_AddNumberToObject(set, "ep", s->ep);
    cJSON_AddNumberToObject(set, "batch_decode", (double)s->batch_decode);
    cJSON_AddNumberToObject(set, "batch_prefill", (double)s->batch_prefill);
    cJSON_AddStringToObject(set, "dtype", "bf16");
    cJSON *vs = cJSON_AddArrayToObject(j, "variants");
    for (int v = 0; v < s->n_variants; v++) {
        cJSON *o = cJSON_CreateObject();
        char pat[ARC_MAX_LAYERS + 1];
        arc_model_pattern(&s->variants[v].m, pat, sizeof pat);
        cJSON_AddStringToObject(o, "label", s->variants[v].label);
        cJSON_AddStringToObject(o, "model", s->variants[v].model);
        cJSON_AddNumberToObject(o, "softmax_every", s->variants[v].softmax_every);
        cJSON_AddStringToObject(o, "pattern", pat);
        cJSON_AddItemToArray(vs, o);
    }
    cJSON *ps = cJSON_AddArrayToObject(j, "points");
    for (int i = 0; i < s->n_points; i++) {
        const struct arc_study_point *p = &s->points[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "variant", s->variants[p->variant].label);
        cJSON_AddStringToObject(o, "phase", arc_phase_name(p->wl.phase));
        cJSON_AddNumberToObject(o, "batch", (double)p->wl.batch);
        cJSON_AddNumberToObject(o, "ctx", (double)p->wl.ctx);
        cJSON_AddNumberToObject(o, "softmax_kernel_s", p->softmax_core_s);
        cJSON_AddNumberToObject(o, "lightning_kernel_s", p->lightning_core_s);
        arc_result_json(&p->r, o);
        cJSON_AddItemToArray(ps, o);
    }
    cJSON *cs = cJSON_AddArrayToObject(j, "claims");
    for (int i = 0; i < nc; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "statement", c[i].statement);
        cJSON_AddStringToObject(o, "figure", c[i].figure);
        cJSON_AddStringToObject(o, "assumptions", c[i].assumptions);
        cJSON_AddBoolToObject(o, "agrees", c[i].agrees);
        cJSON_AddStringToObject(o, "why", c[i].why);
        cJSON_AddItemToArray(cs, o);
    }
    char *txt = arc_json_text(j, true, NULL);
    arc_buf_printf(b, "%s", txt);
    free(txt);
}

/* ---- plots ---- */

/* One column pair (value, fits) per variant against context. */
static void dat_by_variant_(const struct arc_study *s, enum arc_phase ph,
                            double (*f)(const struct arc_study_point *), struct arc_buf *d)
{
    arc_buf_printf(d, "# ctx");
    for (int v = 0; v < s->n_variants; v++)
        arc_buf_printf(d, " | %s: value fits", s->variants[v].label);
    arc_buf_printf(d, "\n");
    for (int c = 0; c < s->n_ctx; c++) {
        arc_buf_printf(d, "%lld", (long long)s->ctx[c]);
        for (int v = 0; v < s->n_variants; v++) {
            const struct arc_study_point *p = pt_(s, v, ph, c);
            plot_num(d, f(p));
            arc_buf_printf(d, " %d", p->r.fits);
        }
        arc_buf_printf(d, "\n");
    }
}

static void plot_variants_(const struct arc_study *s, struct arc_buf *gp, const char *dat)
{
    arc_buf_printf(gp, "plot ");
    for (int v = 0; v < s->n_variants; v++)
        arc_buf_printf(gp, "'%s' using 1:%d with linespoints lw 2 pt 7 ps 0.8 title '%s', \\\n     ",
                       dat, 2 + 2 * v, s->variants[v].label);
    arc_buf_printf(gp, "'%s' using 1:($3 == 0 ? $2 : 1/0) with points pt 6 ps 2 lc rgb 'black' title 'does not fit in memory'", dat);
    for (int v = 1; v < s->n_variants; v++)
        arc_buf_printf(gp, ", \\\n     '%s' using 1:($%d == 0 ? $%d : 1/0) with points pt 6 ps 2 lc rgb 'black' notitle",
                       dat, 3 + 2 * v, 2 + 2 * v);
    arc_buf_printf(gp, "\n");
}

static double decode_ms_(const struct arc_study_point *p) { return 1e3 * p->r.latency_per_token_s; }
static double prefill_s_(const struct arc_study_point *p) { return p->r.latency_s; }
static double energy_tok_(const struct arc_study_point *p) { return p->r.energy_per_token_j; }

static int plot_simple_(struct rep_outdir *o, const struct arc_study *s, const char *stem,
                        enum arc_phase ph, double (*f)(const struct arc_study_point *),
                        const char *title, const char *ylabel)
{
    struct arc_buf d = {0}, gp = {0};
    char dat[80];
    snprintf(dat, sizeof dat, "%s.dat", stem);
    dat_by_variant_(s, ph, f, &d);
    plot_begin(&gp, stem, 1100, 620);
    plot_ctx_axis(&gp, s->ctx[0], s->ctx[s->n_ctx - 1]);
    arc_buf_printf(&gp, "set logscale y 10\nset title \"%s\"\nset ylabel '%s'\n", title, ylabel);
    plot_variants_(s, &gp, dat);
    return rep_plot(o, stem, &d, &gp);
}

/* attention kernels / rest of attention blocks / FFN / other, as % of latency */
static int plot_shares_(struct rep_outdir *o, const struct arc_study *s, enum arc_phase ph)
{
    const int vs[3] = {find_variant_(s, "transformer"), find_variant_(s, "hybrid 1/8"),
                       find_variant_(s, "pure linear")};
    char stem[64], dat[80];
    snprintf(stem, sizeof stem, "time_share_%s", arc_phase_name(ph));
    snprintf(dat, sizeof dat, "%s.dat", stem);
    struct arc_buf d = {0}, gp = {0};
    arc_buf_printf(&d, "# ctx, then per variant (transformer, hybrid 1/8, pure linear): attention kernels %%, rest of attention blocks %%, FFN %%, other %%\n");
    for (int c = 0; c < s->n_ctx; c++) {
        arc_buf_printf(&d, "%lld", (long long)s->ctx[c]);
        for (int i = 0; i < 3; i++) {
            const struct arc_study_point *p = pt_(s, vs[i], ph, c);
            double L = p->r.latency_s;
            double blocks = p->r.by_block_s[ARC_BLOCK_SOFTMAX_ATTN] + p->r.by_block_s[ARC_BLOCK_LIGHTNING_ATTN];
            plot_num(&d, 100 * p->attn_core_s / L);
            plot_num(&d, 100 * (blocks - p->attn_core_s) / L);
            plot_num(&d, 100 * p->ffn_s / L);
            plot_num(&d, 100 * p->r.by_block_s[ARC_BLOCK_OTHER] / L);
        }
        arc_buf_printf(&d, "\n");
    }
    plot_begin(&gp, stem, 1500, 520);
    arc_buf_printf(&gp, "set multiplot layout 1,3 title \"Share of %s latency, %s, batch %lld\"\n",
                   arc_phase_name(ph), s->hw_name,
                   (long long)(ph == ARC_PHASE_DECODE ? s->batch_decode : s->batch_prefill));
    plot_ctx_axis(&gp, s->ctx[0], s->ctx[s->n_ctx - 1]);
    arc_buf_printf(&gp, "set yrange [0:100]\nset ylabel '%% of latency'\nset key inside top left box opaque\n");
    static const char *const names[4] = {"attention kernels", "attention projections etc.", "FFN", "embedding, LM head"};
    for (int i = 0; i < 3; i++) {
        arc_buf_printf(&gp, "set title '%s'\nplot ", s->variants[vs[i]].label);
        for (int k = 0; k < 4; k++)
            arc_buf_printf(&gp, "%s'%s' using 1:%d with linespoints lw 2 pt 7 ps 0.7 title '%s'",
                           k ? ", " : "", dat, 2 + 4 * i + k, names[k]);
        arc_buf_printf(&gp, "\n");
    }
    arc_buf_printf(&gp, "unset multiplot\n");
    return rep_plot(o, stem, &d, &gp);
}

static int plot_ratio_(struct rep_outdir *o, const struct arc_study *s)
{
    int v = find_variant_(s, "hybrid 1/8");
    const struct arc_model *m = &s->variants[v].m;
    int ns = arc_model_count(m, ARC_MIXER_SOFTMAX), nl = arc_model_count(m, ARC_MIXER_LIGHTNING);
    struct arc_buf d = {0}, gp = {0};
    arc_buf_printf(&d, "# ctx, softmax / lightning attention kernel time per layer: prefill, decode (%s)\n", s->variants[v].label);
    for (int c = 0; c < s->n_ctx; c++) {
        arc_buf_printf(&d, "%lld", (long long)s->ctx[c]);
        for (int ph = 0; ph < ARC_PHASE_COUNT; ph++) {
            const struct arc_study_point *p = pt_(s, v, (enum arc_phase)ph, c);
            plot_num(&d, (p->softmax_core_s / ns) / (p->lightning_core_s / nl));
        }
        arc_buf_printf(&d, "\n");
    }
    plot_begin(&gp, "attn_ratio", 1100, 620);
    plot_ctx_axis(&gp, s->ctx[0], s->ctx[s->n_ctx - 1]);
    arc_buf_printf(&gp, "set logscale y 10\nset title \"Softmax vs lightning attention: one layer's kernel time, %s on %s\"\n"
                        "set ylabel 'softmax / lightning'\n"
                        "plot 'attn_ratio.dat' using 1:2 with linespoints lw 2 pt 7 title 'prefill', \\\n"
                        "     'attn_ratio.dat' using 1:3 with linespoints lw 2 pt 5 title 'decode', \\\n"
                        "     'attn_ratio.dat' every ::0::0 using (1048576):(2700) with points pt 3 ps 2.5 lw 2 lc rgb 'black' title 'claimed at 1M: 2,700x'\n",
                   s->variants[v].label, s->hw_name);
    return rep_plot(o, "attn_ratio", &d, &gp);
}

static int plot_energy_(struct rep_outdir *o, const struct arc_study *s)
{
    struct arc_buf d1 = {0}, d2 = {0}, gp = {0};
    dat_by_variant_(s, ARC_PHASE_DECODE, energy_tok_, &d1);
    dat_by_variant_(s, ARC_PHASE_PREFILL, energy_tok_, &d2);
    plot_begin(&gp, "energy_per_token", 1500, 560);
    arc_buf_printf(&gp, "set multiplot layout 1,2 title \"Energy per token on %s (all devices, idle included)\"\n", s->hw_name);
    plot_ctx_axis(&gp, s->ctx[0], s->ctx[s->n_ctx - 1]);
    arc_buf_printf(&gp, "set logscale y 10\nset ylabel 'J per token'\nset key inside top left\n");
    arc_buf_printf(&gp, "set title 'decode, batch %lld'\n", (long long)s->batch_decode);
    plot_variants_(s, &gp, "energy_per_token_decode.dat");
    arc_buf_printf(&gp, "set title 'prefill, batch %lld'\n", (long long)s->batch_prefill);
    plot_variants_(s, &gp, "energy_per_token_prefill.dat");
    arc_buf_printf(&gp, "unset multiplot\n");
    int st;
    if ((st = rep_put(o, "energy_per_token_decode.dat", &d1)) < 0 ||
        (st = rep_put(o, "energy_per_token_prefill.dat", &d2)) < 0 ||
        (st = rep_put(o, "energy_per_token.gp", &gp)) < 0)
        return st;
    return rep_render(o, "energy_per_token");
}

/* Decode ops of the hybrid on one device of the node: achieved flop/s against flop per byte. */
static int plot_roofline_(struct rep_outdir *o, const struct arc_study *s)
{
    int v = find_variant_(s, "hybrid 1/8");
    const struct arc_hw *hw = &s->hw;
    static const int64_t batches[2] = {1, 64};
    struct arc_buf d = {0}, gp = {0};
    arc_buf_printf(&d, "# decode ops of %s on one device of %s, ctx 32K; columns: flop/byte, achieved flop/s, class (0 matrix, 1 attention, 2 vector), batch, name\n",
                   s->variants[v].label, s->hw_name);
    for (int b = 0; b < 2; b++) {
        struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = batches[b], .ctx = 32768,
                                 .tp = s->tp, .ep = s->ep, .pp = 1, .devices = s->devices,
                                 .dtype = ARC_DTYPE_BF16, .chunk = s->variants[v].m.block_size};
        struct arc_result r;
        struct arc_op_table *tab = arc_xcalloc(1, sizeof *tab);
        int st = arc_engine_run_model(&arc_engine_cost, &s->variants[v].m, &w, hw, &r, arc_op_table_visit, tab);
        if (st < 0) {
            free(tab);
            arc_buf_free(&d);
            return st;
        }
        for (int i = 0; i < tab->n; i++) {
            const struct arc_op_sum *q = &tab->rows[i];
            enum arc_unit u = arc_op_unit(&q->op);
            if (u == ARC_UNIT_LINK || q->flop <= 0 || q->bytes <= 0)
                continue;
            arc_buf_printf(&d, "%.6g %.6g %d %lld %s/%s\n", q->flop / q->bytes, q->flop / q->time_s,
                           u == ARC_UNIT_MATRIX ? 0 : u == ARC_UNIT_ATTN ? 1 : 2, (long long)batches[b],
                           arc_block_name((enum arc_block)q->op.block), q->op.name);
        }
        free(tab);
    }
    double bw = hw->f[ARC_HWF_MEM_COPY_BW];
    plot_begin(&gp, "roofline", 1100, 680);
    arc_buf_printf(&gp,
                   "set title \"Roofline of decode ops, %s on one device of %s (ctx 32K)\"\n"
                   "set logscale xy 10\nset xlabel 'arithmetic intensity (flop per byte of device memory)'\n"
                   "set ylabel 'achieved flop/s'\nset xrange [0.05:2000]\nset yrange [1e8:2e15]\n"
                   "bw = %.6g\nmat = %.6g\nattn = %.6g\nvec = %.6g\n"
                   "plot (x*bw < mat ? x*bw : mat) with lines lw 2 lc rgb 'black' title sprintf('bf16 GEMM %%.0f TFLOP/s, copy %%.2f TB/s', mat/1e12, bw/1e12), \\\n"
                   "     (x*bw < attn ? x*bw : attn) with lines dt 2 lc rgb '#555555' title 'fused attention ceiling', \\\n"
                   "     (x*bw < vec ? x*bw : vec) with lines dt 3 lc rgb '#999999' title 'fp32 vector ceiling', \\\n"
                   "     'roofline.dat' using ($3==0 && $4==1 ? $1 : 1/0):2 with points pt 7 ps 1.3 lc rgb '#d95f02' title 'GEMMs, batch 1', \\\n"
                   "     'roofline.dat' using ($3==0 && $4==64 ? $1 : 1/0):2 with points pt 6 ps 1.6 lc rgb '#d95f02' title 'GEMMs, batch 64', \\\n"
                   "     'roofline.dat' using ($3==1 && $4==1 ? $1 : 1/0):2 with points pt 5 ps 1.3 lc rgb '#1b9e77' title 'attention kernels, batch 1', \\\n"
                   "     'roofline.dat' using ($3==1 && $4==64 ? $1 : 1/0):2 with points pt 4 ps 1.6 lc rgb '#1b9e77' title 'attention kernels, batch 64', \\\n"
                   "     'roofline.dat' using ($3==2 && $4==1 ? $1 : 1/0):2 with points pt 9 ps 1.3 lc rgb '#7570b3' title 'norms, elementwise, recurrent state, batch 1', \\\n"
                   "     'roofline.dat' using ($3==2 && $4==64 ? $1 : 1/0):2 with points pt 8 ps 1.6 lc rgb '#7570b3' title 'norms, elementwise, recurrent state, batch 64'\n",
                   s->variants[v].label, s->hw_name, bw, hw->f[ARC_HWF_BF16_GEMM],
                   hw->f[ARC_HWF_BF16_ATTN], hw->f[ARC_HWF_FP32_VECTOR]);
    return rep_plot(o, "roofline", &d, &gp);
}

/* ---- report.md ---- */

static void md_table_(struct arc_buf *b, const struct arc_study *s, enum arc_phase ph,
                      double (*f)(const struct arc_study_point *), const char *fmt)
{
    char lab[32];
    arc_buf_printf(b, "| variant |");
    for (int c = 0; c < s->n_ctx; c++)
        arc_buf_printf(b, " %s |", ctx_label_(s->ctx[c], lab, sizeof lab));
    arc_buf_printf(b, "\n| --- |");
    for (int c = 0; c < s->n_ctx; c++)
        arc_buf_printf(b, " ---: |");
    arc_buf_printf(b, "\n");
    for (int v = 0; v < s->n_variants; v++) {
        arc_buf_printf(b, "| %s |", s->variants[v].label);
        for (int c = 0; c < s->n_ctx; c++) {
            const struct arc_study_point *p = pt_(s, v, ph, c);
            arc_buf_printf(b, " ");
            arc_buf_printf(b, fmt, f(p));
            arc_buf_printf(b, "%s |", p->r.fits ? "" : "\\*");
        }
        arc_buf_printf(b, "\n");
    }
    arc_buf_printf(b, "\n\\* does not fit in device memory (weights + KV cache + state exceed %.0f GB per device); shown as if it did.\n\n",
                   s->hw.f[ARC_HWF_MEM_CAPACITY] / 1e9);
}

static void md_(const struct arc_study *s, const struct arc_claim *c, int nc, const char *dir, struct arc_buf *b)
{
    const struct arc_hw *hw = &s->hw;
    time_t now = time(NULL);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d", gmtime(&now));
    arc_buf_printf(b, "# arclight report: hybrid linear-attention models on %s\n\n", s->hw_name);
    arc_buf_printf(b, "Written by `arclight report` (arclight %s) on %s. Every number below comes from the cost engine "
                      "(`arclight sim --engine cost`): a roofline per op with the achievable rates, bandwidths, power "
                      "and kernel overhead of the hardware file, no calibration yet. The numbers are in study.csv and "
                      "study.json; each plot's data and gnuplot script sit beside its PNG.\n\n", arc_version(), date);
    arc_buf_printf(b, "## Set-up\n\n");
    arc_buf_printf(b, "- Hardware: **%s** (%s), %d devices; tensor parallel %d, expert parallel %d; bf16 weights and KV cache, fp32 lightning states.\n",
                   hw->name, hw->description, s->devices, s->tp, s->ep);
    arc_buf_printf(b, "- Decode: batch %lld, one new token per sequence with the context already cached. Prefill: batch %lld, the whole context in one step.\n",
                   (long long)s->batch_decode, (long long)s->batch_prefill);
    arc_buf_printf(b, "- Contexts 8K to 4M tokens (powers of two). Lightning prefill block %d tokens.\n\n", s->variants[0].m.block_size);
    arc_buf_printf(b, "| variant | model | layers (S softmax, L lightning) | params total | active | KV per token | state per sequence |\n| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    for (int v = 0; v < s->n_variants; v++) {
        const struct arc_model *m = &s->variants[v].m;
        struct arc_params p;
        arc_model_params(m, &p);
        arc_buf_printf(b, "| %s | %s | %d S, %d L | %.1f B | %.1f B | %.1f kB | %.1f MB |\n", s->variants[v].label,
                       s->variants[v].model, arc_model_count(m, ARC_MIXER_SOFTMAX),
                       arc_model_count(m, ARC_MIXER_LIGHTNING), p.total / 1e9, p.active / 1e9,
                       arc_model_kv_bytes_per_token(m, ARC_DTYPE_BF16) / 1e3,
                       arc_model_state_bytes_per_sequence(m) / 1e6);
    }
    arc_buf_printf(b, "\nThe transformer, 1/16, 1/32 and pure-linear variants are MiniMax-Text-01 with its layers re-assigned "
                      "(`--softmax-every N`): same dimensions, MoE and parameters up to the attention blocks.\n\n");
    arc_buf_printf(b, "Hardware figures used (`arclight hw show %s` lists them all):\n\n| figure | value | source |\n| --- | ---: | --- |\n", hw->name);
    static const enum arc_hw_field shown[] = {ARC_HWF_BF16_PEAK, ARC_HWF_BF16_GEMM, ARC_HWF_BF16_ATTN,
                                              ARC_HWF_MEM_BW, ARC_HWF_MEM_COPY_BW, ARC_HWF_MEM_CAPACITY,
                                              ARC_HWF_LINK_COLL_BW, ARC_HWF_LINK_LATENCY, ARC_HWF_TDP,
                                              ARC_HWF_IDLE, ARC_HWF_E_FLOP, ARC_HWF_E_MEM,
                                              ARC_HWF_KERNEL_OVERHEAD};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        const struct arc_hw_field_info *fi = arc_hw_field_info(shown[i]);
        arc_buf_printf(b, "| %s | %.4g %s | %s |\n", fi->path, hw->f[shown[i]], fi->unit, hw->source[shown[i]]);
    }

    arc_buf_printf(b, "\n## Decode\n\nLatency per token (ms): each sequence gets one token per step.\n\n");
    md_table_(b, s, ARC_PHASE_DECODE, decode_ms_, "%.2f");
    arc_buf_printf(b, "![decode latency per token](decode_latency.png)\n\n");
    arc_buf_printf(b, "Energy per token (J, all devices, idle power included):\n\n");
    md_table_(b, s, ARC_PHASE_DECODE, energy_tok_, "%.3g");
    arc_buf_printf(b, "## Prefill\n\nTime to process the whole context (s):\n\n");
    md_table_(b, s, ARC_PHASE_PREFILL, prefill_s_, "%.3g");
    arc_buf_printf(b, "![prefill time](prefill_time.png)\n\n");
    arc_buf_printf(b, "Energy per prompt token (J):\n\n");
    md_table_(b, s, ARC_PHASE_PREFILL, energy_tok_, "%.3g");
    arc_buf_printf(b, "![energy per token](energy_per_token.png)\n\n");
    arc_buf_printf(b, "## Where the time goes\n\n"
                      "\"Attention kernels\" are the fused softmax and lightning attention ops alone; \"attention "
                      "projections etc.\" is the rest of the attention blocks (q/k/v, gate and output projections, "
                      "norms, RoPE, all-reduces).\n\n");
    arc_buf_printf(b, "![time share, prefill](time_share_prefill.png)\n\n![time share, decode](time_share_decode.png)\n\n");
    arc_buf_printf(b, "![softmax to lightning ratio](attn_ratio.png)\n\n");
    arc_buf_printf(b, "![roofline of decode ops](roofline.png)\n\n");

    rep_compare_md(s, b);
    rep_unit_area_md(s, dir, b);
    rep_calib_md(b);
    arc_buf_printf(b, "## Claims\n\nStatements about hybrid linear-attention models from the interview this project grew "
                      "from, set beside this model's own figures. Each criterion was fixed before the numbers were "
                      "computed; no constant is tuned to make a claim hold.\n\n");
    arc_buf_printf(b, "| claim | arclight's figure | assumptions and criterion | agrees | why |\n| --- | --- | --- | --- | --- |\n");
    for (int i = 0; i < nc; i++)
        arc_buf_printf(b, "| %s | %s | %s | **%s** | %s |\n", c[i].statement, c[i].figure,
                       c[i].assumptions, c[i].agrees ? "yes" : "no", c[i].why);
    arc_buf_printf(b, "\n## Method and limits\n\n"
                      "- Each op takes max(flop / achievable rate, bytes / achievable copy bandwidth, collective time, "
                      "dynamic energy / (TDP - idle)) plus a fixed kernel cost. Energy is idle power x time plus pJ per "
                      "flop, per memory byte and per link byte. traces/FORMAT.md says what every op reads, writes and computes.\n"
                      "- Byte counts are ideal (each input read once); real kernels re-read and so run slower. "
                      "Collective latency is a measured lower bound. Expected MoE experts per step follow "
                      "E (1 - (1 - k/E)^tokens).\n"
                      "- Points marked \\* need more device memory than the hardware has; a real deployment would "
                      "shard further or fail.\n");
}

/* ---- entry ---- */

int arc_report_write(const struct arc_study *s, const char *dir)
{
    struct rep_outdir *o = arc_xcalloc(1, sizeof *o);
    int st = arc_mkdirs(dir);
    if (st < 0) {
        free(o);
        return st;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s/.arclight-tmpXXXXXX", dir);
    if (!mkdtemp(o->tmp)) {
        st = arc_errorf(ARC_EIO, "%s: cannot write: %s", dir, strerror(errno));
        free(o);
        return st;
    }
    struct arc_claim claims[ARC_CLAIMS_MAX];
    int nc = arc_claims_eval(s, claims, ARC_CLAIMS_MAX);
    struct arc_buf b = {0};
    if (nc < 0) {
        st = nc;
        goto fail;
    }
    csv_(s, &b);
    if ((st = rep_put(o, "study.csv", &b)) < 0)
        goto fail;
    claims_csv_(claims, nc, &b);
    if ((st = rep_put(o, "claims.csv", &b)) < 0)
        goto fail;
    json_(s, claims, nc, &b);
    if ((st = rep_put(o, "study.json", &b)) < 0)
        goto fail;
    if ((st = plot_simple_(o, s, "decode_latency", ARC_PHASE_DECODE, decode_ms_,
                           "Decode latency per token, batch 1", "ms per token")) < 0 ||
        (st = plot_simple_(o, s, "prefill_time", ARC_PHASE_PREFILL, prefill_s_,
                           "Prefill time for the whole context, batch 1", "seconds")) < 0 ||
        (st = plot_shares_(o, s, ARC_PHASE_PREFILL)) < 0 ||
        (st = plot_shares_(o, s, ARC_PHASE_DECODE)) < 0 || (st = plot_ratio_(o, s)) < 0 ||
        (st = plot_energy_(o, s)) < 0 || (st = plot_roofline_(o, s)) < 0 ||
        (st = rep_compare_write(o, s)) < 0)
        goto fail;
    md_(s, claims, nc, dir, &b);
    if ((st = rep_put(o, "report.md", &b)) < 0)
        goto fail;
    /* every file exists: move them in */
    for (int i = 0; i < o->n; i++) {
        char from[1200], to[1200];
        snprintf(from, sizeof from, "%s/%s", o->tmp, o->names[i]);
        snprintf(to, sizeof to, "%s/%s", dir, o->names[i]);
        if (rename(from, to) != 0) {
            st = arc_errorf(ARC_EIO, "%s: cannot write: %s", to, strerror(errno));
            goto fail;
        }
    }
    discard_(o);
    free(o);
    return ARC_OK;
fail:
    arc_buf_free(&b);
    discard_(o);
    free(o);
    return st;
}
