/* arclight RTL area: Yosys generic synthesis of a generated design, its cell and flip-flop counts,
 * and an area estimate from a per-cell table (include/arclight/rtl_area.h); with memories kept as
 * memories, their bits from `dump`'s \SIZE and \WIDTH parameters.
 * Not for: running anything but yosys, or parsing more of its log than `stat`'s cell list, the
 * kept memories' sizes and the version line. */
#include "arclight/rtl_area.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/common.h"
#include "arclight/fsutil.h"

/* um^2 of NanGate FreePDK45 Open Cell Library X1 cells (NangateOpenCellLibrary_typical.lib):
 * INV_X1 0.532, NAND2_X1 0.798, NOR2_X1 0.798, AND2_X1 1.064, OR2_X1 1.064, XOR2_X1 1.596,
 * XNOR2_X1 1.596, MUX2_X1 1.862, AOI21_X1 1.064, OAI21_X1 1.064, DFF_X1 4.522. Yosys gates with no
 * single such cell are priced as their composition: ANDNOT / ORNOT = AND2 / OR2 + INV; a flip-flop
 * with enable = DFF + MUX2 (the hold path); with a synchronous set or reset = + AND2.
 * Checked against copies of the .lib: INV_X1, NAND2_X1, DFF_X1 and AND2_X1; and every cell above
 * against the library's LEF (NangateOpenCellLibrary.macro.lef, as OpenROAD-flow-scripts ships it in
 * flow/platforms/nangate45/lef): each X1 macro's SIZE W BY 1.4, W x 1.4 = the figure here (INV 0.38,
 * NAND2 and NOR2 0.57, AND2, OR2, AOI21 and OAI21 0.76, XOR2 and XNOR2 1.14, MUX2 1.33, DFF 3.23). */
#define INV_ 0.532
#define NAND2_ 0.798
#define NOR2_ 0.798
#define AND2_ 1.064
#define OR2_ 1.064
#define XOR2_ 1.596
#define MUX2_ 1.862
#define AOI21_ 1.064
#define DFF_ 4.522

static double price_(const char *t)
{
    static const struct {
        const char *name;
        double um2;
    } gates[] = {
        {"$_NOT_", INV_},   {"$_BUF_", 0},      {"$_NAND_", NAND2_}, {"$_NOR_", NOR2_},
        {"$_AND_", AND2_},  {"$_OR_", OR2_},    {"$_XOR_", XOR2_},   {"$_XNOR_", XOR2_},
        {"$_ANDNOT_", AND2_ + INV_}, {"$_ORNOT_", OR2_ + INV_},     {"$_MUX_", MUX2_},
        {"$_AOI3_", AOI21_}, {"$_OAI3_", AOI21_},
    };
    for (size_t i = 0; i < sizeof gates / sizeof gates[0]; i++)
        if (strcmp(t, gates[i].name) == 0)
            return gates[i].um2;
    if (strstr(t, "DFF")) { /* $_DFF_P_, $_DFFE_PP_, $_SDFF_PP0_, $_SDFFE_PP0P_, $_SDFFCE_PP1P_ ... */
        const char *k = t + 2;
        double a = DFF_;
        if (strncmp(k, "SDFF", 4) == 0)
            a += AND2_;
        if (strstr(t, "DFFE") || strstr(t, "DFFCE"))
            a += MUX2_;
        return a;
    }
    return -1;
}

/* the kept memories' bits: each `cell $mem_v2` block of `dump` names \SIZE (words) and \WIDTH */
static int64_t mem_bits_(const char *p)
{
    int64_t bits = 0;
    while ((p = strstr(p, "cell $mem_v2 "))) {
        p++;
        const char *next = strstr(p, "\n  cell ");
        const char *sz = strstr(p, "parameter \\SIZE "), *wd = strstr(p, "parameter \\WIDTH ");
        if (sz && wd && (!next || (sz < next && wd < next)))
            bits += strtoll(sz + strlen("parameter \\SIZE "), NULL, 10) *
                    strtoll(wd + strlen("parameter \\WIDTH "), NULL, 10);
    }
    return bits;
}

int arc_rtl_area(const char *design, const char *top, const char *log_path, struct arc_rtl_area *a)
{
    return arc_rtl_area_keep(design, top, NULL, log_path, a);
}

int arc_rtl_area_keep(const char *design, const char *top, const char *keep, const char *log_path,
                      struct arc_rtl_area *a)
{
    memset(a, 0, sizeof *a);
    char script[2048], ylog[1024];
    if (keep) /* synth's own script (yosys -h synth), memory_map limited to the memories not kept */
        snprintf(script, sizeof script,
                 "read_verilog %s; hierarchy -check -top %s; proc; synth -top %s -run coarse:fine; "
                 "opt -fast -full; memory_map t:$mem_v2 n:%s %%d; opt -full; techmap; opt -fast; abc -fast; "
                 "opt -fast; hierarchy -check; stat; dump t:$mem_v2",
                 design, top, top, keep);
    else
        snprintf(script, sizeof script, "read_verilog %s; synth -top %s; stat", design, top);
    snprintf(ylog, sizeof ylog, "%s.yosys", log_path);
    char *argv[] = {"yosys", "-q", "-l", ylog, "-p", script, NULL};
    int st = arc_run_tool(argv, NULL, log_path);
    if (st < 0)
        return st;
    char *text = NULL;
    size_t len = 0;
    if ((st = arc_file_read_text(ylog, "the yosys log", &text, &len)) < 0)
        return st;
    /* the version line, "Yosys 0.23 (git sha1 ...)", last in the log */
    for (char *v = text; (v = strstr(v, "\nYosys ")); v++)
        if (v[7] >= '0' && v[7] <= '9')
            sscanf(v + 1, "%63[^\n]", a->yosys);
    /* the last `stat` block: "Number of cells: N", then "  $_TYPE_  count" lines */
    char *p = NULL, *q = text;
    while ((q = strstr(q, "Number of cells:")))
        p = q++;
    if (!p) {
        free(text);
        return arc_errorf(ARC_ETOOL, "yosys: %s: no \"Number of cells\" in %s", design, ylog);
    }
    char *m = strstr(text, "Number of memories:");
    if (m && !keep)
        a->memories = strtoll(m + strlen("Number of memories:"), NULL, 10);
    a->cells = strtoll(p + strlen("Number of cells:"), &q, 10);
    for (char *line = strchr(q, '\n'); line && *line; line = strchr(line + 1, '\n')) {
        char type[32];
        long long n;
        if (sscanf(line + 1, " %31s %lld", type, &n) != 2 || type[0] != '$')
            break;
        if (keep && strcmp(type, "$mem_v2") == 0) { /* a kept memory: counted, not priced */
            a->memories += n;
            a->cells -= n;
            continue;
        }
        double um2 = price_(type);
        if (um2 < 0) {
            free(text);
            return arc_errorf(ARC_EINPUT, "yosys: %s: cell type %s has no price in codegen/verilog/area.c", design, type);
        }
        if (a->n_types < ARC_RTL_AREA_TYPES) {
            snprintf(a->type[a->n_types], sizeof a->type[0], "%s", type);
            a->count[a->n_types] = n;
            a->type_um2[a->n_types++] = um2;
        }
        if (strstr(type, "DFF"))
            a->flip_flops += n;
        a->area_um2 += um2 * (double)n;
    }
    if (keep)
        a->mem_bits = mem_bits_(p);
    free(text);
    return ARC_OK;
}
