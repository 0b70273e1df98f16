/* Rule: MoE weight traffic follows the expected number of distinct experts hit. For
 * MiniMax-Text-01 (E = 32 experts, top-k = 2) decoding on one device, the experts_gate_up weight
 * bytes at batch B are E (1 - (1 - k/E)^B) x one expert's gate+up bytes (2 x 9216 x 6144 x 2 B):
 * 2 experts at B = 1, growing with B, all 32 at large B; experts_down likewise with its 9216 x 6144.
 * With ep 8 the critical device reads at least one whole expert even at batch 1, and never more
 * than its 32 / 8 = 4.
 * Not for: the activation bytes or flop of the experts (test_tiny_config_counts.c). */
#include "arclight/trace.h"
#include "arclight/workload.h"
#include "check.h"

static const struct arc_op_rec *find_(const struct arc_trace *t, const char *name)
{
    for (int i = 0; i < t->n_ops; i++)
        if (t->ops[i].layer == 0 && strcmp(t->ops[i].name, name) == 0)
            return &t->ops[i];
    return NULL;
}

static void build_(const struct arc_model *m, int64_t batch, int tp, int ep, int devices,
                   enum arc_dtype dt, struct arc_trace *t)
{
    struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = batch, .ctx = 4096, .tp = tp,
                             .ep = ep, .pp = 1, .devices = devices, .dtype = dt};
    arc_workload_defaults(&w, m);
    REQUIRE_OK(arc_trace_build(m, &w, t));
}

int main(void)
{
    struct arc_model m;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    REQUIRE(m.n_experts == 32 && m.top_k == 2 && m.ffn_dim == 9216 && m.hidden == 6144);
    const double gate_up = 2.0 * 9216 * 6144 * 2, down = 9216.0 * 6144 * 2; /* bytes per expert, bf16 */

    static const int64_t batches[] = {1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 1024, 4096};
    double prev = 0;
    for (size_t i = 0; i < sizeof batches / sizeof batches[0]; i++) {
        int64_t B = batches[i];
        struct arc_trace t;
        build_(&m, B, 1, 1, 1, ARC_DTYPE_BF16, &t);
        const struct arc_op_rec *gu = find_(&t, "experts_gate_up"), *dn = find_(&t, "experts_down");
        REQUIRE(gu && dn);
        double experts = 32 * (1 - pow(1 - 2.0 / 32, (double)B));
        CHECK_MSG(fabs((double)gu->bytes[ARC_MEM_WEIGHT] - experts * gate_up) <= 1,
                  "batch %lld: gate_up weight %llu B, want %.1f experts x %.0f = %.0f", (long long)B,
                  (unsigned long long)gu->bytes[ARC_MEM_WEIGHT], experts, gate_up, experts * gate_up);
        CHECK_MSG(fabs((double)dn->bytes[ARC_MEM_WEIGHT] - experts * down) <= 1,
                  "batch %lld: down weight %llu B, want %.0f", (long long)B,
                  (unsigned long long)dn->bytes[ARC_MEM_WEIGHT], experts * down);
        CHECK_EQ_I(gu->groups, (int64_t)ceil(experts));
        CHECK_EQ_I(gu->m, B * 2); /* token-expert rows */
        CHECK_MSG((double)gu->bytes[ARC_MEM_WEIGHT] >= prev, "batch %lld: weight bytes fell", (long long)B);
        prev = (double)gu->bytes[ARC_MEM_WEIGHT];
        if (B == 1) {
            CHECK_EQ_U(gu->bytes[ARC_MEM_WEIGHT], 2 * 226492416ULL); /* exactly 2 experts */
            CHECK_EQ_I(gu->groups, 2);
        }
        if (B >= 1024) {
            CHECK_EQ_U(gu->bytes[ARC_MEM_WEIGHT], 32 * 226492416ULL); /* every expert */
            CHECK_EQ_I(gu->groups, 32);
        }
        arc_trace_free(&t);
    }

    /* fp8 weights: half the bytes */
    {
        struct arc_trace t;
        build_(&m, 1, 1, 1, 1, ARC_DTYPE_FP8, &t);
        CHECK_EQ_U(find_(&t, "experts_gate_up")->bytes[ARC_MEM_WEIGHT], 226492416ULL);
        arc_trace_free(&t);
    }

    /* ep 8 over 8 devices: experts whole on one device each (tf = 8 / 8 = 1) */
    static const struct {
        int64_t batch;
        int tp;
    } ep_cases[] = {{1, 8}, {8, 1}, {8, 8}, {64, 8}, {4096, 8}, {4096, 1}};
    for (size_t i = 0; i < sizeof ep_cases / sizeof ep_cases[0]; i++) {
        struct arc_trace t;
        build_(&m, ep_cases[i].batch, ep_cases[i].tp, 8, 8, ARC_DTYPE_BF16, &t);
        const struct arc_op_rec *gu = find_(&t, "experts_gate_up");
        REQUIRE(gu);
        double wb = (double)gu->bytes[ARC_MEM_WEIGHT];
        CHECK_MSG(wb >= gate_up - 0.5, "ep 8 batch %lld tp %d: %.0f B, less than one expert (%.0f B)",
                  (long long)ep_cases[i].batch, ep_cases[i].tp, wb, gate_up);
        CHECK_MSG(wb <= 4 * gate_up + 0.5, "ep 8 batch %lld tp %d: %.0f B, more than 4 experts",
                  (long long)ep_cases[i].batch, ep_cases[i].tp, wb);
        CHECK_MSG(gu->groups >= 1 && gu->groups <= 4 && gu->m >= 1, "ep 8 batch %lld: groups %lld rows %lld",
                  (long long)ep_cases[i].batch, (long long)gu->groups, (long long)gu->m);
        if (ep_cases[i].batch == 1)
            CHECK_EQ_U(gu->bytes[ARC_MEM_WEIGHT], 226492416ULL); /* exactly one expert */
        if (ep_cases[i].batch == 4096)
            CHECK_EQ_U(gu->bytes[ARC_MEM_WEIGHT], 4 * 226492416ULL);
        arc_trace_free(&t);
    }
    return check_done("test_moe_expected_experts", "");
}
