/* arclight model show | list: what a model is, its parameters, KV cache, state and capacity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/fsutil.h"
#include "arclight/json.h"
#include "arclight/model.h"
#include "cli.h"

/* "(L x7, S) x10": the pattern's smallest repeating unit, run-length encoded */
static void pattern_summary_(const char *p, char *out, size_t n)
{
    size_t L = strlen(p), per = L;
    for (size_t c = 1; c < L; c++) {
        size_t i = c;
        while (i < L && p[i] == p[i - c])
            i++;
        if (L % c == 0 && i == L) {
            per = c;
            break;
        }
    }
    struct arc_buf b = {0};
    int paren = per < L && per > 1;
    arc_buf_printf(&b, "%s", paren ? "(" : "");
    for (size_t j = 0; j < per;) {
        size_t k = j;
        while (k < per && p[k] == p[j])
            k++;
        arc_buf_printf(&b, "%s%c", j ? ", " : "", p[j]);
        if (k - j > 1)
            arc_buf_printf(&b, " x%zu", k - j);
        j = k;
    }
    if (per < L)
        arc_buf_printf(&b, "%s x%zu", paren ? ")" : "", L / per);
    snprintf(out, n, "%s", b.data);
    arc_buf_free(&b);
}

static int show_(const struct cli_args *a)
{
    struct arc_model m;
    int st;
    if (a->n_pos != 2)
        return arc_errorf(ARC_EINPUT, "model show: expected one MODEL (a built-in name or a config.json)");
    if ((st = cli_model(a, a->pos[1], &m)) < 0)
        return st;
    enum arc_dtype kv = ARC_DTYPE_BF16;
    const char *s = cli_get(a, "--dtype");
    if (s && (arc_dtype_parse(s, &kv) || kv == ARC_DTYPE_FP32))
        return arc_errorf(ARC_EINPUT, "--dtype: expected bf16 or fp8, got \"%s\"", s);
    struct arc_params p;
    arc_model_params(&m, &p);
    int ns = arc_model_count(&m, ARC_MIXER_SOFTMAX), nl = arc_model_count(&m, ARC_MIXER_LIGHTNING);
    char pat[ARC_MAX_LAYERS + 1], sum[512];
    arc_model_pattern(&m, pat, sizeof pat);
    pattern_summary_(pat, sum, sizeof sum);
    double kvb = arc_model_kv_bytes_per_token(&m, kv), stb = arc_model_state_bytes_per_sequence(&m);
    double kv_per_layer = 2.0 * m.n_kv_heads * m.head_dim;           /* values per token */
    double st_per_layer = (double)m.n_heads * m.head_dim * m.head_dim; /* values, fixed */
    double hd = (double)m.n_heads * m.head_dim;

    if (cli_has(a, "--json")) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "model", m.name);
        cJSON_AddStringToObject(j, "file", m.file);
        cJSON_AddStringToObject(j, "variant", m.variant);
        cJSON_AddNumberToObject(j, "params_total", p.total);
        cJSON_AddNumberToObject(j, "params_active", p.active);
        cJSON_AddNumberToObject(j, "layers", m.n_layers);
        cJSON_AddNumberToObject(j, "softmax_layers", ns);
        cJSON_AddNumberToObject(j, "lightning_layers", nl);
        cJSON_AddStringToObject(j, "pattern", pat);
        cJSON_AddStringToObject(j, "kv_dtype", arc_dtype_name(kv));
        cJSON_AddNumberToObject(j, "kv_bytes_per_token", kvb);
        cJSON_AddNumberToObject(j, "state_bytes_per_sequence", stb);
        cJSON *pb = cJSON_AddObjectToObject(j, "params");
        cJSON_AddNumberToObject(pb, "embed", p.embed);
        cJSON_AddNumberToObject(pb, "lm_head", p.lm_head);
        cJSON_AddNumberToObject(pb, "softmax_attn", p.softmax_attn);
        cJSON_AddNumberToObject(pb, "lightning_attn", p.lightning_attn);
        cJSON_AddNumberToObject(pb, "experts", p.experts);
        cJSON_AddNumberToObject(pb, "experts_active", p.experts_active);
        cJSON_AddNumberToObject(pb, "router", p.router);
        cJSON_AddNumberToObject(pb, "shared_ffn", p.shared_ffn);
        cJSON_AddNumberToObject(pb, "dense_ffn", p.dense_ffn);
        cJSON_AddNumberToObject(pb, "norms", p.norms);
        cJSON *c = cJSON_AddObjectToObject(j, "capacity_per_layer");
        cJSON_AddNumberToObject(c, "softmax_values_per_token", kv_per_layer);
        cJSON_AddNumberToObject(c, "lightning_values_fixed", st_per_layer);
        cJSON *dims = cJSON_AddObjectToObject(j, "dims");
        cJSON_AddNumberToObject(dims, "hidden", (double)m.hidden);
        cJSON_AddNumberToObject(dims, "heads", m.n_heads);
        cJSON_AddNumberToObject(dims, "kv_heads", m.n_kv_heads);
        cJSON_AddNumberToObject(dims, "head_dim", m.head_dim);
        cJSON_AddNumberToObject(dims, "rotary_dim", m.rotary_dim);
        cJSON_AddNumberToObject(dims, "ffn_dim", (double)m.ffn_dim);
        cJSON_AddNumberToObject(dims, "experts", m.n_experts);
        cJSON_AddNumberToObject(dims, "top_k", m.top_k);
        cJSON_AddNumberToObject(dims, "vocab", (double)m.vocab);
        cJSON_AddBoolToObject(dims, "tied_embeddings", m.tied_embeddings);
        cJSON_AddNumberToObject(dims, "block_size", m.block_size);
        char *txt = arc_json_text(j, true, NULL);
        fputs(txt, stdout);
        free(txt);
        return ARC_OK;
    }
    char b1[32], b2[32];
    printf("model        %s%s%s%s  (%s)\n", m.name, m.variant[0] ? " [" : "", m.variant,
           m.variant[0] ? "]" : "", m.file);
    printf("layers       %d: %d lightning (L), %d softmax (S); pattern %s\n", m.n_layers, nl, ns, sum);
    printf("attention    hidden %lld, %d heads x %d, %d KV heads in softmax layers (GQA), rotary on %d dims\n",
           (long long)m.hidden, m.n_heads, m.head_dim, m.n_kv_heads, m.rotary_dim);
    if (m.n_experts)
        printf("ffn          MoE: %d experts, top-%d, expert FFN %lld (SwiGLU)%s\n", m.n_experts,
               m.top_k, (long long)m.ffn_dim, m.shared_ffn_dim ? ", plus a shared expert" : "");
    else
        printf("ffn          dense SwiGLU, intermediate %lld\n", (long long)m.ffn_dim);
    printf("vocab        %lld, %s embeddings\n", (long long)m.vocab, m.tied_embeddings ? "tied" : "untied");
    printf("params       total %.2f B, active %.2f B per token (without embedding and LM head)\n",
           p.total / 1e9, p.active / 1e9);
    printf("  embedding %.2f B, LM head %.2f B, softmax attention %.2f B, lightning attention %.2f B,\n"
           "  experts %.2f B (%.2f B active), router %.3f B, dense FFN %.2f B, norms %.4f B\n",
           p.embed / 1e9, p.lm_head / 1e9, p.softmax_attn / 1e9, p.lightning_attn / 1e9,
           p.experts / 1e9, p.experts_active / 1e9, p.router / 1e9, p.dense_ffn / 1e9, p.norms / 1e9);
    printf("KV cache     %s per token at %s (%d softmax layers x K,V x %d heads x %d)\n",
           cli_bytes(kvb, b1, sizeof b1), arc_dtype_name(kv), ns, m.n_kv_heads, m.head_dim);
    printf("state        %s per sequence, fp32 (%d lightning layers x %d heads x %d^2), any context\n",
           cli_bytes(stb, b2, sizeof b2), nl, m.n_heads, m.head_dim);
    printf("capacity per layer (values a layer keeps about the context):\n");
    printf("  softmax    grows %.0f per token (K and V: 2 x %d heads x %d): O(d) per token\n",
           kv_per_layer, m.n_kv_heads, m.head_dim);
    printf("  lightning  fixed %.0f (%d heads x %d^2 = d^2/h with d = %.0f, h = %d)\n", st_per_layer,
           m.n_heads, m.head_dim, hd, m.n_heads);
    printf("  a lightning layer holds as much as a softmax layer's KV cache of %.0f tokens\n",
           st_per_layer / kv_per_layer);
    return ARC_OK;
}

static int list_(void)
{
    char names[1024];
    arc_builtin_names("model/configs", names, sizeof names);
    printf("built-in models: %s\n", names);
    return ARC_OK;
}

int cmd_model(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "model", "--json --dtype= --softmax-every= --softmax-layers=", &a);
    if (st >= 0) {
        if (a.n_pos >= 1 && strcmp(a.pos[0], "show") == 0)
            st = show_(&a);
        else if (a.n_pos == 1 && strcmp(a.pos[0], "list") == 0)
            st = list_();
        else
            st = arc_errorf(ARC_EINPUT, "model: expected 'show MODEL' or 'list'");
    }
    return st < 0 ? cli_fail(st) : 0;
}
