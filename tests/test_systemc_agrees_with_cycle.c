/* Rule: the SystemC engine (a TLM-2.0 model of one le chip, timed independently of the cycle
 * engine from the same steps) agrees with the cycle engine within 1% on latency and energy: on a
 * MiniMax-Text-01 decode step on le-hbm-sram (bf16, ctx 8192, batch 1 and 64, on the fewest chips
 * that hold the model, as bench_cycle maps it) and on the one-op micro-traces the cycle engine's
 * tests use (compute-bound and weight-streaming GEMMs, an elementwise op, an embedding gather, on
 * le-hbm-sram and le-sram-lpu); also a prefill step (the attention pipelines) and a decode step
 * on le-lpddr-edge; and decode steps on an le design with a lightning unit (tests/data/
 * le-hbm-sram-lu64.json: le-hbm-sram with lightning_unit.lanes 64), where recurrent lightning
 * decode runs on the unit: there the unit's busy cycles agree exactly (both take
 * arc_lu_op_cycles per op), and are the sum of arc_lu_op_cycles over the trace's ops. It also pins
 * that both fill the same breakdowns (per-op bound table, energy parts) and that the systemc
 * result carries cycles and units. Both figures are printed for every case.
 * Usage: test_systemc_agrees_with_cycle DATA_DIR
 * Not for: the command line and bad input (tests/cli/systemc_engine_cli.sh). */
#include <string.h>

#include "arclight/cycle.h"
#include "arclight/lightning_unit.h"
#include "arclight/map.h"
#include "arclight/systemc.h"
#include "check.h"

static int cases_;

static double busy_(const struct arc_result *r, const char *unit)
{
    for (int i = 0; i < r->n_units; i++)
        if (strcmp(r->unit_name[i], unit) == 0)
            return r->unit_busy_cycles[i];
    return -1;
}

static void compare_(const char *what, const struct arc_trace *t, const struct arc_hw *hw)
{
    struct arc_result cyc, sc;
    struct arc_op_table tc = {0}, ts = {0};
    REQUIRE_OK(arc_cycle_run(t, hw, NULL, &cyc, arc_op_table_visit, &tc));
    REQUIRE_OK(arc_engine_systemc.run_trace(t, hw, &sc, arc_op_table_visit, &ts));
    double dl = sc.latency_s / cyc.latency_s - 1, de = sc.energy_j / cyc.energy_j - 1;
    printf("%-13s %-44s cycle %12llu cycles %11.3f us %9.4g J | systemc %12llu cycles %11.3f us %9.4g J | "
           "latency %+.4f%% energy %+.4f%%\n",
           hw->name, what, (unsigned long long)cyc.cycles, cyc.latency_s * 1e6, cyc.energy_j,
           (unsigned long long)sc.cycles, sc.latency_s * 1e6, sc.energy_j, 100 * dl, 100 * de);
    cases_++;
    CHECK_MSG(fabs(dl) <= 0.01, "%s %s: systemc latency %.6g s vs cycle %.6g s", hw->name, what, sc.latency_s, cyc.latency_s);
    CHECK_MSG(fabs(de) <= 0.01, "%s %s: systemc energy %.6g J vs cycle %.6g J", hw->name, what, sc.energy_j, cyc.energy_j);
    CHECK_STREQ(sc.engine, "systemc");
    CHECK(sc.cycles > 0);
    CHECK_CLOSE((double)sc.cycles / sc.clock_hz, sc.latency_s, 1e-9);
    CHECK_EQ_I(sc.n_units, cyc.n_units);
    CHECK_EQ_I(ts.n, tc.n);
    /* dynamic energy counts the same events: equal but for rounding */
    for (int i = ARC_EPART_COMPUTE; i < ARC_EPART_COUNT; i++)
        CHECK_CLOSE(sc.energy_by_j[i], cyc.energy_by_j[i], 1e-6);
    CHECK_EQ_I(sc.fits, cyc.fits);
    CHECK_STREQ(sc.regime, cyc.regime);
    /* a design with a lightning unit: both engines report it, busy for the same whole cycles, the
     * timing model's count summed over the trace */
    if (hw->f[ARC_HWF_LU_LANES] > 0) {
        double model = 0;
        for (int i = 0; i < t->n_ops; i++) {
            int64_t c = arc_lu_op_cycles(hw, &t->ops[i]);
            model += c > 0 ? (double)c : 0;
        }
        double bc = busy_(&cyc, "lightning"), bs = busy_(&sc, "lightning");
        printf("%-13s %-44s lightning unit busy: cycle %.0f, systemc %.0f, arc_lu_op_cycles %.0f\n", hw->name,
               what, bc, bs, model);
        CHECK_MSG(model > 0, "%s %s: no op ran on the lightning unit", hw->name, what);
        CHECK_MSG(bc == model, "%s %s: cycle engine's lightning unit busy %.0f cycles, model %.0f", hw->name, what, bc, model);
        CHECK_MSG(bs == model, "%s %s: systemc lightning unit busy %.0f cycles, model %.0f", hw->name, what, bs, model);
    }
}

/* ---- micro-traces, as tests/test_cycle_agrees_with_cost_when_bound.c builds them ---- */

static void one_op_(struct arc_trace *t, enum arc_dtype dt, const struct arc_op_rec *o)
{
    arc_trace_init(t);
    t->wl = (struct arc_workload){.phase = ARC_PHASE_PREFILL, .batch = 1, .ctx = (int64_t)(o->m > 0 ? o->m : 1),
                                  .tp = 1, .ep = 1, .pp = 1, .devices = 1, .dtype = dt, .chunk = 256};
    snprintf(t->model, sizeof t->model, "micro");
    snprintf(t->pattern, sizeof t->pattern, "L");
    t->mem_weight_bytes = o->bytes[ARC_MEM_WEIGHT];
    struct arc_op_rec *p = arc_trace_push(t);
    *p = *o;
    p->layer = -1;
}

static struct arc_op_rec gemm_(int64_t m, int64_t n, int64_t k, enum arc_dtype dt)
{
    struct arc_op_rec o = {.op = ARC_OP_GEMM, .block = ARC_BLOCK_OTHER, .dtype = (uint8_t)dt, .m = m, .n = n, .k = k};
    snprintf(o.name, sizeof o.name, "gemm_m%lld", (long long)m);
    o.flop = 2 * (uint64_t)m * (uint64_t)n * (uint64_t)k;
    o.bytes[ARC_MEM_WEIGHT] = (uint64_t)n * (uint64_t)k * (uint64_t)arc_dtype_bytes(dt);
    o.bytes[ARC_MEM_ACT] = ((uint64_t)m * (uint64_t)k + (uint64_t)m * (uint64_t)n) * 2;
    return o;
}

static struct arc_op_rec residual_(int64_t rows, int64_t w)
{
    struct arc_op_rec o = {.op = ARC_OP_ELEMENTWISE, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16,
                           .m = rows, .n = w, .k = 2 * w};
    snprintf(o.name, sizeof o.name, "residual");
    o.flop = 2 * (uint64_t)rows * (uint64_t)w;
    o.bytes[ARC_MEM_ACT] = (uint64_t)rows * (uint64_t)(3 * w) * 2;
    return o;
}

static struct arc_op_rec embed_(int64_t rows, int64_t w)
{
    struct arc_op_rec o = {.op = ARC_OP_EMBED, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16, .m = rows, .n = w};
    snprintf(o.name, sizeof o.name, "embed");
    o.bytes[ARC_MEM_WEIGHT] = (uint64_t)rows * (uint64_t)w * 2;
    o.bytes[ARC_MEM_ACT] = (uint64_t)rows * (uint64_t)w * 2 + (uint64_t)rows * 4;
    return o;
}

struct case_ {
    const char *what;
    struct arc_op_rec op;
};

static void micro_(const char *hwname, enum arc_dtype dt, const struct case_ *cs, int n)
{
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load(hwname, &hw));
    for (int i = 0; i < n; i++) {
        struct arc_trace t;
        one_op_(&t, dt, &cs[i].op);
        REQUIRE_OK(arc_trace_check(&t, "micro"));
        compare_(cs[i].what, &t, &hw);
        arc_trace_free(&t);
    }
}

/* ---- MiniMax-Text-01 steps, on the fewest chips that hold the model ---- */

/* tp > 0: that tensor-parallel degree and pp stages (0: 1), as README's examples map it; tp 0: the
 * fewest chips that hold the model */
static void step_tp_(const char *hwname, enum arc_dtype dt, enum arc_phase phase, int64_t batch, int64_t ctx, int tp,
                     int pp)
{
    struct arc_model m;
    struct arc_hw hw;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    REQUIRE_OK(arc_hw_load(hwname, &hw));
    struct arc_workload w = {.phase = phase, .batch = batch, .ctx = ctx, .dtype = dt, .tp = tp, .pp = pp};
    arc_workload_defaults(&w, &m);
    struct arc_result r;
    if (!tp)
        REQUIRE_OK(arc_map_fit(&arc_engine_cost, &m, &hw, &w, &r));
    struct arc_trace t;
    REQUIRE_OK(arc_trace_build(&m, &w, &t));
    char what[64];
    snprintf(what, sizeof what, "minimax %s b%lld ctx %lld tp%d ep%d pp%d", arc_phase_name(phase),
             (long long)batch, (long long)ctx, w.tp, w.ep, w.pp);
    compare_(what, &t, &hw);
    arc_trace_free(&t);
}

static void step_(const char *hwname, enum arc_dtype dt, enum arc_phase phase, int64_t batch, int64_t ctx)
{
    step_tp_(hwname, dt, phase, batch, ctx, 0, 0);
}

int main(int argc, char **argv)
{
    const struct case_ hbm[] = {
        {"gemm 4096 x 7680 x 7680", gemm_(4096, 7680, 7680, ARC_DTYPE_BF16)},
        {"gemm 1 x 32768 x 8192 (HBM)", gemm_(1, 32768, 8192, ARC_DTYPE_BF16)},
        {"residual 65536 x 6144 (spills)", residual_(65536, 6144)},
        {"embed 4096 x 6144 (HBM)", embed_(4096, 6144)},
    };
    const struct case_ lpu[] = {
        {"gemm 4096 x 7680 x 7680", gemm_(4096, 7680, 7680, ARC_DTYPE_INT8)},
        {"residual 4096 x 6144", residual_(4096, 6144)},
        {"embed 4096 x 6144", embed_(4096, 6144)},
        {"gemm 1 x 16384 x 8192 (SRAM)", gemm_(1, 16384, 8192, ARC_DTYPE_INT8)},
    };
    micro_("le-hbm-sram", ARC_DTYPE_BF16, hbm, (int)(sizeof hbm / sizeof hbm[0]));
    micro_("le-sram-lpu", ARC_DTYPE_INT8, lpu, (int)(sizeof lpu / sizeof lpu[0]));
    step_("le-hbm-sram", ARC_DTYPE_BF16, ARC_PHASE_DECODE, 1, 8192);
    step_("le-hbm-sram", ARC_DTYPE_BF16, ARC_PHASE_DECODE, 64, 8192);
    /* also: the attention pipelines of a prefill (lightning blocks, causal softmax key blocks),
     * and a design with LPDDR5X and int8 */
    step_("le-hbm-sram", ARC_DTYPE_BF16, ARC_PHASE_PREFILL, 1, 4096);
    step_("le-lpddr-edge", ARC_DTYPE_INT8, ARC_PHASE_DECODE, 1, 8192);
    /* recurrent lightning decode on the lightning unit: README's example (batch 4, tp 8) and the
     * fewest chips at batch 1 */
    REQUIRE(argc > 1);
    char lu[4096];
    snprintf(lu, sizeof lu, "%s/le-hbm-sram-lu64.json", argv[1]);
    step_tp_(lu, ARC_DTYPE_BF16, ARC_PHASE_DECODE, 4, 8192, 8, 0);
    step_(lu, ARC_DTYPE_BF16, ARC_PHASE_DECODE, 1, 8192);
    char detail[32];
    snprintf(detail, sizeof detail, "cases=%d", cases_);
    return check_done("test_systemc_agrees_with_cycle", detail);
}
