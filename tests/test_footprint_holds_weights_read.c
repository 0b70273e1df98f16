/* Rule: a device holds exactly the weights it reads. In one decode step at a batch large enough to
 * hit every expert, a device's ops read every weight it holds once, except the embedding, of which
 * only the rows of the step's tokens are read: the weight bytes of all ops but the embedding equal
 * the per-device weight footprint in the trace header (mem_weight_bytes) less the device's share
 * of the embedding table (vocab x hidden x 2 B over the stage's devices), for every split: tp
 * 1..32, ep 1, 4 and 8,
 * bf16 and fp8. In particular when tp exceeds the KV heads each device holds a replicated copy of
 * its KV head's k and v projections, as its qkv_proj reads them.
 * Not for: KV cache or state footprints (test_tiny_config_counts.c). */
#include "arclight/trace.h"
#include "arclight/workload.h"
#include "check.h"

int main(void)
{
    static const struct {
        const char *model;
        int tp, ep, devices;
        enum arc_dtype dt;
    } cases[] = {
        {"minimax-text-01", 1, 1, 1, ARC_DTYPE_BF16},   {"minimax-text-01", 8, 1, 8, ARC_DTYPE_BF16},
        {"minimax-text-01", 8, 8, 8, ARC_DTYPE_FP8},    {"minimax-text-01", 1, 8, 8, ARC_DTYPE_BF16},
        {"minimax-text-01", 2, 4, 8, ARC_DTYPE_BF16},   {"llama-3.1-70b", 8, 1, 8, ARC_DTYPE_BF16},
        {"llama-3.1-70b", 4, 1, 4, ARC_DTYPE_FP8},
        /* tp above the 8 KV heads: KV heads are replicated */
        {"minimax-text-01", 16, 1, 16, ARC_DTYPE_BF16}, {"llama-3.1-70b", 16, 1, 16, ARC_DTYPE_BF16},
        {"llama-3.1-70b", 32, 1, 32, ARC_DTYPE_FP8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct arc_model m;
        REQUIRE_OK(arc_model_load(cases[i].model, &m));
        struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = 4096, .ctx = 1024, .tp = cases[i].tp,
                                 .ep = cases[i].ep, .pp = 1, .devices = cases[i].devices, .dtype = cases[i].dt};
        arc_workload_defaults(&w, &m);
        struct arc_trace t;
        REQUIRE_OK(arc_trace_build(&m, &w, &t));
        double read = 0;
        for (int k = 0; k < t.n_ops; k++)
            if (t.ops[k].op != ARC_OP_EMBED)
                read += (double)t.ops[k].bytes[ARC_MEM_WEIGHT];
        double embed_share = (double)m.vocab * (double)m.hidden * 2 / (w.devices / w.pp);
        double held = (double)t.mem_weight_bytes - embed_share;
        CHECK_MSG(fabs(read - held) <= 2,
                  "%s tp %d ep %d devices %d %s: reads %.10g B of weights per step, holds %.10g B "
                  "besides the embedding (%+.4g B)",
                  cases[i].model, w.tp, w.ep, w.devices, arc_dtype_name(w.dtype), read, held, read - held);
        arc_trace_free(&t);
    }
    return check_done("test_footprint_holds_weights_read", "");
}
