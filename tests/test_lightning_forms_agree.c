/* Rule: lightning attention's three reference forms agree. On fresh random inputs (never zeros),
 * the quadratic form, the recurrence and the block form give the same outputs to double-precision
 * rounding, for block sizes that divide T and that do not, several head dims and decays (MiniMax's
 * slowest and fastest heads), and the recurrence and block forms end in the same state, also from
 * a non-zero starting state. Also: MiniMax's slopes, and bf16 rounding.
 * Not for: generated kernels (each back end's test checks them against these). */
#include <stdlib.h>

#include "arclight/lightning.h"
#include "check.h"

static float rnd_(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)((*s >> 8) & 0xffff) / 32768.0f - 1.0f; /* [-1, 1) */
}

int main(void)
{
    /* MiniMax-Text-01: 64 heads, 80 layers */
    CHECK_CLOSE(arc_lightning_slope(0, 64, 0, 80), pow(2, -8.0 / 64) * (1 + 1e-5), 1e-12);
    CHECK_CLOSE(arc_lightning_slope(63, 64, 0, 80), pow(2, -8.0) * (1 + 1e-5), 1e-12);
    CHECK_CLOSE(arc_lightning_slope(0, 64, 79, 80), pow(2, -8.0 / 64) * (1 - 79 / (79 + 1e-5) + 1e-5), 1e-12);
    CHECK_CLOSE(arc_bf16_round(1.0f), 1.0f, 0);
    CHECK_CLOSE(arc_bf16_round(1.00390625f), 1.0f, 0);        /* halfway: ties to even */
    CHECK_CLOSE(arc_bf16_round(1.01171875f), 1.015625f, 0);   /* halfway: ties to even, up */
    CHECK_CLOSE(arc_bf16_round(3.14159265f), 3.140625f, 0);

    unsigned seed = 12345;
    static const struct {
        int T, D, B;
    } cases[] = {{64, 16, 16}, {100, 16, 32}, {257, 32, 64}, {33, 48, 8}, {130, 16, 1}};
    static const double slopes[] = {0.917, 0.0039, 0.25}; /* exp(-s): slow and fast decay */
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t s = 0; s < sizeof slopes / sizeof slopes[0]; s++) {
            int T = cases[c].T, D = cases[c].D, B = cases[c].B;
            double lambda = exp(-slopes[s]);
            size_t n = (size_t)T * D;
            float *q = malloc(n * sizeof *q), *k = malloc(n * sizeof *k), *v = malloc(n * sizeof *v);
            float *oq = malloc(n * sizeof *oq), *orr = malloc(n * sizeof *orr), *ob = malloc(n * sizeof *ob);
            double *S1 = calloc((size_t)D * D, sizeof *S1), *S2 = calloc((size_t)D * D, sizeof *S2);
            for (size_t i = 0; i < n; i++) {
                q[i] = rnd_(&seed);
                k[i] = rnd_(&seed);
                v[i] = rnd_(&seed);
            }
            arc_lightning_quadratic(q, k, v, oq, T, D, lambda);
            arc_lightning_recurrent(q, k, v, orr, T, D, lambda, S1);
            arc_lightning_block(q, k, v, ob, T, D, lambda, B, S2);
            double e1 = arc_rel_error(orr, oq, (int64_t)n), e2 = arc_rel_error(ob, oq, (int64_t)n);
            double es = 0;
            for (int i = 0; i < D * D; i++)
                es = fmax(es, fabs(S1[i] - S2[i]) / (fabs(S1[i]) + 1e-30));
            printf("T %3d D %2d B %2d lambda %.6f: recurrent %.2e, block %.2e vs quadratic; states %.2e\n",
                   T, D, B, lambda, e1, e2, es);
            /* float outputs: single-precision rounding of each element */
            CHECK_MSG(e1 < 1e-6 && e2 < 1e-6, "forms disagree: %.3e %.3e", e1, e2);
            CHECK_MSG(es < 1e-9, "final states disagree: %.3e", es);
            /* continuing from the final state equals running the concatenation */
            int T2 = T / 2;
            double *S3 = calloc((size_t)D * D, sizeof *S3);
            arc_lightning_block(q, k, v, ob, T2, D, lambda, B, S3);
            arc_lightning_block(q + (size_t)T2 * D, k + (size_t)T2 * D, v + (size_t)T2 * D,
                                ob + (size_t)T2 * D, T - T2, D, lambda, B, S3);
            double e3 = arc_rel_error(ob, oq, (int64_t)n);
            CHECK_MSG(e3 < 1e-6, "split at %d: %.3e", T2, e3);
            free(q), free(k), free(v), free(oq), free(orr), free(ob), free(S1), free(S2), free(S3);
        }
    return check_done("test_lightning_forms_agree", "");
}
