/* arclight trace builder: (model, workload) -> the ops one device runs for one step.
 *
 * Every count here is per device and written out in full so a reader can check it by hand; the
 * conventions (what is read, what is written, what is left out) are specified in traces/FORMAT.md.
 * arc_layer_ops is the single source of ops: the full trace is the concatenation of its output
 * over layers, and the cost engine's fast path calls it once per distinct layer.
 * Not for: costing (sim/cost/) or the CSV (traces/trace.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arclight/trace.h"
#include "arclight/workload.h"

static const char *const phase_names_[] = {
    [ARC_PHASE_PREFILL] = "prefill",
    [ARC_PHASE_DECODE] = "decode",
};
_Static_assert(ARC_PHASE_COUNT == 2, "update phase_names_");

const char *arc_phase_name(enum arc_phase p)
{
    ARC_ASSERT(p < ARC_PHASE_COUNT);
    return phase_names_[p];
}

int arc_phase_parse(const char *s, enum arc_phase *out)
{
    for (int i = 0; i < ARC_PHASE_COUNT; i++)
        if (strcmp(s, phase_names_[i]) == 0) {
            *out = (enum arc_phase)i;
            return 0;
        }
    return -1;
}

void arc_workload_defaults(struct arc_workload *w, const struct arc_model *m)
{
    if (!w->batch)
        w->batch = 1;
    if (!w->ctx)
        w->ctx = 8192;
    if (!w->tp)
        w->tp = 1;
    if (!w->ep)
        w->ep = 1;
    if (!w->pp)
        w->pp = 1;
    if (!w->devices)
        w->devices = w->pp * (w->tp > w->ep ? w->tp : w->ep);
    if (!w->chunk)
        w->chunk = m->block_size;
}

int arc_workload_check(const struct arc_workload *w, const struct arc_model *m)
{
    if (w->phase >= ARC_PHASE_COUNT)
        return arc_errorf(ARC_EINPUT, "--phase: expected prefill or decode");
    if (w->batch < 1 || w->batch > (INT64_C(1) << 30))
        return arc_errorf(ARC_EINPUT, "--batch: expected an integer in [1, 2^30]");
    if (w->ctx < 1 || w->ctx > (INT64_C(1) << 32))
        return arc_errorf(ARC_EINPUT, "--ctx: expected an integer in [1, 2^32]");
    if (w->tp < 1 || w->ep < 1 || w->devices < 1 || w->pp < 1)
        return arc_errorf(ARC_EINPUT, "--%s: expected a positive integer",
                          w->tp < 1 ? "tp" : w->ep < 1 ? "ep" : w->pp < 1 ? "pp" : "devices");
    if (w->dtype != ARC_DTYPE_BF16 && w->dtype != ARC_DTYPE_FP8 && w->dtype != ARC_DTYPE_INT8)
        return arc_errorf(ARC_EINPUT, "--dtype: expected bf16, fp8 or int8");
    if (w->pp > m->n_layers)
        return arc_errorf(ARC_EINPUT, "--pp: expected at most the model's %d layers", m->n_layers);
    if (w->chunk < 16 || w->chunk > 4096 || (w->chunk & (w->chunk - 1)))
        return arc_errorf(ARC_EINPUT, "--chunk: expected a power of two in [16, 4096]");
    if (w->devices % ((int64_t)w->tp * w->pp))
        return arc_errorf(ARC_EINPUT, "--devices: expected a multiple of --tp x --pp (%lld)", (long long)w->tp * w->pp);
    if ((w->devices / w->pp) % w->ep)
        return arc_errorf(ARC_EINPUT, "--devices: expected each of the %d pipeline stages' devices to be a multiple of --ep (%d)", w->pp, w->ep);
    if (m->n_heads % w->tp)
        return arc_errorf(ARC_EINPUT, "--tp: expected a divisor of the model's %d attention heads",
                          m->n_heads);
    if (w->tp <= m->n_kv_heads ? m->n_kv_heads % w->tp : w->tp % m->n_kv_heads)
        return arc_errorf(ARC_EINPUT, "--tp: expected a divisor or a multiple of the model's %d KV heads",
                          m->n_kv_heads);
    if (w->ep > 1 && (m->n_experts == 0 || m->n_experts % w->ep))
        return m->n_experts == 0
                   ? arc_errorf(ARC_EINPUT, "--ep: the model has no experts; expected 1")
                   : arc_errorf(ARC_EINPUT, "--ep: expected a divisor of the model's %d experts",
                                m->n_experts);
    /* every count must fit in 64 bits: bound the largest attention, GEMM and KV counts */
    double tok = (double)w->batch * (w->phase == ARC_PHASE_PREFILL ? (double)w->ctx : 1.0);
    double attn_flop = w->phase == ARC_PHASE_PREFILL
                           ? 2.0 * (double)w->batch * m->n_heads * m->head_dim * (double)w->ctx * (double)(w->ctx + 1)
                           : 4.0 * (double)w->batch * m->n_heads * m->head_dim * (double)(w->ctx + 1);
    double width = fmax(fmax(3.0 * m->n_heads * m->head_dim, 2.0 * (double)m->ffn_dim * (m->top_k > 1 ? m->top_k : 1)),
                        fmax(2.0 * (double)m->shared_ffn_dim, fmax((double)m->vocab, (double)m->n_experts)));
    double gemm_flop = 2.0 * tok * (double)m->hidden * width;
    double kv_bytes = 2.0 * (double)w->batch * (double)(w->ctx + 2) * 2.0 * m->n_kv_heads * m->head_dim * 2.0;
    if (attn_flop > 9e18 || gemm_flop > 9e18 || kv_bytes > 9e18)
        return arc_errorf(ARC_EINPUT, "--%s: batch x ctx too large to count: an op would exceed 2^63 flop or bytes",
                          w->phase == ARC_PHASE_PREFILL ? "ctx" : "batch");
    return ARC_OK;
}

double arc_workload_tokens(const struct arc_workload *w)
{
    return w->phase == ARC_PHASE_PREFILL ? (double)w->batch * (double)w->ctx : (double)w->batch;
}

static int64_t cdiv_(int64_t a, int64_t b) { return (a + b - 1) / b; }

void arc_plan_make(const struct arc_model *m, const struct arc_workload *w, struct arc_plan *p)
{
    memset(p, 0, sizeof *p);
    p->stage_devices = w->devices / w->pp;
    p->dp = p->stage_devices / w->tp;
    p->tf = w->ep == 1 ? w->tp : p->stage_devices / w->ep;
    p->heads = m->n_heads / w->tp;
    p->kv_heads = m->n_kv_heads >= w->tp ? m->n_kv_heads / w->tp : 1;
    p->seqs = cdiv_(w->batch, p->dp);
    p->seq_q = w->phase == ARC_PHASE_PREFILL ? w->ctx : 1;
    p->tokens = p->seqs * p->seq_q;
    if (m->n_experts > 0) {
        double X = m->n_experts, k = m->top_k;
        /* Tokens routed over the expert set this device serves: its TP group's (ep == 1), or all
         * the stage's replicas' (ep > 1). Expected distinct experts hit: X (1 - (1 - k/X)^tokens). */
        double routed = w->ep == 1 ? (double)p->tokens
                                   : (double)(w->phase == ARC_PHASE_PREFILL ? w->ctx : 1) * (double)w->batch;
        double touched = X * (1.0 - pow(1.0 - k / X, routed));
        if (w->ep == 1) {
            p->experts_dev = touched;
            p->moe_rows = p->tokens * m->top_k;
        } else {
            /* The critical device: its group holds at least one hit expert and one row, even
             * when the mean over groups is below one (batch-1 decode). */
            double per = touched / w->ep, cap = X / w->ep;
            p->experts_dev = per < 1 ? 1 : per > cap ? cap : per;
            double rows = routed * k / w->ep;
            p->moe_rows = rows < 1 ? 1 : (int64_t)ceil(rows);
        }
    }
}

int arc_stage_of(const struct arc_model *m, const struct arc_workload *w, int layer)
{
    return (int)(((int64_t)(layer + 1) * w->pp - 1) / m->n_layers);
}

void arc_footprint(const struct arc_model *m, const struct arc_workload *w, struct arc_footprint *f)
{
    struct arc_plan p;
    arc_plan_make(m, w, &p);
    /* what one device holds, head by head as the ops read it: linear layers at the workload
     * dtype; embedding, LM head, norms and router in bf16; the heaviest pipeline stage counts */
    double h = (double)m->hidden, d = m->head_dim, H = p.heads, Hkv = p.kv_heads;
    double wb = arc_dtype_bytes(w->dtype);
    double soft = h * H * d + 2 * h * Hkv * d + H * d * h; /* q, k, v, o */
    double lin = h * 3 * H * d + h * H * d + H * d * h;    /* qkv, output gate, out */
    double ffn = 0, router = 0;
    if (m->n_experts > 0) {
        double local = w->ep == 1 ? m->n_experts : (double)m->n_experts / w->ep;
        ffn = local * 3 * h * (double)cdiv_(m->ffn_dim, p.tf) +
              (m->shared_ffn_dim ? 3 * h * (double)cdiv_(m->shared_ffn_dim, w->tp) : 0);
        router = h * m->n_experts;
    } else {
        ffn = 3 * h * (double)cdiv_(m->ffn_dim, w->tp);
    }
    double layer_w[ARC_MIXER_COUNT] = {
        [ARC_MIXER_SOFTMAX] = (soft + ffn) * wb + (2 * h + router) * 2.0,
        [ARC_MIXER_LIGHTNING] = (lin + ffn) * wb + (2 * h + H * d + router) * 2.0,
    };
    double kv_len = (double)w->ctx + (w->phase == ARC_PHASE_DECODE ? 1 : 0);
    double layer_kv = (double)p.seqs * kv_len * 2.0 * Hkv * d * arc_dtype_bytes(w->dtype);
    double layer_state = (double)p.seqs * H * d * d * 4.0;
    double vocab = (double)cdiv_(m->vocab, p.stage_devices) * h * 2.0; /* a vocab-parallel shard */
    memset(f, 0, sizeof *f);
    double best = -1;
    for (int s = 0; s < w->pp; s++) {
        struct arc_footprint g = {0};
        int lo = (int)((int64_t)s * m->n_layers / w->pp), hi = (int)((int64_t)(s + 1) * m->n_layers / w->pp);
        for (int l = lo; l < hi; l++) {
            g.weight += layer_w[m->mixer[l]];
            if (m->mixer[l] == ARC_MIXER_SOFTMAX)
                g.kv += layer_kv;
            else
                g.state += layer_state;
        }
        if (s == 0)
            g.weight += vocab; /* embedding */
        if (s == w->pp - 1) /* final norm and LM head, or a copy of the tied table */
            g.weight += h * 2.0 + (!m->tied_embeddings || w->pp > 1 ? vocab : 0);
        if (g.weight + g.kv + g.state > best) {
            best = g.weight + g.kv + g.state;
            *f = g;
        }
    }
}

/* ---- op emission ---- */

enum { ACT_BYTES = 2 }; /* activations are bf16 */

struct emit_ {
    struct arc_op_rec *ops;
    int n, max;
};

static uint64_t u64_(double x) { return x <= 0 ? 0 : (uint64_t)llround(x); }

static struct arc_op_rec *op_(struct emit_ *e, int layer, enum arc_op op, enum arc_block b,
                              const char *name, enum arc_dtype dt)
{
    ARC_ASSERT(e->n < e->max);
    struct arc_op_rec *o = &e->ops[e->n++];
    memset(o, 0, sizeof *o);
    o->layer = layer;
    o->op = (uint8_t)op;
    o->block = (uint8_t)b;
    o->dtype = (uint8_t)dt;
    ARC_ASSERT(strlen(name) < ARC_OP_NAME_MAX);
    strcpy(o->name, name);
    return o;
}

/* (M x K) x (K x N): weights N x K at wbytes each, input and output activations */
static void gemm_(struct emit_ *e, int layer, enum arc_block b, const char *name, enum arc_dtype dt,
                  int64_t M, int64_t N, int64_t K)
{
    struct arc_op_rec *o = op_(e, layer, ARC_OP_GEMM, b, name, dt);
    o->m = M;
    o->n = N;
    o->k = K;
    o->flop = 2 * (uint64_t)M * (uint64_t)N * (uint64_t)K;
    o->bytes[ARC_MEM_WEIGHT] = (uint64_t)N * (uint64_t)K * (uint64_t)arc_dtype_bytes(dt);
    o->bytes[ARC_MEM_ACT] = ((uint64_t)M * (uint64_t)K + (uint64_t)M * (uint64_t)N) * ACT_BYTES;
}

/* RMSNorm over rows x width: square, sum, scale, multiply by the weight (4 flop per element) */
static void norm_(struct emit_ *e, int layer, enum arc_block b, const char *name, int64_t rows,
                  int64_t width)
{
    struct arc_op_rec *o = op_(e, layer, ARC_OP_NORM, b, name, ARC_DTYPE_BF16);
    o->m = rows;
    o->n = width;
    o->k = width;
    o->flop = 4 * (uint64_t)rows * (uint64_t)width;
    o->bytes[ARC_MEM_WEIGHT] = (uint64_t)width * 2;
    o->bytes[ARC_MEM_ACT] = 2 * (uint64_t)rows * (uint64_t)width * ACT_BYTES;
}

/* rows x in_width elements read, rows x out_width written; flop_per_elem per element of the
 * output (per_input = 0) or of the input (per_input = 1) */
static void eltwise_(struct emit_ *e, int layer, enum arc_block b, const char *name, int64_t rows,
                     int64_t out_width, int64_t in_width, int flop_per_elem, int per_input)
{
    struct arc_op_rec *o = op_(e, layer, ARC_OP_ELEMENTWISE, b, name, ARC_DTYPE_BF16);
    o->m = rows;
    o->n = out_width;
    o->k = in_width;
    o->flop = (uint64_t)flop_per_elem * (uint64_t)rows * (uint64_t)(per_input ? in_width : out_width);
    o->bytes[ARC_MEM_ACT] = (uint64_t)rows * (uint64_t)(in_width + out_width) * ACT_BYTES;
}

/* size: the per-device buffer (all-reduce, all-to-all) or the gathered output (all-gather) */
static void collective_(struct emit_ *e, int layer, enum arc_block b, enum arc_op op,
                        const char *name, double size, int ranks)
{
    struct arc_op_rec *o = op_(e, layer, op, b, name, ARC_DTYPE_BF16);
    double r = ranks, frac = (r - 1) / r;
    o->ranks = ranks;
    o->m = u64_(size / ACT_BYTES);
    o->bytes[ARC_MEM_ACT] = u64_(2 * size);
    /* ring all-reduce sends 2 (r-1)/r of the buffer; all-to-all and all-gather (r-1)/r */
    o->link_bytes = u64_((op == ARC_OP_ALLREDUCE ? 2 : 1) * frac * size);
    o->flop = op == ARC_OP_ALLREDUCE ? u64_(frac * size / ACT_BYTES) : 0;
}

static void attn_softmax_(struct emit_ *e, const struct arc_model *m, const struct arc_workload *w,
                          const struct arc_plan *p, int L)
{
    const enum arc_block B = ARC_BLOCK_SOFTMAX_ATTN;
    int64_t t = p->tokens, h = m->hidden, d = m->head_dim, H = p->heads, Hkv = p->kv_heads;
    int kvb = arc_dtype_bytes(w->dtype);
    norm_(e, L, B, "attn_norm", t, h);
    gemm_(e, L, B, "qkv_proj", w->dtype, t, (H + 2 * Hkv) * d, h);
    if (m->rotary_dim > 0) {
        struct arc_op_rec *o = op_(e, L, ARC_OP_ROPE, B, "rope", ARC_DTYPE_BF16);
        int64_t elems = t * (H + Hkv) * m->rotary_dim;
        o->batch = p->seqs;
        o->heads = H;
        o->kv_heads = Hkv;
        o->head_dim = m->rotary_dim;
        o->seq_q = p->seq_q;
        o->flop = 3 * (uint64_t)elems; /* x cos + rotate(x) sin */
        o->bytes[ARC_MEM_ACT] = 2 * (uint64_t)elems * ACT_BYTES;
    }
    struct arc_op_rec *o = op_(e, L, ARC_OP_SOFTMAX_ATTN, B, "attn", ARC_DTYPE_BF16);
    o->batch = p->seqs;
    o->heads = H;
    o->kv_heads = Hkv;
    o->head_dim = d;
    o->seq_q = p->seq_q;
    uint64_t kv_row = 2 * (uint64_t)Hkv * (uint64_t)d * (uint64_t)kvb; /* K and V of one token */
    if (w->phase == ARC_PHASE_PREFILL) {
        /* causal: query i attends to i + 1 keys; QK^T and PV are 2 d flop per pair each */
        o->seq_kv = w->ctx;
        o->flop = 2 * (uint64_t)p->seqs * (uint64_t)H * (uint64_t)d * (uint64_t)w->ctx *
                  (uint64_t)(w->ctx + 1);
        o->bytes[ARC_MEM_KV] = 2 * (uint64_t)t * kv_row; /* written once, read once */
    } else {
        o->seq_kv = w->ctx + 1; /* the cached context and the new token */
        o->flop = 4 * (uint64_t)p->seqs * (uint64_t)H * (uint64_t)d * (uint64_t)o->seq_kv;
        o->bytes[ARC_MEM_KV] = (uint64_t)p->seqs * ((uint64_t)o->seq_kv + 1) * kv_row;
    }
    /* q in, o out, the new k and v in */
    o->bytes[ARC_MEM_ACT] = ((uint64_t)t * (2 * H + 2 * Hkv) * (uint64_t)d) * ACT_BYTES;
    gemm_(e, L, B, "o_proj", w->dtype, t, h, H * d);
    if (w->tp > 1)
        collective_(e, L, B, ARC_OP_ALLREDUCE, "attn_allreduce", (double)t * h * ACT_BYTES, w->tp);
    eltwise_(e, L, B, "attn_residual", t, h, 2 * h, 2, 0);
}

/* Lightning prefill flop per head per sequence over nb blocks of C tokens (FORMAT.md):
 * intra 4 C^2 d + C^2 (decay mask), inter 2 C d^2 + 2 C d, state 2 C d^2 + C d + 2 d^2. */
uint64_t arc_lightning_prefill_flop(int64_t seq, int64_t chunk, int64_t d)
{
    uint64_t C = (uint64_t)chunk, D = (uint64_t)d, nb = (uint64_t)cdiv_(seq, chunk);
    return nb * (4 * C * C * D + C * C + 4 * C * D * D + 3 * C * D + 2 * D * D);
}

static void attn_lightning_(struct emit_ *e, const struct arc_model *m,
                            const struct arc_workload *w, const struct arc_plan *p, int L)
{
    const enum arc_block B = ARC_BLOCK_LIGHTNING_ATTN;
    int64_t t = p->tokens, h = m->hidden, d = m->head_dim, H = p->heads;
    norm_(e, L, B, "attn_norm", t, h);
    gemm_(e, L, B, "qkv_proj", w->dtype, t, 3 * H * d, h);
    eltwise_(e, L, B, "qkv_silu", t, 3 * H * d, 3 * H * d, 4, 0);
    struct arc_op_rec *o = op_(e, L, ARC_OP_LIGHTNING_ATTN, B, "attn",
                               w->phase == ARC_PHASE_PREFILL ? ARC_DTYPE_BF16 : ARC_DTYPE_FP32);
    o->batch = p->seqs;
    o->heads = H;
    o->head_dim = d;
    o->seq_q = p->seq_q;
    uint64_t state = (uint64_t)p->seqs * (uint64_t)H * (uint64_t)d * (uint64_t)d * 4;
    if (w->phase == ARC_PHASE_PREFILL) {
        o->seq_kv = w->ctx;
        o->chunk = w->chunk;
        o->flop = (uint64_t)p->seqs * (uint64_t)H * arc_lightning_prefill_flop(w->ctx, w->chunk, d);
        o->bytes[ARC_MEM_STATE] = state; /* the final state, written once for decode */
    } else {
        o->seq_kv = w->ctx + 1;
        /* S = lambda S + k^T v (3 d^2), o = q S (2 d^2) */
        o->flop = 5 * (uint64_t)p->seqs * (uint64_t)H * (uint64_t)d * (uint64_t)d;
        o->bytes[ARC_MEM_STATE] = 2 * state; /* read and written back */
    }
    o->bytes[ARC_MEM_ACT] = 4 * (uint64_t)t * (uint64_t)H * (uint64_t)d * ACT_BYTES; /* q k v o */
    /* RMSNorm over all H d outputs; under TP its sum of squares needs a 4-byte-per-token
     * all-reduce, left out as negligible */
    norm_(e, L, B, "attn_out_norm", t, H * d);
    gemm_(e, L, B, "output_gate", w->dtype, t, H * d, h);
    eltwise_(e, L, B, "gate_mul", t, H * d, 2 * H * d, 5, 0);
    gemm_(e, L, B, "out_proj", w->dtype, t, h, H * d);
    if (w->tp > 1)
        collective_(e, L, B, ARC_OP_ALLREDUCE, "attn_allreduce", (double)t * h * ACT_BYTES, w->tp);
    eltwise_(e, L, B, "attn_residual", t, h, 2 * h, 2, 0);
}

static void ffn_dense_(struct emit_ *e, enum arc_block B, const char *const names[3],
                       const struct arc_workload *w, int L, int64_t t, int64_t h, int64_t f)
{
    gemm_(e, L, B, names[0], w->dtype, t, 2 * f, h);
    eltwise_(e, L, B, names[1], t, f, 2 * f, 5, 0); /* silu(gate) * up */
    gemm_(e, L, B, names[2], w->dtype, t, h, f);
}

static void ffn_(struct emit_ *e, const struct arc_model *m, const struct arc_workload *w,
                 const struct arc_plan *p, int L)
{
    int64_t t = p->tokens, h = m->hidden;
    if (m->n_experts == 0) {
        static const char *const names[3] = {"gate_up", "swiglu", "down"};
        norm_(e, L, ARC_BLOCK_DENSE_FFN, "ffn_norm", t, h);
        ffn_dense_(e, ARC_BLOCK_DENSE_FFN, names, w, L, t, h, cdiv_(m->ffn_dim, w->tp));
        if (w->tp > 1)
            collective_(e, L, ARC_BLOCK_DENSE_FFN, ARC_OP_ALLREDUCE, "ffn_allreduce",
                        (double)t * h * ACT_BYTES, w->tp);
        eltwise_(e, L, ARC_BLOCK_DENSE_FFN, "ffn_residual", t, h, 2 * h, 2, 0);
        return;
    }
    const enum arc_block B = ARC_BLOCK_MOE_FFN;
    int64_t X = m->n_experts, k = m->top_k, f = cdiv_(m->ffn_dim, p->tf), rows = p->moe_rows;
    int wb = arc_dtype_bytes(w->dtype);
    norm_(e, L, B, "ffn_norm", t, h);
    gemm_(e, L, B, "router", ARC_DTYPE_BF16, t, X, h);
    eltwise_(e, L, B, "topk", t, k, X, 5, 1); /* softmax over X logits, pick k */
    /* ep > 1: each device dispatches its 1/tp share of the replicated tokens, k copies each, to
     * the tf devices holding the expert's shards */
    double a2a = (double)cdiv_(t, w->tp) * k * p->tf * h * ACT_BYTES;
    if (w->ep > 1)
        collective_(e, L, B, ARC_OP_ALLTOALL, "dispatch", a2a, p->stage_devices);
    struct arc_op_rec *o = op_(e, L, ARC_OP_GROUPED_GEMM, B, "experts_gate_up", w->dtype);
    o->m = rows;
    o->n = 2 * f;
    o->k = h;
    o->groups = (int64_t)ceil(p->experts_dev);
    o->flop = 2 * (uint64_t)rows * (uint64_t)(2 * f) * (uint64_t)h;
    o->bytes[ARC_MEM_WEIGHT] = u64_(p->experts_dev * 2.0 * f * h * wb);
    o->bytes[ARC_MEM_ACT] = ((uint64_t)rows * (uint64_t)h + (uint64_t)rows * 2 * f) * ACT_BYTES;
    eltwise_(e, L, B, "experts_swiglu", rows, f, 2 * f, 5, 0);
    o = op_(e, L, ARC_OP_GROUPED_GEMM, B, "experts_down", w->dtype);
    o->m = rows;
    o->n = h;
    o->k = f;
    o->groups = (int64_t)ceil(p->experts_dev);
    o->flop = 2 * (uint64_t)rows * (uint64_t)h * (uint64_t)f;
    o->bytes[ARC_MEM_WEIGHT] = u64_(p->experts_dev * (double)f * h * wb);
    o->bytes[ARC_MEM_ACT] = ((uint64_t)rows * (uint64_t)f + (uint64_t)rows * h) * ACT_BYTES;
    if (m->shared_ffn_dim > 0) {
        static const char *const names[3] = {"shared_gate_up", "shared_swiglu", "shared_down"};
        ffn_dense_(e, B, names, w, L, t, h, cdiv_(m->shared_ffn_dim, w->tp));
    }
    if (w->ep > 1) {
        collective_(e, L, B, ARC_OP_ALLTOALL, "combine", a2a, p->stage_devices);
        if (w->tp > 1)
            collective_(e, L, B, ARC_OP_ALLGATHER, "tp_allgather", (double)t * h * ACT_BYTES, w->tp);
    } else if (w->tp > 1) {
        collective_(e, L, B, ARC_OP_ALLREDUCE, "ffn_allreduce", (double)t * h * ACT_BYTES, w->tp);
    }
    /* weighted sum of the k expert outputs and the residual */
    eltwise_(e, L, B, "ffn_residual", t, h, (k + 1) * h, 2 * (int)k, 0);
}

int arc_layer_ops(const struct arc_model *m, const struct arc_workload *w, const struct arc_plan *p,
                  int layer, struct arc_op_rec *ops, int max)
{
    struct emit_ e = {ops, 0, max};
    int64_t t = p->tokens, h = m->hidden;
    /* the embedding and LM head are split by vocabulary over the stage's S devices and serve
     * all its replicas' tokens (with one replica, S = tp) */
    int S = p->stage_devices;
    int64_t t_all = t * p->dp, seqs_all = p->seqs * p->dp;
    if (layer < 0) {
        /* each device gathers the rows it holds, then all-reduce */
        struct arc_op_rec *o = op_(&e, -1, ARC_OP_EMBED, ARC_BLOCK_OTHER, "embed", ARC_DTYPE_BF16);
        o->m = t_all;
        o->n = h;
        o->bytes[ARC_MEM_WEIGHT] = u64_((double)t_all * h * 2 / S);
        o->bytes[ARC_MEM_ACT] = (uint64_t)t_all * (uint64_t)h * ACT_BYTES + (uint64_t)t_all * 4; /* ids */
        if (S > 1)
            collective_(&e, -1, ARC_BLOCK_OTHER, ARC_OP_ALLREDUCE, "embed_allreduce",
                        (double)t_all * h * ACT_BYTES, S);
        return e.n;
    }
    if (layer >= m->n_layers) {
        /* logits only for each sequence's last position, as serving engines compute them */
        norm_(&e, m->n_layers, ARC_BLOCK_OTHER, "final_norm", t, h);
        int64_t vdev = cdiv_(m->vocab, S);
        gemm_(&e, m->n_layers, ARC_BLOCK_OTHER, "lm_head", ARC_DTYPE_BF16, seqs_all, vdev, h);
        if (S > 1)
            collective_(&e, m->n_layers, ARC_BLOCK_OTHER, ARC_OP_ALLGATHER, "logits_allgather",
                        (double)seqs_all * vdev * S * ACT_BYTES, S);
        return e.n;
    }
    if (m->mixer[layer] == ARC_MIXER_SOFTMAX)
        attn_softmax_(&e, m, w, p, layer);
    else
        attn_lightning_(&e, m, w, p, layer);
    ffn_(&e, m, w, p, layer);
    return e.n;
}

void arc_stage_send_op(const struct arc_model *m, const struct arc_workload *w,
                       const struct arc_plan *p, int layer, struct arc_op_rec *op)
{
    struct emit_ e = {op, 0, 1};
    struct arc_op_rec *o = op_(&e, layer, ARC_OP_SEND, ARC_BLOCK_OTHER, "pp_send", ARC_DTYPE_BF16);
    double size = (double)p->tokens * (double)m->hidden * ACT_BYTES;
    o->ranks = 2;
    o->m = p->tokens * m->hidden;
    o->bytes[ARC_MEM_ACT] = u64_(size);
    o->link_bytes = u64_(size);
    (void)w;
}

int arc_trace_build(const struct arc_model *m, const struct arc_workload *w, struct arc_trace *t)
{
    int st = arc_workload_check(w, m);
    if (st < 0)
        return st;
    arc_trace_init(t);
    snprintf(t->model, sizeof t->model, "%s", m->name);
    arc_model_pattern(m, t->pattern, sizeof t->pattern);
    t->wl = *w;
    struct arc_footprint f;
    arc_footprint(m, w, &f);
    t->mem_weight_bytes = u64_(f.weight);
    t->mem_kv_bytes = u64_(f.kv);
    t->mem_state_bytes = u64_(f.state);
    struct arc_plan p;
    arc_plan_make(m, w, &p);
    struct arc_op_rec buf[ARC_LAYER_OPS_MAX];
    for (int layer = -1; layer <= m->n_layers; layer++) {
        int n = arc_layer_ops(m, w, &p, layer, buf, ARC_LAYER_OPS_MAX);
        for (int i = 0; i < n; i++)
            *arc_trace_push(t) = buf[i];
        /* the last layer of a stage hands its activations to the next stage */
        if (layer >= 0 && layer < m->n_layers - 1 &&
            arc_stage_of(m, w, layer) != arc_stage_of(m, w, layer + 1))
            arc_stage_send_op(m, w, &p, layer, arc_trace_push(t));
    }
    return ARC_OK;
}
