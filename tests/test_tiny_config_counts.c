/* Rule: every count arclight makes for a small MiniMax-style model equals the count worked out by
 * hand from traces/FORMAT.md: parameters, KV and state bytes, and the flop, shapes and every bytes
 * column of each op of one lightning layer, the softmax layer, the MoE block, the embedding and the
 * LM head, in decode (batch 2, ctx 40, tp 1 and tp 2) and prefill (batch 1, ctx 40).
 *
 * tests/data/tiny-hybrid.json: L = 4 layers, pattern LLLS, h = 64, H = 4 heads, d = 16, Hkv = 2,
 * rotary 8, E = 4 experts, top-k = 2, f = 32 per expert, vocab 100, untied, block C = 16.
 * Every expected number below is a literal with its arithmetic in a comment; nothing is computed
 * with the library's helpers. Activations are bf16 (2 B), states fp32 (4 B), weights bf16 (2 B).
 * Not for: the real models (test_minimax_param_counts.c) or costing (test_energy_model.c). */
#include <stdint.h>

#include "arclight/model.h"
#include "arclight/trace.h"
#include "arclight/workload.h"
#include "check.h"

/* One expected row; fields not named are 0. */
struct want {
    int layer;
    const char *name;
    enum arc_op op;
    enum arc_block block;
    enum arc_dtype dtype; /* ARC_DTYPE_FP32 is 0: every row names its dtype */
    int64_t m, n, k, groups, batch, heads, kv_heads, head_dim, seq_q, seq_kv, chunk, ranks;
    uint64_t flop, w, act, kv, state, link;
};

#define BF16 ARC_DTYPE_BF16
#define FP32 ARC_DTYPE_FP32
#define LA ARC_BLOCK_LIGHTNING_ATTN
#define SA ARC_BLOCK_SOFTMAX_ATTN
#define MOE ARC_BLOCK_MOE_FFN
#define OTHER ARC_BLOCK_OTHER

static const struct arc_op_rec *find_(const struct arc_trace *t, int layer, const char *name)
{
    for (int i = 0; i < t->n_ops; i++)
        if (t->ops[i].layer == layer && strcmp(t->ops[i].name, name) == 0)
            return &t->ops[i];
    return NULL;
}

static int rows_in_layer_(const struct arc_trace *t, int layer)
{
    int n = 0;
    for (int i = 0; i < t->n_ops; i++)
        n += t->ops[i].layer == layer;
    return n;
}

/* Each expected row is in the trace with exactly these fields; the listed layers hold no others. */
static void compare_(const char *what, const struct arc_trace *t, const struct want *w, int n)
{
    for (int i = 0; i < n; i++) {
        const struct want *e = &w[i];
        const struct arc_op_rec *o = find_(t, e->layer, e->name);
        if (!CHECK_MSG(o, "%s: no row layer %d name %s", what, e->layer, e->name))
            continue;
#define F(field, want_)                                                                            \
    CHECK_MSG((uint64_t)(o->field) == (uint64_t)(want_), "%s: layer %d %s: " #field " %llu, want %llu", \
              what, e->layer, e->name, (unsigned long long)(o->field), (unsigned long long)(want_))
        F(op, e->op);
        F(block, e->block);
        F(dtype, e->dtype);
        F(m, e->m);
        F(n, e->n);
        F(k, e->k);
        F(groups, e->groups);
        F(batch, e->batch);
        F(heads, e->heads);
        F(kv_heads, e->kv_heads);
        F(head_dim, e->head_dim);
        F(seq_q, e->seq_q);
        F(seq_kv, e->seq_kv);
        F(chunk, e->chunk);
        F(ranks, e->ranks);
        F(flop, e->flop);
        F(bytes[ARC_MEM_WEIGHT], e->w);
        F(bytes[ARC_MEM_ACT], e->act);
        F(bytes[ARC_MEM_KV], e->kv);
        F(bytes[ARC_MEM_STATE], e->state);
        F(link_bytes, e->link);
#undef F
    }
    /* no rows beyond the expected ones in the (layer, block)s listed */
    for (int layer = -1; layer <= 4; layer++)
        for (int b = 0; b < ARC_BLOCK_COUNT; b++) {
            int expected = 0, found = 0;
            for (int i = 0; i < n; i++)
                expected += w[i].layer == layer && w[i].block == (enum arc_block)b;
            for (int i = 0; i < t->n_ops; i++)
                found += t->ops[i].layer == layer && t->ops[i].block == b;
            if (expected)
                CHECK_MSG(found == expected, "%s: layer %d block %s has %d rows, want %d", what,
                          layer, arc_block_name((enum arc_block)b), found, expected);
        }
}

static int same_but_layer_(const struct arc_op_rec *a, const struct arc_op_rec *b)
{
    int same = a->op == b->op && a->block == b->block && a->dtype == b->dtype &&
               strcmp(a->name, b->name) == 0 && a->m == b->m && a->n == b->n && a->k == b->k &&
               a->groups == b->groups && a->batch == b->batch && a->heads == b->heads &&
               a->kv_heads == b->kv_heads && a->head_dim == b->head_dim && a->seq_q == b->seq_q &&
               a->seq_kv == b->seq_kv && a->chunk == b->chunk && a->ranks == b->ranks &&
               a->flop == b->flop && a->link_bytes == b->link_bytes;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        same = same && a->bytes[i] == b->bytes[i];
    return same;
}

/* The lightning layers 1 and 2 repeat layer 0; the softmax layer's MoE block repeats layer 0's. */
static void check_repeats_(const char *what, const struct arc_trace *t)
{
    for (int i = 0; i < t->n_ops; i++) {
        const struct arc_op_rec *o = &t->ops[i];
        int ref_layer = -2;
        if (o->layer == 1 || o->layer == 2)
            ref_layer = 0;
        else if (o->layer == 3 && o->block == ARC_BLOCK_MOE_FFN)
            ref_layer = 0;
        if (ref_layer < 0)
            continue;
        const struct arc_op_rec *r = find_(t, ref_layer, o->name);
        if (!CHECK_MSG(r, "%s: layer %d %s has no twin in layer 0", what, o->layer, o->name))
            continue;
        CHECK_MSG(same_but_layer_(o, r), "%s: layer %d %s differs from layer 0", what, o->layer,
                  o->name);
    }
    CHECK_EQ_I(rows_in_layer_(t, 1), rows_in_layer_(t, 0));
    CHECK_EQ_I(rows_in_layer_(t, 2), rows_in_layer_(t, 0));
}

static void check_params_(const struct arc_model *m)
{
    struct arc_params p;
    arc_model_params(m, &p);
    CHECK_EQ_I(m->n_layers, 4);
    CHECK_EQ_I(arc_model_count(m, ARC_MIXER_SOFTMAX), 1);
    CHECK_EQ_I(arc_model_count(m, ARC_MIXER_LIGHTNING), 3);
    CHECK_EQ_I(m->mixer[3], ARC_MIXER_SOFTMAX);
    CHECK_CLOSE(p.embed, 6400, 0);          /* 100 x 64 */
    CHECK_CLOSE(p.lm_head, 6400, 0);        /* untied: 100 x 64 */
    CHECK_CLOSE(p.softmax_attn, 12288, 0);  /* 1 layer: q 64x64 + k,v 2 x 64x32 + o 64x64 = 4096 + 4096 + 4096 */
    CHECK_CLOSE(p.lightning_attn, 61440, 0);/* 3 x (qkv 64x192 12288 + gate 64x64 4096 + out 4096) = 3 x 20480 */
    CHECK_CLOSE(p.experts, 98304, 0);       /* 4 layers x 4 experts x 3 x 64 x 32 (6144) */
    CHECK_CLOSE(p.experts_active, 49152, 0);/* 4 layers x 2 x 6144 */
    CHECK_CLOSE(p.router, 1024, 0);         /* 4 layers x 64 x 4 */
    CHECK_CLOSE(p.shared_ffn, 0, 0);
    CHECK_CLOSE(p.dense_ffn, 0, 0);
    CHECK_CLOSE(p.norms, 768, 0);           /* 4 layers x 2 x 64 + final 64 + 3 lightning output norms x 64 */
    CHECK_CLOSE(p.total, 186624, 0);        /* 6400 + 6400 + 12288 + 61440 + 98304 + 1024 + 768 */
    CHECK_CLOSE(p.active, 124672, 0);       /* 12288 + 61440 + 49152 + 1024 + 768 */
    CHECK_CLOSE(arc_model_kv_bytes_per_token(m, ARC_DTYPE_BF16), 128, 0); /* 1 layer x K,V x 2 heads x 16 x 2 B */
    CHECK_CLOSE(arc_model_kv_bytes_per_token(m, ARC_DTYPE_FP8), 64, 0);   /* 1 x 2 x 2 x 16 x 1 B */
    CHECK_CLOSE(arc_model_state_bytes_per_sequence(m), 12288, 0);         /* 3 layers x 4 heads x 16^2 x 4 B */
}

/* ---- decode, batch 2, ctx 40, tp 1: t = 2 tokens, 2 sequences, 41 keys ----
 * Expected experts: 4 (1 - (1 - 2/4)^2) = 4 x 0.75 = 3; rows = 2 tokens x top-2 = 4. */
static const struct want decode_tp1_[] = {
    {.layer = -1, .name = "embed", .op = ARC_OP_EMBED, .block = OTHER, .dtype = BF16, .m = 2, .n = 64,
     .w = 256,   /* 2 rows x 64 x 2 B */
     .act = 264}, /* out 2 x 64 x 2 + ids 2 x 4 B */
    /* lightning layer 0 */
    {.layer = 0, .name = "attn_norm", .op = ARC_OP_NORM, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, /* 4 x 2 x 64 */ .w = 128, /* 64 x 2 */ .act = 512 /* 2 x 2 x 64 x 2 */},
    {.layer = 0, .name = "qkv_proj", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 2, .n = 192, .k = 64,
     .flop = 49152, /* 2 x 2 x 192 x 64 */ .w = 24576, /* 192 x 64 x 2 */ .act = 1024 /* (2x64 + 2x192) x 2 */},
    {.layer = 0, .name = "qkv_silu", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 2, .n = 192, .k = 192,
     .flop = 1536, /* 4 x 2 x 192 */ .act = 1536 /* 2 x (192 + 192) x 2 */},
    {.layer = 0, .name = "attn", .op = ARC_OP_LIGHTNING_ATTN, .block = LA, .dtype = FP32, .batch = 2, .heads = 4,
     .head_dim = 16, .seq_q = 1, .seq_kv = 41,
     .flop = 10240,  /* 5 d^2 per head and sequence: 5 x 2 x 4 x 256 */
     .act = 1024,    /* q, k, v in, o out: 4 x 2 x 4 x 16 x 2 */
     .state = 16384},/* read + write: 2 x (2 x 4 x 256 x 4 B) */
    {.layer = 0, .name = "attn_out_norm", .op = ARC_OP_NORM, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, /* 4 x 2 x (H d = 64) */ .w = 128, .act = 512},
    {.layer = 0, .name = "output_gate", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 16384, /* 2 x 2 x 64 x 64 */ .w = 8192, /* 64 x 64 x 2 */ .act = 512 /* (128 + 128) x 2 */},
    {.layer = 0, .name = "gate_mul", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 128,
     .flop = 640, /* sigmoid gate 5 x 2 x 64 */ .act = 768 /* 2 x (128 + 64) x 2 */},
    {.layer = 0, .name = "out_proj", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 16384, .w = 8192, .act = 512},
    {.layer = 0, .name = "attn_residual", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 128,
     .flop = 256, /* 2 x 2 x 64 */ .act = 768 /* 2 x (128 + 64) x 2 */},
    /* MoE block of layer 0 */
    {.layer = 0, .name = "ffn_norm", .op = ARC_OP_NORM, .block = MOE, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, .w = 128, .act = 512},
    {.layer = 0, .name = "router", .op = ARC_OP_GEMM, .block = MOE, .dtype = BF16, .m = 2, .n = 4, .k = 64,
     .flop = 1024, /* 2 x 2 x 4 x 64 */ .w = 512, /* 4 x 64 x 2 */ .act = 272 /* (2x64 + 2x4) x 2 */},
    /* top-k: FORMAT.md counts 5 flop per logit; 2 tokens x E = 4 logits */
    {.layer = 0, .name = "topk", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 2, .n = 2, .k = 4,
     .flop = 40, /* 5 x 2 x 4 */ .act = 24 /* 2 x (4 + 2) x 2 */},
    {.layer = 0, .name = "experts_gate_up", .op = ARC_OP_GROUPED_GEMM, .block = MOE, .dtype = BF16, .m = 4, .n = 64,
     .k = 64, .groups = 3,
     .flop = 32768, /* 2 x 4 x 64 x 64 */
     .w = 24576,    /* 3 experts x (64 x 64 x 2 B) */
     .act = 1024},  /* (4 x 64 + 4 x 64) x 2 */
    {.layer = 0, .name = "experts_swiglu", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 4, .n = 32, .k = 64,
     .flop = 640, /* 5 x 4 x 32 */ .act = 768 /* 4 x (64 + 32) x 2 */},
    {.layer = 0, .name = "experts_down", .op = ARC_OP_GROUPED_GEMM, .block = MOE, .dtype = BF16, .m = 4, .n = 64,
     .k = 32, .groups = 3,
     .flop = 16384, /* 2 x 4 x 64 x 32 */
     .w = 12288,    /* 3 x (32 x 64 x 2 B) */
     .act = 768},   /* (4 x 32 + 4 x 64) x 2 */
    {.layer = 0, .name = "ffn_residual", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 2, .n = 64, .k = 192,
     .flop = 512, /* k = 2 scaled adds, 2 flop each: 4 x 2 x 64 */ .act = 1024 /* 2 x (3 x 64 + 64) x 2 */},
    /* softmax layer 3 */
    {.layer = 3, .name = "attn_norm", .op = ARC_OP_NORM, .block = SA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, .w = 128, .act = 512},
    {.layer = 3, .name = "qkv_proj", .op = ARC_OP_GEMM, .block = SA, .dtype = BF16, .m = 2, .n = 128, .k = 64,
     .flop = 32768, /* 2 x 2 x (4 + 2 x 2) 16 x 64 */ .w = 16384, /* 128 x 64 x 2 */ .act = 768 /* (128 + 256) x 2 */},
    {.layer = 3, .name = "rope", .op = ARC_OP_ROPE, .block = SA, .dtype = BF16, .batch = 2, .heads = 4, .kv_heads = 2,
     .head_dim = 8, .seq_q = 1,
     .flop = 288, /* 3 x (2 tokens x (4 + 2) heads x 8 dims = 96) */ .act = 384 /* 96 read + written x 2 B */},
    {.layer = 3, .name = "attn", .op = ARC_OP_SOFTMAX_ATTN, .block = SA, .dtype = BF16, .batch = 2, .heads = 4,
     .kv_heads = 2, .head_dim = 16, .seq_q = 1, .seq_kv = 41,
     .flop = 20992, /* 4 x 2 x 4 x 16 x (40 + 1) */
     .act = 768,    /* q in, o out, new k, v in: 2 x (2x4 + 2x2) x 16 x 2 */
     .kv = 10752},  /* 2 x (40 + 2) x (K,V 2 x 2 x 16 x 2 B = 128) */
    {.layer = 3, .name = "o_proj", .op = ARC_OP_GEMM, .block = SA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 16384, .w = 8192, .act = 512},
    {.layer = 3, .name = "attn_residual", .op = ARC_OP_ELEMENTWISE, .block = SA, .dtype = BF16, .m = 2, .n = 64, .k = 128,
     .flop = 256, .act = 768},
    /* tail */
    {.layer = 4, .name = "final_norm", .op = ARC_OP_NORM, .block = OTHER, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, .w = 128, .act = 512},
    {.layer = 4, .name = "lm_head", .op = ARC_OP_GEMM, .block = OTHER, .dtype = BF16, .m = 2, .n = 100, .k = 64,
     .flop = 25600, /* 2 x 2 x 100 x 64 */ .w = 12800, /* 100 x 64 x 2 */ .act = 656 /* (2x64 + 2x100) x 2 */},
};

/* ---- prefill, batch 1, ctx 40, tp 1: t = 40 tokens; lightning pads 40 to nb = ceil(40/16) = 3
 * blocks of C = 16. Expected experts 4 (1 - (1/2)^40) = 4 - 2^-38, so 4 groups and
 * weight bytes (4 - 2^-38) x shard = shard x 4 after rounding; rows = 40 x 2 = 80. ---- */
static const struct want prefill_tp1_[] = {
    {.layer = -1, .name = "embed", .op = ARC_OP_EMBED, .block = OTHER, .dtype = BF16, .m = 40, .n = 64,
     .w = 5120,   /* 40 x 64 x 2 */
     .act = 5280},/* 40 x 64 x 2 + 40 ids x 4 B */
    {.layer = 0, .name = "attn_norm", .op = ARC_OP_NORM, .block = LA, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 10240, /* 4 x 40 x 64 */ .w = 128, .act = 10240 /* 2 x 40 x 64 x 2 */},
    {.layer = 0, .name = "qkv_proj", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 40, .n = 192, .k = 64,
     .flop = 983040, /* 2 x 40 x 192 x 64 */ .w = 24576, .act = 20480 /* (40x64 + 40x192) x 2 */},
    {.layer = 0, .name = "qkv_silu", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 40, .n = 192, .k = 192,
     .flop = 30720, /* 4 x 40 x 192 */ .act = 30720 /* 40 x 384 x 2 */},
    /* per block and head: 4 C^2 d + C^2 + 4 C d^2 + 3 C d + 2 d^2
     *   = 16384 + 256 + 16384 + 768 + 512 = 34304; x 3 blocks x 4 heads x 1 sequence */
    {.layer = 0, .name = "attn", .op = ARC_OP_LIGHTNING_ATTN, .block = LA, .dtype = BF16, .batch = 1, .heads = 4,
     .head_dim = 16, .seq_q = 40, .seq_kv = 40, .chunk = 16,
     .flop = 411648, /* 34304 x 3 x 4 */
     .act = 20480,   /* 4 x 40 x 4 x 16 x 2 */
     .state = 4096}, /* final state written once: 1 x 4 x 256 x 4 B */
    {.layer = 0, .name = "attn_out_norm", .op = ARC_OP_NORM, .block = LA, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 10240, .w = 128, .act = 10240},
    {.layer = 0, .name = "output_gate", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 327680, /* 2 x 40 x 64 x 64 */ .w = 8192, .act = 10240 /* (2560 + 2560) x 2 */},
    {.layer = 0, .name = "gate_mul", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 40, .n = 64, .k = 128,
     .flop = 12800, /* 5 x 40 x 64 */ .act = 15360 /* 40 x 192 x 2 */},
    {.layer = 0, .name = "out_proj", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 327680, .w = 8192, .act = 10240},
    {.layer = 0, .name = "attn_residual", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 40, .n = 64, .k = 128,
     .flop = 5120, /* 2 x 40 x 64 */ .act = 15360},
    {.layer = 0, .name = "ffn_norm", .op = ARC_OP_NORM, .block = MOE, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 10240, .w = 128, .act = 10240},
    {.layer = 0, .name = "router", .op = ARC_OP_GEMM, .block = MOE, .dtype = BF16, .m = 40, .n = 4, .k = 64,
     .flop = 20480, /* 2 x 40 x 4 x 64 */ .w = 512, .act = 5440 /* (2560 + 160) x 2 */},
    {.layer = 0, .name = "topk", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 40, .n = 2, .k = 4,
     .flop = 800, /* 5 per logit: 5 x 40 x 4 */ .act = 480 /* 40 x 6 x 2 */},
    {.layer = 0, .name = "experts_gate_up", .op = ARC_OP_GROUPED_GEMM, .block = MOE, .dtype = BF16, .m = 80, .n = 64,
     .k = 64, .groups = 4,
     .flop = 655360, /* 2 x 80 x 64 x 64 */
     .w = 32768,     /* 4 x 8192 */
     .act = 20480},  /* (80x64 + 80x64) x 2 */
    {.layer = 0, .name = "experts_swiglu", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 80, .n = 32, .k = 64,
     .flop = 12800, /* 5 x 80 x 32 */ .act = 15360 /* 80 x 96 x 2 */},
    {.layer = 0, .name = "experts_down", .op = ARC_OP_GROUPED_GEMM, .block = MOE, .dtype = BF16, .m = 80, .n = 64,
     .k = 32, .groups = 4,
     .flop = 327680, /* 2 x 80 x 64 x 32 */
     .w = 16384,     /* 4 x 4096 */
     .act = 15360},  /* (80x32 + 80x64) x 2 */
    {.layer = 0, .name = "ffn_residual", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 40, .n = 64, .k = 192,
     .flop = 10240, /* 4 x 40 x 64 */ .act = 20480 /* 40 x 256 x 2 */},
    {.layer = 3, .name = "attn_norm", .op = ARC_OP_NORM, .block = SA, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 10240, .w = 128, .act = 10240},
    {.layer = 3, .name = "qkv_proj", .op = ARC_OP_GEMM, .block = SA, .dtype = BF16, .m = 40, .n = 128, .k = 64,
     .flop = 655360, /* 2 x 40 x 128 x 64 */ .w = 16384, .act = 15360 /* (2560 + 5120) x 2 */},
    {.layer = 3, .name = "rope", .op = ARC_OP_ROPE, .block = SA, .dtype = BF16, .batch = 1, .heads = 4, .kv_heads = 2,
     .head_dim = 8, .seq_q = 40,
     .flop = 5760, /* 3 x (40 x 6 x 8 = 1920) */ .act = 7680 /* 2 x 1920 x 2 */},
    {.layer = 3, .name = "attn", .op = ARC_OP_SOFTMAX_ATTN, .block = SA, .dtype = BF16, .batch = 1, .heads = 4,
     .kv_heads = 2, .head_dim = 16, .seq_q = 40, .seq_kv = 40,
     .flop = 209920, /* causal: 2 x 1 x 4 x 16 x 40 x 41 */
     .act = 15360,   /* 40 x (2x4 + 2x2) x 16 x 2 */
     .kv = 10240},   /* written and read once: 2 x 40 x 128 */
    {.layer = 3, .name = "o_proj", .op = ARC_OP_GEMM, .block = SA, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 327680, .w = 8192, .act = 10240},
    {.layer = 3, .name = "attn_residual", .op = ARC_OP_ELEMENTWISE, .block = SA, .dtype = BF16, .m = 40, .n = 64, .k = 128,
     .flop = 5120, .act = 15360},
    {.layer = 4, .name = "final_norm", .op = ARC_OP_NORM, .block = OTHER, .dtype = BF16, .m = 40, .n = 64, .k = 64,
     .flop = 10240, .w = 128, .act = 10240},
    /* logits for the last position of the one sequence only */
    {.layer = 4, .name = "lm_head", .op = ARC_OP_GEMM, .block = OTHER, .dtype = BF16, .m = 1, .n = 100, .k = 64,
     .flop = 12800, /* 2 x 1 x 100 x 64 */ .w = 12800, .act = 328 /* (64 + 100) x 2 */},
};

/* ---- decode, batch 2, ctx 40, tp 2 (2 devices): H 4/2 = 2 heads, Hkv 2/2 = 1, expert shards
 * f = 32/2 = 16; every all-reduce of the 2 x 64 x 2 = 256-byte buffer sends 2 (2-1)/2 x 256 = 256
 * bytes, adds (2-1)/2 x 128 elements = 64 flop and moves 2 x 256 activation bytes. ---- */
static const struct want decode_tp2_[] = {
    {.layer = -1, .name = "embed", .op = ARC_OP_EMBED, .block = OTHER, .dtype = BF16, .m = 2, .n = 64,
     .w = 128,   /* 2 x 64 x 2 / 2 devices */ .act = 264},
    {.layer = -1, .name = "embed_allreduce", .op = ARC_OP_ALLREDUCE, .block = OTHER, .dtype = BF16, .m = 128,
     .ranks = 2, .flop = 64, .act = 512, .link = 256},
    {.layer = 0, .name = "attn_norm", .op = ARC_OP_NORM, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, .w = 128, .act = 512},
    {.layer = 0, .name = "qkv_proj", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 2, .n = 96, .k = 64,
     .flop = 24576, /* 2 x 2 x 96 x 64 */ .w = 12288, /* 96 x 64 x 2 */ .act = 640 /* (128 + 192) x 2 */},
    {.layer = 0, .name = "qkv_silu", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 2, .n = 96, .k = 96,
     .flop = 768, /* 4 x 2 x 96 */ .act = 768 /* 2 x 192 x 2 */},
    {.layer = 0, .name = "attn", .op = ARC_OP_LIGHTNING_ATTN, .block = LA, .dtype = FP32, .batch = 2, .heads = 2,
     .head_dim = 16, .seq_q = 1, .seq_kv = 41,
     .flop = 5120,  /* 5 x 2 x 2 x 256 */ .act = 512, /* 4 x 2 x 2 x 16 x 2 */
     .state = 8192},/* 2 x (2 x 2 x 256 x 4) */
    {.layer = 0, .name = "attn_out_norm", .op = ARC_OP_NORM, .block = LA, .dtype = BF16, .m = 2, .n = 32, .k = 32,
     .flop = 256, /* 4 x 2 x 32 */ .w = 64, /* 32 x 2 */ .act = 256 /* 2 x 2 x 32 x 2 */},
    {.layer = 0, .name = "output_gate", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 2, .n = 32, .k = 64,
     .flop = 8192, /* 2 x 2 x 32 x 64 */ .w = 4096, .act = 384 /* (128 + 64) x 2 */},
    {.layer = 0, .name = "gate_mul", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 2, .n = 32, .k = 64,
     .flop = 320, /* 5 x 2 x 32 */ .act = 384 /* 2 x 96 x 2 */},
    {.layer = 0, .name = "out_proj", .op = ARC_OP_GEMM, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 32,
     .flop = 8192, .w = 4096, .act = 384 /* (64 + 128) x 2 */},
    {.layer = 0, .name = "attn_allreduce", .op = ARC_OP_ALLREDUCE, .block = LA, .dtype = BF16, .m = 128,
     .ranks = 2, .flop = 64, .act = 512, .link = 256},
    {.layer = 0, .name = "attn_residual", .op = ARC_OP_ELEMENTWISE, .block = LA, .dtype = BF16, .m = 2, .n = 64, .k = 128,
     .flop = 256, .act = 768},
    {.layer = 0, .name = "ffn_norm", .op = ARC_OP_NORM, .block = MOE, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, .w = 128, .act = 512},
    {.layer = 0, .name = "router", .op = ARC_OP_GEMM, .block = MOE, .dtype = BF16, .m = 2, .n = 4, .k = 64,
     .flop = 1024, .w = 512, .act = 272}, /* replicated, not split */
    {.layer = 0, .name = "topk", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 2, .n = 2, .k = 4,
     .flop = 40, /* 5 x 2 x 4 logits */ .act = 24},
    {.layer = 0, .name = "experts_gate_up", .op = ARC_OP_GROUPED_GEMM, .block = MOE, .dtype = BF16, .m = 4, .n = 32,
     .k = 64, .groups = 3,
     .flop = 16384, /* 2 x 4 x 32 x 64 */ .w = 12288, /* 3 x (32 x 64 x 2) */ .act = 768 /* (256 + 128) x 2 */},
    {.layer = 0, .name = "experts_swiglu", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 4, .n = 16, .k = 32,
     .flop = 320, /* 5 x 4 x 16 */ .act = 384 /* 4 x 48 x 2 */},
    {.layer = 0, .name = "experts_down", .op = ARC_OP_GROUPED_GEMM, .block = MOE, .dtype = BF16, .m = 4, .n = 64,
     .k = 16, .groups = 3,
     .flop = 8192, /* 2 x 4 x 64 x 16 */ .w = 6144, /* 3 x (16 x 64 x 2) */ .act = 640 /* (64 + 256) x 2 */},
    {.layer = 0, .name = "ffn_allreduce", .op = ARC_OP_ALLREDUCE, .block = MOE, .dtype = BF16, .m = 128,
     .ranks = 2, .flop = 64, .act = 512, .link = 256},
    {.layer = 0, .name = "ffn_residual", .op = ARC_OP_ELEMENTWISE, .block = MOE, .dtype = BF16, .m = 2, .n = 64, .k = 192,
     .flop = 512, .act = 1024},
    {.layer = 3, .name = "attn_norm", .op = ARC_OP_NORM, .block = SA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, .w = 128, .act = 512},
    {.layer = 3, .name = "qkv_proj", .op = ARC_OP_GEMM, .block = SA, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 16384, /* 2 x 2 x (2 + 2 x 1) 16 x 64 */ .w = 8192, .act = 512},
    {.layer = 3, .name = "rope", .op = ARC_OP_ROPE, .block = SA, .dtype = BF16, .batch = 2, .heads = 2, .kv_heads = 1,
     .head_dim = 8, .seq_q = 1, .flop = 144, /* 3 x 2 x 3 x 8 */ .act = 192},
    {.layer = 3, .name = "attn", .op = ARC_OP_SOFTMAX_ATTN, .block = SA, .dtype = BF16, .batch = 2, .heads = 2,
     .kv_heads = 1, .head_dim = 16, .seq_q = 1, .seq_kv = 41,
     .flop = 10496, /* 4 x 2 x 2 x 16 x 41 */
     .act = 384,    /* 2 x (4 + 2) x 16 x 2 */
     .kv = 5376},   /* 2 x 42 x (2 x 1 x 16 x 2 = 64) */
    {.layer = 3, .name = "o_proj", .op = ARC_OP_GEMM, .block = SA, .dtype = BF16, .m = 2, .n = 64, .k = 32,
     .flop = 8192, .w = 4096, .act = 384},
    {.layer = 3, .name = "attn_allreduce", .op = ARC_OP_ALLREDUCE, .block = SA, .dtype = BF16, .m = 128,
     .ranks = 2, .flop = 64, .act = 512, .link = 256},
    {.layer = 3, .name = "attn_residual", .op = ARC_OP_ELEMENTWISE, .block = SA, .dtype = BF16, .m = 2, .n = 64, .k = 128,
     .flop = 256, .act = 768},
    {.layer = 4, .name = "final_norm", .op = ARC_OP_NORM, .block = OTHER, .dtype = BF16, .m = 2, .n = 64, .k = 64,
     .flop = 512, .w = 128, .act = 512},
    {.layer = 4, .name = "lm_head", .op = ARC_OP_GEMM, .block = OTHER, .dtype = BF16, .m = 2, .n = 50, .k = 64,
     .flop = 12800, /* 2 x 2 x 50 x 64 */ .w = 6400, /* 50 x 64 x 2 */ .act = 456 /* (128 + 100) x 2 */},
    /* gathered logits 2 x 50 x 2 ranks x 2 B = 400 B; sends (2-1)/2 x 400 */
    {.layer = 4, .name = "logits_allgather", .op = ARC_OP_ALLGATHER, .block = OTHER, .dtype = BF16, .m = 200,
     .ranks = 2, .act = 800, .link = 200},
};

#define N_(a) ((int)(sizeof a / sizeof a[0]))

static void build_(const struct arc_model *m, enum arc_phase ph, int64_t batch, int tp,
                   struct arc_trace *t)
{
    struct arc_workload w = {.phase = ph, .batch = batch, .ctx = 40, .tp = tp, .dtype = ARC_DTYPE_BF16};
    arc_workload_defaults(&w, m);
    CHECK_EQ_I(w.chunk, 16);
    CHECK_EQ_I(w.devices, tp);
    REQUIRE_OK(arc_trace_build(m, &w, t));
    CHECK_STREQ(t->model, "tiny-hybrid");
    CHECK_STREQ(t->pattern, "LLLS");
}

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    char path[4096];
    snprintf(path, sizeof path, "%s/tiny-hybrid.json", argv[1]);
    struct arc_model m;
    REQUIRE_OK(arc_model_load(path, &m));
    check_params_(&m);

    struct arc_trace t;
    build_(&m, ARC_PHASE_DECODE, 2, 1, &t);
    compare_("decode tp1", &t, decode_tp1_, N_(decode_tp1_));
    check_repeats_("decode tp1", &t);
    CHECK_EQ_I(t.n_ops, 64); /* embed 1 + 3 x (9 + 7) + (6 + 7) + tail 2 */
    /* per-device footprint: all 186624 params x 2 B; KV 2 seqs x 41 tokens x 128 B; states 2 x 12288 */
    CHECK_EQ_U(t.mem_weight_bytes, 373248);
    CHECK_EQ_U(t.mem_kv_bytes, 10496);
    CHECK_EQ_U(t.mem_state_bytes, 24576);
    arc_trace_free(&t);

    build_(&m, ARC_PHASE_PREFILL, 1, 1, &t);
    compare_("prefill tp1", &t, prefill_tp1_, N_(prefill_tp1_));
    check_repeats_("prefill tp1", &t);
    CHECK_EQ_U(t.mem_weight_bytes, 373248);
    CHECK_EQ_U(t.mem_kv_bytes, 5120);    /* 1 seq x 40 tokens x 128 B */
    CHECK_EQ_U(t.mem_state_bytes, 12288); /* 1 x 12288 */
    arc_trace_free(&t);

    build_(&m, ARC_PHASE_DECODE, 2, 2, &t);
    compare_("decode tp2", &t, decode_tp2_, N_(decode_tp2_));
    check_repeats_("decode tp2", &t);
    /* weights: (attention 73920 + experts 98304) / 2 x 2 B + ((embed + lm_head) / 2 + norms 576 +
     * router 1024) x 2 B = 172224 + 16000; KV 2 x 41 x (2 x 1 x 16 x 2); states 2 x 3 x 2 x 256 x 4 */
    CHECK_EQ_U(t.mem_weight_bytes, 188224);
    CHECK_EQ_U(t.mem_kv_bytes, 5248);
    CHECK_EQ_U(t.mem_state_bytes, 12288);
    arc_trace_free(&t);

    return check_done("test_tiny_config_counts", "");
}
