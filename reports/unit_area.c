/* arclight report, the lightning unit's area: what Yosys measures of the generated decode unit
 * (codegen/verilog/), and what the unit adds to each le design's area at its node (sim/area.c).
 *
 * Measured (`arclight report --rtl-area`, arc_report_unit_area): five decode units, fixed:16.8, one
 * head, D 16 with 2, 4 and 8 lanes and D 128 with 2 and 8 lanes, through Yosys with the state
 * banks kept as memories (arc_rtl_area_keep "*.sm": at D 128 they are 262,144 bits per head, SRAM
 * macros, not flip-flops) and everything else (datapath, control, the q, k, v buffers) mapped to
 * generic cells and priced at NanGate FreePDK45 X1 areas. Yosys takes about 15 s of CPU per design
 * here, so it runs only when asked, and its figures are cached in DIR/rtl-area/area.csv with the
 * FNV-1a hash of each design's Verilog; the same run fits logic = base + per_lane x L + per_dim x D
 * by least squares and writes DIR/rtl-area/lightning-unit.json, the form of the built-in
 * sim/area/lightning-unit.json (a maintainer copies it there when the RTL changes; a test re-runs
 * one design against the built-in file). Every report regenerates the designs (milliseconds) and
 * shows the cached figures of those whose hash still matches, beside the built-in fit's; a missing
 * or stale cache gives a line saying how to fill it.
 * Modelled (every report, no Yosys): each le design the report compares, its die area plus the
 * unit's logic scaled to its node (include/arclight/area.h says why the state is not added).
 * Not for: the area model itself (sim/area.c) or the synthesis (codegen/verilog/area.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/area.h"
#include "arclight/codegen.h"
#include "arclight/json.h"
#include "arclight/lightning_unit.h"
#include "arclight/rtl_area.h"
#include "report_internal.h"

static const struct {
    int dim, lanes;
} designs_[] = {{16, 2}, {16, 4}, {16, 8}, {128, 2}, {128, 8}};
enum { N_DESIGNS = sizeof designs_ / sizeof designs_[0], UA_H = 1 };
static const struct arc_fx fmt_ = {16, 8};
static const char *const keep_ = "*.sm"; /* the state banks: lane[l].sm (codegen/verilog/verilog.c) */

struct ua_row_ {
    char name[64];
    char verilog[1200];
    unsigned long long hash;
    /* from the cache */
    int cached;
    long long cells, flip_flops, state_bits;
    double logic_um2;
};

static unsigned long long fnv1a_(const char *p, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* writes design i into dir/rtl-area/NAME/ and hashes it */
static int gen_(const char *dir, int i, struct ua_row_ *r)
{
    struct arc_kernel_spec s;
    arc_kernel_spec_defaults(&s, ARC_KERNEL_DECODE);
    s.dim = designs_[i].dim;
    s.heads = UA_H;
    s.lanes = designs_[i].lanes;
    s.format = fmt_;
    snprintf(r->name, sizeof r->name, "decode_d%d_l%d_h%d_q%d_%d", s.dim, s.lanes, UA_H, fmt_.bits, fmt_.frac);
    char sub[1100], stamp[256];
    snprintf(sub, sizeof sub, "%s/rtl-area/%s", dir, r->name);
    snprintf(stamp, sizeof stamp, "arclight report --rtl-area: arclight gen verilog lightning-decode --dim %d --lanes %d --heads %d --format fixed:%d.%d",
             s.dim, s.lanes, UA_H, fmt_.bits, fmt_.frac);
    struct arc_gen_output out;
    int st = arc_gen(&arc_backend_verilog, &s, sub, stamp, &out);
    if (st < 0)
        return st;
    snprintf(r->verilog, sizeof r->verilog, "%s/lightning_decode.v", sub);
    char *text = NULL;
    size_t len = 0;
    if ((st = arc_file_read(r->verilog, &text, &len)) < 0)
        return st;
    r->hash = fnv1a_(text, len);
    free(text);
    return ARC_OK;
}

static void cache_path_(const char *dir, const char *file, char *buf, size_t n)
{
    snprintf(buf, n, "%s/rtl-area/%s", dir, file);
}

static const char *const flow_ =
    "read_verilog; hierarchy -check -top lightning_decode; proc; synth -run coarse:fine; opt -fast -full; "
    "memory_map of every memory but the state banks (*.sm); opt -full; techmap; opt -fast; abc -fast; opt -fast; "
    "stat (codegen/verilog/area.c, arc_rtl_area_keep); each cell priced at its nearest NanGate FreePDK45 X1 cell";

/* least squares of logic = b0 + b1 lanes + b2 dim over the n rows (normal equations, Cramer) */
static void fit_(const struct ua_row_ *r, int n, double b[3])
{
    double a[3][3] = {{0}}, y[3] = {0};
    for (int i = 0; i < n; i++) {
        double x[3] = {1, designs_[i].lanes, designs_[i].dim};
        for (int p = 0; p < 3; p++) {
            y[p] += x[p] * r[i].logic_um2;
            for (int q = 0; q < 3; q++)
                a[p][q] += x[p] * x[q];
        }
    }
    double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                 a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    for (int k = 0; k < 3; k++) {
        double m[3][3];
        memcpy(m, a, sizeof m);
        for (int p = 0; p < 3; p++)
            m[p][k] = y[p];
        b[k] = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])) / det;
    }
}

/* DIR/rtl-area/lightning-unit.json: the form of sim/area/lightning-unit.json */
static int write_fit_(const char *dir, const struct ua_row_ *r, const char *yosys)
{
    double b[3];
    fit_(r, N_DESIGNS, b);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "name", "lightning-unit");
    cJSON_AddStringToObject(j, "_about", "The generated lightning decode unit's logic (datapath, control, q/k/v buffers; "
                                         "not the state banks) at 45 nm, fitted to Yosys syntheses. Written by "
                                         "`arclight report --rtl-area`; sim/area/lightning-unit.json is a copy with "
                                         "checks added (include/arclight/area.h).");
    char fmt[24];
    snprintf(fmt, sizeof fmt, "fixed:%d.%d", fmt_.bits, fmt_.frac);
    cJSON_AddStringToObject(j, "format", fmt);
    cJSON_AddStringToObject(j, "yosys", yosys);
    cJSON_AddStringToObject(j, "command", "arclight report --out DIR --rtl-area (writes DIR/rtl-area/lightning-unit.json)");
    cJSON_AddStringToObject(j, "flow", flow_);
    cJSON *fit = cJSON_AddObjectToObject(j, "logic_um2_45nm");
    static const char *const keys[3] = {"base", "per_lane", "per_dim"};
    for (int k = 0; k < 3; k++) {
        cJSON *o = cJSON_AddObjectToObject(fit, keys[k]);
        cJSON_AddNumberToObject(o, "value", round(b[k] * 10) / 10);
        char src[300];
        snprintf(src, sizeof src, "least-squares fit of logic_um2 = base + per_lane x lanes + per_dim x dim over "
                                  "the %d designs below (%s)", N_DESIGNS, yosys);
        cJSON_AddStringToObject(o, "source", src);
    }
    cJSON *ds = cJSON_AddArrayToObject(j, "designs");
    for (int i = 0; i < N_DESIGNS; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "dim", designs_[i].dim);
        cJSON_AddNumberToObject(d, "lanes", designs_[i].lanes);
        cJSON_AddNumberToObject(d, "heads", UA_H);
        char h[17];
        snprintf(h, sizeof h, "%016llx", r[i].hash);
        cJSON_AddStringToObject(d, "verilog_fnv1a64", h);
        cJSON_AddNumberToObject(d, "cells", (double)r[i].cells);
        cJSON_AddNumberToObject(d, "flip_flops", (double)r[i].flip_flops);
        cJSON_AddNumberToObject(d, "state_bits", (double)r[i].state_bits);
        cJSON_AddNumberToObject(d, "logic_um2", round(r[i].logic_um2 * 10) / 10);
        cJSON_AddItemToArray(ds, d);
    }
    cJSON_AddArrayToObject(j, "checks");
    size_t len;
    char *txt = arc_json_text(j, true, &len);
    char path[1100];
    cache_path_(dir, "lightning-unit.json", path, sizeof path);
    int st = arc_file_write_atomic(path, txt, len);
    free(txt);
    return st;
}

int arc_report_unit_area(const char *dir)
{
    struct arc_buf b = {0};
    struct ua_row_ rows[N_DESIGNS];
    memset(rows, 0, sizeof rows);
    char yosys[64] = "";
    arc_buf_printf(&b, "design,dim,lanes,heads,format,verilog_fnv1a64,cells,flip_flops,state_bits,logic_um2_45nm,yosys\n");
    for (int i = 0; i < N_DESIGNS; i++) {
        struct ua_row_ *r = &rows[i];
        int st = gen_(dir, i, r);
        struct arc_rtl_area a;
        char log[1300];
        snprintf(log, sizeof log, "%s.area.log", r->verilog);
        if (st < 0 || (st = arc_rtl_area_keep(r->verilog, "lightning_decode", keep_, log, &a)) < 0) {
            arc_buf_free(&b);
            return st;
        }
        long long want = (long long)UA_H * designs_[i].dim * designs_[i].dim * fmt_.bits;
        if (a.mem_bits != want || a.memories != designs_[i].lanes) {
            arc_buf_free(&b);
            return arc_errorf(ARC_ETOOL, "yosys: %s: kept %lld memories of %lld bits, expected the %d state banks of "
                              "%lld bits in all (see %s)", r->verilog, (long long)a.memories, (long long)a.mem_bits,
                              designs_[i].lanes, want, log);
        }
        r->cells = a.cells, r->flip_flops = a.flip_flops, r->state_bits = a.mem_bits, r->logic_um2 = a.area_um2;
        snprintf(yosys, sizeof yosys, "%s", a.yosys[0] ? a.yosys : "Yosys (version not in its log)");
        arc_buf_printf(&b, "%s,%d,%d,%d,fixed:%d.%d,%016llx,%lld,%lld,%lld,%.1f,%s\n", r->name, designs_[i].dim,
                       designs_[i].lanes, UA_H, fmt_.bits, fmt_.frac, r->hash, r->cells, r->flip_flops, r->state_bits,
                       r->logic_um2, yosys);
    }
    char path[1100];
    cache_path_(dir, "area.csv", path, sizeof path);
    int st = arc_file_write_atomic(path, b.data, b.len);
    arc_buf_free(&b);
    return st < 0 ? st : write_fit_(dir, rows, yosys);
}

/* the cached figures of row r, when the cache has its name and hash */
static void lookup_(const char *csv, struct ua_row_ *r)
{
    char key[96];
    snprintf(key, sizeof key, "\n%.63s,", r->name);
    const char *p = strstr(csv, key);
    if (!p)
        return;
    int dim, lanes, heads, w, f;
    unsigned long long h;
    if (sscanf(p + 1 + strlen(r->name), ",%d,%d,%d,fixed:%d.%d,%llx,%lld,%lld,%lld,%lf", &dim, &lanes, &heads, &w, &f,
               &h, &r->cells, &r->flip_flops, &r->state_bits, &r->logic_um2) == 10 && h == r->hash)
        r->cached = 1;
}

static void measured_md_(const char *dir, const struct arc_area_table *t, struct arc_buf *b)
{
    struct ua_row_ rows[N_DESIGNS];
    memset(rows, 0, sizeof rows);
    char path[1100];
    cache_path_(dir, "area.csv", path, sizeof path);
    char *csv = NULL;
    size_t len = 0;
    int have = arc_file_read(path, &csv, &len) == 0;
    int n_cached = 0, gen_ok = 1;
    for (int i = 0; i < N_DESIGNS; i++) {
        if (gen_(dir, i, &rows[i]) < 0) {
            gen_ok = 0;
            break;
        }
        if (have)
            lookup_(csv, &rows[i]);
        n_cached += rows[i].cached;
    }
    free(csv);
    arc_buf_printf(b, "### Measured: Yosys on the generated unit\n\n"
                      "The decode units `arclight gen verilog lightning-decode` emits (%d head, fixed:%d.%d; the "
                      "designs are in rtl-area/), synthesized by Yosys to generic cells with the state banks kept "
                      "as memories: they are SRAM macros at MiniMax's D 128 (262,144 bits per head), not "
                      "flip-flops. Logic is everything else (the lanes' multiply-accumulate datapath, control, "
                      "the q, k, v buffers as flip-flops), priced at NanGate FreePDK45 X1 cell areas at 45 nm "
                      "(codegen/verilog/area.c lists them).\n\n",
                   UA_H, fmt_.bits, fmt_.frac);
    if (!gen_ok) {
        arc_buf_printf(b, "(The designs could not be generated: %s.)\n\n", arc_error());
        return;
    }
    if (n_cached < N_DESIGNS) {
        arc_buf_printf(b, "Not computed for this report%s: `arclight report --out DIR --rtl-area` runs Yosys on "
                          "each design (about 15 s of CPU each) and caches the figures in DIR/rtl-area/area.csv, "
                          "which later reports read.\n\n",
                       have ? " (rtl-area/area.csv is stale: the generated designs changed since it was written)" : "");
        return;
    }
    arc_buf_printf(b, "| design | D | lanes | cycles per decode step (arc_lu_decode_cycles) | logic cells | flip-flops | "
                      "state bits (kept as memory) | logic area at 45 nm | built-in fit |\n"
                      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < N_DESIGNS; i++) {
        double fit = arc_area_unit_logic_um2(t, designs_[i].dim, designs_[i].lanes);
        arc_buf_printf(b, "| %s | %d | %d | %lld | %lld | %lld | %lld | %.4f mm^2 | %.4f mm^2 (%+.1f%%) |\n",
                       rows[i].name, designs_[i].dim, designs_[i].lanes,
                       (long long)arc_lu_decode_cycles(designs_[i].dim, designs_[i].lanes, UA_H), rows[i].cells,
                       rows[i].flip_flops, rows[i].state_bits, rows[i].logic_um2 * 1e-6, fit * 1e-6,
                       100 * (fit / rows[i].logic_um2 - 1));
    }
    arc_buf_printf(b, "\nCached in rtl-area/area.csv (`--rtl-area` refreshes it, and writes its fit as "
                      "rtl-area/lightning-unit.json, the form of the built-in sim/area/lightning-unit.json). The last "
                      "column is the built-in fit at the same size, and how far it is from this run.\n\n");
}

static void model_md_(const struct arc_study *s, const struct arc_area_table *t, struct arc_buf *b)
{
    int dim = s->variants[0].m.head_dim, n_checks = 0;
    for (int i = 0; i < t->n_designs; i++)
        n_checks += !t->designs[i].fitted;
    arc_buf_printf(b, "### Modelled: what a unit adds to an le design\n\n"
                      "An le design's area is its hardware file's `die_area_mm2`, plus, when it carries a lightning "
                      "unit (`lightning_unit.lanes` L), the unit's logic: %.0f + %.0f L + %.1f D um^2 at 45 nm "
                      "(sim/area/lightning-unit.json: a least-squares fit to %s on the designs above, within %.1f%% "
                      "of each; within %.1f%% of %d more designs up to D 128, 64 lanes and 8 heads), times the "
                      "node's logic "
                      "area factor (sim/area/nodes.json: Stillmaker & Baas's area scaling to 7 nm, TSMC's N5 and N4 "
                      "density steps below it). D is the model's head dimension (%d here), at which the engines run "
                      "the unit. The unit's state banks are not added: the engines run the unit only while the "
                      "states stay resident in the design's SRAM (`sram.capacity_bytes`), so they are that SRAM's "
                      "banks, whose area the die area already holds. The SRAM column says how much of each die that "
                      "SRAM takes at the node (bits x the node's 6T bit cell / %.2f array efficiency, sources in "
                      "sim/area/nodes.json). Sweeps use the same figure (`area_mm2` = this area x devices).\n\n",
                   t->base_um2, t->per_lane_um2, t->per_dim_um2, t->yosys, 100 * t->fit_max_rel_err,
                   100 * t->check_max_rel_err, n_checks, dim,
                   t->sram_efficiency);
    arc_buf_printf(b, "| design | node | die_area_mm2 | lightning unit | unit logic at the node (added) | area per chip | "
                      "a unit of 4 / 64 lanes would add | its SRAM at the node (inside the die) |\n"
                      "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
    int n_le = 0;
    for (int h = 0; h < s->n_cmp_hw; h++) {
        const struct arc_hw *hw = &s->cmp_hw[h];
        if (hw->kind != ARC_HW_LE)
            continue;
        n_le++;
        struct arc_le_area a;
        struct arc_hw with = *hw;
        double add[2] = {-1, -1};
        static const int lanes[2] = {4, 64};
        for (int k = 0; k < 2; k++) {
            struct arc_le_area w;
            with.f[ARC_HWF_LU_LANES] = lanes[k];
            if (arc_area_le(t, &with, dim, &w) == 0)
                add[k] = w.unit_logic_mm2;
        }
        if (arc_area_le(t, hw, dim, &a) < 0) {
            arc_buf_printf(b, "| %s | %g nm | %g mm^2 | -- | (%s) | | | |\n", hw->name, a.node_nm, a.die_mm2, arc_error());
            continue;
        }
        arc_buf_printf(b, "| %s | %g nm | %g mm^2 |", hw->name, a.node_nm, a.die_mm2);
        if (a.lanes)
            arc_buf_printf(b, " %d lanes, D %d | %.4f mm^2 | %.4f mm^2 |", a.lanes, a.dim, a.unit_logic_mm2, a.total_mm2);
        else
            arc_buf_printf(b, " none | -- | %g mm^2 (the die) |", a.total_mm2);
        arc_buf_printf(b, " %.4f / %.4f mm^2 | %.1f mm^2 (%.0f%%) |\n", add[0], add[1], a.sram_mm2,
                       100 * a.sram_mm2 / a.die_mm2);
    }
    if (!n_le)
        arc_buf_printf(b, "| (no le design in this comparison) | | | | | | | |\n");
    arc_buf_printf(b, "\nNo shipped le preset carries a unit: the engines run one unit per chip, and on MiniMax-Text-01 "
                      "decode (batch 4, tp 8) le-hbm-sram with 64 lanes takes 7.01 us per lightning attention op on "
                      "it against 0.24 us on its vector unit (README, \"A lightning unit in an le design\"), so "
                      "adding one to a preset would change that preset's figures for the worse, for a few "
                      "hundredths of a mm^2. A hardware file with `lightning_unit.lanes` gets the area above "
                      "(`arclight hw area FILE` prints its breakdown; tests/data/le-hbm-sram-lu4.json and "
                      "-lu64.json are two).\n\n");
}

void rep_unit_area_md(const struct arc_study *s, const char *dir, struct arc_buf *b)
{
    arc_buf_printf(b, "## The lightning unit's area\n\n");
    const struct arc_area_table *t;
    if (arc_area_table(&t) < 0) {
        arc_buf_printf(b, "(The area data could not be read: %s.)\n\n", arc_error());
        return;
    }
    measured_md_(dir, t, b);
    model_md_(s, t, b);
}
