/* Rule: the lightning unit's timing model is one, shared by the RTL and both engines. On an le
 * design with a lightning unit (hardware field lightning_unit.lanes), a one-op recurrent lightning
 * decode trace keeps the cycle engine's "lightning" unit busy for exactly arc_lu_decode_cycles
 * (the count the Verilator benches in rtl/ check the generated RTL against, cycle for cycle), and
 * the cost engine gives the op the same compute time. By hand, for D 16, 4 lanes, batch 2 x 3
 * heads: 6 head-steps x (16 / 4 load beats + 16 x 4 issues + 1 write-back) = 414 cycles.
 * Without the field the design has no such unit and the op stays on the vector unit; a lane count
 * that is no power of two is refused with the one-line error.
 * Not for: the RTL itself (rtl/lightning_bench.cpp) or the chunk kernel (no trace op maps to it).
 * Usage: test_lightning_unit_cycles_shared DATA_DIR */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arclight/cycle.h"
#include "arclight/engine.h"
#include "arclight/lightning_unit.h"
#include "check.h"

struct seen_ {
    double compute_s;
};
static void visit_(void *ctx, const struct arc_op_rec *op, double count, const struct arc_op_cost *c)
{
    (void)op, (void)count;
    ((struct seen_ *)ctx)->compute_s = c->compute_s;
}

static double busy_(const struct arc_result *r, const char *unit)
{
    for (int i = 0; i < r->n_units; i++)
        if (strcmp(r->unit_name[i], unit) == 0)
            return r->unit_busy_cycles[i];
    return -1;
}

static int write_(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

int main(int argc, char **argv)
{
    REQUIRE(argc > 1);
    const int B = 2, H = 3, D = 16, L = 4;
    CHECK_EQ_I(arc_lu_decode_cycles(D, L, B * H), 414);

    char tiny[4096], lu[4096], bad[4096], text[8192];
    snprintf(tiny, sizeof tiny, "%s/le-tiny.json", argv[1]);
    snprintf(lu, sizeof lu, "/tmp/arclight-lu-%d.json", (int)getpid());
    snprintf(bad, sizeof bad, "/tmp/arclight-lu-bad-%d.json", (int)getpid());
    const char *fmt = "{\"preset\": \"%s\", \"name\": \"le-tiny-lu\", \"lightning_unit\": {\"lanes\": "
                      "{\"value\": %d, \"source\": \"test fixture: the RTL benches' lane count\"}}}\n";
    snprintf(text, sizeof text, fmt, tiny, L);
    REQUIRE(write_(lu, text) == 0);
    snprintf(text, sizeof text, fmt, tiny, 3);
    REQUIRE(write_(bad, text) == 0);

    struct arc_hw plain, hw;
    REQUIRE_OK(arc_hw_load(tiny, &plain));
    REQUIRE_OK(arc_hw_load(lu, &hw));
    CHECK_EQ_I((int)plain.f[ARC_HWF_LU_LANES], 0);
    CHECK_EQ_I((int)hw.f[ARC_HWF_LU_LANES], L);
    CHECK_EQ_I(arc_hw_load(bad, &plain), ARC_EINPUT);
    CHECK_HAS(arc_error(), "lightning_unit.lanes");
    unlink(lu);
    unlink(bad);
    REQUIRE_OK(arc_hw_load(tiny, &plain));
    /* room for the states, so they stay on chip */
    REQUIRE_OK(arc_hw_set(&plain, "sram.capacity_bytes", 1 << 20, "test: room for the states"));
    REQUIRE_OK(arc_hw_set(&hw, "sram.capacity_bytes", 1 << 20, "test: room for the states"));

    struct arc_trace t;
    arc_trace_init(&t);
    t.wl = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = B, .ctx = 8, .tp = 1, .ep = 1,
                                 .pp = 1, .devices = 1, .dtype = ARC_DTYPE_BF16, .chunk = 16};
    snprintf(t.model, sizeof t.model, "tiny");
    snprintf(t.pattern, sizeof t.pattern, "L");
    uint64_t state = (uint64_t)B * H * D * D * 4;
    t.mem_state_bytes = state;
    struct arc_op_rec o = {.layer = 0, .op = ARC_OP_LIGHTNING_ATTN, .block = ARC_BLOCK_LIGHTNING_ATTN,
                           .dtype = ARC_DTYPE_FP32, .name = "attn", .batch = B, .heads = H, .head_dim = D,
                           .seq_q = 1, .seq_kv = 9, .flop = 5 * (uint64_t)B * H * D * D};
    o.bytes[ARC_MEM_STATE] = 2 * state;
    o.bytes[ARC_MEM_ACT] = 4 * (uint64_t)B * H * D * 2;
    *arc_trace_push(&t) = o;

    struct arc_result r;
    struct seen_ cyc = {0}, cost = {0};
    REQUIRE_OK(arc_cycle_run(&t, &hw, NULL, &r, visit_, &cyc));
    CHECK_MSG(busy_(&r, "lightning") == 414, "lightning unit busy %g cycles, want 414", busy_(&r, "lightning"));
    CHECK_MSG(busy_(&r, "vector") == 0, "vector unit busy %g cycles, want 0", busy_(&r, "vector"));
    CHECK_CLOSE(cyc.compute_s, 414e-9, 1e-12);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_COMPUTE], 3.0 * D * D * B * H * hw.d.mac_pj * 1e-12, 1e-12);
    const struct arc_engine *ce = arc_engine_find("cost");
    REQUIRE(ce);
    REQUIRE_OK(ce->run_trace(&t, &hw, &r, visit_, &cost));
    CHECK_CLOSE(cost.compute_s, 414e-9, 1e-12);

    /* without the unit: no "lightning" unit, the op on the vector unit */
    REQUIRE_OK(arc_cycle_run(&t, &plain, NULL, &r, NULL, NULL));
    CHECK_MSG(busy_(&r, "lightning") < 0, "a design without the unit reports one");
    CHECK_MSG(busy_(&r, "vector") > 0, "the vector unit did not run the op");
    arc_trace_free(&t);
    return check_done("test_lightning_unit_cycles_shared", "lightning unit 414 cycles in the RTL model, cycle and cost engines");
}
