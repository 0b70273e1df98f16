/* arclight CUDA back end, internal: the launch geometry of the kernels codegen/cuda/cuda.c emits.
 *
 * For: whoever launches a generated kernel (verify, bench) and the emitter itself, so that the grid,
 * the block and the shared memory the code assumes are computed in one place. Not for: emitting
 * code, or other back ends' kernels (their geometry is the ABI's, codegen.h). */
#ifndef ARCLIGHT_CODEGEN_CUDA_H
#define ARCLIGHT_CODEGEN_CUDA_H

#include "arclight/codegen.h"

/* Maximum dynamic shared memory of one block on sm_90 (227 KB), bytes */
#define ARC_CUDA_SMEM_MAX 232448

struct arc_cuda_launch {
    const char *entry;   /* the kernel function: lightning_prefill; lightning_decode, or
                          * lightning_decode_narrow for batches too small to fill the GPU */
    unsigned grid[3];    /* blocks: prefill (H x split, B, 1); decode (B x H x col_split, 1, 1) */
    unsigned block;      /* threads per block: 32 x warps */
    unsigned smem_bytes; /* dynamic shared memory per block, bytes (prefill; 0 for decode) */
    /* prefill: the shared-memory plan */
    int stages;          /* Q, K, V tiles in flight: 1 (no prefetch), 2 or 3 blocks */
    /* decode: programs per (batch, head), each owning D / col_split state columns */
    int col_split;
    /* prefill, wgmma path: three more arguments after the ABI's, CUtensorMap q, k, v (by value): each
     * the tensor as [B x H][T][D] bf16 (dims D, T, B x H; row strides 2 D and 2 T D bytes), boxes of
     * 64 x 64 x 1, 128-byte swizzle, no interleave, zeros out of bounds (verify.c, tensor_map_) */
    int tensor_maps;
};

/* The GPU a launch is for, and the decode entry to run (verify's options) */
enum arc_decode_entry { ARC_DECODE_AUTO, ARC_DECODE_WIDE, ARC_DECODE_NARROW };
struct arc_cuda_target {
    int sms;          /* multiprocessors; <= 0: 132, an H100 or H200 SXM */
    int decode_entry; /* enum arc_decode_entry; AUTO: arc_cuda_decode_narrow */
};

/* Geometry of spec s for a batch of B (prefill: sequences; decode: sequences of one step) on target
 * t (NULL: the defaults). Fails with the one-line message naming the option when the spec cannot be
 * lowered (registers, shared memory, threads). */
int arc_cuda_launch_for(const struct arc_kernel_spec *s, int B, const struct arc_cuda_target *t, struct arc_cuda_launch *l);
/* Whether a decode whose whole-row grid has this many blocks runs the narrow entry on a GPU of sms
 * multiprocessors: with more than two and at most three per SM. Measured on an H200 at 64 heads
 * (bench/RESULTS.md, "Which decode entry"): narrow was 2.5-6% faster at B 5-6 (320, 384 blocks), 3-6%
 * slower at B 1-4, within 1% at B 8-16 and 1-2% slower at B 32-128. */
int arc_cuda_decode_narrow(long blocks, int sms);

/* The warpgroup path (codegen/cuda/wgmma.c). chosen: whether spec s's prefill is lowered with wgmma
 * (its --mma, and whether the shape allows it; --mma wgmma on a shape it cannot take fails with
 * the reason). */
int arc_cuda_wgmma_chosen(const struct arc_kernel_spec *s, int *use);
int arc_cuda_wgmma_launch(const struct arc_kernel_spec *s, int B, struct arc_cuda_launch *l);
struct arc_ir;
struct arc_buf;
int arc_cuda_emit_prefill_wgmma(const struct arc_ir *ir, struct arc_buf *b);

#endif
