/* Rule: in decode, softmax attention pays for the context and lightning attention does not.
 * MiniMax-Text-01 on 8xh200 (tp 8), batch 1, ctx 8K, 16K, ..., 4M: the softmax_attn op time
 * strictly increases with ctx (its KV cache read grows), while the lightning_attn op time and the
 * whole lightning attention block (projections, norms, all-reduce) stay the same to 1e-12, since
 * the recurrent state is d x d per head whatever the context.
 * Not for: prefill, or the absolute times (test_energy_model.c). */
#include "arclight/engine.h"
#include "check.h"

int main(void)
{
    struct arc_model m;
    struct arc_hw hw;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    REQUIRE_OK(arc_hw_load("8xh200", &hw));
    double soft_prev = 0, light0 = 0, block0 = 0;
    int n = 0;
    for (int64_t ctx = 8192; ctx <= (INT64_C(4) << 20); ctx *= 2, n++) {
        struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = ctx, .tp = 8,
                                 .pp = 1, .devices = 8, .dtype = ARC_DTYPE_BF16};
        arc_workload_defaults(&w, &m);
        struct arc_result r;
        REQUIRE_OK(arc_engine_run_model(&arc_engine_cost, &m, &w, &hw, &r, NULL, NULL));
        double soft = r.by_op_s[ARC_OP_SOFTMAX_ATTN], light = r.by_op_s[ARC_OP_LIGHTNING_ATTN];
        double block = r.by_block_s[ARC_BLOCK_LIGHTNING_ATTN];
        CHECK_MSG(soft > 0 && light > 0 && block > light, "ctx %lld: soft %g light %g block %g",
                  (long long)ctx, soft, light, block);
        if (n == 0) {
            light0 = light;
            block0 = block;
        } else {
            CHECK_MSG(soft > soft_prev, "ctx %lld: softmax_attn %.6g s, not above %.6g s at half the context",
                      (long long)ctx, soft, soft_prev);
            CHECK_MSG(fabs(light - light0) < 1e-12 * light0, "ctx %lld: lightning_attn %.17g s vs %.17g s at 8K",
                      (long long)ctx, light, light0);
            CHECK_MSG(fabs(block - block0) < 1e-12 * block0, "ctx %lld: lightning block %.17g s vs %.17g s at 8K",
                      (long long)ctx, block, block0);
        }
        soft_prev = soft;
    }
    CHECK_EQ_I(n, 10); /* 8K .. 4M */
    return check_done("test_softmax_decode_grows_lightning_flat", "");
}
