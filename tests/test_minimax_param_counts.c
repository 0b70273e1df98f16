/* Rule: the built-in models have the sizes their publishers state. MiniMax-Text-01: 456 B
 * parameters in all and 45.9 B active per token (MiniMax-01 paper, arXiv 2501.08313, which counts
 * active parameters without the embedding and LM head); Llama-3.1-70B: 70.6 B (Meta's model card,
 * 70.6 B with embeddings). KV cache and lightning state sizes follow from the published configs.
 * Not for: the per-op counts (test_tiny_config_counts.c). */
#include "arclight/model.h"
#include "check.h"

static int within_(double got, double want, double rel) { return fabs(got - want) <= rel * want; }

int main(void)
{
    struct arc_model m;
    struct arc_params p;

    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    arc_model_params(&m, &p);
    CHECK_MSG(within_(p.total, 456e9, 0.01), "minimax total %.4g, want 456e9 within 1%%", p.total);
    CHECK_MSG(within_(p.active, 45.9e9, 0.01), "minimax active %.4g, want 45.9e9 within 1%%", p.active);
    CHECK_EQ_I(m.n_layers, 80);
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_SOFTMAX), 10);
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_LIGHTNING), 70);
    /* 10 softmax layers x K,V x 8 KV heads x 128 x 2 B */
    CHECK_CLOSE(arc_model_kv_bytes_per_token(&m, ARC_DTYPE_BF16), 40960, 0);
    /* 70 lightning layers x 64 heads x 128^2 x 4 B (fp32) = 293,601,280 */
    CHECK_CLOSE(arc_model_state_bytes_per_sequence(&m), 70.0 * 64 * 128 * 128 * 4, 0);
    CHECK_CLOSE(arc_model_state_bytes_per_sequence(&m), 293601280, 0);
    /* the parts add up to the totals */
    CHECK_CLOSE(p.total, p.embed + p.lm_head + p.softmax_attn + p.lightning_attn + p.experts +
                             p.router + p.shared_ffn + p.dense_ffn + p.norms, 1e-15);
    CHECK_CLOSE(p.active, p.softmax_attn + p.lightning_attn + p.experts_active + p.router +
                              p.shared_ffn + p.dense_ffn + p.norms, 1e-15);

    REQUIRE_OK(arc_model_load("llama-3.1-70b", &m));
    arc_model_params(&m, &p);
    CHECK_MSG(within_(p.total, 70.6e9, 0.01), "llama total %.4g, want 70.6e9 within 1%%", p.total);
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_SOFTMAX), 80);
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_LIGHTNING), 0);
    /* 80 layers x K,V x 8 KV heads x 128 x 2 B */
    CHECK_CLOSE(arc_model_kv_bytes_per_token(&m, ARC_DTYPE_BF16), 327680, 0);
    CHECK_CLOSE(arc_model_state_bytes_per_sequence(&m), 0, 0);

    return check_done("test_minimax_param_counts", "");
}
