/* Rule: decoding is memory-bound. MiniMax-Text-01 decode on 8xh200 (tp 8), batch 1..64, ctx
 * 8K..1M: the time in memory-bound ops is at least 10x the time in compute-bound ops, and every
 * GEMM and grouped GEMM does fewer flop per byte than the H200's ridge point (achievable bf16
 * GEMM rate / achievable copy bandwidth, 815e12 / 4.3e12 = 190 flop/B). Contrast: a 32K prefill
 * is not memory-bound (compute- and power-bound time exceed memory-bound time).
 * The per-op figures come from the op-table visitor (arc_op_table_visit).
 * Not for: link or overhead time, which decode also has in plenty. */
#include <stdlib.h>

#include "arclight/engine.h"
#include "check.h"

static void run_(const struct arc_model *m, const struct arc_hw *hw, enum arc_phase ph,
                 int64_t batch, int64_t ctx, struct arc_op_table *tab, struct arc_result *r)
{
    struct arc_workload w = {.phase = ph, .batch = batch, .ctx = ctx, .tp = 8, .pp = 1, .devices = 8,
                             .dtype = ARC_DTYPE_BF16};
    arc_workload_defaults(&w, m);
    memset(tab, 0, sizeof *tab);
    REQUIRE_OK(arc_engine_run_model(&arc_engine_cost, m, &w, hw, r, arc_op_table_visit, tab));
}

int main(void)
{
    struct arc_model m;
    struct arc_hw hw;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    REQUIRE_OK(arc_hw_load("8xh200", &hw));
    double ridge = hw.f[ARC_HWF_BF16_GEMM] / hw.f[ARC_HWF_MEM_COPY_BW];
    CHECK_CLOSE(ridge, 815e12 / 4.3e12, 1e-12);
    struct arc_op_table *tab = calloc(1, sizeof *tab);
    struct arc_result r;
    int points = 0;
    double worst_ratio = 0; /* highest flop/byte of any GEMM seen */

    static const int64_t batches[] = {1, 2, 8, 16, 64};
    for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++)
        for (int64_t ctx = 8192; ctx <= (INT64_C(1) << 20); ctx *= 2, points++) {
            run_(&m, &hw, ARC_PHASE_DECODE, batches[b], ctx, tab, &r);
            double mem = 0, comp = 0, total = 0;
            for (int i = 0; i < tab->n; i++) {
                const struct arc_op_sum *s = &tab->rows[i];
                mem += s->by_bound_s[ARC_BOUND_MEMORY];
                comp += s->by_bound_s[ARC_BOUND_COMPUTE];
                total += s->time_s;
                if (s->op.op == ARC_OP_GEMM || s->op.op == ARC_OP_GROUPED_GEMM) {
                    double fpb = s->flop / s->bytes;
                    worst_ratio = fmax(worst_ratio, fpb);
                    CHECK_MSG(fpb < ridge, "batch %lld ctx %lld: %s/%s does %.1f flop/B, ridge %.1f",
                              (long long)batches[b], (long long)ctx,
                              arc_block_name((enum arc_block)s->op.block), s->op.name, fpb, ridge);
                }
            }
            CHECK_CLOSE(total, r.latency_s, 1e-9); /* the table saw every op */
            CHECK_CLOSE(mem, r.by_bound_s[ARC_BOUND_MEMORY], 1e-9);
            CHECK_MSG(mem > 0 && mem >= 10 * comp,
                      "batch %lld ctx %lld: memory-bound %.4g s, compute-bound %.4g s (want >= 10x)",
                      (long long)batches[b], (long long)ctx, mem, comp);
        }

    /* contrast: prefill of 32K tokens is dominated by compute and the power cap */
    run_(&m, &hw, ARC_PHASE_PREFILL, 1, 32768, tab, &r);
    double mem = 0, comp = 0;
    for (int i = 0; i < tab->n; i++) {
        mem += tab->rows[i].by_bound_s[ARC_BOUND_MEMORY];
        comp += tab->rows[i].by_bound_s[ARC_BOUND_COMPUTE] + tab->rows[i].by_bound_s[ARC_BOUND_POWER];
    }
    CHECK_MSG(comp > mem, "prefill 32K: compute+power-bound %.4g s, memory-bound %.4g s", comp, mem);

    free(tab);
    char detail[64];
    snprintf(detail, sizeof detail, "points=%d max_gemm_flop_per_byte=%.1f ridge=%.1f", points,
             worst_ratio, ridge);
    return check_done("test_decode_is_memory_bound", detail);
}
