/* arclight lightning reference: quadratic, recurrent and block forms in plain C (lightning.h).
 * Not for: speed. Every loop is written out as the formula reads. */
#include "arclight/lightning.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/common.h"

double arc_lightning_slope(int h, int H, int layer, int n_layers)
{
    double base = pow(2.0, -8.0 * (h + 1) / H);
    double factor = 1.0 - (double)layer / ((double)n_layers - 1.0 + 1e-5) + 1e-5;
    return base * factor;
}

void arc_lightning_quadratic(const float *q, const float *k, const float *v, float *o, int T, int D,
                             double lambda)
{
    double *acc = arc_xcalloc((size_t)D, sizeof *acc);
    for (int t = 0; t < T; t++) {
        memset(acc, 0, (size_t)D * sizeof *acc);
        for (int u = 0; u <= t; u++) {
            double dot = 0;
            for (int i = 0; i < D; i++)
                dot += (double)q[(size_t)t * D + i] * k[(size_t)u * D + i];
            double w = pow(lambda, t - u) * dot;
            for (int j = 0; j < D; j++)
                acc[j] += w * v[(size_t)u * D + j];
        }
        for (int j = 0; j < D; j++)
            o[(size_t)t * D + j] = (float)acc[j];
    }
    free(acc);
}

void arc_lightning_recurrent(const float *q, const float *k, const float *v, float *o, int T, int D,
                             double lambda, double *S_io)
{
    double *S = arc_xcalloc((size_t)D * D, sizeof *S);
    if (S_io)
        memcpy(S, S_io, (size_t)D * D * sizeof *S);
    for (int t = 0; t < T; t++) {
        const float *qt = q + (size_t)t * D, *kt = k + (size_t)t * D, *vt = v + (size_t)t * D;
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++)
                S[(size_t)i * D + j] = lambda * S[(size_t)i * D + j] + (double)kt[i] * vt[j];
        for (int j = 0; j < D; j++) {
            double acc = 0;
            for (int i = 0; i < D; i++)
                acc += (double)qt[i] * S[(size_t)i * D + j];
            o[(size_t)t * D + j] = (float)acc;
        }
    }
    if (S_io)
        memcpy(S_io, S, (size_t)D * D * sizeof *S);
    free(S);
}

void arc_lightning_block(const float *q, const float *k, const float *v, float *o, int T, int D,
                         double lambda, int B, double *S_io)
{
    ARC_ASSERT(B >= 1);
    double *S = arc_xcalloc((size_t)D * D, sizeof *S);
    double *P = arc_xcalloc((size_t)B * B, sizeof *P);  /* (Q K^T) . M */
    double *Sn = arc_xcalloc((size_t)D * D, sizeof *Sn);
    if (S_io)
        memcpy(S, S_io, (size_t)D * D * sizeof *S);
    for (int t0 = 0; t0 < T; t0 += B) {
        int b = T - t0 < B ? T - t0 : B; /* this block's length */
        const float *Q = q + (size_t)t0 * D, *K = k + (size_t)t0 * D, *V = v + (size_t)t0 * D;
        for (int i = 0; i < b; i++)
            for (int j = 0; j < b; j++) {
                double dot = 0;
                if (j <= i)
                    for (int x = 0; x < D; x++)
                        dot += (double)Q[(size_t)i * D + x] * K[(size_t)j * D + x];
                P[(size_t)i * B + j] = j <= i ? dot * pow(lambda, i - j) : 0;
            }
        for (int i = 0; i < b; i++)
            for (int c = 0; c < D; c++) {
                double intra = 0, inter = 0;
                for (int j = 0; j <= i; j++)
                    intra += P[(size_t)i * B + j] * V[(size_t)j * D + c];
                for (int x = 0; x < D; x++)
                    inter += (double)Q[(size_t)i * D + x] * S[(size_t)x * D + c];
                o[(size_t)(t0 + i) * D + c] = (float)(intra + pow(lambda, i + 1) * inter);
            }
        /* S_n = lambda^b S_{n-1} + (diag(lambda^(b-1-j)) K)^T V */
        double lb = pow(lambda, b);
        for (int x = 0; x < D; x++)
            for (int c = 0; c < D; c++) {
                double acc = 0;
                for (int j = 0; j < b; j++)
                    acc += pow(lambda, b - 1 - j) * K[(size_t)j * D + x] * V[(size_t)j * D + c];
                Sn[(size_t)x * D + c] = lb * S[(size_t)x * D + c] + acc;
            }
        memcpy(S, Sn, (size_t)D * D * sizeof *S);
    }
    if (S_io)
        memcpy(S_io, S, (size_t)D * D * sizeof *S);
    free(S);
    free(P);
    free(Sn);
}

uint16_t arc_bf16_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    if ((u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu)) /* NaN stays NaN */
        return (uint16_t)((u >> 16) | 0x40);
    u += 0x7fffu + ((u >> 16) & 1u); /* round to nearest, ties to even */
    return (uint16_t)(u >> 16);
}

float arc_bf16_value(uint16_t bits)
{
    uint32_t u = (uint32_t)bits << 16;
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

float arc_bf16_round(float x) { return arc_bf16_value(arc_bf16_bits(x)); }

double arc_rel_error(const float *a, const float *b, int64_t n)
{
    double num = 0, den = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = (double)a[i] - (double)b[i];
        num += d * d;
        den += (double)b[i] * b[i];
    }
    if (den == 0)
        return num == 0 ? 0 : INFINITY;
    return sqrt(num / den);
}
