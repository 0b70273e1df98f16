/* Rule: where one unit clearly bounds an op, the cycle engine and the cost engine agree on its
 * latency within 10%. One-op traces built by hand on le-hbm-sram (bf16), le-sram-lpu (int8) and
 * snn-4nm (int8): a compute-bound GEMM (M = 4096), a GEMM with M = 1 whose weights stream from
 * off-chip memory, a large elementwise op and an embedding gather. Each case names the bound the
 * cost engine must find, so a case that stops being clearly bound fails instead of agreeing by luck.
 * Also printed, not checked: an M = 1 GEMM from SRAM on le-sram-lpu, where the array's fill and
 * drain (rows + cols cycles) is as long as the whole op and the engines rightly differ.
 * Not for: real traces, where the engines differ by design (test_cycle_is_deterministic.c runs one). */
#include "arclight/cycle.h"
#include "check.h"

/* a trace of the one op o, with the weights it reads as the footprint */
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
    p->layer = -1; /* before the first layer: block "other" fits any pattern */
}

/* FORMAT.md's GEMM: flop 2 m n k, weights n k at dtype bytes, activations (m k + m n) x 2 */
static struct arc_op_rec gemm_(int64_t m, int64_t n, int64_t k, enum arc_dtype dt)
{
    struct arc_op_rec o = {.op = ARC_OP_GEMM, .block = ARC_BLOCK_OTHER, .dtype = (uint8_t)dt, .m = m, .n = n, .k = k};
    snprintf(o.name, sizeof o.name, "gemm_m%lld", (long long)m);
    o.flop = 2 * (uint64_t)m * (uint64_t)n * (uint64_t)k;
    o.bytes[ARC_MEM_WEIGHT] = (uint64_t)n * (uint64_t)k * (uint64_t)arc_dtype_bytes(dt);
    o.bytes[ARC_MEM_ACT] = ((uint64_t)m * (uint64_t)k + (uint64_t)m * (uint64_t)n) * 2;
    return o;
}

/* a residual add with scale: rows x 2 w in, rows x w out, 2 flop per output */
static struct arc_op_rec residual_(int64_t rows, int64_t w)
{
    struct arc_op_rec o = {.op = ARC_OP_ELEMENTWISE, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16,
                           .m = rows, .n = w, .k = 2 * w};
    snprintf(o.name, sizeof o.name, "residual");
    o.flop = 2 * (uint64_t)rows * (uint64_t)w;
    o.bytes[ARC_MEM_ACT] = (uint64_t)rows * (uint64_t)(3 * w) * 2;
    return o;
}

/* the embedding gather: rows of width w (bf16) read, written, plus the 4-byte ids */
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
    enum arc_bound want; /* the cost engine's bound; ARC_BOUND_COUNT: print only */
};

static int cases_run_;

static void run_(const char *hwname, enum arc_dtype dt, const struct case_ *cs, int n)
{
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load(hwname, &hw));
    for (int i = 0; i < n; i++) {
        struct arc_trace t;
        one_op_(&t, dt, &cs[i].op);
        REQUIRE_OK(arc_trace_check(&t, "micro"));
        struct arc_result cost, cyc;
        struct arc_op_table tc = {0}, ty = {0};
        REQUIRE_OK(arc_engine_cost.run_trace(&t, &hw, &cost, arc_op_table_visit, &tc));
        REQUIRE_OK(arc_cycle_run(&t, &hw, NULL, &cyc, arc_op_table_visit, &ty));
        double ratio = cyc.latency_s / cost.latency_s;
        printf("%-12s %-34s cost %11.3f us (%-7s)  cycle %11.3f us (%-7s, %llu cycles)  cycle/cost %.3f%s\n",
               hwname, cs[i].what, cost.latency_s * 1e6, arc_bound_name(arc_op_sum_bound(&tc.rows[0])),
               cyc.latency_s * 1e6, arc_bound_name(arc_op_sum_bound(&ty.rows[0])),
               (unsigned long long)cyc.cycles, ratio, cs[i].want == ARC_BOUND_COUNT ? "  (not checked)" : "");
        if (cs[i].want != ARC_BOUND_COUNT) {
            cases_run_++;
            CHECK_MSG(arc_op_sum_bound(&tc.rows[0]) == cs[i].want, "%s %s: cost engine finds it %s-bound, want %s",
                      hwname, cs[i].what, arc_bound_name(arc_op_sum_bound(&tc.rows[0])), arc_bound_name(cs[i].want));
            CHECK_MSG(fabs(ratio - 1) <= 0.10, "%s %s: cycle %.6g s vs cost %.6g s (ratio %.3f)", hwname,
                      cs[i].what, cyc.latency_s, cost.latency_s, ratio);
            CHECK_MSG(arc_op_sum_bound(&ty.rows[0]) == cs[i].want, "%s %s: cycle engine finds it %s-bound, want %s",
                      hwname, cs[i].what, arc_bound_name(arc_op_sum_bound(&ty.rows[0])), arc_bound_name(cs[i].want));
        }
        arc_trace_free(&t);
    }
}

int main(void)
{
    /* le-hbm-sram, 512 x 512 bf16 array: 7680 = 15 x 512; weights always stream from HBM3E, and
     * the 2.4 GB residual does not fit the 256 MB SRAM, so its activations spill there too */
    const struct case_ hbm[] = {
        {"gemm 4096 x 7680 x 7680", gemm_(4096, 7680, 7680, ARC_DTYPE_BF16), ARC_BOUND_COMPUTE},
        {"gemm 1 x 32768 x 8192 (HBM)", gemm_(1, 32768, 8192, ARC_DTYPE_BF16), ARC_BOUND_MEMORY},
        {"residual 65536 x 6144 (spills)", residual_(65536, 6144), ARC_BOUND_MEMORY},
        {"embed 4096 x 6144 (HBM)", embed_(4096, 6144), ARC_BOUND_MEMORY},
    };
    /* le-sram-lpu, 640 x 640 int8 array, SRAM only: 7680 = 12 x 640 */
    const struct case_ lpu[] = {
        {"gemm 4096 x 7680 x 7680", gemm_(4096, 7680, 7680, ARC_DTYPE_INT8), ARC_BOUND_COMPUTE},
        {"residual 4096 x 6144", residual_(4096, 6144), ARC_BOUND_COMPUTE},
        {"embed 4096 x 6144", embed_(4096, 6144), ARC_BOUND_MEMORY},
        {"gemm 1 x 16384 x 8192 (SRAM)", gemm_(1, 16384, 8192, ARC_DTYPE_INT8), ARC_BOUND_COUNT},
    };
    /* snn-4nm: synaptic events bound the linear layers even at M = 1; the 64-lane vector unit
     * bounds the residual; the gather only moves bytes */
    const struct case_ snn[] = {
        {"gemm 4096 x 2048 x 2048", gemm_(4096, 2048, 2048, ARC_DTYPE_INT8), ARC_BOUND_COMPUTE},
        {"gemm 1 x 4096 x 4096", gemm_(1, 4096, 4096, ARC_DTYPE_INT8), ARC_BOUND_COMPUTE},
        {"residual 4096 x 6144", residual_(4096, 6144), ARC_BOUND_COMPUTE},
        {"embed 4096 x 6144", embed_(4096, 6144), ARC_BOUND_MEMORY},
    };
    run_("le-hbm-sram", ARC_DTYPE_BF16, hbm, (int)(sizeof hbm / sizeof hbm[0]));
    run_("le-sram-lpu", ARC_DTYPE_INT8, lpu, (int)(sizeof lpu / sizeof lpu[0]));
    run_("snn-4nm", ARC_DTYPE_INT8, snn, (int)(sizeof snn / sizeof snn[0]));
    char detail[32];
    snprintf(detail, sizeof detail, "cases=%d", cases_run_);
    return check_done("test_cycle_agrees_with_cost_when_bound", detail);
}
