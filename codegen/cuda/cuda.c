/* arclight CUDA back end: lowers the lightning IR to CUDA C for sm_90a.
 *
 * Prefill: one thread block per (head, value split, batch) walks the blocks of the sequence; every IR
 * instruction becomes a call to a tile primitive (the prelude written into the same file) built on
 * the tensor cores (mma.sync m16n8k16 bf16 -> fp32, ldmatrix, stmatrix). Where a tensor lives is
 * decided once, from the program, before the walk (plan_prefill_):
 *   - tiles loaded from global memory (Q, K, V) sit in shared memory, STAGES blocks in flight with
 *     cp.async, so the next blocks' loads overlap this block's products;
 *   - a C x C product that is masked before use (P) is computed on its lower-triangular 16 x 16
 *     tiles in registers and published to shared memory as bf16 for the product that reads it;
 *   - C x Dv products and the state (O, S) are held transposed, as accumulators, in the registers
 *     of the warp that owns their value columns, so no warp exchanges them; the state stays there
 *     across all blocks and is written to global memory once (with twice as many warps as value
 *     tiles, a pair of warps splits D of the state and the tokens of O, and swaps one partial sum);
 *   - a row_decay (Qd, Kd) is a view: its row scale is applied by the product that reads it (to the
 *     output columns of O += Qd S, to the V operand of S += Kd^T V), never materialised.
 * Barriers are emitted only where a shared tile written by one warp is read by another: per block,
 * one once its tiles have landed and one after P is published. Per-thread addresses and weights that
 * do not change from block to block are computed once (arc_ctx in the prelude).
 * Decode: the state instructions are elementwise over S, so the program is fused into one streaming
 * pass; each block owns a slice of state columns of one (batch, head), reads each element of its
 * slice once (all loads in flight before the first use), applies the state instructions in IR order,
 * accumulates its share of o = q S, and writes S back; partial sums of o meet in shared memory.
 * Not for: running or timing kernels (codegen/verify.c), other languages (codegen/llvm/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/codegen.h"
#include "arclight/fsutil.h"
#include "cuda.h"

/* The tile primitives every prefill kernel uses, sized by the constants emitted before them. */
static const char prelude_[] =
    "#include <cuda_bf16.h>\n"
    "#include <stdint.h>\n"
    "\n"
    "typedef unsigned short arc_bf16; /* raw bfloat16 bits, as the ABI passes them */\n"
    "\n"
    "/* derived sizes */\n"
    "#define LDQ (D + 8)   /* row stride of the Q and K tiles in shared memory, elements (+16 B: no bank conflicts) */\n"
    "#define LDV (DV + 8)  /* V tile */\n"
    "#define LDP (C + 8)   /* P tile (bf16) */\n"
    "#define LDO 24        /* a warp's output staging: 16 value columns + 8 */\n"
    "#define LDQB (2 * LDQ)\n"
    "#define LDVB (2 * LDV)\n"
    "#define LDPB (2 * LDP)\n"
    "#define CT (C / 16)   /* 16-row tiles of a block */\n"
    "#define MT (DV / 16)  /* 16-column tiles of this program's value columns */\n"
    "/* NP (emitted): warps sharing one value tile; 2 splits D of the state and the tokens of O between\n"
    " * a pair of warps, so twice the warps hide each other's latency */\n"
    "#define MPW (NP == 2 ? 1 : (MT + WARPS - 1) / WARPS) /* value tiles a warp owns */\n"
    "#define DH (D / NP)   /* state rows (of D) a warp holds */\n"
    "#define CH (C / NP)   /* output tokens (of C) a warp holds */\n"
    "#define CTH (CT / NP) /* their 16-token tiles */\n"
    "#define NPT (CT * (CT + 1) / 2)        /* lower-triangular 16 x 16 tiles of P */\n"
    "#define PTPW ((NPT + WARPS - 1) / WARPS)\n"
    "#define NCH (CT < 4 ? CT : C >= 128 ? 1 : 4)\n"
    "/* loops over a large block's 16-token tiles stay loops: bounded registers (a pragma's argument is\n"
    " * not macro-expanded, hence a constant) */\n"
    "constexpr int arc_sunroll = C > 64 ? 1 : CT; /* 16-token tiles per chunk of the inter product (NP 1) */\n"
    "\n"
    "__device__ __forceinline__ uint32_t arc_pack(float lo, float hi) {\n"
    "    __nv_bfloat162 h = __floats2bfloat162_rn(lo, hi); /* round to nearest even; lo in the low half */\n"
    "    return *reinterpret_cast<uint32_t *>(&h);\n"
    "}\n"
    "/* a pair of bf16 times (a, b), rounded once */\n"
    "__device__ __forceinline__ uint32_t arc_scale2(uint32_t x, float a, float b) {\n"
    "    return arc_pack(__uint_as_float(x << 16) * a, __uint_as_float(x & 0xffff0000u) * b);\n"
    "}\n"
    "\n"
    "/* ---- asynchronous copies, ldmatrix / stmatrix, the tensor-core product; shared addresses as u32 ---- */\n"
    "__device__ __forceinline__ void arc_cp16(unsigned dst, const void *src, bool valid) {\n"
    "    asm volatile(\"cp.async.cg.shared.global [%0], [%1], 16, %2;\\n\" ::\"r\"(dst), \"l\"(src),\n"
    "                 \"r\"(valid ? 16 : 0)); /* src-size 0: zero fill */\n"
    "}\n"
    "__device__ __forceinline__ void arc_cp_commit() { asm volatile(\"cp.async.commit_group;\\n\" ::); }\n"
    "template <int N> __device__ __forceinline__ void arc_cp_wait() { asm volatile(\"cp.async.wait_group %0;\\n\" ::\"n\"(N) : \"memory\"); }\n"
    "__device__ __forceinline__ void arc_ldsm4(uint32_t r[4], unsigned a) {\n"
    "    asm volatile(\"ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\\n\"\n"
    "                 : \"=r\"(r[0]), \"=r\"(r[1]), \"=r\"(r[2]), \"=r\"(r[3]) : \"r\"(a));\n"
    "}\n"
    "__device__ __forceinline__ void arc_ldsm4t(uint32_t r[4], unsigned a) {\n"
    "    asm volatile(\"ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\\n\"\n"
    "                 : \"=r\"(r[0]), \"=r\"(r[1]), \"=r\"(r[2]), \"=r\"(r[3]) : \"r\"(a));\n"
    "}\n"
    "__device__ __forceinline__ void arc_stsm4t(unsigned a, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3) {\n"
    "    asm volatile(\"stmatrix.sync.aligned.m8n8.x4.trans.shared.b16 [%0], {%1,%2,%3,%4};\\n\"\n"
    "                 ::\"r\"(a), \"r\"(r0), \"r\"(r1), \"r\"(r2), \"r\"(r3) : \"memory\");\n"
    "}\n"
    "__device__ __forceinline__ void arc_sts32(unsigned a, uint32_t v) { asm volatile(\"st.shared.b32 [%0], %1;\\n\" ::\"r\"(a), \"r\"(v) : \"memory\"); }\n"
    "__device__ __forceinline__ void arc_stsf(unsigned a, float v) { asm volatile(\"st.shared.f32 [%0], %1;\\n\" ::\"r\"(a), \"f\"(v) : \"memory\"); }\n"
    "__device__ __forceinline__ float arc_ldsf(unsigned a) { float v; asm volatile(\"ld.shared.f32 %0, [%1];\\n\" : \"=f\"(v) : \"r\"(a) : \"memory\"); return v; }\n"
    "__device__ __forceinline__ uint4 arc_lds128(unsigned a) {\n"
    "    uint4 v;\n"
    "    asm volatile(\"ld.shared.v4.b32 {%0,%1,%2,%3}, [%4];\\n\" : \"=r\"(v.x), \"=r\"(v.y), \"=r\"(v.z), \"=r\"(v.w) : \"r\"(a) : \"memory\");\n"
    "    return v;\n"
    "}\n"
    "__device__ __forceinline__ void arc_bar_pair(int id) { asm volatile(\"bar.sync %0, 64;\\n\" ::\"r\"(id) : \"memory\"); }\n"
    "/* d (16 x 8 fp32) += a (16 x 16 bf16, row) b (16 x 8 bf16, col) */\n"
    "__device__ __forceinline__ void arc_mma(float d[4], const uint32_t a[4], uint32_t b0, uint32_t b1) {\n"
    "    asm volatile(\"mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\\n\"\n"
    "                 : \"+f\"(d[0]), \"+f\"(d[1]), \"+f\"(d[2]), \"+f\"(d[3])\n"
    "                 : \"r\"(a[0]), \"r\"(a[1]), \"r\"(a[2]), \"r\"(a[3]), \"r\"(b0), \"r\"(b1));\n"
    "}\n"
    "\n"
    "/* ---- where the tiles live ----\n"
    " * Q, K, V: bf16 tiles in shared memory, STAGES blocks in flight (cp.async).\n"
    " * P (C x C): each warp holds some lower-triangular 16 x 16 tiles in registers; published to shared\n"
    " *   memory as bf16 for the product with V.\n"
    " * O (C x Dv) and the state S (D x Dv): held transposed in registers, as mma accumulators: warp w\n"
    " *   owns value columns [16 m, 16 m + 16) (and, NP 2, half of D and of C); so O^T = V^T P^T + S^T Q^T\n"
    " *   and S^T += V^T K need no exchange between warps (NP 2: one swap between the warps of a pair),\n"
    " *   and S^T's accumulators are the A operand of S^T Q^T as they are (packed to bf16).\n"
    " * Every per-thread address and weight that does not change from block to block is computed once\n"
    " * (arc_ctx), so the loop body is mostly ldmatrix and mma. */\n"
    "struct arc_ptile { float c[PTPW][2][4]; };  /* P tiles: two 16 x 8 halves each */\n"
    "struct arc_otile { float c[MPW][CH / 8][4]; };  /* O^T: 16 value rows x CH tokens per owned tile */\n"
    "struct arc_state { float c[MPW][DH / 8][4]; };  /* S^T: 16 value rows x DH state rows per owned tile */\n"
    "\n"
    "/* ldmatrix row addresses of this lane, in bytes from a tile's origin, for a row stride of LDB bytes:\n"
    " * PA: an A operand of a row-major tile, or a B operand of a [k][n] tile (.trans);\n"
    " * PB: a B operand of an [n][k] tile, or an A operand of a [k][m] tile (.trans) */\n"
    "__device__ __forceinline__ unsigned arc_pa(int l, int ldb) { return ((l & 7) + ((l >> 3) & 1) * 8) * ldb + (l >> 4) * 16; }\n"
    "__device__ __forceinline__ unsigned arc_pb(int l, int ldb) { return ((l & 7) + (l >> 4) * 8) * ldb + ((l >> 3) & 1) * 16; }\n"
    "\n"
    "struct arc_ctx {\n"
    "    unsigned sbase;          /* shared address of the dynamic shared memory */\n"
    "    int l, w, m0, h;         /* lane, warp, first value tile, half of D and C (NP 2) */\n"
    "    int ntiles;              /* this warp's P tiles: t = w, w + WARPS, ... (round robin: warp w runs on scheduler\n"
    "                              * w % 4, so every scheduler gets its share of tiles) */\n"
    "    int tij[PTPW];           /* P tile p: its 16-row tile ti | its 16-column tile tj << 8 */\n"
    "    unsigned paq, pbq;       /* Q and K ldmatrix offsets of this lane in P's tile (0, 0) (bytes in a Q/K tile) */\n"
    "    unsigned pst;            /* this lane's first element of P's tile (0, 0) in Ps (bytes from smem) */\n"
    "    unsigned va;             /* V^T A operand, value tile m0 (bytes in a V tile) */\n"
    "    unsigned pbv;            /* P^T B operand, this half's tokens (bytes in Ps) */\n"
    "    unsigned qb;             /* Q B operand of S^T Q^T, this half of D (bytes in a Q tile) */\n"
    "    unsigned kb;             /* K B operand of S^T += V^T K, this half of D (bytes in a K tile) */\n"
    "};\n"
    "\n"
    "/* tile t of the lower triangle, row-major: (ti, tj), tj <= ti */\n"
    "__device__ __forceinline__ void arc_tri(int t, int &ti, int &tj) {\n"
    "    ti = 0;\n"
    "    while ((ti + 1) * (ti + 2) / 2 <= t) ti++;\n"
    "    tj = t - ti * (ti + 1) / 2;\n"
    "}\n"
    "\n"
    "/* pw: lambda^n, n = 0..C+1, in shared memory, written and visible */\n"
    "__device__ __forceinline__ void arc_ctx_init(arc_ctx &x, const unsigned char *smem, unsigned ps_off) {\n"
    "    x.sbase = (unsigned)__cvta_generic_to_shared(smem);\n"
    "    x.l = threadIdx.x & 31;\n"
    "    x.w = threadIdx.x >> 5;\n"
    "    x.m0 = NP == 2 ? x.w % MT : x.w;\n"
    "    x.h = NP == 2 ? x.w / MT : 0;\n"
    "    x.ntiles = x.w < NPT ? (NPT - 1 - x.w) / WARPS + 1 : 0;\n"
    "    const int l = x.l;\n"
    "#pragma unroll\n"
    "    for (int p = 0; p < PTPW; p++) {\n"
    "        int ti = 0, tj = 0;\n"
    "        if (p < x.ntiles) arc_tri(x.w + p * WARPS, ti, tj);\n"
    "        x.tij[p] = ti | tj << 8;\n"
    "    }\n"
    "    x.paq = arc_pa(l, LDQB);\n"
    "    x.pbq = arc_pb(l, LDQB);\n"
    "    x.pst = ps_off + ((l >> 2) * LDP + (l & 3) * 2) * 2;\n"
    "    x.va = arc_pb(l, LDVB) + x.m0 * 32;\n"
    "    x.pbv = ps_off + arc_pb(l, LDPB) + x.h * CTH * 16 * LDPB;\n"
    "    x.qb = arc_pb(l, LDQB) + x.h * DH * 2;\n"
    "    x.kb = arc_pa(l, LDQB) + x.h * DH * 2;\n"
    "}\n"
    "/* the q-th value tile of this warp; false when it owns none */\n"
    "__device__ __forceinline__ bool arc_owns(const arc_ctx &x, int q) {\n"
    "    return NP == 2 ? q == 0 && x.w < 2 * MT : x.m0 + q * WARPS < MT;\n"
    "}\n"
    "\n"
    "/* lambda^(base + sign i) for token i of this block (base < 0: rows - 1), from the table pw (lambda^n,\n"
    " * n = 0..C+1). Tokens past `rows` get some finite table entry: their Q, K, V rows are zero. */\n"
    "template <int BASE, int SIGN>\n"
    "__device__ __forceinline__ float arc_w(const float *pw, int rows, int i) {\n"
    "    const int e = (BASE < 0 ? rows - 1 : BASE) + SIGN * i;\n"
    "    return pw[min(max(e, 0), C + 1)];\n"
    "}\n"
    "\n"
    "/* ROWS x COLS bf16 tile, global row stride LD, into shared (row stride LDS elements, at shared\n"
    " * address dst) by 16-byte copies in flight; rows past `rows` are zero-filled. Each thread's chunks\n"
    " * sit at fixed offsets from its first: a full block issues them with no arithmetic between. */\n"
    "template <int ROWS, int COLS, int LDS, int LD>\n"
    "__device__ __forceinline__ void arc_tile_issue(unsigned dst, const arc_bf16 *src, int rows) {\n"
    "    constexpr int CHUNKS = COLS / 8, N = ROWS * CHUNKS, ITERS = (N + THREADS - 1) / THREADS;\n"
    "    constexpr bool WHOLE = THREADS % CHUNKS == 0; /* an iteration moves whole rows */\n"
    "    const int e0 = threadIdx.x, r0 = e0 / CHUNKS, c0 = e0 % CHUNKS;\n"
    "    const unsigned d0 = dst + (r0 * LDS + c0 * 8) * 2;\n"
    "    const arc_bf16 *s0 = src + (size_t)r0 * LD + c0 * 8;\n"
    "    if (WHOLE && rows == ROWS) {\n"
    "#pragma unroll\n"
    "        for (int it = 0; it < ITERS; it++)\n"
    "            if (N % THREADS == 0 || e0 + it * THREADS < N)\n"
    "                arc_cp16(d0 + it * (THREADS / CHUNKS) * LDS * 2, s0 + (size_t)it * (THREADS / CHUNKS) * LD, true);\n"
    "        return;\n"
    "    }\n"
    "#pragma unroll\n"
    "    for (int it = 0; it < ITERS; it++) {\n"
    "        const int e = e0 + it * THREADS;\n"
    "        if (N % THREADS == 0 || e < N) {\n"
    "            const int r = e / CHUNKS, c = e % CHUNKS;\n"
    "            const bool ok = r < rows;\n"
    "            arc_cp16(dst + (r * LDS + c * 8) * 2, ok ? src + (size_t)r * LD + c * 8 : src, ok);\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "__device__ __forceinline__ void arc_state_zero(arc_state &S) {\n"
    "#pragma unroll\n"
    "    for (int q = 0; q < MPW; q++)\n"
    "#pragma unroll\n"
    "        for (int n = 0; n < DH / 8; n++)\n"
    "#pragma unroll\n"
    "            for (int e = 0; e < 4; e++) S.c[q][n][e] = 0.f;\n"
    "}\n"
    "__device__ __forceinline__ void arc_state_scale(arc_state &S, float f) {\n"
    "#pragma unroll\n"
    "    for (int q = 0; q < MPW; q++)\n"
    "#pragma unroll\n"
    "        for (int n = 0; n < DH / 8; n++)\n"
    "#pragma unroll\n"
    "            for (int e = 0; e < 4; e++) S.c[q][n][e] *= f;\n"
    "}\n"
    "\n"
    "/* P = Q K^T on this warp's lower-triangular tiles (the rest of P is masked to zero and never read) */\n"
    "__device__ __forceinline__ void arc_mm_qkt(arc_ptile &P, const arc_ctx &x, unsigned Qs, unsigned Ks) {\n"
    "#pragma unroll\n"
    "    for (int p = 0; p < PTPW; p++) {\n"
    "#pragma unroll\n"
    "        for (int n = 0; n < 2; n++)\n"
    "#pragma unroll\n"
    "            for (int e = 0; e < 4; e++) P.c[p][n][e] = 0.f;\n"
    "        if (p < x.ntiles) {\n"
    "            float odd[2][4] = {{0.f, 0.f, 0.f, 0.f}, {0.f, 0.f, 0.f, 0.f}}; /* odd k: a second chain */\n"
    "            const int ti = x.tij[p] & 255, tj = x.tij[p] >> 8;\n"
    "            const unsigned qa = Qs + x.paq + ti * 16 * LDQB, kb = Ks + x.pbq + tj * 16 * LDQB;\n"
    "#pragma unroll\n"
    "            for (int k = 0; k < D / 16; k++) {\n"
    "                uint32_t a[4], b[4];\n"
    "                arc_ldsm4(a, qa + k * 32);\n"
    "                arc_ldsm4(b, kb + k * 32);\n"
    "                arc_mma(k & 1 ? odd[0] : P.c[p][0], a, b[0], b[1]);\n"
    "                arc_mma(k & 1 ? odd[1] : P.c[p][1], a, b[2], b[3]);\n"
    "            }\n"
    "#pragma unroll\n"
    "            for (int n = 0; n < 2; n++)\n"
    "#pragma unroll\n"
    "                for (int e = 0; e < 4; e++) P.c[p][n][e] += odd[n][e];\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "/* P_ij *= lambda^(i-j) for j <= i < rows, else 0 */\n"
    "__device__ __forceinline__ void arc_decay_mask(arc_ptile &P, const arc_ctx &x, int rows, const float *pw) {\n"
    "#pragma unroll\n"
    "    for (int p = 0; p < PTPW; p++) {\n"
    "        const int ti = x.tij[p] & 255, tj = x.tij[p] >> 8;\n"
    "        const int d0 = 16 * (ti - tj) + (x.l >> 2) - (x.l & 3) * 2; /* i - j of element 0 */\n"
    "#pragma unroll\n"
    "        for (int n = 0; n < 2; n++)\n"
    "#pragma unroll\n"
    "            for (int e = 0; e < 4; e++) {\n"
    "                const int d = d0 + ((e >> 1) - n) * 8 - (e & 1);\n"
    "                const float m = pw[max(d, 0)];\n"
    "                P.c[p][n][e] = d >= 0 ? P.c[p][n][e] * m : 0.f;\n"
    "                if (rows < C && ti * 16 + (x.l >> 2) + (e >> 1) * 8 >= rows) P.c[p][n][e] = 0.f;\n"
    "            }\n"
    "    }\n"
    "}\n"
    "\n"
    "/* P's tiles to shared memory as bf16 (row-major, row stride LDP) */\n"
    "__device__ __forceinline__ void arc_publish(const arc_ptile &P, const arc_ctx &x) {\n"
    "#pragma unroll\n"
    "    for (int p = 0; p < PTPW; p++)\n"
    "        if (p < x.ntiles) {\n"
    "#pragma unroll\n"
    "            for (int n = 0; n < 2; n++) {\n"
    "                const unsigned a = x.sbase + x.pst + ((x.tij[p] & 255) * 16 * LDP + (x.tij[p] >> 8) * 16) * 2 + n * 16;\n"
    "                arc_sts32(a, arc_pack(P.c[p][n][0], P.c[p][n][1]));\n"
    "                arc_sts32(a + 8 * LDPB, arc_pack(P.c[p][n][2], P.c[p][n][3]));\n"
    "            }\n"
    "        }\n"
    "}\n"
    "\n"
    "/* O^T = V^T P^T (O = P V), over the lower-triangular blocks of P only */\n"
    "__device__ __forceinline__ void arc_mm_pv(arc_otile &O, const arc_ctx &x, unsigned Vs) {\n"
    "#pragma unroll\n"
    "    for (int q = 0; q < MPW; q++) {\n"
    "#pragma unroll\n"
    "        for (int n = 0; n < CH / 8; n++)\n"
    "#pragma unroll\n"
    "            for (int e = 0; e < 4; e++) O.c[q][n][e] = 0.f;\n"
    "        if (arc_owns(x, q)) {\n"
    "#pragma unroll arc_sunroll /* large blocks: bounded registers */\n"
    "            for (int s = 0; s < CT; s++) { /* 16 tokens j of the reduction */\n"
    "                if (s > x.h * CTH + CTH - 1) break;\n"
    "                uint32_t a[4];\n"
    "                arc_ldsm4t(a, Vs + x.va + q * WARPS * 32 + s * 16 * LDVB);\n"
    "#pragma unroll\n"
    "                for (int npl = 0; npl < CTH; npl++) /* 16 tokens i of the output, i >= j */\n"
    "                    if (x.h * CTH + npl >= s) {\n"
    "                        uint32_t b[4];\n"
    "                        arc_ldsm4(b, x.sbase + x.pbv + npl * 16 * LDPB + s * 32);\n"
    "                        arc_mma(O.c[q][2 * npl], a, b[0], b[1]);\n"
    "                        arc_mma(O.c[q][2 * npl + 1], a, b[2], b[3]);\n"
    "                    }\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "/* O^T += (S^T Q^T) scaled by column: O_i += w_i (Q S)_i (SCALED), the weights of the tokens this\n"
    " * lane holds in wo. NP 2: each warp of a pair sums over its half of D for all C tokens, and the\n"
    " * pair swaps the halves of the tokens it does not hold through X (lane to lane: fragments match). */\n"
    "template <bool SCALED, int BASE, int SIGN>\n"
    "__device__ __forceinline__ void arc_mm_qs(arc_otile &O, const arc_state &S, const arc_ctx &x, unsigned Qs, const float *pw,\n"
    "                                          int rows, unsigned X) {\n"
    "    const int l = x.l;\n"
    "#pragma unroll\n"
    "    for (int q = 0; q < MPW; q++) {\n"
    "        if (!arc_owns(x, q)) continue;\n"
    "        if constexpr (NP == 2) {\n"
    "            float acc[C / 8][4];\n"
    "#pragma unroll\n"
    "            for (int n = 0; n < C / 8; n++)\n"
    "#pragma unroll\n"
    "                for (int e = 0; e < 4; e++) acc[n][e] = 0.f;\n"
    "#pragma unroll\n"
    "            for (int kdl = 0; kdl < DH / 16; kdl++) {\n"
    "                uint32_t a[4] = {arc_pack(S.c[q][2 * kdl][0], S.c[q][2 * kdl][1]),\n"
    "                                 arc_pack(S.c[q][2 * kdl][2], S.c[q][2 * kdl][3]),\n"
    "                                 arc_pack(S.c[q][2 * kdl + 1][0], S.c[q][2 * kdl + 1][1]),\n"
    "                                 arc_pack(S.c[q][2 * kdl + 1][2], S.c[q][2 * kdl + 1][3])};\n"
    "#pragma unroll\n"
    "                for (int np = 0; np < CT; np++) {\n"
    "                    uint32_t b[4];\n"
    "                    arc_ldsm4(b, Qs + x.qb + np * 16 * LDQB + kdl * 32);\n"
    "                    arc_mma(acc[2 * np], a, b[0], b[1]);\n"
    "                    arc_mma(acc[2 * np + 1], a, b[2], b[3]);\n"
    "                }\n"
    "            }\n"
    "            /* swap: my partial of the partner's tokens out, the partner's partial of mine in */\n"
    "            const unsigned mine = X + (unsigned)((x.m0 * 2 + x.h) * (CH / 8) * 4 * 32 + l) * 4;\n"
    "            const unsigned theirs = X + (unsigned)((x.m0 * 2 + (x.h ^ 1)) * (CH / 8) * 4 * 32 + l) * 4;\n"
    "#pragma unroll\n"
    "            for (int n = 0; n < CH / 8; n++)\n"
    "#pragma unroll\n"
    "                for (int e = 0; e < 4; e++) arc_stsf(mine + (n * 4 + e) * 128, x.h ? acc[n][e] : acc[CH / 8 + n][e]);\n"
    "            arc_bar_pair(1 + x.m0);\n"
    "#pragma unroll\n"
    "            for (int n = 0; n < CH / 8; n++)\n"
    "#pragma unroll\n"
    "                for (int e = 0; e < 4; e++) {\n"
    "                    const float own = x.h ? acc[CH / 8 + n][e] : acc[n][e]; /* compile-time indices: registers */\n"
    "                    const float sum = own + arc_ldsf(theirs + (n * 4 + e) * 128);\n"
    "                    const float wi = SCALED ? arc_w<BASE, SIGN>(pw, rows, x.h * CH + n * 8 + (l & 3) * 2 + (e & 1)) : 1.f;\n"
    "                    O.c[q][n][e] = fmaf(wi, sum, O.c[q][n][e]);\n"
    "                }\n"
    "        } else {\n"
    "#pragma unroll\n"
    "            for (int ch = 0; ch < CT; ch += NCH) { /* NCH x 16 tokens at a time: bounded registers */\n"
    "                float acc[2 * NCH][4];\n"
    "#pragma unroll\n"
    "                for (int n = 0; n < 2 * NCH; n++)\n"
    "#pragma unroll\n"
    "                    for (int e = 0; e < 4; e++) acc[n][e] = 0.f;\n"
    "#pragma unroll\n"
    "                for (int kd = 0; kd < D / 16; kd++) {\n"
    "                    uint32_t a[4] = {arc_pack(S.c[q][2 * kd][0], S.c[q][2 * kd][1]),\n"
    "                                     arc_pack(S.c[q][2 * kd][2], S.c[q][2 * kd][3]),\n"
    "                                     arc_pack(S.c[q][2 * kd + 1][0], S.c[q][2 * kd + 1][1]),\n"
    "                                     arc_pack(S.c[q][2 * kd + 1][2], S.c[q][2 * kd + 1][3])};\n"
    "#pragma unroll\n"
    "                    for (int np = 0; np < NCH; np++) {\n"
    "                        uint32_t b[4];\n"
    "                        arc_ldsm4(b, Qs + x.qb + (ch + np) * 16 * LDQB + kd * 32);\n"
    "                        arc_mma(acc[2 * np], a, b[0], b[1]);\n"
    "                        arc_mma(acc[2 * np + 1], a, b[2], b[3]);\n"
    "                    }\n"
    "                }\n"
    "#pragma unroll\n"
    "                for (int n = 0; n < 2 * NCH; n++)\n"
    "#pragma unroll\n"
    "                    for (int e = 0; e < 4; e++) {\n"
    "                        const float wi = SCALED ? arc_w<BASE, SIGN>(pw, rows, ch * 16 + n * 8 + (l & 3) * 2 + (e & 1)) : 1.f;\n"
    "                        O.c[q][ch * 2 + n][e] = fmaf(wi, acc[n][e], O.c[q][ch * 2 + n][e]);\n"
    "                    }\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "/* S^T += V^T diag(w) K (S += (diag(w) K)^T V) on the DH state rows this warp holds; w (SCALED): the\n"
    " * weights of the reduction tokens of this lane's A fragments */\n"
    "template <bool SCALED, int BASE, int SIGN>\n"
    "__device__ __forceinline__ void arc_mm_kv(arc_state &S, const arc_ctx &x, unsigned Ks, unsigned Vs, const float *pw, int rows) {\n"
    "#pragma unroll\n"
    "    for (int q = 0; q < MPW; q++) {\n"
    "        if (arc_owns(x, q)) {\n"
    "#pragma unroll arc_sunroll\n"
    "            for (int s = 0; s < CT; s++) { /* 16 tokens j */\n"
    "                uint32_t a[4];\n"
    "                arc_ldsm4t(a, Vs + x.va + q * WARPS * 32 + s * 16 * LDVB);\n"
    "                if (SCALED) {\n"
    "                    const int j = s * 16 + (x.l & 3) * 2;\n"
    "                    const float w0 = arc_w<BASE, SIGN>(pw, rows, j), w1 = arc_w<BASE, SIGN>(pw, rows, j + 1);\n"
    "                    const float w2 = arc_w<BASE, SIGN>(pw, rows, j + 8), w3 = arc_w<BASE, SIGN>(pw, rows, j + 9);\n"
    "                    a[0] = arc_scale2(a[0], w0, w1);\n"
    "                    a[1] = arc_scale2(a[1], w0, w1);\n"
    "                    a[2] = arc_scale2(a[2], w2, w3);\n"
    "                    a[3] = arc_scale2(a[3], w2, w3);\n"
    "                }\n"
    "#pragma unroll\n"
    "                for (int ndl = 0; ndl < DH / 16; ndl++) {\n"
    "                    uint32_t b[4];\n"
    "                    arc_ldsm4t(b, Ks + x.kb + s * 16 * LDQB + ndl * 32);\n"
    "                    arc_mma(S.c[q][2 * ndl], a, b[0], b[1]);\n"
    "                    arc_mma(S.c[q][2 * ndl + 1], a, b[2], b[3]);\n"
    "                }\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "/* the first `rows` rows of O to global bf16 (row stride D): each warp transposes its value columns\n"
    " * through its own staging tile (stmatrix) and writes 32-byte row segments */\n"
    "__device__ __forceinline__ void arc_store_o(arc_bf16 *dst, const arc_otile &O, const arc_ctx &x, unsigned Os, int rows) {\n"
    "    const int l = x.l;\n"
    "    const unsigned ws = Os + x.w * CH * LDO * 2;\n"
    "#pragma unroll\n"
    "    for (int q = 0; q < MPW; q++) {\n"
    "        if (arc_owns(x, q)) {\n"
    "            const int m = x.m0 + q * WARPS;\n"
    "#pragma unroll\n"
    "            for (int npl = 0; npl < CTH; npl++) {\n"
    "                const int i = npl * 16 + ((l >> 4) & 1) * 8 + (l & 7), v = ((l >> 3) & 1) * 8;\n"
    "                arc_stsm4t(ws + (i * LDO + v) * 2, arc_pack(O.c[q][2 * npl][0], O.c[q][2 * npl][1]),\n"
    "                           arc_pack(O.c[q][2 * npl][2], O.c[q][2 * npl][3]),\n"
    "                           arc_pack(O.c[q][2 * npl + 1][0], O.c[q][2 * npl + 1][1]),\n"
    "                           arc_pack(O.c[q][2 * npl + 1][2], O.c[q][2 * npl + 1][3]));\n"
    "            }\n"
    "            __syncwarp();\n"
    "#pragma unroll\n"
    "            for (int it = 0; it < CTH; it++) {\n"
    "                const int il = it * 16 + (l >> 1), i = x.h * CH + il;\n"
    "                const uint4 val = arc_lds128(ws + (il * LDO + (l & 1) * 8) * 2);\n"
    "                if (i < rows)\n"
    "                    *reinterpret_cast<uint4 *>(dst + (size_t)i * D + m * 16 + (l & 1) * 8) = val;\n"
    "            }\n"
    "            __syncwarp();\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "/* S (D rows x Dv columns, row stride D in global) from the transposed accumulators */\n"
    "__device__ __forceinline__ void arc_store_state(float *dst, const arc_state &S, const arc_ctx &x) {\n"
    "    const int l = x.l;\n"
    "#pragma unroll\n"
    "    for (int q = 0; q < MPW; q++) {\n"
    "        if (arc_owns(x, q)) {\n"
    "            const int m = x.m0 + q * WARPS;\n"
    "#pragma unroll\n"
    "            for (int n = 0; n < DH / 8; n++)\n"
    "#pragma unroll\n"
    "                for (int e = 0; e < 4; e++) {\n"
    "                    int v = m * 16 + (l >> 2) + (e >> 1) * 8, d = x.h * DH + n * 8 + (l & 3) * 2 + (e & 1);\n"
    "                    dst[(size_t)d * D + v] = S.c[q][n][e];\n"
    "                }\n"
    "        }\n"
    "    }\n"
    "}\n";

static int dim_(const struct arc_ir *ir, enum arc_ir_dim d) { return arc_ir_dim_size(&ir->spec, d); }

/* ---- the prefill plan: where each tensor lives, shared memory, registers ---- */

enum place_ {
    PL_GLOBAL,  /* a kernel argument */
    PL_STAGED,  /* bf16 tile in shared memory, loaded by cp.async, STAGES blocks in flight */
    PL_VIEW,    /* row_decay of a staged tile: applied by its consumer */
    PL_TRI,     /* masked C x C product: lower-triangular tiles in registers, published as bf16 */
    PL_COLS,    /* C x Dv product or the state: transposed accumulators in the owning warp */
};

struct plan_ {
    enum place_ place[ARC_IR_MAX_TENSORS];
    int view_of[ARC_IR_MAX_TENSORS];      /* PL_VIEW: the staged tile */
    int view_inst[ARC_IR_MAX_TENSORS];    /* PL_VIEW: the row_decay instruction */
    int stage_off[ARC_IR_MAX_TENSORS];    /* PL_STAGED: byte offset of stage 0 */
    int stage_ld[ARC_IR_MAX_TENSORS];     /* PL_STAGED: row stride, elements */
    size_t stage_bytes;                   /* one stage of every staged tile */
    size_t off_pw, off_p, off_o, off_x, total; /* lambda powers, P, output staging, pair exchange; bytes */
    int stages;
    int np;                               /* warps per value tile: 1, or 2 (a pair splits D and C) */
    int regs;                             /* estimate of the fp32 accumulators per thread */
};

#define LDO_ 24 /* LDO in the prelude */
#define REGS_MAX_ 176

static size_t align16_(size_t x) { return (x + 15) & ~(size_t)15; }

static int plan_prefill_(const struct arc_ir *ir, struct plan_ *p)
{
    const struct arc_kernel_spec *s = &ir->spec;
    const int C = s->chunk, D = s->dim, DV = s->dim / s->split, W = s->warps;
    memset(p, 0, sizeof *p);
    for (int t = 0; t < ir->nt; t++) {
        p->place[t] = ir->t[t].space == ARC_IR_GLOBAL ? PL_GLOBAL : ir->t[t].space == ARC_IR_STATE ? PL_COLS : PL_STAGED;
        p->view_of[t] = p->view_inst[t] = -1;
    }
    size_t off = 0;
    int staged = 0;
    for (int i = 0; i < ir->ni; i++) {
        const struct arc_ir_inst *in = &ir->in[i];
        const struct arc_ir_tensor *d = in->dst >= 0 ? &ir->t[in->dst] : NULL;
        switch (in->op) {
        case ARC_IR_LOAD:
            if (d->dtype != ARC_DTYPE_BF16)
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: load %s: tiles load as bf16", d->name);
            p->place[in->dst] = PL_STAGED;
            p->stage_off[in->dst] = (int)off;
            p->stage_ld[in->dst] = dim_(ir, d->cols) + 8;
            off += align16_((size_t)C * (size_t)p->stage_ld[in->dst] * 2);
            staged++;
            break;
        case ARC_IR_ROW_DECAY:
            /* lambda^(base + sign i) stays in [0, C] for every row of a block */
            if (p->place[in->a] != PL_STAGED || !((in->base >= 0 && in->base <= 1 && in->sign == 1) ||
                                                   (in->base == -1 && in->sign == -1)))
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: row_decay %s: expected a loaded tile and lambda^(0 or 1 + i) "
                                                    "or lambda^(rows - 1 - i)", d->name);
            p->place[in->dst] = PL_VIEW;
            p->view_of[in->dst] = in->a;
            p->view_inst[in->dst] = i;
            break;
        case ARC_IR_MATMUL:
            if (d->cols == ARC_IR_C && d->rows == ARC_IR_C) {
                /* only a product masked before any use may skip the upper triangle */
                int masked = 0;
                for (int j = i + 1; j < ir->ni; j++) {
                    const struct arc_ir_inst *u = &ir->in[j];
                    if (u->a == in->dst || u->b == in->dst || u->dst == in->dst) {
                        masked = u->op == ARC_IR_DECAY_MASK && u->dst == in->dst;
                        break;
                    }
                }
                if (!masked)
                    return arc_errorf(ARC_EUNSUPPORTED, "cuda: matmul %s: a C x C product must be masked (decay_mask) before use", d->name);
                p->place[in->dst] = PL_TRI;
            } else if (d->cols == ARC_IR_DV) {
                p->place[in->dst] = PL_COLS;
            } else {
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: matmul %s: expected a C x C or a Dv-column result", d->name);
            }
            break;
        default:
            break;
        }
    }
    if (!staged)
        return arc_errorf(ARC_EUNSUPPORTED, "cuda: the prefill program loads no tiles");
    p->stage_bytes = off;
    const int CT = C / 16, MT = DV / 16, NCH = CT < 4 ? CT : C >= 128 ? 1 : 4;
    p->np = W == 2 * MT && MT <= 8 && CT % 2 == 0 ? 2 : 1; /* named barriers 1..MT pair the warps */
    const int MPW = p->np == 2 ? 1 : (MT + W - 1) / W;
    /* fp32 accumulators per thread: the state, O (counted twice: it is packed to bf16 as it is
     * stored), the inter product's partial sums; ptxas needs about as many again for operands and
     * addresses (checked against its reports: tests/cli/cuda_kernels_assemble.sh) */
    p->regs = p->np == 2 ? D / 4 + C / 4 + C / 2 : MPW * (D / 2 + C) + 8 * NCH;
    const int limit = W <= 8 ? REGS_MAX_ : 65536 / (32 * W) * 9 / 16;
    if (p->regs > limit)
        return arc_errorf(ARC_EINPUT, "--warps: the CUDA prefill keeps O and the state in registers: %d value tiles "
                          "(Dv / 16) over %d warps need about %d accumulator registers per thread (at most %d); use "
                          "twice as many --warps as value tiles, a larger --split or a smaller --chunk", MT, W, p->regs, limit);
    const size_t x_bytes = p->np == 2 ? (size_t)MT * 2 * 16 * (C / 2) * 4 : 0;
    size_t fixed = align16_((size_t)(C + 2) * 4) + align16_((size_t)C * (C + 8) * 2) +
                   align16_((size_t)W * (C / p->np) * LDO_ * 2) + x_bytes;
    for (p->stages = 3; p->stages >= 1; p->stages--)
        if (fixed + (size_t)p->stages * p->stage_bytes <= ARC_CUDA_SMEM_MAX)
            break;
    if (p->stages < 1)
        return arc_errorf(ARC_EINPUT, "--chunk: the prefill tiles need %zu bytes of shared memory (at most %d on sm_90); "
                          "use a smaller --chunk or --dim", fixed + p->stage_bytes, ARC_CUDA_SMEM_MAX);
    off = (size_t)p->stages * p->stage_bytes;
    p->off_pw = off;
    off += align16_((size_t)(C + 2) * 4);
    p->off_p = off;
    off += align16_((size_t)C * (C + 8) * 2);
    p->off_o = off;
    off += align16_((size_t)W * (C / p->np) * LDO_ * 2);
    p->off_x = off;
    off += x_bytes;
    p->total = off;
    return ARC_OK;
}

/* The decode kernel's geometry. A block covers a slab of W4 float4 state columns (W4 the largest
 * divisor of D / 4 up to wmax), CSPLIT blocks per (batch, head). Its threads form RG row groups of
 * W4; group g owns RPT consecutive rows, so with whole rows (D 128, W4 32) a warp's load is a
 * 512-byte row, and its rows' q and k weights are a few vector loads taken straight into registers.
 * RG is the largest divisor of D whose groups fit the block.
 * Two entry points: lightning_decode reads whole rows (wmax 32); lightning_decode_narrow splits the
 * columns over more blocks (wmax 8), run where it measured faster (arc_cuda_decode_narrow). */
struct decode_geo_ {
    int w4, csplit, rg, rpt, qv; /* qv: bf16 weights per q / k load (8, 4, 2 or 1) */
};
#define DECODE_WIDE_W4_ 32
#define DECODE_NARROW_W4_ 8
int arc_cuda_decode_narrow(long blocks, int sms)
{
    const long n = sms > 0 ? sms : 132;
    return blocks > 2 * n && blocks <= 3 * n;
}

static int decode_geometry_(const struct arc_kernel_spec *s, int wmax, struct decode_geo_ *g)
{
    const int D = s->dim, threads = 32 * s->warps;
    g->w4 = 1;
    for (int w = 1; w <= wmax && w <= D / 4; w++)
        if ((D / 4) % w == 0)
            g->w4 = w;
    g->csplit = D / 4 / g->w4;
    g->rg = 0;
    for (int r = 1; r <= D && r * g->w4 <= threads; r++)
        if (D % r == 0)
            g->rg = r;
    if (g->rg == 0)
        return arc_errorf(ARC_EINPUT, "--warps: the decode kernel needs at least %d threads (a row of %d float4) for --dim %d",
                          g->w4, g->w4, D);
    g->rpt = D / g->rg;
    if (g->rpt > 16)
        return arc_errorf(ARC_EINPUT, "--warps: the decode kernel holds at most 16 state rows per thread; --dim %d needs "
                          "more than %d warps", D, s->warps);
    g->qv = g->rpt % 8 == 0 ? 8 : g->rpt % 4 == 0 ? 4 : g->rpt % 2 == 0 ? 2 : 1;
    return ARC_OK;
}

int arc_cuda_launch_for(const struct arc_kernel_spec *s, int B, const struct arc_cuda_target *t, struct arc_cuda_launch *l)
{
    memset(l, 0, sizeof *l);
    struct arc_ir ir;
    int st = arc_ir_build(s, &ir);
    if (st < 0)
        return st;
    l->block = 32u * (unsigned)s->warps;
    if (s->kernel == ARC_KERNEL_PREFILL) {
        int wg;
        if ((st = arc_cuda_wgmma_chosen(s, &wg)) < 0)
            return st;
        if (wg)
            return arc_cuda_wgmma_launch(s, B, l);
        struct plan_ p;
        if ((st = plan_prefill_(&ir, &p)) < 0)
            return st;
        l->entry = "lightning_prefill";
        l->grid[0] = (unsigned)(s->heads * s->split);
        l->grid[1] = (unsigned)B;
        l->grid[2] = 1;
        l->smem_bytes = (unsigned)p.total;
        l->stages = p.stages;
    } else {
        struct decode_geo_ g, n;
        if ((st = decode_geometry_(s, DECODE_WIDE_W4_, &g)) < 0 || (st = decode_geometry_(s, DECODE_NARROW_W4_, &n)) < 0)
            return st;
        const long blocks = (long)B * s->heads * g.csplit;
        const int entry = t ? t->decode_entry : ARC_DECODE_AUTO;
        const int narrow = n.w4 < g.w4 && (entry == ARC_DECODE_NARROW ||
                                           (entry == ARC_DECODE_AUTO && arc_cuda_decode_narrow(blocks, t ? t->sms : 0)));
        l->entry = narrow ? "lightning_decode_narrow" : "lightning_decode";
        l->col_split = narrow ? n.csplit : g.csplit;
        l->grid[0] = (unsigned)((size_t)B * s->heads * l->col_split);
        l->grid[1] = l->grid[2] = 1;
    }
    return ARC_OK;
}

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

/* global pointer expression of a tensor's rows for this program instance and block */
static void global_ptr_(struct arc_buf *b, const struct arc_ir *ir, int t, const char *t0)
{
    const char *n = ir->t[t].name;
    if (strcmp(n, "state") == 0)
        arc_buf_printf(b, "(state + ((size_t)bh * D) * D + split * DV)");
    else if (ir->t[t].cols == ARC_IR_DV)
        arc_buf_printf(b, "(%s + ((size_t)bh * T + %s) * D + split * DV)", n, t0);
    else
        arc_buf_printf(b, "(%s + ((size_t)bh * T + %s) * D)", n, t0);
}

/* the cp.async issue of every staged tile for block `blk` into stage `stg` */
static void issue_all_(struct arc_buf *b, const struct arc_ir *ir, const struct plan_ *p, const char *blk,
                       const char *stg, const char *indent)
{
    for (int t = 0; t < ir->nt; t++) {
        if (p->place[t] != PL_STAGED)
            continue;
        int src = -1;
        for (int i = 0; i < ir->ni; i++)
            if (ir->in[i].op == ARC_IR_LOAD && ir->in[i].dst == t)
                src = ir->in[i].a;
        char t0[64];
        snprintf(t0, sizeof t0, "(size_t)(%s) * C", blk);
        arc_buf_printf(b, "%sarc_tile_issue<C, %d, %d, D>(sb + %d + (%s) * %zu, ", indent,
                       dim_(ir, ir->t[t].cols), p->stage_ld[t], p->stage_off[t], stg, p->stage_bytes);
        global_ptr_(b, ir, src, t0);
        arc_buf_printf(b, ", min(C, T - (%s) * C));\n", blk);
    }
}

/* template arguments of a product reading tile t: "true, BASE, SIGN" for a view, else "false, 0, 1" */
static const char *view_targs_(const struct arc_ir *ir, const struct plan_ *p, int t)
{
    static char buf[32];
    if (p->place[t] != PL_VIEW)
        return "false, 0, 1";
    const struct arc_ir_inst *rd = &ir->in[p->view_inst[t]];
    snprintf(buf, sizeof buf, "true, %d, %d", rd->base, rd->sign);
    return buf;
}

static int staged_or_view_(const struct plan_ *p, int t) { return p->place[t] == PL_STAGED || p->place[t] == PL_VIEW; }
static int base_tile_(const struct plan_ *p, int t) { return p->place[t] == PL_VIEW ? p->view_of[t] : t; }

static int emit_prefill_(const struct arc_ir *ir, struct arc_buf *b)
{
    const struct arc_kernel_spec *s = &ir->spec;
    struct plan_ p;
    int st = plan_prefill_(ir, &p);
    if (st < 0)
        return st;
    arc_buf_printf(b, "#define H %d\n#define D %d\n#define DV %d\n#define C %d\n#define SPLIT %d\n#define WARPS %d\n"
                      "#define THREADS %d\n#define STAGES %d\n#define NP %d\n\n",
                   s->heads, s->dim, s->dim / s->split, s->chunk, s->split, s->warps, 32 * s->warps, p.stages, p.np);
    arc_buf_printf(b, "%s\n", prelude_);
    arc_buf_printf(b, "/* dynamic shared memory: %d stage(s) of %zu bytes (the loaded tiles), lambda powers at %zu, "
                      "P at %zu, output staging at %zu, pair exchange at %zu */\n#define SMEM_BYTES %zu\n\n",
                   p.stages, p.stage_bytes, p.off_pw, p.off_p, p.off_o, p.off_x, p.total);
    arc_buf_printf(b, "extern \"C\" __global__ void __launch_bounds__(THREADS, 1)\n"
                      "lightning_prefill(const arc_bf16 *__restrict__ q, const arc_bf16 *__restrict__ k,\n"
                      "                  const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o,\n"
                      "                  float *__restrict__ state, const float *__restrict__ slope, int T)\n{\n"
                      "    extern __shared__ __align__(128) unsigned char smem[];\n"
                      "    const unsigned sb = (unsigned)__cvta_generic_to_shared(smem);\n"
                      "    const int h = blockIdx.x / SPLIT, split = blockIdx.x %% SPLIT;\n"
                      "    const size_t bh = (size_t)blockIdx.y * H + h;\n"
                      "    const float log_lambda = -slope[h];\n"
                      "    float *pw = (float *)(smem + %zu); /* lambda^n, n = 0..C+1 */\n"
                      "    const unsigned Os = sb + %zu, X = sb + %zu; /* output staging, pair exchange (NP 2) */\n"
                      "    (void)Os; (void)X;\n"
                      "    for (int n = threadIdx.x; n < C + 2; n += THREADS) pw[n] = expf(log_lambda * (float)n);\n"
                      "    __syncthreads();\n"
                      "    arc_ctx cx; /* this thread's addresses and weights, for every block */\n"
                      "    arc_ctx_init(cx, smem, %zu);\n"
                      "    const int nblk = (T + C - 1) / C;\n",
                   p.off_pw, p.off_o, p.off_x, p.off_p);
    /* register-resident tensors are declared up front, with the weights of the views */
    for (int t = 0; t < ir->nt; t++) {
        if (p.place[t] == PL_TRI)
            arc_buf_printf(b, "    arc_ptile %s; /* lower-triangular tiles, registers */\n", ir->t[t].name);
        else if (p.place[t] == PL_COLS)
            arc_buf_printf(b, "    %s %s; /* transposed accumulators, registers */\n",
                           ir->t[t].space == ARC_IR_STATE ? "arc_state" : "arc_otile", ir->t[t].name);
    }
    int in_loop = 0, loads_done = 0, published = -1;
    for (int i = 0; i < ir->ni; i++) {
        const struct arc_ir_inst *in = &ir->in[i];
        const struct arc_ir_tensor *d = in->dst >= 0 ? &ir->t[in->dst] : NULL;
        const char *ind = in_loop ? "        " : "    ";
        arc_buf_printf(b, "%s/* %d %s", ind, i, arc_ir_op_name(in->op));
        int ops[3] = {in->dst, in->a, in->b};
        for (int k = 0; k < 3; k++)
            if (ops[k] >= 0)
                arc_buf_printf(b, " %s%s", ir->t[ops[k]].name, (k == 1 && in->trans_a) || (k == 2 && in->trans_b) ? "^T" : "");
        arc_buf_printf(b, " */\n");
        switch (in->op) {
        case ARC_IR_LOAD_STATE:
            if (in->a >= 0 || p.place[in->dst] != PL_COLS)
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: the prefill state starts at zero");
            arc_buf_printf(b, "%sarc_state_zero(%s);\n", ind, d->name);
            break;
        case ARC_IR_LOOP_BLOCKS:
            arc_buf_printf(b, "    /* prologue: the first blocks' tiles in flight */\n");
            if (p.stages > 1) {
                arc_buf_printf(b, "    for (int pb = 0; pb < STAGES - 1; pb++) {\n        if (pb < nblk) {\n");
                issue_all_(b, ir, &p, "pb", "pb", "            ");
                arc_buf_printf(b, "        }\n        arc_cp_commit();\n    }\n");
            }
            arc_buf_printf(b, "    for (int blk = 0; blk < nblk; blk++) {\n"
                              "        const int t0 = blk * C, rows = min(C, T - t0), stage = blk %% STAGES;\n"
                              "        (void)t0; (void)rows; (void)stage;\n");
            in_loop = 1;
            break;
        case ARC_IR_END:
            arc_buf_printf(b, "    }\n");
            in_loop = 0;
            break;
        case ARC_IR_LOAD:
            if (!in_loop)
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: load %s outside the block loop", d->name);
            if (loads_done) {
                arc_buf_printf(b, "        /* in flight with the first load */\n");
                break;
            }
            loads_done = 1;
            if (p.stages > 1) {
                arc_buf_printf(b, "        arc_cp_wait<STAGES - 2>(); /* this block's tiles have landed */\n"
                                  "        __syncthreads();            /* ... for every warp, and the stage read last block is free */\n"
                                  "        {\n            const int nb = blk + STAGES - 1;\n            if (nb < nblk) {\n");
                issue_all_(b, ir, &p, "nb", "nb % STAGES", "                ");
                arc_buf_printf(b, "            }\n            arc_cp_commit();\n        }\n");
            } else {
                arc_buf_printf(b, "        __syncthreads(); /* last block's tiles are free */\n");
                issue_all_(b, ir, &p, "blk", "0", "        ");
                arc_buf_printf(b, "        arc_cp_commit();\n        arc_cp_wait<0>();\n        __syncthreads();\n");
            }
            break;
        case ARC_IR_MATMUL: {
            const int A = in->a, Bt = in->b, Dt = in->dst;
            char tile[2][160];
            for (int k = 0; k < 2; k++) {
                int t = base_tile_(&p, k ? Bt : A);
                if (p.place[t] == PL_STAGED)
                    snprintf(tile[k], sizeof tile[k], "sb + %d + stage * %zu", p.stage_off[t], p.stage_bytes);
                else
                    tile[k][0] = '\0';
            }
            if (p.place[Dt] == PL_TRI && p.place[A] == PL_STAGED && p.place[Bt] == PL_STAGED && !in->trans_a &&
                in->trans_b && !in->accumulate) {
                arc_buf_printf(b, "%sarc_mm_qkt(%s, cx, %s, %s);\n", ind, d->name, tile[0], tile[1]);
            } else if (p.place[Dt] == PL_COLS && ir->t[Dt].space != ARC_IR_STATE && p.place[A] == PL_TRI &&
                       p.place[Bt] == PL_STAGED && !in->trans_a && !in->trans_b && !in->accumulate) {
                if (published != A) {
                    arc_buf_printf(b, "%sarc_publish(%s, cx);\n%s__syncthreads(); /* P from every warp */\n", ind,
                                   ir->t[A].name, ind);
                    published = A;
                }
                arc_buf_printf(b, "%sarc_mm_pv(%s, cx, %s);\n", ind, d->name, tile[1]);
            } else if (p.place[Dt] == PL_COLS && ir->t[Dt].space != ARC_IR_STATE && staged_or_view_(&p, A) &&
                       p.place[Bt] == PL_COLS && ir->t[Bt].space == ARC_IR_STATE && !in->trans_a && !in->trans_b &&
                       in->accumulate) {
                arc_buf_printf(b, "%sarc_mm_qs<%s>(%s, %s, cx, %s, pw, rows, X);\n", ind, view_targs_(ir, &p, A), d->name,
                               ir->t[Bt].name, tile[0]);
            } else if (p.place[Dt] == PL_COLS && ir->t[Dt].space == ARC_IR_STATE && staged_or_view_(&p, A) &&
                       p.place[Bt] == PL_STAGED && in->trans_a && !in->trans_b && in->accumulate) {
                arc_buf_printf(b, "%sarc_mm_kv<%s>(%s, cx, %s, %s, pw, rows);\n", ind, view_targs_(ir, &p, A), d->name, tile[0],
                               tile[1]);
            } else {
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: matmul %s = %s%s x %s%s%s: no tile primitive for this form",
                                  d->name, ir->t[A].name, in->trans_a ? "^T" : "", ir->t[Bt].name,
                                  in->trans_b ? "^T" : "", in->accumulate ? " (accumulate)" : "");
            }
            break;
        }
        case ARC_IR_DECAY_MASK:
            if (p.place[in->dst] != PL_TRI)
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: decay_mask %s: expected a C x C product", d->name);
            arc_buf_printf(b, "%sarc_decay_mask(%s, cx, rows, pw);\n", ind, d->name);
            break;
        case ARC_IR_ROW_DECAY:
            arc_buf_printf(b, "%s/* a view: the product that reads %s applies its row scale */\n", ind, d->name);
            break;
        case ARC_IR_STORE: {
            const struct arc_ir_tensor *a = &ir->t[in->a];
            if (p.place[in->a] != PL_COLS || a->space == ARC_IR_STATE)
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: store %s: expected a product held by value columns", a->name);
            arc_buf_printf(b, "%sarc_store_o(", ind);
            global_ptr_(b, ir, in->dst, "t0");
            arc_buf_printf(b, ", %s, cx, Os, rows);\n", a->name);
            break;
        }
        case ARC_IR_SCALE_BLOCK:
            if (p.place[in->dst] != PL_COLS)
                return arc_errorf(ARC_EUNSUPPORTED, "cuda: scale_block %s: expected the state", d->name);
            arc_buf_printf(b, "%sarc_state_scale(%s, pw[rows]);\n", ind, d->name);
            break;
        case ARC_IR_STORE_STATE:
            arc_buf_printf(b, "%sarc_store_state(", ind);
            global_ptr_(b, ir, in->dst, "0");
            arc_buf_printf(b, ", %s, cx);\n", ir->t[in->a].name);
            break;
        default:
            return arc_errorf(ARC_EUNSUPPORTED, "cuda: %s is not an op of the prefill program", arc_ir_op_name(in->op));
        }
    }
    arc_buf_printf(b, "}\n");
    return ARC_OK;
}

/* The decode program, fused: the state instructions become the body of one pass over S. Every
 * state load is in flight before the first use; one barrier, for o's sum over the row groups. The
 * body is a template over the geometry, instantiated by the two entry points. */
static int emit_decode_(const struct arc_ir *ir, struct arc_buf *b)
{
    const struct arc_kernel_spec *s = &ir->spec;
    struct decode_geo_ g, n;
    int st;
    if ((st = decode_geometry_(s, DECODE_WIDE_W4_, &g)) < 0 || (st = decode_geometry_(s, DECODE_NARROW_W4_, &n)) < 0)
        return st;
    arc_buf_printf(b, "#include <cuda_bf16.h>\n#include <stdint.h>\n\ntypedef unsigned short arc_bf16;\n"
                      "__device__ __forceinline__ float arc_to_f(arc_bf16 x) { return __uint_as_float((unsigned)x << 16); }\n"
                      "__device__ __forceinline__ arc_bf16 arc_to_bf(float x) { return __bfloat16_as_ushort(__float2bfloat16_rn(x)); }\n\n");
    arc_buf_printf(b, "#define H %d\n#define D %d\n#define THREADS %d\n"
                      "/* lightning_decode: W4 float4 state columns per block (a %d-byte row segment), CSPLIT blocks per\n"
                      " * (batch, head), RG row groups of W4 threads, RPT consecutive rows per thread, QV q and k weights\n"
                      " * per vector load */\n"
                      "#define W4 %d\n#define CSPLIT %d\n#define RG %d\n#define RPT %d\n#define QV %d\n"
                      "/* lightning_decode_narrow, for small batches */\n"
                      "#define W4_NARROW %d\n#define CSPLIT_NARROW %d\n#define RG_NARROW %d\n#define RPT_NARROW %d\n#define QV_NARROW %d\n\n"
                      "template <int N> struct alignas(2 * N) arc_qv { arc_bf16 h[N]; };\n\n",
                   s->heads, s->dim, 32 * s->warps, 16 * g.w4, g.w4, g.csplit, g.rg, g.rpt, g.qv, n.w4, n.csplit, n.rg, n.rpt,
                   n.qv);
    arc_buf_printf(b, "template <int W4_, int CS_, int RG_, int RPT_, int QV_>\n"
                      "__device__ __forceinline__ void arc_decode(const arc_bf16 *__restrict__ q, const arc_bf16 *__restrict__ k,\n"
                      "                                           const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o,\n"
                      "                                           float *__restrict__ state, const float *__restrict__ slope, int B)\n{\n"
                      "    __shared__ float4 part[RG_][W4_];\n"
                      "    const size_t bh = blockIdx.x / CS_; /* (batch, head) */\n"
                      "    const int cs = blockIdx.x %% CS_;\n"
                      "    if (bh >= (size_t)B * H) return;\n"
                      "    const int h = (int)(bh %% H);\n"
                      "    const int c4 = threadIdx.x %% W4_, g = threadIdx.x / W4_, col4 = cs * W4_ + c4;\n"
                      "    const bool on = g < RG_; /* threads past the row groups only join the barrier */\n"
                      "    float4 *S4 = (float4 *)(state + bh * D * D) + (size_t)g * RPT_ * (D / 4) + col4;\n"
                      "    float4 sv[RPT_];\n"
                      "    arc_qv<QV_> qw[RPT_ / QV_], kw[RPT_ / QV_];\n"
                      "    if (on) {\n"
                      "#pragma unroll\n"
                      "        for (int r = 0; r < RPT_; r++) /* read once, every load in flight */\n"
                      "            sv[r] = S4[(size_t)r * (D / 4)];\n"
                      "#pragma unroll\n"
                      "        for (int x = 0; x < RPT_ / QV_; x++) {\n"
                      "            qw[x] = *(const arc_qv<QV_> *)(q + bh * D + g * RPT_ + x * QV_);\n"
                      "            kw[x] = *(const arc_qv<QV_> *)(k + bh * D + g * RPT_ + x * QV_);\n"
                      "        }\n"
                      "    }\n"
                      "    const uint2 vraw = on ? *(const uint2 *)(v + bh * D + 4 * col4) : make_uint2(0u, 0u);\n"
                      "    const float4 vv = make_float4(__uint_as_float(vraw.x << 16), __uint_as_float(vraw.x & 0xffff0000u),\n"
                      "                                  __uint_as_float(vraw.y << 16), __uint_as_float(vraw.y & 0xffff0000u));\n"
                      "    const float lambda = expf(-slope[h]);\n"
                      "    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);\n"
                      "    if (on) {\n"
                      "#pragma unroll\n"
                      "        for (int r = 0; r < RPT_; r++) {\n"
                      "            float4 s = sv[r];\n");
    /* the state instructions, in program order, on one float4 of S */
    for (int i = 0; i < ir->ni; i++) {
        const struct arc_ir_inst *in = &ir->in[i];
        switch (in->op) {
        case ARC_IR_DECAY:
            arc_buf_printf(b, "            /* %d decay */\n            s.x *= lambda; s.y *= lambda; s.z *= lambda; s.w *= lambda;\n", i);
            break;
        case ARC_IR_OUTER_ACC:
            arc_buf_printf(b, "            /* %d outer_acc */\n            { float ki = arc_to_f(kw[r / QV_].h[r %% QV_]);\n"
                              "              s.x = fmaf(ki, vv.x, s.x); s.y = fmaf(ki, vv.y, s.y);\n"
                              "              s.z = fmaf(ki, vv.z, s.z); s.w = fmaf(ki, vv.w, s.w); }\n", i);
            break;
        case ARC_IR_MATMUL:
            arc_buf_printf(b, "            /* %d matmul (o = q S) */\n            { float qi = arc_to_f(qw[r / QV_].h[r %% QV_]);\n"
                              "              acc.x = fmaf(qi, s.x, acc.x); acc.y = fmaf(qi, s.y, acc.y);\n"
                              "              acc.z = fmaf(qi, s.z, acc.z); acc.w = fmaf(qi, s.w, acc.w); }\n", i);
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
    arc_buf_printf(b, "            S4[(size_t)r * (D / 4)] = s; /* written once */\n"
                      "        }\n"
                      "        part[g][c4] = acc;\n"
                      "    }\n"
                      "    __syncthreads();\n"
                      "    if (g == 0) {\n"
                      "        float4 r = part[0][c4];\n"
                      "        for (int x = 1; x < RG_; x++) {\n"
                      "            float4 p = part[x][c4];\n"
                      "            r.x += p.x; r.y += p.y; r.z += p.z; r.w += p.w;\n"
                      "        }\n"
                      "        uint2 ob;\n"
                      "        ob.x = (unsigned)arc_to_bf(r.x) | ((unsigned)arc_to_bf(r.y) << 16);\n"
                      "        ob.y = (unsigned)arc_to_bf(r.z) | ((unsigned)arc_to_bf(r.w) << 16);\n"
                      "        *(uint2 *)(o + bh * D + 4 * col4) = ob;\n"
                      "    }\n"
                      "}\n\n");
    static const char *const entry[2] = {"lightning_decode", "lightning_decode_narrow"};
    static const char *const geo[2] = {"W4, CSPLIT, RG, RPT, QV", "W4_NARROW, CSPLIT_NARROW, RG_NARROW, RPT_NARROW, QV_NARROW"};
    for (int e = 0; e < 2; e++)
        arc_buf_printf(b, "extern \"C\" __global__ void __launch_bounds__(THREADS)\n"
                          "%s(const arc_bf16 *__restrict__ q, const arc_bf16 *__restrict__ k, const arc_bf16 *__restrict__ v,\n"
                          "    arc_bf16 *__restrict__ o, float *__restrict__ state, const float *__restrict__ slope, int B)\n{\n"
                          "    arc_decode<%s>(q, k, v, o, state, slope, B);\n}\n%s",
                       entry[e], geo[e], e ? "" : "\n");
    return ARC_OK;
}

static int emit_(const struct arc_ir *ir, const char *dir, const char *stamp, struct arc_gen_output *out)
{
    struct arc_buf b = {0};
    stamp_(&b, ir, stamp);
    const struct arc_kernel_spec *s = &ir->spec;
    if (s->kernel == ARC_KERNEL_PREFILL)
        arc_buf_printf(&b, "/* launch: grid (H x SPLIT, batch), THREADS threads, SMEM_BYTES dynamic shared memory\n"
                           " * (raise the function's MaxDynamicSharedMemorySize to SMEM_BYTES first) */\n");
    else
        arc_buf_printf(&b, "/* launch: grid (batch x H x CSPLIT), THREADS threads */\n");
    int wg = 0, st = arc_cuda_wgmma_chosen(s, &wg);
    if (st >= 0)
        st = s->kernel != ARC_KERNEL_PREFILL ? emit_decode_(ir, &b) : wg ? arc_cuda_emit_prefill_wgmma(ir, &b) : emit_prefill_(ir, &b);
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
    .doc = "CUDA C for sm_90a: tensor-core tiles with the state in registers (prefill), a fused streaming pass (decode)",
    .emit = emit_,
};
