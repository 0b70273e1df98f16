/* Rule: a workload arc_workload_check accepts has counts that fit in 64 bits. The check promises
 * it ("every count must fit in 64 bits") and refuses workloads whose attention would not; for
 * every workload it accepts, at the edges of what it accepts (millions of sequences, or one
 * sequence of 16M tokens), each op's flop equals the count recomputed from the op's shapes in
 * floating point (GEMMs 2 m n k, attention and lightning as in FORMAT.md) to 1e-9, so no count
 * has silently wrapped around 2^64.
 * Not for: what the counts are for ordinary sizes (test_tiny_config_counts.c). */
#include "arclight/model.h"
#include "arclight/trace.h"
#include "arclight/workload.h"
#include "check.h"

/* the flop an op's shapes imply, in double (FORMAT.md) */
static double flop_of_(const struct arc_op_rec *o)
{
    double b = (double)o->batch, H = (double)o->heads, d = (double)o->head_dim;
    switch ((enum arc_op)o->op) {
    case ARC_OP_GEMM:
    case ARC_OP_GROUPED_GEMM:
        return 2.0 * (double)o->m * (double)o->n * (double)o->k;
    case ARC_OP_SOFTMAX_ATTN:
        return o->seq_q == 1 ? 4.0 * b * H * d * (double)o->seq_kv
                             : 2.0 * b * H * d * (double)o->seq_q * ((double)o->seq_q + 1);
    case ARC_OP_LIGHTNING_ATTN: {
        if (o->seq_q == 1)
            return 5.0 * b * H * d * d;
        double C = (double)o->chunk, nb = ceil((double)o->seq_q / C);
        return b * H * nb * (4 * C * C * d + C * C + 4 * C * d * d + 3 * C * d + 2 * d * d);
    }
    default:
        return -1; /* not checked */
    }
}

int main(void)
{
    static const struct {
        enum arc_phase phase;
        int64_t batch, ctx;
        int tp;
    } wls[] = {
        {ARC_PHASE_PREFILL, INT64_C(1) << 22, 8192, 1}, /* 4M prompts of 8K */
        {ARC_PHASE_PREFILL, INT64_C(1) << 22, 8192, 8},
        {ARC_PHASE_PREFILL, INT64_C(1) << 30, 16, 1},   /* 1G prompts of 16 */
        {ARC_PHASE_PREFILL, 1, INT64_C(1) << 24, 1},    /* one prompt of 16M */
        {ARC_PHASE_DECODE, INT64_C(1) << 30, 4096, 1},  /* 1G sequences */
        {ARC_PHASE_DECODE, 1, INT64_C(1) << 32, 1},     /* the longest context */
    };
    static const char *const models[] = {"minimax-text-01", "llama-3.1-70b"};
    int accepted = 0, ops = 0;
    for (size_t mi = 0; mi < sizeof models / sizeof models[0]; mi++) {
        struct arc_model m;
        REQUIRE_OK(arc_model_load(models[mi], &m));
        for (size_t i = 0; i < sizeof wls / sizeof wls[0]; i++) {
            struct arc_workload w = {.phase = wls[i].phase, .batch = wls[i].batch, .ctx = wls[i].ctx,
                                     .tp = wls[i].tp, .dtype = ARC_DTYPE_BF16};
            arc_workload_defaults(&w, &m);
            if (arc_workload_check(&w, &m) != ARC_OK)
                continue; /* refused: nothing to count */
            accepted++;
            struct arc_trace t;
            REQUIRE_OK(arc_trace_build(&m, &w, &t));
            for (int k = 0; k < t.n_ops; k++) {
                const struct arc_op_rec *o = &t.ops[k];
                double want = flop_of_(o);
                /* layers of a kind repeat: the embedding, layer 0, the last layer (a softmax layer
                 * in both models) and the tail suffice */
                if (want < 0 || (o->layer > 0 && o->layer < m.n_layers - 1))
                    continue;
                ops++;
                CHECK_MSG(want < 18446744073709551615.0 && check_close_((double)o->flop, want, 1e-9),
                          "%s %s batch %lld ctx %lld tp %d: layer %d %s flop %llu, shapes give %.6g",
                          models[mi], arc_phase_name(w.phase), (long long)w.batch, (long long)w.ctx,
                          w.tp, o->layer, o->name, (unsigned long long)o->flop, want);
            }
            arc_trace_free(&t);
        }
    }
    CHECK_MSG(accepted >= 6, "only %d of the edge workloads were accepted", accepted);
    char detail[48];
    snprintf(detail, sizeof detail, "workloads=%d ops=%d", accepted, ops);
    return check_done("test_counts_fit_in_64_bits", detail);
}
