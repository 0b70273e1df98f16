/* arclight codegen: the lightning-kernel IR and the registry of back ends that lower it.
 *
 * For: describing the two kernels (chunked prefill, decode step) once, checking their parameters,
 * and emitting them as CUDA C (sm_90a), LLVM IR (host JIT) and PTX (NVPTX, sm_90) through back ends
 * chosen by name. The IR is a short program of tile operations over named tensors; every back end
 * walks the same program. Not for: running kernels (verify) or the C reference (lightning.h).
 *
 * Kernel ABI, shared by every back end (row-major, bf16 as raw 16-bit values):
 *   lightning_prefill(const bf16 *q, const bf16 *k, const bf16 *v, bf16 *o, float *state,
 *                     const float *slope, int T)
 *     q, k, v, o: [B][H][T][D]; state: [B][H][D][D] receives each head's final state (fp32);
 *     slope: [H], lambda_h = exp(-slope[h]). One program instance per (batch, head, value split).
 *   lightning_decode(const bf16 *q, const bf16 *k, const bf16 *v, bf16 *o, float *state,
 *                    const float *slope, int B)
 *     q, k, v, o: [B][H][D]; state: [B][H][D][D], read and written in place (fp32).
 *     One step: S = lambda S + k^T v, o = q S. */
#ifndef ARCLIGHT_CODEGEN_H
#define ARCLIGHT_CODEGEN_H

#include <stdio.h>

#include "arclight/common.h"
#include "arclight/lightning.h"

enum arc_kernel {
    ARC_KERNEL_PREFILL, /* "lightning-prefill": the block form over T tokens */
    ARC_KERNEL_DECODE,  /* "lightning-decode": one recurrent step */
    ARC_KERNEL_CHUNK,   /* "lightning-chunk": one block of C tokens with the state in and out
                         * (the prefill's loop body); back ends with .rtl only */
    ARC_KERNEL_COUNT
};
const char *arc_kernel_name(enum arc_kernel k);
int arc_kernel_parse(const char *s, enum arc_kernel *out);

/* The CUDA prefill's tensor-core instructions: warpgroup wgmma (sm_90a, one warpgroup of 4 warps,
 * C 64, D a multiple of 64) or warp mma.sync (any shape); auto takes wgmma where the shape allows. */
enum arc_mma { ARC_MMA_AUTO, ARC_MMA_WGMMA, ARC_MMA_SYNC, ARC_MMA_COUNT };
const char *arc_mma_name(enum arc_mma m);
int arc_mma_parse(const char *s, enum arc_mma *out);

/* The kernel's parameters. */
struct arc_kernel_spec {
    enum arc_kernel kernel;
    int heads;                  /* H */
    int dim;                    /* D, head dimension: a multiple of 16, at most 256 */
    int chunk;                  /* prefill block size C: a power of two in [16, 256] */
    int split;                  /* prefill: programs per head, each owning D / split value columns */
    int warps;                  /* CUDA: warps per program (1..16) */
    int mma;                    /* CUDA prefill: enum arc_mma */
    enum arc_dtype io_dtype;    /* q, k, v, o: bf16 */
    enum arc_dtype state_dtype; /* the running state: fp32 */
    /* RTL back ends only (.rtl set); 0 = not given. Other back ends refuse them (arc_gen). */
    int lanes;                  /* MAC lanes = RAM banks: a power of two in [2, D / 2] */
    struct arc_fx format;       /* number format of every word (lightning.h); bits 0 = not given */
};
/* Defaults: H 64, D 128, C 64, split 2, warps 4 (decode 16), bf16 / fp32 (the MiniMax-Text-01 head);
 * lanes and format not given (arc_gen fills ARC_RTL_DEFAULT_* for an RTL back end). */
void arc_kernel_spec_defaults(struct arc_kernel_spec *s, enum arc_kernel k);
/* Bad parameters get the one-line error naming the option (--chunk, --dim, ...). */
int arc_kernel_spec_check(const struct arc_kernel_spec *s);

/* ---- the IR ---- */

/* Where a tensor lives: the kernel's global arguments, a tile of one program, the state. */
enum arc_ir_space { ARC_IR_GLOBAL, ARC_IR_TILE, ARC_IR_STATE, ARC_IR_SPACE_COUNT };

/* Dimensions are symbolic so one program serves every size: */
enum arc_ir_dim {
    ARC_IR_ONE,   /* 1 */
    ARC_IR_C,     /* the block length (the last block may be shorter: `rows` in the op) */
    ARC_IR_D,     /* head dimension */
    ARC_IR_DV,    /* value columns of this program: D / split */
    ARC_IR_DIM_COUNT
};

struct arc_ir_tensor {
    char name[8];            /* "Q", "K", "V", "O", "P", "S", ... */
    enum arc_ir_space space;
    enum arc_ir_dim rows, cols;
    enum arc_dtype dtype;
};

/* ORDER IROP: ir.c irop_info_ */
enum arc_ir_op {
    ARC_IR_LOOP_BLOCKS, /* for each block of C tokens (prefill); closed by END */
    ARC_IR_END,
    ARC_IR_LOAD,        /* dst tile <- rows of global tensor a (this block, or the step's vector) */
    ARC_IR_STORE,       /* global tensor dst <- tile a */
    ARC_IR_MATMUL,      /* dst (+)= op(a) x op(b); trans_a / trans_b; accumulate */
    ARC_IR_DECAY_MASK,  /* dst_ij *= lambda^(i-j) for i >= j, 0 above the diagonal */
    ARC_IR_ROW_DECAY,   /* dst_i* = a_i* x lambda^(base + sign x i): sign +1 or -1, base in tokens */
    ARC_IR_SCALE_BLOCK, /* dst *= lambda^(rows of this block) */
    ARC_IR_DECAY,       /* dst *= lambda (decode) */
    ARC_IR_OUTER_ACC,   /* dst += a^T b of two row vectors (decode: S += k^T v) */
    ARC_IR_LOAD_STATE,  /* dst state <- global state (decode) or zero (prefill, when a = -1) */
    ARC_IR_STORE_STATE, /* global state <- dst state */
    ARC_IR_OP_COUNT
};
const char *arc_ir_op_name(enum arc_ir_op op);

#define ARC_IR_MAX_TENSORS 16
#define ARC_IR_MAX_INSTS 32

struct arc_ir_inst {
    enum arc_ir_op op;
    int dst, a, b;           /* tensor indices; -1 = none */
    int trans_a, trans_b;    /* MATMUL: use a^T, b^T */
    int accumulate;          /* MATMUL: dst += instead of = */
    int base, sign;          /* ROW_DECAY: lambda^(base + sign x i); base -1 means "rows - 1" */
};

struct arc_ir {
    struct arc_kernel_spec spec;
    struct arc_ir_tensor t[ARC_IR_MAX_TENSORS];
    int nt;
    struct arc_ir_inst in[ARC_IR_MAX_INSTS];
    int ni;
};

/* Builds the program of a kernel (checks the spec first). */
int arc_ir_build(const struct arc_kernel_spec *s, struct arc_ir *ir);
/* Checks the program: operands exist, shapes agree (matmul inner dimensions, stores match their
 * tensors), loops close, dtypes are ones the back ends handle. */
int arc_ir_validate(const struct arc_ir *ir);
/* The program as text, one instruction per line (stamped into generated files). */
void arc_ir_print(const struct arc_ir *ir, FILE *f);
/* Size of a symbolic dimension for this spec (C: the full block). */
int arc_ir_dim_size(const struct arc_kernel_spec *s, enum arc_ir_dim d);

/* ---- back ends ---- */

#define ARC_GEN_MAX_FILES 4
struct arc_gen_output {
    char files[ARC_GEN_MAX_FILES][1024]; /* paths written */
    int n;
};

/* A back end lowers the IR into files in dir, each stamped with the command that made it. */
struct arc_backend {
    const char *name; /* "cuda", "llvm", "ptx", "verilog" */
    const char *doc;
    int rtl;          /* 1: hardware (verilog): takes --lanes, --format and lightning-chunk, which
                       * every other back end refuses with the one-line error */
    int (*emit)(const struct arc_ir *ir, const char *dir, const char *stamp, struct arc_gen_output *out);
};
/* NULL-terminated registry */
extern const struct arc_backend *const arc_backends[];
const struct arc_backend *arc_backend_find(const char *name);

/* RTL defaults when --lanes or --format is not given: design choices, small enough to simulate */
#define ARC_RTL_DEFAULT_LANES 8
#define ARC_RTL_DEFAULT_FORMAT ((struct arc_fx){16, 8})

/* Writes the back end's files for spec into dir (created if missing). stamp: the command line.
 * For an RTL back end, lanes and format not given take ARC_RTL_DEFAULT_*; any other back end
 * refuses them, and lightning-chunk, with ARC_EINPUT. */
int arc_gen(const struct arc_backend *be, const struct arc_kernel_spec *s, const char *dir,
            const char *stamp, struct arc_gen_output *out);

extern const struct arc_backend arc_backend_cuda;
extern const struct arc_backend arc_backend_llvm; /* codegen/llvm/llvm.c: LLVM IR for the host */
extern const struct arc_backend arc_backend_ptx;  /* codegen/llvm/ptx.c: PTX for sm_90 */
extern const struct arc_backend arc_backend_verilog; /* codegen/verilog/verilog.c: the lightning unit */

#endif
