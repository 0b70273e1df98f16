/* arclight lightning reference in fixed point: the arithmetic of the generated RTL, bit for bit
 * (lightning.h states the format and the rounding rule). The Verilator benches compare every RTL
 * output to these functions exactly; tests/test_fixed_reference_error_bound.c bounds their
 * distance from the float reference.
 * Not for: speed, or any format but fixed:W.F. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/common.h"
#include "arclight/lightning.h"

int arc_fx_valid(struct arc_fx f) { return f.bits >= 4 && f.bits <= 24 && f.frac >= 1 && f.frac <= f.bits - 2; }

int arc_fx_parse(const char *s, struct arc_fx *out)
{
    int w, fr, n = 0;
    if (strncmp(s, "fixed:", 6) != 0 || sscanf(s + 6, "%d.%d%n", &w, &fr, &n) != 2 || s[6 + n])
        return -1;
    struct arc_fx f = {w, fr};
    if (!arc_fx_valid(f))
        return -1;
    *out = f;
    return 0;
}

static int32_t sat_(struct arc_fx f, int64_t x)
{
    int64_t hi = ((int64_t)1 << (f.bits - 1)) - 1, lo = -hi - 1;
    return (int32_t)(x > hi ? hi : x < lo ? lo : x);
}

/* floor(x / 2^n) without shifting a negative number (implementation-defined in C) */
static int64_t floor_shift_(int64_t x, int n)
{
    int64_t d = (int64_t)1 << n;
    return x >= 0 ? x / d : -((-x + d - 1) / d);
}

int32_t arc_fx_round(struct arc_fx f, int64_t wide)
{
    return sat_(f, floor_shift_(wide + ((int64_t)1 << (f.frac - 1)), f.frac));
}

int32_t arc_fx_from_double(struct arc_fx f, double x)
{
    double r = floor(x * ldexp(1.0, f.frac) + 0.5);
    double hi = ldexp(1.0, f.bits - 1) - 1, lo = -ldexp(1.0, f.bits - 1);
    return (int32_t)(r > hi ? hi : r < lo ? lo : r);
}

double arc_fx_to_double(struct arc_fx f, int32_t raw) { return ldexp((double)raw, -f.frac); }

void arc_fx_lambda_powers(struct arc_fx f, int H, int C, int32_t *lamp)
{
    for (int h = 0; h < H; h++) {
        double lambda = exp(-arc_lightning_slope(h, H, 0, 1));
        for (int n = 0; n <= C; n++)
            lamp[(size_t)h * (C + 1) + n] = arc_fx_from_double(f, pow(lambda, n));
    }
}

void arc_fx_lightning_decode(struct arc_fx f, int H, int D, const int32_t *lam, const int32_t *q,
                             const int32_t *k, const int32_t *v, int32_t *o, int32_t *S)
{
    for (int h = 0; h < H; h++) {
        const int32_t *qh = q + (size_t)h * D, *kh = k + (size_t)h * D, *vh = v + (size_t)h * D;
        int32_t *Sh = S + (size_t)h * D * D;
        for (int j = 0; j < D; j++) {
            int64_t acc = 0;
            for (int i = 0; i < D; i++) {
                int32_t *s = &Sh[(size_t)i * D + j];
                *s = arc_fx_round(f, (int64_t)lam[h] * *s + (int64_t)kh[i] * vh[j]);
                acc += (int64_t)qh[i] * *s;
            }
            o[(size_t)h * D + j] = arc_fx_round(f, acc);
        }
    }
}

void arc_fx_lightning_chunk(struct arc_fx f, int H, int D, int C, const int32_t *lamp,
                            const int32_t *q, const int32_t *k, const int32_t *v, int32_t *o,
                            int32_t *S)
{
    int32_t *Pm = arc_xmalloc((size_t)C * C * sizeof *Pm);
    int32_t *I = arc_xmalloc((size_t)C * D * sizeof *I);
    int32_t *Kd = arc_xmalloc((size_t)C * D * sizeof *Kd);
    for (int h = 0; h < H; h++) {
        const int32_t *Q = q + (size_t)h * C * D, *K = k + (size_t)h * C * D, *V = v + (size_t)h * C * D;
        const int32_t *lp = lamp + (size_t)h * (C + 1);
        int32_t *O = o + (size_t)h * C * D, *Sh = S + (size_t)h * D * D;
        for (int i = 0; i < C; i++)
            for (int j = 0; j < C; j++) {
                int64_t acc = 0;
                for (int x = 0; x < D; x++)
                    acc += (int64_t)Q[(size_t)i * D + x] * K[(size_t)j * D + x];
                int32_t p = arc_fx_round(f, acc);
                Pm[(size_t)i * C + j] = j <= i ? arc_fx_round(f, (int64_t)lp[i - j] * p) : 0;
            }
        for (int i = 0; i < C; i++)
            for (int c = 0; c < D; c++) {
                int64_t acc = 0;
                for (int x = 0; x < D; x++)
                    acc += (int64_t)Q[(size_t)i * D + x] * Sh[(size_t)x * D + c];
                I[(size_t)i * D + c] = arc_fx_round(f, acc);
            }
        for (int i = 0; i < C; i++)
            for (int c = 0; c < D; c++) {
                int64_t acc = (int64_t)lp[i + 1] * I[(size_t)i * D + c];
                for (int j = 0; j < C; j++)
                    acc += (int64_t)Pm[(size_t)i * C + j] * V[(size_t)j * D + c];
                O[(size_t)i * D + c] = arc_fx_round(f, acc);
            }
        for (int j = 0; j < C; j++)
            for (int x = 0; x < D; x++)
                Kd[(size_t)j * D + x] = arc_fx_round(f, (int64_t)lp[C - 1 - j] * K[(size_t)j * D + x]);
        for (int x = 0; x < D; x++)
            for (int c = 0; c < D; c++) {
                int64_t acc = (int64_t)lp[C] * Sh[(size_t)x * D + c];
                for (int j = 0; j < C; j++)
                    acc += (int64_t)Kd[(size_t)j * D + x] * V[(size_t)j * D + c];
                Sh[(size_t)x * D + c] = arc_fx_round(f, acc);
            }
    }
    free(Pm);
    free(I);
    free(Kd);
}
