/* arclight model: a language model's architecture as the cost and cycle engines need it.
 *
 * For: loading a Hugging Face config.json (MiniMax-Text-01's own keys such as attn_type_list are
 * understood, as are Llama-, Mistral-, Mixtral- and Qwen2-style configs), built-in models by name
 * (model/configs/NAME.json), hybrid-ratio variants, and parameter, KV-cache and state counts.
 * Not for: workloads or traces (workload.h), weights, or tokenizers. */
#ifndef ARCLIGHT_MODEL_H
#define ARCLIGHT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "arclight/common.h"

#define ARC_MAX_LAYERS 1024

/* A layer's token mixer. ORDER MIXER: model.c mixer_info_ */
enum arc_mixer {
    ARC_MIXER_SOFTMAX,   /* softmax attention with a KV cache (GQA, rotary) */
    ARC_MIXER_LIGHTNING, /* lightning attention: linear attention with a fixed per-head decay */
    ARC_MIXER_COUNT
};
const char *arc_mixer_name(enum arc_mixer m);

struct arc_model {
    char name[64];             /* built-in name or the file's stem */
    char file[256];            /* where it was loaded from, for messages */
    uint64_t file_fnv;         /* FNV-1a 64 of the bytes it was loaded from (json.h) */
    char variant[64];          /* "" or e.g. "softmax_every=16" */
    int n_layers;
    int64_t hidden;            /* d_model */
    int n_heads;               /* query heads; lightning layers use the same heads */
    int n_kv_heads;            /* KV heads of softmax layers (GQA) */
    int head_dim;              /* per head, softmax and lightning */
    int rotary_dim;            /* dims per head that get rotary embedding */
    bool attn_bias;            /* q, k, v projections carry a bias */
    int64_t ffn_dim;           /* dense FFN intermediate, or per-expert intermediate (SwiGLU) */
    int n_experts;             /* 0 = dense FFN */
    int top_k;                 /* experts per token */
    int64_t shared_ffn_dim;    /* shared-expert intermediate; 0 = none */
    int64_t vocab;
    bool tied_embeddings;
    int block_size;            /* lightning prefill chunk (block) size, tokens */
    uint8_t mixer[ARC_MAX_LAYERS]; /* (n_layers) enum arc_mixer per layer */
};

/* Loads a built-in model by name or a config.json by path. */
int arc_model_load(const char *name_or_path, struct arc_model *m);

/* Variants without new files. every: 1 = every layer softmax, 8 = MiniMax's 7:1, 0 = pure linear;
 * layer i is softmax when (i+1) % every == 0. */
int arc_model_set_softmax_every(struct arc_model *m, int every);
/* k softmax layers spread evenly: layer floor((j+1) L / k) - 1 for j < k. k = L/8 reproduces
 * softmax_every 8 when 8 divides L; k = 1 puts the one softmax layer last. */
int arc_model_set_softmax_layers(struct arc_model *m, int k);

int arc_model_count(const struct arc_model *m, enum arc_mixer kind);

/* Parameter counts, in parameters (not bytes). */
struct arc_params {
    double embed;          /* token embedding */
    double lm_head;        /* 0 when tied */
    double softmax_attn;   /* all softmax layers: q, k, v, o (+bias) */
    double lightning_attn; /* all lightning layers: qkv, output gate, out */
    double experts;        /* all routed experts of all layers */
    double experts_active; /* top_k experts per layer */
    double router;         /* all layers */
    double shared_ffn;     /* shared experts, all layers */
    double dense_ffn;      /* dense FFNs, all layers */
    double norms;          /* per-layer norms, lightning output norms, the final norm */
    double total;
    double active;         /* per token, excluding embedding and LM head (MiniMax-01 paper's count) */
};
void arc_model_params(const struct arc_model *m, struct arc_params *p);

/* Bytes of KV cache per token (all softmax layers, K and V) at kv dtype. */
double arc_model_kv_bytes_per_token(const struct arc_model *m, enum arc_dtype kv);
/* Bytes of recurrent state per sequence: lightning layers x heads x head_dim^2 x 4 (fp32). */
double arc_model_state_bytes_per_sequence(const struct arc_model *m);

/* Layer pattern as one character per layer: 'S' softmax, 'L' lightning (n_layers + 1 bytes). */
void arc_model_pattern(const struct arc_model *m, char *buf, int n);

#endif
