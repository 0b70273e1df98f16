/* Rule: the fixed-point reference (arc_fx_lightning_decode, arc_fx_lightning_chunk: the RTL's
 * arithmetic) stays within a stated bound of the float reference (arc_lightning_recurrent,
 * arc_lightning_block) on the same inputs, in several formats.
 *
 * The bound, per output, with u = 2^-(F+1) (half a unit in the last place: one rounding) and
 * dl_n = |lambda_q^n - lambda^n| (the constant's own rounding), propagated to first order through
 * the rounding steps lightning.h lists, with magnitudes from the exact (double) computation:
 *   decode, per step:  eS' = lambda_q eS + dl_1 |S| + u;   eo = sum_i |q_i| eS_ij + u
 *   chunk, per block:  eP = u;  ePm = eP + dl_(i-j) |P| + u;  eI = sum_x |Q| eS + u;
 *                      eO = eI + dl_(i+1) |I| + sum_j ePm |V| + u;  eKd = dl_(C-1-j) |K| + u;
 *                      eS' = eS + dl_C |S| + sum_j eKd |V| + u
 * and a 2% margin for the second-order terms plus 1e-6 relative for the float reference's own
 * float outputs. Inputs are exact in both (raw / 2^F, magnitude at most 1/4), chosen so that
 * nothing saturates (the test checks that too: saturation is outside the bound's model). Every
 * output must also be off by more than nothing somewhere, or the test would prove nothing.
 * Not for: the RTL (rtl/lightning_bench.cpp compares it to the fixed-point reference exactly). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/lightning.h"
#include "check.h"

static uint64_t rng_ = 1;
static int32_t raw_(struct arc_fx f)
{
    rng_ ^= rng_ << 13, rng_ ^= rng_ >> 7, rng_ ^= rng_ << 17;
    int32_t r = 1 << (f.frac - 2), v = (int32_t)(rng_ % (uint64_t)(2 * r + 1)) - r;
    return v ? v : 1;
}

static int saturated_(struct arc_fx f, const int32_t *x, size_t n)
{
    int32_t hi = (1 << (f.bits - 1)) - 1;
    for (size_t i = 0; i < n; i++)
        if (x[i] >= hi || x[i] <= -hi - 1)
            return 1;
    return 0;
}

/* worst error / bound over the outputs; *maxerr the worst error */
static double check_outputs_(const char *what, struct arc_fx f, const int32_t *oq, const float *of,
                             const double *bound, size_t n, double *maxerr)
{
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs(arc_fx_to_double(f, oq[i]) - (double)of[i]);
        double b = 1.02 * bound[i] + 1e-6 * fabs((double)of[i]);
        if (!CHECK_MSG(e <= b, "%s fixed:%d.%d: output %zu off by %.3g, bound %.3g", what, f.bits, f.frac, i, e, b))
            break;
        worst = fmax(worst, e / b);
        *maxerr = fmax(*maxerr, e);
    }
    return worst;
}

static void decode_(struct arc_fx f, int H, int D, int T)
{
    int32_t *lamp = arc_xmalloc((size_t)H * 2 * sizeof *lamp), lam[64];
    arc_fx_lambda_powers(f, H, 1, lamp);
    int32_t *q = arc_xmalloc((size_t)H * D * sizeof *q), *k = arc_xmalloc((size_t)H * D * sizeof *k);
    int32_t *v = arc_xmalloc((size_t)H * D * sizeof *v), *o = arc_xmalloc((size_t)H * D * sizeof *o);
    int32_t *S = arc_xcalloc((size_t)H * D * D, sizeof *S);
    float *qf = arc_xmalloc((size_t)T * D * sizeof *qf), *kf = arc_xmalloc((size_t)T * D * sizeof *kf);
    float *vf = arc_xmalloc((size_t)T * D * sizeof *vf), *of = arc_xmalloc((size_t)T * D * sizeof *of);
    int32_t *oq = arc_xmalloc((size_t)H * T * D * sizeof *oq);
    double *bound = arc_xmalloc((size_t)H * T * D * sizeof *bound), *eS = arc_xcalloc((size_t)H * D * D, sizeof *eS);
    double *Sx = arc_xcalloc((size_t)H * D * D, sizeof *Sx);
    const double u = ldexp(1.0, -(f.frac + 1));
    int32_t *qs = arc_xmalloc((size_t)H * T * D * sizeof *qs), *ks = arc_xmalloc((size_t)H * T * D * sizeof *ks);
    int32_t *vs = arc_xmalloc((size_t)H * T * D * sizeof *vs);
    for (int h = 0; h < H; h++)
        lam[h] = lamp[h * 2 + 1];
    for (size_t i = 0; i < (size_t)H * T * D; i++)
        qs[i] = raw_(f), ks[i] = raw_(f), vs[i] = raw_(f);
    for (int t = 0; t < T; t++) {
        for (int h = 0; h < H; h++)
            for (int i = 0; i < D; i++) {
                size_t s = ((size_t)h * T + t) * D + i;
                q[h * D + i] = qs[s], k[h * D + i] = ks[s], v[h * D + i] = vs[s];
            }
        arc_fx_lightning_decode(f, H, D, lam, q, k, v, o, S);
        CHECK_MSG(!saturated_(f, S, (size_t)H * D * D) && !saturated_(f, o, (size_t)H * D), "decode saturated");
        for (int h = 0; h < H; h++) {
            double lambda = exp(-arc_lightning_slope(h, H, 0, 1)), dl = fabs(arc_fx_to_double(f, lam[h]) - lambda);
            double lq = arc_fx_to_double(f, lam[h]);
            double *Sh = Sx + (size_t)h * D * D, *Eh = eS + (size_t)h * D * D;
            for (int i = 0; i < D; i++)
                for (int j = 0; j < D; j++) {
                    size_t x = (size_t)i * D + j;
                    Eh[x] = lq * Eh[x] + dl * fabs(Sh[x]) + u;
                    Sh[x] = lambda * Sh[x] + arc_fx_to_double(f, k[h * D + i]) * arc_fx_to_double(f, v[h * D + j]);
                }
            for (int j = 0; j < D; j++) {
                double b = u;
                for (int i = 0; i < D; i++)
                    b += fabs(arc_fx_to_double(f, q[h * D + i])) * Eh[(size_t)i * D + j];
                bound[((size_t)h * T + t) * D + j] = b;
                oq[((size_t)h * T + t) * D + j] = o[h * D + j];
            }
        }
    }
    double worst = 0, maxerr = 0;
    for (int h = 0; h < H; h++) {
        double lambda = exp(-arc_lightning_slope(h, H, 0, 1));
        for (size_t i = 0; i < (size_t)T * D; i++) {
            size_t s = (size_t)h * T * D + i;
            qf[i] = (float)arc_fx_to_double(f, qs[s]), kf[i] = (float)arc_fx_to_double(f, ks[s]);
            vf[i] = (float)arc_fx_to_double(f, vs[s]);
        }
        arc_lightning_recurrent(qf, kf, vf, of, T, D, lambda, NULL);
        worst = fmax(worst, check_outputs_("decode", f, oq + (size_t)h * T * D, of, bound + (size_t)h * T * D,
                                           (size_t)T * D, &maxerr));
    }
    CHECK_MSG(maxerr > 0, "decode fixed:%d.%d: no output differs from the float reference at all", f.bits, f.frac);
    printf("decode fixed:%d.%d H %d D %d T %d: max |error| %.3g, at most %.0f%% of the bound\n", f.bits, f.frac, H, D,
           T, maxerr, 100 * worst);
    free(lamp), free(q), free(k), free(v), free(o), free(S), free(qf), free(kf), free(vf), free(of), free(oq);
    free(bound), free(eS), free(Sx), free(qs), free(ks), free(vs);
}

static void chunk_(struct arc_fx f, int H, int D, int C, int blocks)
{
    const int T = C * blocks;
    const double u = ldexp(1.0, -(f.frac + 1));
    int32_t *lamp = arc_xmalloc((size_t)H * (C + 1) * sizeof *lamp);
    arc_fx_lambda_powers(f, H, C, lamp);
    size_t nb = (size_t)H * C * D, nt = (size_t)H * T * D;
    int32_t *qs = arc_xmalloc(nt * sizeof *qs), *ks = arc_xmalloc(nt * sizeof *ks), *vs = arc_xmalloc(nt * sizeof *vs);
    int32_t *q = arc_xmalloc(nb * sizeof *q), *k = arc_xmalloc(nb * sizeof *k), *v = arc_xmalloc(nb * sizeof *v);
    int32_t *o = arc_xmalloc(nb * sizeof *o), *oq = arc_xmalloc(nt * sizeof *oq);
    int32_t *S = arc_xcalloc((size_t)H * D * D, sizeof *S);
    double *bound = arc_xmalloc(nt * sizeof *bound), *eS = arc_xcalloc((size_t)H * D * D, sizeof *eS);
    double *Sx = arc_xcalloc((size_t)H * D * D, sizeof *Sx), *Sn = arc_xmalloc((size_t)D * D * sizeof *Sn);
    double *P = arc_xmalloc((size_t)C * C * sizeof *P), *ePm = arc_xmalloc((size_t)C * C * sizeof *ePm);
    double *eKd = arc_xmalloc((size_t)C * D * sizeof *eKd), *eSn = arc_xmalloc((size_t)D * D * sizeof *eSn);
    for (size_t i = 0; i < nt; i++)
        qs[i] = raw_(f), ks[i] = raw_(f), vs[i] = raw_(f);
    for (int blk = 0; blk < blocks; blk++) {
        for (int h = 0; h < H; h++)
            memcpy(q + (size_t)h * C * D, qs + ((size_t)h * T + (size_t)blk * C) * D, (size_t)C * D * sizeof *q),
            memcpy(k + (size_t)h * C * D, ks + ((size_t)h * T + (size_t)blk * C) * D, (size_t)C * D * sizeof *k),
            memcpy(v + (size_t)h * C * D, vs + ((size_t)h * T + (size_t)blk * C) * D, (size_t)C * D * sizeof *v);
        arc_fx_lightning_chunk(f, H, D, C, lamp, q, k, v, o, S);
        CHECK_MSG(!saturated_(f, S, (size_t)H * D * D) && !saturated_(f, o, nb), "chunk saturated");
        for (int h = 0; h < H; h++) {
            double lambda = exp(-arc_lightning_slope(h, H, 0, 1)), dl[257];
            for (int n = 0; n <= C; n++)
                dl[n] = fabs(arc_fx_to_double(f, lamp[(size_t)h * (C + 1) + n]) - pow(lambda, n));
            const int32_t *Q = q + (size_t)h * C * D, *K = k + (size_t)h * C * D, *V = v + (size_t)h * C * D;
            double *Sh = Sx + (size_t)h * D * D, *Eh = eS + (size_t)h * D * D;
#define X_(a) arc_fx_to_double(f, (a))
            for (int i = 0; i < C; i++)
                for (int j = 0; j < C; j++) {
                    double dot = 0;
                    for (int x = 0; x < D; x++)
                        dot += X_(Q[i * D + x]) * X_(K[j * D + x]);
                    P[i * C + j] = dot;
                    ePm[i * C + j] = j <= i ? u + dl[i - j] * fabs(dot) + u : 0;
                }
            for (int i = 0; i < C; i++)
                for (int c = 0; c < D; c++) {
                    double I = 0, eI = u, b = u;
                    for (int x = 0; x < D; x++) {
                        I += X_(Q[i * D + x]) * Sh[(size_t)x * D + c];
                        eI += fabs(X_(Q[i * D + x])) * Eh[(size_t)x * D + c];
                    }
                    b += eI + dl[i + 1] * fabs(I);
                    for (int j = 0; j <= i; j++)
                        b += ePm[i * C + j] * fabs(X_(V[j * D + c]));
                    bound[((size_t)h * T + (size_t)blk * C + i) * D + c] = b;
                    oq[((size_t)h * T + (size_t)blk * C + i) * D + c] = o[(size_t)h * C * D + (size_t)i * D + c];
                }
            for (int j = 0; j < C; j++)
                for (int x = 0; x < D; x++)
                    eKd[j * D + x] = dl[C - 1 - j] * fabs(X_(K[j * D + x])) + u;
            for (int x = 0; x < D; x++)
                for (int c = 0; c < D; c++) {
                    double acc = 0, e = Eh[(size_t)x * D + c] + dl[C] * fabs(Sh[(size_t)x * D + c]) + u;
                    for (int j = 0; j < C; j++) {
                        acc += pow(lambda, C - 1 - j) * X_(K[j * D + x]) * X_(V[j * D + c]);
                        e += eKd[j * D + x] * fabs(X_(V[j * D + c]));
                    }
                    Sn[(size_t)x * D + c] = pow(lambda, C) * Sh[(size_t)x * D + c] + acc;
                    eSn[(size_t)x * D + c] = e;
                }
            memcpy(Sh, Sn, (size_t)D * D * sizeof *Sn);
            memcpy(Eh, eSn, (size_t)D * D * sizeof *eSn);
#undef X_
        }
    }
    float *qf = arc_xmalloc((size_t)T * D * sizeof *qf), *kf = arc_xmalloc((size_t)T * D * sizeof *kf);
    float *vf = arc_xmalloc((size_t)T * D * sizeof *vf), *of = arc_xmalloc((size_t)T * D * sizeof *of);
    double worst = 0, maxerr = 0;
    for (int h = 0; h < H; h++) {
        double lambda = exp(-arc_lightning_slope(h, H, 0, 1));
        for (size_t i = 0; i < (size_t)T * D; i++) {
            size_t s = (size_t)h * T * D + i;
            qf[i] = (float)arc_fx_to_double(f, qs[s]), kf[i] = (float)arc_fx_to_double(f, ks[s]);
            vf[i] = (float)arc_fx_to_double(f, vs[s]);
        }
        arc_lightning_block(qf, kf, vf, of, T, D, lambda, C, NULL);
        worst = fmax(worst, check_outputs_("chunk", f, oq + (size_t)h * T * D, of, bound + (size_t)h * T * D,
                                           (size_t)T * D, &maxerr));
    }
    CHECK_MSG(maxerr > 0, "chunk fixed:%d.%d: no output differs from the float reference at all", f.bits, f.frac);
    printf("chunk fixed:%d.%d H %d D %d C %d, %d blocks: max |error| %.3g, at most %.0f%% of the bound\n", f.bits,
           f.frac, H, D, C, blocks, maxerr, 100 * worst);
    free(lamp), free(qs), free(ks), free(vs), free(q), free(k), free(v), free(o), free(oq), free(S), free(bound);
    free(eS), free(Sx), free(Sn), free(P), free(ePm), free(eKd), free(eSn), free(qf), free(kf), free(vf), free(of);
}

int main(void)
{
    /* the format's parser and its range */
    struct arc_fx f;
    CHECK(arc_fx_parse("fixed:16.8", &f) == 0 && f.bits == 16 && f.frac == 8);
    CHECK(arc_fx_parse("fixed:16.15", &f) < 0);
    CHECK(arc_fx_parse("fixed:25.8", &f) < 0);
    CHECK(arc_fx_parse("fixed:16.8x", &f) < 0);
    CHECK(arc_fx_parse("float:16.8", &f) < 0);
    /* the rounding rule: half up, then saturation (a wide value has 2F fraction bits) */
    f = (struct arc_fx){8, 2};
    CHECK_EQ_I(arc_fx_round(f, 2 * 4 + 2), 3);   /* 2.5 ulp -> 3 */
    CHECK_EQ_I(arc_fx_round(f, -2 * 4 - 2), -2); /* -2.5 ulp -> -2 (half up) */
    CHECK_EQ_I(arc_fx_round(f, -2 * 4 - 3), -3);
    CHECK_EQ_I(arc_fx_round(f, 1000 * 16), 127);
    CHECK_EQ_I(arc_fx_round(f, -1000 * 16), -128);
    CHECK_EQ_I(arc_fx_from_double(f, 0.375), 2); /* 1.5 ulp -> 2 */
    CHECK_EQ_I(arc_fx_from_double(f, 1e9), 127);

    static const struct arc_fx formats[] = {{16, 8}, {24, 16}, {12, 6}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        rng_ = 0x9E3779B97F4A7C15ull + i;
        decode_(formats[i], 4, 16, 12);
        chunk_(formats[i], 3, 16, 8, 3);
    }
    return check_done("test_fixed_reference_error_bound", "");
}
