/* arclight workload: what is run (phase, batch, context, dtype) and how it is spread over devices,
 * and the trace builder that turns (model, workload) into the ops one device runs.
 *
 * For: the op list of every layer kind, from one function (arc_layer_ops) that the full trace
 * builder and the cost engine's fast path both call, so the two cannot disagree.
 * Not for: costing ops (engine.h) or the CSV (trace.h).
 *
 * Parallelism. D devices = PP x DP x TP. The layers are split into PP pipeline stages of
 * consecutive layers; a stage's D / PP devices hold its layers. Within a stage, attention (both
 * kinds) is tensor-parallel over TP devices with DP data-parallel replicas, each holding
 * ceil(batch / DP) sequences (replicas beyond the batch idle). MoE experts are spread over EP
 * devices: with EP = 1 every TP group holds all experts, each sharded TP ways (like the dense
 * FFN); with EP > 1 the experts live on EP groups across the stage's devices, each expert sharded
 * (D / PP) / EP ways, and tokens travel by all-to-all. The trace is the ops on one token's path:
 * every layer, with a point-to-point send between stages; each op runs on the devices of its
 * stage, all of which run the same ops (the critical device for MoE at small batch: see
 * model/trace_build.c). Stages run one after another: no micro-batch pipelining is modelled. */
#ifndef ARCLIGHT_WORKLOAD_H
#define ARCLIGHT_WORKLOAD_H

#include <stdint.h>

#include "arclight/common.h"
#include "arclight/model.h"

struct arc_op_rec;
struct arc_trace;

enum arc_phase {
    ARC_PHASE_PREFILL, /* ctx prompt tokens per sequence, processed at once */
    ARC_PHASE_DECODE,  /* one new token per sequence, ctx tokens already cached */
    ARC_PHASE_COUNT
};
const char *arc_phase_name(enum arc_phase p);
int arc_phase_parse(const char *s, enum arc_phase *out);

struct arc_workload {
    enum arc_phase phase;
    int64_t batch;        /* sequences */
    int64_t ctx;          /* prefill: prompt tokens; decode: tokens already in context */
    int tp, ep, devices;  /* tensor- and expert-parallel degrees, devices in all */
    int pp;               /* pipeline stages: layers split into pp consecutive groups */
    enum arc_dtype dtype; /* weights and KV cache: bf16, fp8 or int8; activations bf16, states fp32 */
    int chunk;            /* lightning prefill block size, tokens (power of two) */
};

/* Fills the defaults: decode, batch 1, ctx 8192, tp = ep = 1, devices = max(tp, ep), bf16, chunk
 * from the model. Unset fields are 0 before; set fields are kept. */
void arc_workload_defaults(struct arc_workload *w, const struct arc_model *m);
/* Checks the workload against the model; errors name the flag (e.g. "--tp"). */
int arc_workload_check(const struct arc_workload *w, const struct arc_model *m);

/* Derived decomposition, shared by the builder and the footprint. */
struct arc_plan {
    int stage_devices;   /* devices / pp */
    int dp;              /* data-parallel replicas in a stage = devices / (tp pp) */
    int tf;              /* expert shards: tp when ep == 1, devices / ep otherwise */
    int heads;           /* query heads per device */
    int kv_heads;        /* KV heads per device (replicated when tp > n_kv_heads) */
    int64_t seqs;        /* sequences on the critical replica: ceil(batch / dp) */
    int64_t tokens;      /* tokens per DP replica per step */
    int64_t seq_q;       /* tokens per sequence this step (prefill: ctx; decode: 1) */
    double experts_dev;  /* experts holding tokens on the critical device */
    int64_t moe_rows;    /* token-expert rows on the critical device */
};
void arc_plan_make(const struct arc_model *m, const struct arc_workload *w, struct arc_plan *p);

/* Per-device memory footprint in bytes. */
struct arc_footprint {
    double weight, kv, state;
};
void arc_footprint(const struct arc_model *m, const struct arc_workload *w, struct arc_footprint *f);

/* The ops of one layer (layer in [0, n_layers)), or of the embedding (layer -1) or the tail
 * (layer n_layers: final norm, LM head). Writes at most max ops; returns how many. */
#define ARC_LAYER_OPS_MAX 32
int arc_layer_ops(const struct arc_model *m, const struct arc_workload *w, const struct arc_plan *p,
                  int layer, struct arc_op_rec *ops, int max);

/* Pipeline stage of a layer: stage s holds layers [floor(s L / pp), floor((s + 1) L / pp)). */
int arc_stage_of(const struct arc_model *m, const struct arc_workload *w, int layer);
/* The send of activations from the stage ending at `layer` to the next (pp > 1 only). */
void arc_stage_send_op(const struct arc_model *m, const struct arc_workload *w,
                       const struct arc_plan *p, int layer, struct arc_op_rec *op);

/* Builds the whole trace of one step (checks the workload first). */
int arc_trace_build(const struct arc_model *m, const struct arc_workload *w, struct arc_trace *t);

/* Lightning prefill flop per head per sequence of seq tokens in blocks of chunk (FORMAT.md). */
uint64_t arc_lightning_prefill_flop(int64_t seq, int64_t chunk, int64_t d);

/* Tokens a step produces or consumes: decode batch, prefill batch * ctx. */
double arc_workload_tokens(const struct arc_workload *w);

#endif
