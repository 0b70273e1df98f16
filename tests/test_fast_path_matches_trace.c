/* Rule: the cost engine's fast path (arc_engine_run_model, which costs one layer of each kind and
 * multiplies) gives the same answer as costing the full trace arc_trace_build writes
 * (arc_engine_cost.run_trace): latency, energy, every breakdown array, bytes, flop, footprint and
 * the per-op table agree to 1e-9, over a grid of models (MiniMax-Text-01 at softmax_every 1, 8, 32
 * and 0, Llama-3.1-70B), phases, batches, contexts, tp/ep, dtypes and hardware (8xh200, 8xh100,
 * 8xb200, and h200-sxm with one device).
 * Not for: whether either answer is right (test_energy_model.c, test_tiny_config_counts.c). */
#include <stdlib.h>

#include "arclight/engine.h"
#include "check.h"

#define REL 1e-9

static int cases_;

static void same_result_(const char *what, const struct arc_result *a, const struct arc_result *b)
{
#define SAME(f) CHECK_MSG(check_close_(a->f, b->f, REL), "%s: " #f " fast %.17g trace %.17g", what, (double)a->f, (double)b->f)
    SAME(latency_s);
    SAME(energy_j);
    SAME(latency_per_token_s);
    SAME(energy_per_token_j);
    SAME(tokens);
    SAME(flop);
    SAME(link_bytes);
    SAME(footprint_bytes);
    SAME(capacity_bytes);
    SAME(devices);
    SAME(fits);
    for (int i = 0; i < ARC_BLOCK_COUNT; i++) {
        SAME(by_block_s[i]);
        SAME(by_block_j[i]);
    }
    for (int i = 0; i < ARC_OP_COUNT; i++)
        SAME(by_op_s[i]);
    for (int i = 0; i < ARC_BOUND_COUNT; i++)
        SAME(by_bound_s[i]);
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        SAME(energy_by_j[i]);
    for (int i = 0; i < ARC_MEM_COUNT; i++) {
        SAME(mem_bytes[i]);
        SAME(mem_time_s[i]);
        SAME(mem_energy_j[i]);
    }
#undef SAME
    CHECK_MSG(strcmp(a->engine, b->engine) == 0 && strcmp(a->hw, b->hw) == 0, "%s: engine/hw names differ", what);
}

static const struct arc_op_sum *row_(const struct arc_op_table *t, const struct arc_op_rec *op)
{
    for (int i = 0; i < t->n; i++)
        if (t->rows[i].op.block == op->block && strcmp(t->rows[i].op.name, op->name) == 0)
            return &t->rows[i];
    return NULL;
}

static void same_table_(const char *what, const struct arc_op_table *a, const struct arc_op_table *b)
{
    CHECK_MSG(a->n == b->n, "%s: op table rows fast %d trace %d", what, a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        const struct arc_op_sum *x = &a->rows[i], *y = row_(b, &x->op);
        if (!CHECK_MSG(y, "%s: %s/%s missing from the trace's table", what,
                       arc_block_name((enum arc_block)x->op.block), x->op.name))
            continue;
#define SAME(f) CHECK_MSG(check_close_(x->f, y->f, REL), "%s: %s " #f " fast %.17g trace %.17g", what, x->op.name, x->f, y->f)
        SAME(count);
        SAME(time_s);
        SAME(flop);
        SAME(bytes);
        SAME(link_bytes);
        SAME(energy_j);
        for (int k = 0; k < ARC_BOUND_COUNT; k++)
            SAME(by_bound_s[k]);
#undef SAME
    }
}

static void one_(const struct arc_model *m, const char *label, const struct arc_hw *hw,
                 struct arc_workload w, struct arc_op_table *ta, struct arc_op_table *tb)
{
    arc_workload_defaults(&w, m);
    if (arc_workload_check(&w, m) < 0 || arc_cost_check(&w, hw) < 0)
        return; /* not a valid point of the grid (batch vs data-parallel replicas, ep on a dense model, ...) */
    char what[256];
    snprintf(what, sizeof what, "%s on %s: %s batch %lld ctx %lld tp %d ep %d devices %d %s", label,
             hw->name, arc_phase_name(w.phase), (long long)w.batch, (long long)w.ctx, w.tp, w.ep,
             w.devices, arc_dtype_name(w.dtype));
    struct arc_result fast, slow;
    struct arc_trace t;
    memset(ta, 0, sizeof *ta);
    memset(tb, 0, sizeof *tb);
    REQUIRE_OK(arc_engine_run_model(&arc_engine_cost, m, &w, hw, &fast, arc_op_table_visit, ta));
    REQUIRE_OK(arc_trace_build(m, &w, &t));
    REQUIRE_OK(arc_engine_cost.run_trace(&t, hw, &slow, arc_op_table_visit, tb));
    arc_trace_free(&t);
    same_result_(what, &fast, &slow);
    same_table_(what, ta, tb);
    cases_++;
}

int main(void)
{
    static const char *const hws[] = {"8xh200", "8xh100", "8xb200", "h200-sxm"};
    static const struct {
        const char *model;
        int every; /* -1: own pattern */
    } models[] = {
        {"minimax-text-01", -1}, {"minimax-text-01", 1}, {"minimax-text-01", 8},
        {"minimax-text-01", 32}, {"minimax-text-01", 0}, {"llama-3.1-70b", -1},
    };
    static const struct {
        int tp, ep, devices;
    } pars[] = {{1, 1, 1}, {8, 1, 8}, {8, 8, 8}, {1, 8, 8}, {2, 4, 8}, {4, 1, 8}};
    static const int64_t batches[] = {1, 64};
    static const int64_t ctxs[] = {1, 5000}; /* 5000: not a whole number of lightning blocks */
    struct arc_op_table *ta = calloc(1, sizeof *ta), *tb = calloc(1, sizeof *tb);

    for (size_t h = 0; h < sizeof hws / sizeof hws[0]; h++) {
        struct arc_hw hw;
        REQUIRE_OK(arc_hw_load(hws[h], &hw));
        for (size_t mi = 0; mi < sizeof models / sizeof models[0]; mi++) {
            struct arc_model m;
            REQUIRE_OK(arc_model_load(models[mi].model, &m));
            if (models[mi].every >= 0)
                REQUIRE_OK(arc_model_set_softmax_every(&m, models[mi].every));
            char label[160];
            snprintf(label, sizeof label, "%s/%s", m.name, m.variant[0] ? m.variant : "own");
            for (int ph = 0; ph < ARC_PHASE_COUNT; ph++)
                for (size_t p = 0; p < sizeof pars / sizeof pars[0]; p++)
                    for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++)
                        for (size_t c = 0; c < sizeof ctxs / sizeof ctxs[0]; c++)
                            for (int dt = ARC_DTYPE_BF16; dt <= ARC_DTYPE_FP8; dt++) {
                                /* keep the grid small (under ASan too): prefill at batch 64 only
                                 * for short prompts; fp8 on the nodes only, at one context */
                                if (ph == ARC_PHASE_PREFILL && batches[b] == 64 && ctxs[c] > 1)
                                    continue;
                                if (dt == ARC_DTYPE_FP8 && (h == 3 || c != 1))
                                    continue;
                                struct arc_workload w = {
                                    .phase = (enum arc_phase)ph, .batch = batches[b], .ctx = ctxs[c],
                                    .tp = pars[p].tp, .ep = pars[p].ep, .pp = 1, .devices = pars[p].devices,
                                    .dtype = (enum arc_dtype)dt};
                                one_(&m, label, &hw, w, ta, tb);
                            }
        }
    }
    free(ta);
    free(tb);
    CHECK_MSG(cases_ > 300, "only %d grid points ran", cases_);
    char detail[32];
    snprintf(detail, sizeof detail, "cases=%d", cases_);
    return check_done("test_fast_path_matches_trace", detail);
}
