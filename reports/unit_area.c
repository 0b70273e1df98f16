/* arclight report, the lightning unit's area: the generated decode unit (codegen/verilog/) at a small
 * size for a few lane counts, through Yosys's generic synthesis (arc_rtl_area: cells, flip-flops,
 * and an area from NanGate FreePDK45 X1 cell areas), as one table of report.md.
 *
 * Yosys takes about 15 s of CPU per design here, so it runs only when asked (`arclight report
 * --rtl-area`, arc_report_unit_area), and its figures are cached in DIR/rtl-area/area.csv with the
 * FNV-1a hash of each design's Verilog. Every report regenerates the designs (milliseconds) and
 * shows the cached figures of those whose hash still matches; a missing or stale cache gives a line
 * saying how to fill it. Sizes: D 16, one head, fixed:16.8, 2, 4 and 8 lanes. MiniMax's D 128 is
 * out of reach of generic synthesis (its state alone is 128 x 128 x 16 bits = 262,144 flip-flops
 * per head, 64 times D 16's, and synthesis time grows faster than that). The area stays at 45 nm:
 * sim/energy/ has node factors for energy only (Stillmaker & Baas's energy fits), and an energy
 * factor says nothing of area, so no le design's node is applied.
 * Not for: the le designs' own area figures (die_area_mm2 in their hardware files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/codegen.h"
#include "arclight/lightning_unit.h"
#include "arclight/rtl_area.h"
#include "report_internal.h"

static const int lanes_[] = {2, 4, 8};
enum { N_DESIGNS = sizeof lanes_ / sizeof lanes_[0], UA_D = 16, UA_H = 1 };
static const struct arc_fx fmt_ = {16, 8};

struct ua_row_ {
    char name[64];
    char verilog[1200];
    unsigned long long hash;
    /* from the cache */
    int cached;
    long long cells, flip_flops;
    double area_um2;
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
    s.dim = UA_D;
    s.heads = UA_H;
    s.lanes = lanes_[i];
    s.format = fmt_;
    snprintf(r->name, sizeof r->name, "decode_d%d_l%d_h%d_q%d_%d", UA_D, lanes_[i], UA_H, fmt_.bits, fmt_.frac);
    char sub[1100], stamp[256];
    snprintf(sub, sizeof sub, "%s/rtl-area/%s", dir, r->name);
    snprintf(stamp, sizeof stamp, "arclight report --rtl-area: arclight gen verilog lightning-decode --dim %d --lanes %d --heads %d --format fixed:%d.%d",
             UA_D, lanes_[i], UA_H, fmt_.bits, fmt_.frac);
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

static void cache_path_(const char *dir, char *buf, size_t n) { snprintf(buf, n, "%s/rtl-area/area.csv", dir); }

static const char *const source_ = "Yosys generic synthesis (synth; stat), each cell priced at its nearest NanGate "
                                   "FreePDK45 X1 cell (codegen/verilog/area.c); memories as flip-flops, so an upper bound";

int arc_report_unit_area(const char *dir)
{
    struct arc_buf b = {0};
    arc_buf_printf(&b, "design,dim,lanes,heads,format,verilog_fnv1a64,cells,flip_flops,area_um2_45nm,source\n");
    for (int i = 0; i < N_DESIGNS; i++) {
        struct ua_row_ r;
        memset(&r, 0, sizeof r);
        int st = gen_(dir, i, &r);
        struct arc_rtl_area a;
        char log[1300];
        snprintf(log, sizeof log, "%s.area.log", r.verilog);
        if (st < 0 || (st = arc_rtl_area(r.verilog, "lightning_decode", log, &a)) < 0) {
            arc_buf_free(&b);
            return st;
        }
        arc_buf_printf(&b, "%s,%d,%d,%d,fixed:%d.%d,%016llx,%lld,%lld,%.1f,\"%s\"\n", r.name, UA_D, lanes_[i], UA_H,
                       fmt_.bits, fmt_.frac, r.hash, (long long)a.cells, (long long)a.flip_flops, a.area_um2, source_);
    }
    char path[1100];
    cache_path_(dir, path, sizeof path);
    int st = arc_file_write_atomic(path, b.data, b.len);
    arc_buf_free(&b);
    return st;
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
    if (sscanf(p + 1 + strlen(r->name), ",%d,%d,%d,fixed:%d.%d,%llx,%lld,%lld,%lf", &dim, &lanes, &heads, &w, &f, &h,
               &r->cells, &r->flip_flops, &r->area_um2) == 9 && h == r->hash)
        r->cached = 1;
}

void rep_unit_area_md(const char *dir, struct arc_buf *b)
{
    struct ua_row_ rows[N_DESIGNS];
    memset(rows, 0, sizeof rows);
    char path[1100];
    cache_path_(dir, path, sizeof path);
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
    arc_buf_printf(b, "## The lightning unit's area\n\n"
                      "The decode unit `arclight gen verilog lightning-decode` emits (D %d, %d head, fixed:%d.%d; the "
                      "designs are in rtl-area/), synthesized by Yosys to generic cells. Area is at 45 nm from NanGate "
                      "FreePDK45 X1 cell areas (codegen/verilog/area.c lists them), not scaled to the le designs' "
                      "nodes: sim/energy/ has node factors for energy only, which say nothing of area. The banks "
                      "become flip-flops in generic synthesis, so these are upper bounds for a unit whose banks "
                      "would be SRAM macros. MiniMax's D 128 is not synthesized: its state alone is 262,144 "
                      "flip-flops per head, 64 times D 16's.\n\n",
                   UA_D, UA_H, fmt_.bits, fmt_.frac);
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
    arc_buf_printf(b, "| design | lanes | cycles per decode step (arc_lu_decode_cycles) | cells | flip-flops | area at 45 nm |\n"
                      "| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < N_DESIGNS; i++)
        arc_buf_printf(b, "| %s | %d | %lld | %lld | %lld | %.4f mm^2 |\n", rows[i].name, lanes_[i],
                       (long long)arc_lu_decode_cycles(UA_D, lanes_[i], UA_H), rows[i].cells, rows[i].flip_flops,
                       rows[i].area_um2 * 1e-6);
    arc_buf_printf(b, "\nSource: %s; cached in rtl-area/area.csv (`--rtl-area` refreshes it).\n\n", source_);
}
