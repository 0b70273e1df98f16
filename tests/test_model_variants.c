/* Rule: hybrid-ratio variants put softmax layers where they say. On MiniMax-Text-01 (80 layers):
 * softmax_every 8 reproduces the model's own attn_type_list (layers 7, 15, ..., 79); 1 makes every
 * layer softmax; 0 none; softmax_layers 10 equals softmax_every 8; softmax_layers 1 puts the one
 * softmax layer last; softmax_layers k gives exactly k softmax layers for every k; out-of-range
 * values return ARC_EINPUT and leave the model as it was.
 * Not for: costs of the variants (test_fast_path_matches_trace.c covers them). */
#include "arclight/model.h"
#include "check.h"

static void pattern_(const struct arc_model *m, char *buf)
{
    arc_model_pattern(m, buf, ARC_MAX_LAYERS + 1);
}

int main(void)
{
    struct arc_model own, m;
    char p_own[ARC_MAX_LAYERS + 1], p[ARC_MAX_LAYERS + 1], want[ARC_MAX_LAYERS + 1];
    REQUIRE_OK(arc_model_load("minimax-text-01", &own));
    REQUIRE(own.n_layers == 80);
    pattern_(&own, p_own);
    /* the published pattern: 7 lightning then 1 softmax, ten times */
    for (int i = 0; i < 80; i++)
        want[i] = i % 8 == 7 ? 'S' : 'L';
    want[80] = '\0';
    CHECK_STREQ(p_own, want);
    CHECK_STREQ(own.variant, "");

    m = own;
    CHECK_OK(arc_model_set_softmax_every(&m, 8));
    pattern_(&m, p);
    CHECK_STREQ(p, p_own);
    CHECK_STREQ(m.variant, "softmax_every=8");

    m = own;
    CHECK_OK(arc_model_set_softmax_every(&m, 1));
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_SOFTMAX), 80);
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_LIGHTNING), 0);

    m = own;
    CHECK_OK(arc_model_set_softmax_every(&m, 0));
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_SOFTMAX), 0);
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_LIGHTNING), 80);
    CHECK_CLOSE(arc_model_kv_bytes_per_token(&m, ARC_DTYPE_BF16), 0, 0);

    m = own;
    CHECK_OK(arc_model_set_softmax_every(&m, 32)); /* layers 31 and 63 */
    pattern_(&m, p);
    for (int i = 0; i < 80; i++)
        want[i] = i == 31 || i == 63 ? 'S' : 'L';
    CHECK_STREQ(p, want);

    m = own;
    CHECK_OK(arc_model_set_softmax_every(&m, 80)); /* the last layer only */
    pattern_(&m, p);
    for (int i = 0; i < 80; i++)
        want[i] = i == 79 ? 'S' : 'L';
    CHECK_STREQ(p, want);

    m = own;
    CHECK_OK(arc_model_set_softmax_layers(&m, 10));
    pattern_(&m, p);
    CHECK_STREQ(p, p_own);
    CHECK_STREQ(m.variant, "softmax_layers=10");

    m = own;
    CHECK_OK(arc_model_set_softmax_layers(&m, 1));
    pattern_(&m, p);
    for (int i = 0; i < 80; i++)
        want[i] = i == 79 ? 'S' : 'L';
    CHECK_STREQ(p, want);

    m = own;
    CHECK_OK(arc_model_set_softmax_layers(&m, 3)); /* floor((j+1) 80 / 3) - 1: 25, 52, 79 */
    pattern_(&m, p);
    for (int i = 0; i < 80; i++)
        want[i] = i == 25 || i == 52 || i == 79 ? 'S' : 'L';
    CHECK_STREQ(p, want);

    for (int k = 0; k <= 80; k++) {
        m = own;
        CHECK_OK(arc_model_set_softmax_layers(&m, k));
        CHECK_MSG(arc_model_count(&m, ARC_MIXER_SOFTMAX) == k, "softmax_layers %d gave %d", k,
                  arc_model_count(&m, ARC_MIXER_SOFTMAX));
        CHECK_MSG(k == 0 || m.mixer[79] == ARC_MIXER_SOFTMAX, "softmax_layers %d: last layer not softmax", k);
    }
    for (int e = 1; e <= 80; e++) {
        m = own;
        CHECK_OK(arc_model_set_softmax_every(&m, e));
        CHECK_MSG(arc_model_count(&m, ARC_MIXER_SOFTMAX) == 80 / e, "softmax_every %d gave %d", e,
                  arc_model_count(&m, ARC_MIXER_SOFTMAX));
    }

    /* out of range: refused, model untouched */
    static const int bad[] = {-1, 81, 1000, -80};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = own;
        CHECK_EQ_I(arc_model_set_softmax_every(&m, bad[i]), ARC_EINPUT);
        CHECK_HAS(arc_error(), "--softmax-every");
        pattern_(&m, p);
        CHECK_STREQ(p, p_own);
        CHECK_STREQ(m.variant, "");
        CHECK_EQ_I(arc_model_set_softmax_layers(&m, bad[i]), ARC_EINPUT);
        CHECK_HAS(arc_error(), "--softmax-layers");
        pattern_(&m, p);
        CHECK_STREQ(p, p_own);
        CHECK_STREQ(m.variant, "");
    }

    /* on a smaller model the range follows its layer count */
    REQUIRE_OK(arc_model_load("llama-3.1-70b", &m));
    CHECK_EQ_I(arc_model_set_softmax_every(&m, 81), ARC_EINPUT);
    CHECK_OK(arc_model_set_softmax_every(&m, 0));
    CHECK_EQ_I(arc_model_count(&m, ARC_MIXER_LIGHTNING), 80);

    return check_done("test_model_variants", "");
}
