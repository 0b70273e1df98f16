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

#endif
