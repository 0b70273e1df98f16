/* arclight LLVM back ends: the lightning kernels JIT-compiled for the host CPU.
 *
 * For: running a generated kernel in-process (tests compare it to the C reference in lightning.h).
 * arc_llvm_jit_init lowers the IR of a spec to LLVM IR (the same module `arclight gen llvm` writes),
 * compiles it with LLVM's ORC JIT for the host CPU and hands back a function with the kernel ABI of
 * codegen.h. The `llvm` and `ptx` back ends themselves are in the registry of codegen.h.
 * Not for: speed (plain scalar loops; the CUDA back end is the fast one), GPUs (`arclight gen ptx`
 * writes PTX; loading it is for whoever owns a CUDA context).
 *
 * Host ABI: as codegen.h, with bf16 as raw 16-bit values (arc_bf16_bits) and fp32 state. One call
 * runs every program instance (batch x heads x value splits). The prefill function takes the batch
 * count as one more, last, argument: on a GPU it is the grid's y dimension, which the codegen.h
 * signature leaves to the launch. */
#ifndef ARCLIGHT_LLVM_BACKEND_H
#define ARCLIGHT_LLVM_BACKEND_H

#include <stdint.h>

#include "arclight/codegen.h"

/* q, k, v, o: [B][H][T][D] bf16 bits; state: [B][H][D][D] fp32, receives the final state;
 * slope: [H], lambda_h = exp(-slope[h]) */
typedef void (*arc_lightning_prefill_fn)(const uint16_t *q, const uint16_t *k, const uint16_t *v, uint16_t *o,
                                         float *state, const float *slope, int T, int B);
/* q, k, v, o: [B][H][D] bf16 bits; state: [B][H][D][D] fp32, read and updated in place */
typedef void (*arc_lightning_decode_fn)(const uint16_t *q, const uint16_t *k, const uint16_t *v, uint16_t *o,
                                        float *state, const float *slope, int B);

/* One JIT-compiled kernel. Owned: arc_llvm_jit_init / arc_llvm_jit_free. */
struct arc_llvm_jit {
    struct arc_kernel_spec spec;
    arc_lightning_prefill_fn prefill; /* set when spec.kernel is the prefill, else NULL */
    arc_lightning_decode_fn decode;   /* set when spec.kernel is the decode, else NULL */
    void *impl_;                      /* the LLVM JIT session */
};

/* Builds the spec's kernel and compiles it for the host CPU. Bad specs get the one-line --option
 * error (ARC_EINPUT); LLVM failures, warnings included, are ARC_ETOOL with LLVM's message.
 * On failure *j holds nothing to free (arc_llvm_jit_free is still safe). */
int arc_llvm_jit_init(struct arc_llvm_jit *j, const struct arc_kernel_spec *s);
void arc_llvm_jit_free(struct arc_llvm_jit *j);

#endif
