/* Rule: the lightning unit's logic area the le designs' area stands on (sim/area/lightning-unit.json)
 * is what Yosys gives the RTL the verilog back end emits today. The smallest fitted design (D 16, 2
 * lanes, one head, fixed:16.8) is generated as `arclight report --rtl-area` generates it and
 * synthesized the same way (arc_rtl_area_keep, state banks kept): its state banks hold exactly the
 * recorded bits, and its logic area is the recorded one: to the 0.1 um^2 the file rounds to when the
 * RTL (its FNV-1a hash) and the Yosys version are the recorded ones (Yosys is deterministic), within
 * 2% when either changed (another Yosys's ABC maps a few percent differently; a larger move means
 * the RTL's logic changed and the file must be refreshed: `arclight report --out DIR --rtl-area`,
 * then copy DIR/rtl-area/lightning-unit.json over sim/area/lightning-unit.json, keeping its checks).
 * One synthesis, about 6 s of CPU.
 * Usage: test_unit_logic_area_matches_yosys DATA_DIR
 * Not for: the area model (test_le_area_adds_the_unit_logic.c). */
#include <stdlib.h>
#include <unistd.h>

#include "arclight/area.h"
#include "arclight/codegen.h"
#include "arclight/fsutil.h"
#include "arclight/rtl_area.h"
#include "check.h"

static unsigned long long fnv1a_(const char *p, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

int main(int argc, char **argv)
{
    (void)argv; /* the data directory: not needed, the file under test is built in */
    REQUIRE(argc == 2);
    const struct arc_area_table *t;
    REQUIRE_OK(arc_area_table(&t));
    const struct arc_area_design *d = &t->designs[0];
    REQUIRE(d->fitted && d->dim == 16 && d->lanes == 2 && d->heads == 1 && strcmp(t->format, "fixed:16.8") == 0);

    char dir[] = "/tmp/arclight-unit-area-XXXXXX";
    REQUIRE(mkdtemp(dir));
    struct arc_kernel_spec s;
    arc_kernel_spec_defaults(&s, ARC_KERNEL_DECODE);
    s.dim = d->dim, s.lanes = d->lanes, s.heads = d->heads, s.format = (struct arc_fx){16, 8};
    /* reports/unit_area.c's stamp, so that an unchanged back end gives the recorded hash */
    const char *stamp = "arclight report --rtl-area: arclight gen verilog lightning-decode --dim 16 --lanes 2 --heads 1 "
                        "--format fixed:16.8";
    struct arc_gen_output out;
    REQUIRE_OK(arc_gen(&arc_backend_verilog, &s, dir, stamp, &out));
    char *text = NULL;
    size_t len = 0;
    REQUIRE_OK(arc_file_read(out.files[0], &text, &len));
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", fnv1a_(text, len));
    free(text);

    char log[1200];
    snprintf(log, sizeof log, "%s/area.log", dir);
    struct arc_rtl_area a;
    REQUIRE_OK(arc_rtl_area_keep(out.files[0], "lightning_decode", "*.sm", log, &a));
    CHECK_EQ_I(a.mem_bits, d->state_bits);
    CHECK_EQ_I(a.memories, d->lanes);
    int same_rtl = strcmp(hash, d->verilog_fnv1a64) == 0, same_yosys = strcmp(a.yosys, t->yosys) == 0;
    if (same_rtl && same_yosys) {
        CHECK_MSG(fabs(a.area_um2 - d->logic_um2) < 0.05 && a.cells == d->cells && a.flip_flops == d->flip_flops,
                  "same RTL and Yosys, yet %.1f um^2, %lld cells, %lld flip-flops against the file's %.1f, %lld, %lld",
                  a.area_um2, (long long)a.cells, (long long)a.flip_flops, d->logic_um2, (long long)d->cells,
                  (long long)d->flip_flops);
    } else {
        CHECK_MSG(fabs(a.area_um2 / d->logic_um2 - 1) <= 0.02,
                  "%.1f um^2 against the file's %.1f (RTL %s, %s against %s): refresh sim/area/lightning-unit.json "
                  "(`arclight report --out DIR --rtl-area`)",
                  a.area_um2, d->logic_um2, same_rtl ? "unchanged" : "changed", a.yosys, t->yosys);
    }
    /* and the fit still stands for it */
    double fit = arc_area_unit_logic_um2(t, d->dim, d->lanes);
    CHECK(fabs(fit / a.area_um2 - 1) <= t->fit_max_rel_err + 0.02);

    unlink(log);
    char ylog[1300];
    snprintf(ylog, sizeof ylog, "%s.yosys", log);
    unlink(ylog);
    unlink(out.files[0]);
    rmdir(dir);
    char detail[300];
    snprintf(detail, sizeof detail, "(%.1f um^2, file %.1f; %s RTL, %s)", a.area_um2, d->logic_um2,
             same_rtl ? "recorded" : "changed", a.yosys);
    return check_done("unit_logic_area_matches_yosys", detail);
}
