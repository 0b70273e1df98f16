/* arclight LLVM lowering (internal to codegen/llvm/): the lightning IR as an LLVM module, built with
 * the LLVM C API, for the host (JIT, .ll) or for NVPTX (.ptx).
 *
 * For: the one walk over the IR that both LLVM back ends share, the target data that tells them
 * apart, LLVM's diagnostics captured as arclight errors, and one-time target initialisation.
 * Not for: writing files (llvm.c, ptx.c), JIT sessions (llvm.c), or any public interface
 * (include/arclight/llvm_backend.h, include/arclight/codegen.h).
 *
 * Placement, the same for both targets: the tiles (Q, K, V, P, ...) live in one workspace (host: one
 * malloc per call; NVPTX: the block's dynamic shared memory), at 16-byte aligned offsets, two tiles
 * sharing bytes when no instruction sees both alive (P and Qd, O and Kd in the prefill); the
 * state S lives in the ABI's `state` argument itself, in this instance's slice (D rows, row stride
 * D, columns split x Dv ...), so load_state from `state` and store_state to it move nothing.
 * Every tile instruction is one loop over the elements of its destination: on the host the loop
 * runs over all of them, on NVPTX each thread of the block takes every blockDim-th element and a
 * barrier follows the instruction (the CUDA back end's pattern). */
#ifndef ARCLIGHT_CODEGEN_LLVM_LOWER_H
#define ARCLIGHT_CODEGEN_LLVM_LOWER_H

#include <stddef.h>

#include <llvm-c/Core.h>

#include "arclight/codegen.h"
#include "arclight/fsutil.h"

/* What differs between the host and the GPU, as data (STYLE #12). */
struct arc_llvm_target {
    const char *name;        /* "host", "nvptx": in error messages */
    int gpu;                 /* 1: one program instance per thread block, from blockIdx;
                              * 0: the instance loops run inside the function */
    unsigned tile_addrspace; /* 0: heap workspace; 3: dynamic shared memory (@arc_smem) */
    const char *exp2;        /* intrinsic for 2^x on f32: "llvm.exp2" (overloaded) or an nvvm one */
    const char *tid, *ntid;  /* thread index and block size (NULL on the host: 0 and 1) */
    const char *ctaid_x, *ctaid_y; /* program instance (NULL on the host) */
    const char *barrier;     /* after every tile instruction (NULL on the host) */
};
extern const struct arc_llvm_target arc_llvm_host_;
extern const struct arc_llvm_target arc_llvm_nvptx_;

/* Bytes of the tile workspace of one program instance (the tiles as placed, 16-byte aligned). */
size_t arc_llvm_tile_bytes_(const struct arc_ir *ir);

/* Builds the module of ir's kernel into a new module of cx (owned by the caller). One function,
 * named as in the ABI (lightning_prefill, lightning_decode); on the host the prefill function
 * takes the batch count as an extra last argument (int B), which a GPU gets from gridDim.y.
 * The module is verified; its triple and data layout are left to the caller. */
int arc_llvm_lower_(const struct arc_ir *ir, const struct arc_llvm_target *tg, LLVMContextRef cx,
                    LLVMModuleRef *out);

/* LLVM's diagnostics on a context: any warning or error is kept (the first message) and makes
 * arc_llvm_diag_check_ fail, so nothing LLVM complains about passes silently. */
struct arc_llvm_diag_ {
    int n;          /* warnings and errors seen */
    char msg[512];  /* the first one */
};
void arc_llvm_diag_attach_(LLVMContextRef cx, struct arc_llvm_diag_ *d);
/* ARC_OK, or ARC_ETOOL naming what (e.g. "ptx: emitting PTX") and LLVM's first message */
int arc_llvm_diag_check_(const struct arc_llvm_diag_ *d, const char *what);

/* Registers the native (host) and NVPTX targets once per process; thread-safe. */
void arc_llvm_init_targets_(void);

/* The IR program as comment lines, each starting with prefix ("; " or "// "): the stamp, the
 * program, and extra (may be NULL), for the head of a generated file. */
void arc_llvm_stamp_(struct arc_buf *b, const char *prefix, const struct arc_ir *ir, const char *stamp,
                     const char *extra);

#endif
