/* arclight lightning reference: lightning attention as MiniMax-01 defines it, in plain C.
 *
 * For: the reference every generated kernel (CUDA, LLVM JIT, PTX, RTL) is checked against. Per
 * head h of H in layer l of L, the slope is s_h = 2^(-8 (h + 1) / H) x (1 - l / (L - 1 + 1e-5) +
 * 1e-5) (transformers' MiniMaxLightningAttention.get_slope_rate) and lambda = exp(-s_h). For one
 * head, o_t = sum_{u <= t} lambda^(t - u) (q_t . k_u) v_u, with no 1/sqrt(d). Three forms that must
 * agree: quadratic, recurrent, and the block (chunked) form the prefill kernels use. Arithmetic is in
 * double; inputs and outputs are float arrays, row-major [T][D].
 * Not for: speed (codegen/ emits the fast versions). */
#ifndef ARCLIGHT_LIGHTNING_H
#define ARCLIGHT_LIGHTNING_H

#include <stdint.h>

/* s_h for head h of H in layer `layer` of n_layers (n_layers 1: the factor is 1 + 1e-5) */
double arc_lightning_slope(int h, int H, int layer, int n_layers);

/* o_t = sum_{u <= t} lambda^(t-u) (q_t . k_u) v_u */
void arc_lightning_quadratic(const float *q, const float *k, const float *v, float *o, int T, int D,
                             double lambda);
/* S_t = lambda S_{t-1} + k_t^T v_t, o_t = q_t S_t. S (D x D, row k-index, column v-index) holds
 * the starting state and receives the final one; NULL starts from zero. */
void arc_lightning_recurrent(const float *q, const float *k, const float *v, float *o, int T, int D,
                             double lambda, double *S);
/* Blocks of B tokens: intra = [(Q K^T) . M] V with M_ij = lambda^(i-j) for i >= j, else 0;
 * inter = diag(lambda^(i+1)) Q S_{n-1}; S_n = lambda^B S_{n-1} + (diag(lambda^(B-1-j)) K)^T V.
 * A last, shorter block of B' tokens uses B' in place of B. S as in arc_lightning_recurrent. */
void arc_lightning_block(const float *q, const float *k, const float *v, float *o, int T, int D,
                         double lambda, int B, double *S);

/* Round a float to bf16 (round to nearest even) and back, as kernels with bf16 inputs see it. */
float arc_bf16_round(float x);
uint16_t arc_bf16_bits(float x);
float arc_bf16_value(uint16_t bits);

/* Relative error ||a - b|| / ||b|| over n values (2-norm, in double); 0 when both are 0. */
double arc_rel_error(const float *a, const float *b, int64_t n);

/* ---- fixed point: the arithmetic of the generated RTL (codegen/verilog/), bit for bit ----
 * A format fixed:W.F is signed two's complement, W bits in all (sign included), F of them
 * fraction: a raw value x stands for x / 2^F. 4 <= W <= 24 and 1 <= F <= W - 2 (one integer bit
 * beside the sign, so lambda^0 = 1 is representable). Rounding rule, the one way any wider
 * result comes back to W bits: a sum of products (2F fraction bits, exact in 64 bits) is rounded
 * half up (add 2^(F-1), then floor-shift right by F) and saturated to [-2^(W-1), 2^(W-1) - 1].
 * Constants (lambda^n per head) are the nearest raw value to the real one, half up, saturated. */
struct arc_fx {
    int bits; /* W */
    int frac; /* F */
};
/* "fixed:W.F"; -1 on anything else or out of range */
int arc_fx_parse(const char *s, struct arc_fx *out);
int arc_fx_valid(struct arc_fx f);
int32_t arc_fx_from_double(struct arc_fx f, double x);
double arc_fx_to_double(struct arc_fx f, int32_t raw);
/* a wide value with 2F fraction bits back to the format (the rounding rule above) */
int32_t arc_fx_round(struct arc_fx f, int64_t wide);
/* lambda_h^n for n = 0..C as raw constants, lamp[h * (C + 1) + n], with lambda_h =
 * exp(-arc_lightning_slope(h, H, 0, 1)) (the first layer of a one-layer model) */
void arc_fx_lambda_powers(struct arc_fx f, int H, int C, int32_t *lamp);
/* One decode step for H heads, raw values. q, k, v, o: [H][D]; S: [H][D][D] (row k-index,
 * column v-index), read and written; lam: [H], lambda_h. Per element, in this order:
 *   S_ij = round(lam S_ij + k_i v_j)      (one rounding of the two products' sum)
 *   o_j  = round(sum_i q_i S_ij)          (with the new, rounded S) */
void arc_fx_lightning_decode(struct arc_fx f, int H, int D, const int32_t *lam, const int32_t *q,
                             const int32_t *k, const int32_t *v, int32_t *o, int32_t *S);
/* One block of C tokens for H heads (the block form), raw values. q, k, v, o: [H][C][D]; S:
 * [H][D][D], S_prev in, S_new out; lamp: [H][C + 1] from arc_fx_lambda_powers. Per head:
 *   P_ij   = round(sum_x Q_ix K_jx)                          (all i, j)
 *   Pm_ij  = round(lamp[i-j] P_ij) for j <= i, else 0
 *   I_ic   = round(sum_x Q_ix S_xc)                          (inter, before the decay)
 *   O_ic   = round(lamp[i+1] I_ic + sum_j Pm_ij V_jc)
 *   Kd_jx  = round(lamp[C-1-j] K_jx)
 *   S_xc   = round(lamp[C] S_xc + sum_j Kd_jx V_jc) */
void arc_fx_lightning_chunk(struct arc_fx f, int H, int D, int C, const int32_t *lamp,
                            const int32_t *q, const int32_t *k, const int32_t *v, int32_t *o,
                            int32_t *S);

#endif
