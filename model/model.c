/* arclight model: config.json loading, variants, parameter and memory counts.
 *
 * Loading is strict: a required key that is missing, a key arclight does not know, or a value
 * out of range is an error naming FILE:KEY, never a silent default. Keys that cannot change cost
 * (token ids, rope theta, init ranges, ...) are known and skipped; a key whose value would change
 * the architecture in a way arclight does not model (sliding windows, MLP biases) is refused.
 * Defaults exist only where Hugging Face defines them for the model type (num_key_value_heads =
 * num_attention_heads, head_dim = hidden_size / num_attention_heads, rotary_dim = head_dim).
 * Not for: workloads or traces (model/trace_build.c). */
#include "arclight/model.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arclight/json.h"

static const char *const mixer_names_[] = {
    [ARC_MIXER_SOFTMAX] = "softmax",
    [ARC_MIXER_LIGHTNING] = "lightning",
};
_Static_assert(ARC_MIXER_COUNT == 2, "update mixer_names_");

const char *arc_mixer_name(enum arc_mixer m)
{
    ARC_ASSERT(m < ARC_MIXER_COUNT);
    return mixer_names_[m];
}

/* Model types whose config keys mean what this loader reads them as. */
static const char *const model_types_[] = {
    "minimax_text_01", "minimax", "minimax_m1", "llama", "mistral", "mixtral", "qwen2", NULL,
};

/* Keys read below. */
static const char *const used_keys_[] = {
    "model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
    "head_dim", "intermediate_size", "vocab_size", "tie_word_embeddings", "rotary_dim",
    "partial_rotary_factor", "num_local_experts", "num_experts_per_tok", "shared_intermediate_size",
    "attn_type_list", "layer_types", "block_size", "attention_bias", "hidden_act",
    "sliding_window", "use_sliding_window", "mlp_bias", NULL,
};

/* Keys that cannot change time, energy or memory; skipped. */
static const char *const ignored_keys_[] = {
    "architectures", "auto_map", "bos_token_id", "eos_token_id", "pad_token_id",
    "initializer_range", "max_position_embeddings", "rms_norm_eps", "rope_theta", "rope_scaling",
    "rope_parameters", "torch_dtype", "dtype", "transformers_version", "use_cache",
    "output_router_logits", "router_aux_loss_coef", "router_jitter_noise", "attention_dropout",
    "pretraining_tp", "max_window_layers", "postnorm", "shared_moe_mode",
    "layernorm_full_attention_alpha", "layernorm_full_attention_beta",
    "layernorm_linear_attention_alpha", "layernorm_linear_attention_beta", "layernorm_mlp_alpha",
    "layernorm_mlp_beta", "full_attn_alpha_factor", "full_attn_beta_factor",
    "linear_attn_alpha_factor", "linear_attn_beta_factor", "mlp_alpha_factor", "mlp_beta_factor",
    "use_return_dict", "output_attentions", "output_hidden_states", "_name_or_path",
    "bos_token", "eos_token", NULL,
};

static int in_list_(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* Optional integer: *out keeps its value when the key is absent or null. */
static int opt_int_(const cJSON *j, const char *file, const char *key, int64_t lo, int64_t hi,
                    int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!v || cJSON_IsNull(v))
        return ARC_OK;
    return arc_json_int(j, file, key, key, lo, hi, out);
}

static int opt_bool_(const cJSON *j, const char *file, const char *key, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!v)
        return ARC_OK;
    return arc_json_bool(j, file, key, key, out);
}

static int read_layer_kinds_(const cJSON *j, const char *file, struct arc_model *m)
{
    const cJSON *atl = cJSON_GetObjectItemCaseSensitive(j, "attn_type_list");
    const cJSON *lt = cJSON_GetObjectItemCaseSensitive(j, "layer_types");
    if (atl && lt)
        return arc_errorf(ARC_EINPUT, "%s:layer_types: expected either attn_type_list or layer_types, not both", file);
    const cJSON *list = atl ? atl : lt;
    const char *key = atl ? "attn_type_list" : "layer_types";
    if (!list) {
        for (int i = 0; i < m->n_layers; i++)
            m->mixer[i] = ARC_MIXER_SOFTMAX;
        return ARC_OK;
    }
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) != m->n_layers)
        return arc_errorf(ARC_EINPUT, "%s:%s: expected an array of %d entries (num_hidden_layers)",
                          file, key, m->n_layers);
    int i = 0;
    for (const cJSON *e = list->child; e; e = e->next, i++) {
        if (atl) {
            if (!cJSON_IsNumber(e) || (e->valuedouble != 0 && e->valuedouble != 1))
                return arc_errorf(ARC_EINPUT, "%s:attn_type_list[%d]: expected 0 (lightning) or 1 (softmax)", file, i);
            m->mixer[i] = e->valuedouble == 1 ? ARC_MIXER_SOFTMAX : ARC_MIXER_LIGHTNING;
        } else {
            const char *s = cJSON_IsString(e) ? e->valuestring : NULL;
            if (s && strcmp(s, "full_attention") == 0)
                m->mixer[i] = ARC_MIXER_SOFTMAX;
            else if (s && strcmp(s, "linear_attention") == 0)
                m->mixer[i] = ARC_MIXER_LIGHTNING;
            else
                return arc_errorf(ARC_EINPUT, "%s:layer_types[%d]: expected \"full_attention\" or \"linear_attention\"", file, i);
        }
    }
    return ARC_OK;
}

static int check_keys_(const cJSON *j, const char *file)
{
    if (!cJSON_IsObject(j))
        return arc_errorf(ARC_EINPUT, "%s: expected a JSON object (a config.json)", file);
    int st = arc_json_no_duplicates(j, file, "");
    if (st < 0)
        return st;
    for (const cJSON *c = j->child; c; c = c->next) {
        if (c->string[0] == '_') /* "_source", "_comment": notes in our own files */
            continue;
        if (!in_list_(c->string, used_keys_) && !in_list_(c->string, ignored_keys_))
            return arc_errorf(ARC_EINPUT, "%s:%s: unknown key; arclight reads Llama-, Mistral-, Mixtral-, Qwen2- and MiniMax-style configs", file, c->string);
    }
    return ARC_OK;
}

static void stem_(const char *path, char *out, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".json") == 0)
        len -= 5;
    if (len >= n)
        len = n - 1;
    memcpy(out, base, len);
    out[len] = '\0';
    /* the name travels in trace headers: keep it to [A-Za-z0-9._-] */
    for (char *c = out; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '.' || *c == '_' || *c == '-'))
            *c = '_';
}

static int parse_(const cJSON *j, const char *file, struct arc_model *m)
{
    int st = check_keys_(j, file);
    if (st < 0)
        return st;
    const char *mt;
    if ((st = arc_json_str(j, file, "model_type", "model_type", &mt)) < 0)
        return st;
    if (!in_list_(mt, model_types_))
        return arc_errorf(ARC_EINPUT, "%s:model_type: \"%s\" is not modelled; expected one of minimax_text_01, minimax, minimax_m1, llama, mistral, mixtral, qwen2", file, mt);

    int64_t v;
    if ((st = arc_json_int(j, file, "num_hidden_layers", "num_hidden_layers", 1, ARC_MAX_LAYERS, &v)) < 0)
        return st;
    m->n_layers = (int)v;
    if ((st = arc_json_int(j, file, "hidden_size", "hidden_size", 1, 1 << 20, &m->hidden)) < 0)
        return st;
    if ((st = arc_json_int(j, file, "num_attention_heads", "num_attention_heads", 1, 4096, &v)) < 0)
        return st;
    m->n_heads = (int)v;
    v = m->n_heads;
    if ((st = opt_int_(j, file, "num_key_value_heads", 1, 4096, &v)) < 0)
        return st;
    m->n_kv_heads = (int)v;
    if (m->n_heads % m->n_kv_heads != 0)
        return arc_errorf(ARC_EINPUT, "%s:num_key_value_heads: expected a divisor of num_attention_heads (%d)", file, m->n_heads);
    if (m->hidden % m->n_heads != 0 && !cJSON_GetObjectItemCaseSensitive(j, "head_dim"))
        return arc_errorf(ARC_EINPUT, "%s:head_dim: missing, and hidden_size is not a multiple of num_attention_heads", file);
    v = m->hidden / m->n_heads;
    if ((st = opt_int_(j, file, "head_dim", 1, 65536, &v)) < 0)
        return st;
    m->head_dim = (int)v;

    v = m->head_dim;
    double prf;
    if (cJSON_GetObjectItemCaseSensitive(j, "partial_rotary_factor")) {
        if ((st = arc_json_num(j, file, "partial_rotary_factor", "partial_rotary_factor", 0, 1, &prf)) < 0)
            return st;
        v = (int64_t)(prf * m->head_dim);
    }
    if ((st = opt_int_(j, file, "rotary_dim", 0, m->head_dim, &v)) < 0)
        return st;
    m->rotary_dim = (int)v;

    if ((st = arc_json_int(j, file, "intermediate_size", "intermediate_size", 1, INT64_C(1) << 32, &m->ffn_dim)) < 0)
        return st;
    if ((st = arc_json_int(j, file, "vocab_size", "vocab_size", 1, INT64_C(1) << 32, &m->vocab)) < 0)
        return st;
    if ((st = arc_json_bool(j, file, "tie_word_embeddings", "tie_word_embeddings", &m->tied_embeddings)) < 0)
        return st;

    const char *act;
    if ((st = arc_json_str(j, file, "hidden_act", "hidden_act", &act)) < 0)
        return st;
    if (strcmp(act, "silu") != 0)
        return arc_errorf(ARC_EINPUT, "%s:hidden_act: \"%s\" is not modelled; expected \"silu\" (SwiGLU FFN)", file, act);

    m->attn_bias = strcmp(mt, "qwen2") == 0; /* Qwen2 always has q/k/v biases (HF Qwen2Attention) */
    if ((st = opt_bool_(j, file, "attention_bias", &m->attn_bias)) < 0)
        return st;
    bool mlp_bias = false;
    if ((st = opt_bool_(j, file, "mlp_bias", &mlp_bias)) < 0)
        return st;
    if (mlp_bias)
        return arc_errorf(ARC_EINPUT, "%s:mlp_bias: MLP biases are not modelled; expected false", file);

    bool use_sw = true;
    if ((st = opt_bool_(j, file, "use_sliding_window", &use_sw)) < 0)
        return st;
    const cJSON *sw = cJSON_GetObjectItemCaseSensitive(j, "sliding_window");
    if (use_sw && sw && !cJSON_IsNull(sw))
        return arc_errorf(ARC_EINPUT, "%s:sliding_window: sliding-window attention is not modelled; expected null", file);

    int64_t ne = 0, k = 0, shared = 0, bs = 256;
    if ((st = opt_int_(j, file, "num_local_experts", 0, 65536, &ne)) < 0)
        return st;
    if (ne > 1) {
        if ((st = arc_json_int(j, file, "num_experts_per_tok", "num_experts_per_tok", 1, ne, &k)) < 0)
            return st;
    } else {
        ne = 0;
        if ((st = opt_int_(j, file, "num_experts_per_tok", 0, 65536, &k)) < 0)
            return st;
        k = 0;
    }
    if ((st = opt_int_(j, file, "shared_intermediate_size", 0, INT64_C(1) << 32, &shared)) < 0)
        return st;
    /* block_size: HF MiniMaxConfig's lightning block, default 256 there */
    if ((st = opt_int_(j, file, "block_size", 1, 1 << 16, &bs)) < 0)
        return st;
    m->n_experts = (int)ne;
    m->top_k = (int)k;
    m->shared_ffn_dim = shared;
    m->block_size = (int)bs;
    return read_layer_kinds_(j, file, m);
}

int arc_model_load(const char *name_or_path, struct arc_model *m)
{
    memset(m, 0, sizeof *m);
    cJSON *j = NULL;
    int st = arc_json_load("model/configs", "model", name_or_path, &j, m->file, sizeof m->file, &m->file_fnv);
    if (st < 0)
        return st;
    st = parse_(j, m->file, m);
    cJSON_Delete(j);
    if (st < 0)
        return st;
    stem_(m->file, m->name, sizeof m->name);
    return ARC_OK;
}

int arc_model_set_softmax_every(struct arc_model *m, int every)
{
    if (every < 0 || every > m->n_layers)
        return arc_errorf(ARC_EINPUT, "--softmax-every: expected 0 (pure linear) or 1..%d", m->n_layers);
    for (int i = 0; i < m->n_layers; i++)
        m->mixer[i] = every && (i + 1) % every == 0 ? ARC_MIXER_SOFTMAX : ARC_MIXER_LIGHTNING;
    snprintf(m->variant, sizeof m->variant, "softmax_every=%d", every);
    return ARC_OK;
}

int arc_model_set_softmax_layers(struct arc_model *m, int k)
{
    if (k < 0 || k > m->n_layers)
        return arc_errorf(ARC_EINPUT, "--softmax-layers: expected 0..%d", m->n_layers);
    for (int i = 0; i < m->n_layers; i++)
        m->mixer[i] = ARC_MIXER_LIGHTNING;
    for (int j = 0; j < k; j++)
        m->mixer[(int)((int64_t)(j + 1) * m->n_layers / k) - 1] = ARC_MIXER_SOFTMAX;
    snprintf(m->variant, sizeof m->variant, "softmax_layers=%d", k);
    return ARC_OK;
}

int arc_model_count(const struct arc_model *m, enum arc_mixer kind)
{
    int n = 0;
    for (int i = 0; i < m->n_layers; i++)
        n += m->mixer[i] == kind;
    return n;
}

void arc_model_params(const struct arc_model *m, struct arc_params *p)
{
    memset(p, 0, sizeof *p);
    double h = (double)m->hidden, d = m->head_dim, H = m->n_heads, Hkv = m->n_kv_heads;
    double ns = arc_model_count(m, ARC_MIXER_SOFTMAX), nl = arc_model_count(m, ARC_MIXER_LIGHTNING);
    double L = m->n_layers;

    p->embed = (double)m->vocab * h;
    p->lm_head = m->tied_embeddings ? 0 : (double)m->vocab * h;
    /* softmax: q (h x H d), k and v (h x Hkv d), o (H d x h) */
    double sm = h * H * d + 2 * h * Hkv * d + H * d * h + (m->attn_bias ? (H + 2 * Hkv) * d : 0);
    p->softmax_attn = ns * sm;
    /* lightning (MiniMax-01): qkv (h x 3 H d), output gate (h x H d), out (H d x h); its output
     * RMSNorm (H d) is counted with the norms */
    double la = h * 3 * H * d + h * H * d + H * d * h;
    p->lightning_attn = nl * la;
    double expert = 3 * h * (double)m->ffn_dim; /* SwiGLU: gate, up, down */
    if (m->n_experts > 0) {
        p->experts = L * m->n_experts * expert;
        p->experts_active = L * m->top_k * expert;
        p->router = L * h * m->n_experts;
        p->shared_ffn = L * 3 * h * (double)m->shared_ffn_dim;
    } else {
        p->dense_ffn = L * expert;
    }
    p->norms = L * 2 * h + h + nl * H * d;
    double body = p->softmax_attn + p->lightning_attn + p->router + p->shared_ffn + p->dense_ffn + p->norms;
    p->total = p->embed + p->lm_head + body + p->experts;
    p->active = body + (m->n_experts > 0 ? p->experts_active : 0);
}

double arc_model_kv_bytes_per_token(const struct arc_model *m, enum arc_dtype kv)
{
    return (double)arc_model_count(m, ARC_MIXER_SOFTMAX) * 2.0 * m->n_kv_heads * m->head_dim *
           arc_dtype_bytes(kv);
}

double arc_model_state_bytes_per_sequence(const struct arc_model *m)
{
    return (double)arc_model_count(m, ARC_MIXER_LIGHTNING) * m->n_heads * (double)m->head_dim *
           m->head_dim * 4.0;
}

void arc_model_pattern(const struct arc_model *m, char *buf, int n)
{
    int i;
    for (i = 0; i < m->n_layers && i < n - 1; i++)
        buf[i] = m->mixer[i] == ARC_MIXER_SOFTMAX ? 'S' : 'L';
    if (n > 0)
        buf[i] = '\0';
}
