/* arclight CUDA back end: lowers the lightning IR to CUDA C for sm_90a.
 *
 * The prefill program becomes one thread block per (head, value split, batch) walking the blocks of
 * the sequence: every IR instruction is a call to a tile primitive on shared memory (the prelude
 * written into the same file), separated by barriers, and the running state stays in shared memory
 * for the whole sequence (it is written to global memory once, at the end). The decode program,
 * whose state instructions are elementwise over S, is fused into one streaming pass: each thread
 * reads a slice of S once, applies the state instructions in IR order, accumulates its share of
 * o = q S, and writes S back; partial sums of o meet in shared memory.
 * Not for: running or timing kernels (verify), other languages (codegen/llvm/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/codegen.h"
#include "arclight/fsutil.h"

/* The tile primitives every prefill kernel uses; templates sized by the emitted constants. */
static const char prelude_[] =
    "#include <cuda_bf16.h>\n"
    "#include <stdint.h>\n"
    "\n"
    "typedef unsigned short arc_bf16; /* raw bfloat16 bits, as the ABI passes them */\n"
    "\n"
    "__device__ __forceinline__ float arc_to_f(arc_bf16 x) { return __uint_as_float((unsigned)x << 16); }\n"
    "__device__ __forceinline__ arc_bf16 arc_to_bf(float x) {\n"
    "    return __bfloat16_as_ushort(__float2bfloat16_rn(x)); /* round to nearest even */\n"
    "}\n"
    "\n"
    "/* rows x COLS bf16 tile from global (row stride ld) into shared; rows past `rows` are zero */\n"
    "template <int ROWS, int COLS>\n"
    "__device__ void arc_load(arc_bf16 *dst, const arc_bf16 *src, int rows, int ld) {\n"
    "    for (int e = threadIdx.x; e < ROWS * COLS; e += blockDim.x) {\n"
    "        int r = e / COLS, c = e % COLS;\n"
    "        dst[e] = r < rows ? src[(size_t)r * ld + c] : (arc_bf16)0;\n"
    "    }\n"
    "}\n"
    "\n"
    "/* the first `rows` rows of an fp32 tile to global bf16 (row stride ld) */\n"
    "template <int ROWS, int COLS>\n"
    "__device__ void arc_store(arc_bf16 *dst, const float *src, int rows, int ld) {\n"
    "    for (int e = threadIdx.x; e < ROWS * COLS; e += blockDim.x) {\n"
    "        int r = e / COLS, c = e % COLS;\n"
    "        if (r < rows) dst[(size_t)r * ld + c] = arc_to_bf(src[e]);\n"
    "    }\n"
    "}\n"
    "\n"
    "template <class T> __device__ __forceinline__ float arc_f(T x);\n"
    "template <> __device__ __forceinline__ float arc_f<float>(float x) { return x; }\n"
    "template <> __device__ __forceinline__ float arc_f<arc_bf16>(arc_bf16 x) { return arc_to_f(x); }\n"
    "\n"
    "/* D (M x N, fp32) (+)= op(A) op(B), op(A) M x K, op(B) K x N; A, B row-major in shared */\n"
    "template <int M, int N, int K, bool TA, bool TB, bool ACC, class TA_, class TB_>\n"
    "__device__ void arc_matmul(float *D, const TA_ *A, const TB_ *B) {\n"
    "    for (int e = threadIdx.x; e < M * N; e += blockDim.x) {\n"
    "        int m = e / N, n = e % N;\n"
    "        float acc = ACC ? D[e] : 0.f;\n"
    "        for (int k = 0; k < K; k++) {\n"
    "            float a = arc_f(TA ? A[k * M + m] : A[m * K + k]);\n"
    "            float b = arc_f(TB ? B[n * K + k] : B[k * N + n]);\n"
    "            acc = fmaf(a, b, acc);\n"
    "        }\n"
    "        D[e] = acc;\n"
    "    }\n"
    "}\n"
    "\n"
    "/* P_ij *= lambda^(i-j) for i >= j; 0 above the diagonal and past the block's rows */\n"
    "template <int C>\n"
    "__device__ void arc_decay_mask(float *P, int rows, float log_lambda) {\n"
    "    for (int e = threadIdx.x; e < C * C; e += blockDim.x) {\n"
    "        int i = e / C, j = e % C;\n"
    "        P[e] = (j <= i && i < rows) ? P[e] * __expf(log_lambda * (float)(i - j)) : 0.f;\n"
    "    }\n"
    "}\n"
    "\n"
    "/* dst_i* = src_i* x lambda^(base + sign i); base < 0 means rows - 1 */\n"
    "template <int ROWS, int COLS>\n"
    "__device__ void arc_row_decay(arc_bf16 *dst, const arc_bf16 *src, int rows, float log_lambda, int base, int sign) {\n"
    "    int b = base < 0 ? rows - 1 : base;\n"
    "    for (int e = threadIdx.x; e < ROWS * COLS; e += blockDim.x) {\n"
    "        int i = e / COLS;\n"
    "        float w = i < rows ? __expf(log_lambda * (float)(b + sign * i)) : 0.f;\n"
    "        dst[e] = arc_to_bf(arc_to_f(src[e]) * w);\n"
    "    }\n"
    "}\n"
    "\n"
    "template <int N>\n"
    "__device__ void arc_scale(float *x, float f) {\n"
    "    for (int e = threadIdx.x; e < N; e += blockDim.x) x[e] *= f;\n"
    "}\n"
    "\n"
    "template <int N>\n"
    "__device__ void arc_zero(float *x) {\n"
    "    for (int e = threadIdx.x; e < N; e += blockDim.x) x[e] = 0.f;\n"
    "}\n"
    "\n"
    "/* the state (D rows x DV columns, row stride ld in global) from shared fp32 */\n"
    "template <int D, int DV>\n"
    "__device__ void arc_store_state(float *dst, const float *S, int ld) {\n"
    "    for (int e = threadIdx.x; e < D * DV; e += blockDim.x) dst[(size_t)(e / DV) * ld + e % DV] = S[e];\n"
    "}\n";

static int dim_(const struct arc_ir *ir, enum arc_ir_dim d) { return arc_ir_dim_size(&ir->spec, d); }

static const char *ctype_(enum arc_dtype t) { return t == ARC_DTYPE_FP32 ? "float" : "arc_bf16"; }

static void stamp_(struct arc_buf *b, const struct arc_ir *ir, const char *stamp)
{
    arc_buf_printf(b, "/* generated by %s; do not edit\n *\n * the program:\n", stamp);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    arc_ir_print(ir, f);
    fclose(f);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        arc_buf_printf(b, " *   %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    arc_buf_printf(b, " */\n");
}

/* global pointer expression of a tensor for this program instance */
static void global_ptr_(struct arc_buf *b, const struct arc_ir *ir, int t)
{
    const char *n = ir->t[t].name;
    if (strcmp(n, "state") == 0)
        arc_buf_printf(b, "(state + ((size_t)bh * D) * D + split * DV)");
    else if (strcmp(n, "v") == 0 || strcmp(n, "o") == 0)
        arc_buf_printf(b, "(%s + ((size_t)bh * T + t0) * D + split * DV)", n);
    else
        arc_buf_printf(b, "(%s + ((size_t)bh * T + t0) * D)", n);
}

static int emit_prefill_(const struct arc_ir *ir, struct arc_buf *b)
{
    const struct arc_kernel_spec *s = &ir->spec;
    arc_buf_printf(b, "%s\n", prelude_);
    arc_buf_printf(b, "#define H %d\n#define D %d\n#define DV %d\n#define C %d\n#define SPLIT %d\n#define THREADS %d\n\n",
                   s->heads, s->dim, s->dim / s->split, s->chunk, s->split, 32 * s->warps);
    /* shared memory: every tile and the state */
    size_t off = 0;
    int t_off[ARC_IR_MAX_TENSORS];
    for (int t = 0; t < ir->nt; t++) {
        t_off[t] = -1;
        if (ir->t[t].space == ARC_IR_GLOBAL)
            continue;
        t_off[t] = (int)off;
        off += (size_t)dim_(ir, ir->t[t].rows) * dim_(ir, ir->t[t].cols) * arc_dtype_bytes(ir->t[t].dtype);
        off = (off + 15) & ~(size_t)15;
    }
    arc_buf_printf(b, "/* dynamic shared memory: %zu bytes */\n#define SMEM_BYTES %zu\n\n", off, off);
    arc_buf_printf(b, "extern \"C\" __global__ void __launch_bounds__(THREADS)\n"
                      "lightning_prefill(const arc_bf16 *__restrict__ q, const arc_bf16 *__restrict__ k,\n"
                      "                  const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o,\n"
                      "                  float *__restrict__ state, const float *__restrict__ slope, int T)\n{\n"
                      "    extern __shared__ __align__(16) unsigned char smem[];\n"
                      "    const int h = blockIdx.x / SPLIT, split = blockIdx.x %% SPLIT;\n"
                      "    const size_t bh = (size_t)blockIdx.y * H + h;\n"
                      "    const float log_lambda = -slope[h];\n"
                      "    int t0 = 0, rows = C;\n"
                      "    (void)rows;\n");
    for (int t = 0; t < ir->nt; t++)
        if (t_off[t] >= 0)
            arc_buf_printf(b, "    %s *%s = (%s *)(smem + %d);\n", ctype_(ir->t[t].dtype), ir->t[t].name,
                           ctype_(ir->t[t].dtype), t_off[t]);
    for (int i = 0; i < ir->ni; i++) {
        const struct arc_ir_inst *in = &ir->in[i];
        const struct arc_ir_tensor *d = in->dst >= 0 ? &ir->t[in->dst] : NULL;
        const struct arc_ir_tensor *a = in->a >= 0 ? &ir->t[in->a] : NULL;
        const struct arc_ir_tensor *bb = in->b >= 0 ? &ir->t[in->b] : NULL;
        arc_buf_printf(b, "    /* %d %s */\n", i, arc_ir_op_name(in->op));
        switch (in->op) {
        case ARC_IR_LOOP_BLOCKS:
            arc_buf_printf(b, "    for (t0 = 0; t0 < T; t0 += C) {\n    rows = min(C, T - t0);\n");
            continue; /* no barrier */
        case ARC_IR_END:
            arc_buf_printf(b, "    }\n");
            continue;
        case ARC_IR_LOAD:
            arc_buf_printf(b, "    arc_load<%d, %d>(%s, ", dim_(ir, d->rows), dim_(ir, d->cols), d->name);
            global_ptr_(b, ir, in->a);
            arc_buf_printf(b, ", rows, D);\n");
            break;
        case ARC_IR_STORE:
            arc_buf_printf(b, "    arc_store<%d, %d>(", dim_(ir, a->rows), dim_(ir, a->cols));
            global_ptr_(b, ir, in->dst);
            arc_buf_printf(b, ", %s, rows, D);\n", a->name);
            break;
        case ARC_IR_MATMUL: {
            int K = dim_(ir, in->trans_a ? a->rows : a->cols);
            arc_buf_printf(b, "    arc_matmul<%d, %d, %d, %s, %s, %s>(%s, %s, %s);\n", dim_(ir, d->rows),
                           dim_(ir, d->cols), K, in->trans_a ? "true" : "false",
                           in->trans_b ? "true" : "false", in->accumulate ? "true" : "false", d->name,
                           a->name, bb->name);
            break;
        }
        case ARC_IR_DECAY_MASK:
            arc_buf_printf(b, "    arc_decay_mask<C>(%s, rows, log_lambda);\n", d->name);
            break;
        case ARC_IR_ROW_DECAY:
            arc_buf_printf(b, "    arc_row_decay<%d, %d>(%s, %s, rows, log_lambda, %d, %d);\n",
                           dim_(ir, d->rows), dim_(ir, d->cols), d->name, a->name, in->base, in->sign);
            break;
        case ARC_IR_SCALE_BLOCK:
            arc_buf_printf(b, "    arc_scale<%d>(%s, __expf(log_lambda * (float)rows));\n",
                           dim_(ir, d->rows) * dim_(ir, d->cols), d->name);
            break;
        case ARC_IR_LOAD_STATE:
            arc_buf_printf(b, "    arc_zero<%d>(%s);\n", dim_(ir, d->rows) * dim_(ir, d->cols), d->name);
            break;
        case ARC_IR_STORE_STATE:
            arc_buf_printf(b, "    arc_store_state<D, DV>(");
            global_ptr_(b, ir, in->dst);
            arc_buf_printf(b, ", %s, D);\n", a->name);
            break;
        default:
            return arc_errorf(ARC_EUNSUPPORTED, "cuda: %s is not an op of the prefill program", arc_ir_op_name(in->op));
        }
        arc_buf_printf(b, "    __syncthreads();\n");
    }
    arc_buf_printf(b, "}\n");
    return ARC_OK;
}

/* The decode program, fused: the state instructions become the body of one pass over S. */
static int emit_decode_(const struct arc_ir *ir, struct arc_buf *b)
{
    const struct arc_kernel_spec *s = &ir->spec;
    int D = s->dim, threads = 32 * s->warps;
    if (threads < D / 4 || threads % (D / 4))
        return arc_errorf(ARC_EINPUT, "--warps: the decode kernel needs a multiple of %d threads (D / 4)", D / 4);
    arc_buf_printf(b, "#include <cuda_bf16.h>\n\ntypedef unsigned short arc_bf16;\n"
                      "__device__ __forceinline__ float arc_to_f(arc_bf16 x) { return __uint_as_float((unsigned)x << 16); }\n"
                      "__device__ __forceinline__ arc_bf16 arc_to_bf(float x) { return __bfloat16_as_ushort(__float2bfloat16_rn(x)); }\n\n");
    arc_buf_printf(b, "#define H %d\n#define D %d\n#define THREADS %d\n#define COLS4 (D / 4) /* float4 columns */\n"
                      "#define ROWGROUPS (THREADS / COLS4)\n\n", s->heads, D, threads);
    arc_buf_printf(b, "extern \"C\" __global__ void __launch_bounds__(THREADS)\n"
                      "lightning_decode(const arc_bf16 *__restrict__ q, const arc_bf16 *__restrict__ k,\n"
                      "                 const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o,\n"
                      "                 float *__restrict__ state, const float *__restrict__ slope, int B)\n{\n"
                      "    __shared__ float qs[D], ks[D];\n"
                      "    __shared__ float4 part[ROWGROUPS][COLS4];\n"
                      "    const size_t bh = blockIdx.x; /* (batch, head) */\n"
                      "    const int h = (int)(bh %% H);\n"
                      "    if (bh >= (size_t)B * H) return;\n"
                      "    const float lambda = __expf(-slope[h]);\n"
                      "    for (int e = threadIdx.x; e < D; e += THREADS) {\n"
                      "        qs[e] = arc_to_f(q[bh * D + e]);\n"
                      "        ks[e] = arc_to_f(k[bh * D + e]);\n"
                      "    }\n"
                      "    __syncthreads();\n"
                      "    const int c4 = threadIdx.x %% COLS4, g = threadIdx.x / COLS4;\n"
                      "    float4 vv;\n"
                      "    vv.x = arc_to_f(v[bh * D + 4 * c4 + 0]);\n"
                      "    vv.y = arc_to_f(v[bh * D + 4 * c4 + 1]);\n"
                      "    vv.z = arc_to_f(v[bh * D + 4 * c4 + 2]);\n"
                      "    vv.w = arc_to_f(v[bh * D + 4 * c4 + 3]);\n"
                      "    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);\n"
                      "    float4 *S4 = (float4 *)(state + bh * D * D);\n"
                      "#pragma unroll 4\n"
                      "    for (int i = g; i < D; i += ROWGROUPS) {\n"
                      "        float4 s = __ldcs(&S4[(size_t)i * COLS4 + c4]); /* streamed: read once */\n");
    /* the state instructions, in program order, on one float4 of S */
    for (int i = 0; i < ir->ni; i++) {
        const struct arc_ir_inst *in = &ir->in[i];
        switch (in->op) {
        case ARC_IR_DECAY:
            arc_buf_printf(b, "        /* %d decay */\n        s.x *= lambda; s.y *= lambda; s.z *= lambda; s.w *= lambda;\n", i);
            break;
        case ARC_IR_OUTER_ACC:
            arc_buf_printf(b, "        /* %d outer_acc */\n        { float ki = ks[i]; s.x = fmaf(ki, vv.x, s.x); s.y = fmaf(ki, vv.y, s.y);\n"
                              "          s.z = fmaf(ki, vv.z, s.z); s.w = fmaf(ki, vv.w, s.w); }\n", i);
            break;
        case ARC_IR_MATMUL:
            arc_buf_printf(b, "        /* %d matmul (o = q S) */\n        { float qi = qs[i]; acc.x = fmaf(qi, s.x, acc.x); acc.y = fmaf(qi, s.y, acc.y);\n"
                              "          acc.z = fmaf(qi, s.z, acc.z); acc.w = fmaf(qi, s.w, acc.w); }\n", i);
            break;
        case ARC_IR_LOAD_STATE:
        case ARC_IR_LOAD:
        case ARC_IR_STORE:
        case ARC_IR_STORE_STATE:
            break; /* the pass's own loads and stores */
        default:
            return arc_errorf(ARC_EUNSUPPORTED, "cuda: %s is not an op of the decode program", arc_ir_op_name(in->op));
        }
    }
    arc_buf_printf(b, "        __stcs(&S4[(size_t)i * COLS4 + c4], s); /* written once */\n"
                      "    }\n"
                      "    part[g][c4] = acc;\n"
                      "    __syncthreads();\n"
                      "    if (g == 0) {\n"
                      "        float4 r = part[0][c4];\n"
                      "        for (int x = 1; x < ROWGROUPS; x++) {\n"
                      "            float4 p = part[x][c4];\n"
                      "            r.x += p.x; r.y += p.y; r.z += p.z; r.w += p.w;\n"
                      "        }\n"
                      "        o[bh * D + 4 * c4 + 0] = arc_to_bf(r.x);\n"
                      "        o[bh * D + 4 * c4 + 1] = arc_to_bf(r.y);\n"
                      "        o[bh * D + 4 * c4 + 2] = arc_to_bf(r.z);\n"
                      "        o[bh * D + 4 * c4 + 3] = arc_to_bf(r.w);\n"
                      "    }\n"
                      "}\n");
    return ARC_OK;
}

static int emit_(const struct arc_ir *ir, const char *dir, const char *stamp, struct arc_gen_output *out)
{
    struct arc_buf b = {0};
    stamp_(&b, ir, stamp);
    const struct arc_kernel_spec *s = &ir->spec;
    if (s->kernel == ARC_KERNEL_PREFILL) {
        arc_buf_printf(&b, "/* launch: grid (H x SPLIT, batch), THREADS threads, SMEM_BYTES dynamic shared memory\n"
                           " * (cudaFuncSetAttribute MaxDynamicSharedMemorySize when over 48 KB) */\n");
    } else {
        arc_buf_printf(&b, "/* launch: grid (batch x H), THREADS threads */\n");
    }
    int st = s->kernel == ARC_KERNEL_PREFILL ? emit_prefill_(ir, &b) : emit_decode_(ir, &b);
    if (st < 0) {
        arc_buf_free(&b);
        return st;
    }
    snprintf(out->files[out->n], sizeof out->files[0], "%s/%s.cu", dir,
             s->kernel == ARC_KERNEL_PREFILL ? "lightning_prefill" : "lightning_decode");
    st = arc_file_write_atomic(out->files[out->n], b.data, b.len);
    arc_buf_free(&b);
    if (st >= 0)
        out->n++;
    return st;
}

const struct arc_backend arc_backend_cuda = {
    .name = "cuda",
    .doc = "CUDA C for sm_90a: tile primitives in shared memory (prefill), a fused streaming pass (decode)",
    .emit = emit_,
};
