/* bench/gpu/decode_persistent.cu: what limits the lightning decode step at large batch? Times, on
 * the same buffers and beside the kernel `arclight gen cuda lightning-decode` writes:
 *   - ceilings: a grid-stride float4 copy of the state to another buffer, the same pass in place
 *     (S *= lambda: the decode's traffic without its arithmetic), and cudaMemcpy;
 *   - "contiguous": one block per 64 KB state, each warp reading whole 512-byte rows, every load
 *     in flight before the first use;
 *   - "persistent": one block per SM walking a contiguous run of states; each state (and its q, k,
 *     v) lands in shared memory by TMA bulk copies NST stages ahead, is updated there and leaves by
 *     a bulk copy, so the memory system always holds (NST - 1) states of loads per SM.
 * Each variant's state and o are compared with the generated kernel's first; the sizes also run a
 * copy of 4 GB, the size the 4.30 TB/s copy ceiling was measured at.
 * Build and run (GPU machine, CUDA 12+):
 *   build/arclight gen cuda lightning-decode -o /tmp/dec
 *   nvcc -O3 -std=c++17 --default-stream per-thread -gencode=arch=compute_90a,code=sm_90a \
 *        -include /tmp/dec/lightning_decode.cu bench/gpu/decode_persistent.cu -o decode_persistent && ./decode_persistent
 * Not for: a test (timings never gate one). */
#include <cstdint>

#include "decode_bench.cuh"

/* ---- ceilings ---- */
__global__ void copy_k(const float4 *__restrict__ in, float4 *__restrict__ out, size_t n)
{
    const size_t stride = (size_t)gridDim.x * blockDim.x;
    size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    for (; i + 3 * stride < n; i += 4 * stride) {
        float4 a = __ldcs(in + i), b = __ldcs(in + i + stride), c = __ldcs(in + i + 2 * stride), d = __ldcs(in + i + 3 * stride);
        __stcs(out + i, a); __stcs(out + i + stride, b); __stcs(out + i + 2 * stride, c); __stcs(out + i + 3 * stride, d);
    }
    for (; i < n; i += stride) __stcs(out + i, __ldcs(in + i));
}
__global__ void scale_k(float4 *__restrict__ x, size_t n, float l)
{
    const size_t stride = (size_t)gridDim.x * blockDim.x;
    size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    for (; i + 3 * stride < n; i += 4 * stride) {
        float4 a = __ldcs(x + i), b = __ldcs(x + i + stride), c = __ldcs(x + i + 2 * stride), d = __ldcs(x + i + 3 * stride);
        a.x *= l; a.y *= l; a.z *= l; a.w *= l; b.x *= l; b.y *= l; b.z *= l; b.w *= l;
        c.x *= l; c.y *= l; c.z *= l; c.w *= l; d.x *= l; d.y *= l; d.z *= l; d.w *= l;
        __stcs(x + i, a); __stcs(x + i + stride, b); __stcs(x + i + 2 * stride, c); __stcs(x + i + 3 * stride, d);
    }
    for (; i < n; i += stride) { float4 a = __ldcs(x + i); a.x *= l; a.y *= l; a.z *= l; a.w *= l; __stcs(x + i, a); }
}

/* a streamed 16-byte load: HINT 0 ld.global.cs (evict first), 1 the same through the non-coherent path
 * asking L2 for 256-byte fetches, 2 a plain load */
template <int HINT> __device__ __forceinline__ float4 ld4_(const float4 *p)
{
    if (HINT == 0) return __ldcs(p);
    if (HINT == 2) return *p;
    float4 r;
    asm volatile("ld.global.nc.L1::no_allocate.L2::256B.v4.f32 {%0, %1, %2, %3}, [%4];\n"
                 : "=f"(r.x), "=f"(r.y), "=f"(r.z), "=f"(r.w) : "l"(p));
    return r;
}
template <int HINT> __device__ __forceinline__ void st4_(float4 *p, float4 v)
{
    if (HINT == 2) *p = v;
    else __stcs(p, v);
}
/* a copy in contiguous chunks of T x NPT float4 per block, every load in flight before the first store */
template <int T, int NPT, int HINT> __global__ void __launch_bounds__(T) copy_chunk(const float4 *__restrict__ in, float4 *__restrict__ out, size_t n)
{
    for (size_t c = (size_t)blockIdx.x * T * NPT; c < n; c += (size_t)gridDim.x * T * NPT) {
        float4 r[NPT];
#pragma unroll
        for (int i = 0; i < NPT; i++) r[i] = ld4_<HINT>(in + c + threadIdx.x + i * T);
#pragma unroll
        for (int i = 0; i < NPT; i++) st4_<HINT>(out + c + threadIdx.x + i * T, r[i]);
    }
}

__device__ __forceinline__ float4 bf4_(uint2 r)
{
    return make_float4(__uint_as_float(r.x << 16), __uint_as_float(r.x & 0xffff0000u), __uint_as_float(r.y << 16),
                       __uint_as_float(r.y & 0xffff0000u));
}
__device__ __forceinline__ void store_o_(arc_bf16 *o, float4 r)
{
    uint2 ob;
    ob.x = (unsigned)arc_to_bf(r.x) | ((unsigned)arc_to_bf(r.y) << 16);
    ob.y = (unsigned)arc_to_bf(r.z) | ((unsigned)arc_to_bf(r.w) << 16);
    *(uint2 *)o = ob;
}

/* ---- contiguous: one block of T threads per state; thread t owns float4 column t % 32 of rows
 * t / 32 + r (T / 32), r < 32 * 32 / T ---- */
template <int T, int HINT = 0> __global__ void __launch_bounds__(T) dec_contig(const arc_bf16 *__restrict__ q, const arc_bf16 *__restrict__ k,
    const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o, float *__restrict__ state, const float *__restrict__ slope, int B)
{
    constexpr int C4 = D / 4, NRG = T / C4, NPT = D / NRG;
    __shared__ float qs[D], ks[D];
    __shared__ float4 part[NRG][C4];
    const size_t bh = blockIdx.x;
    const int tid = threadIdx.x, c4 = tid % C4, g = tid / C4, h = (int)(bh % H);
    float4 *S4 = (float4 *)(state + bh * D * D);
    float4 sv[NPT];
#pragma unroll
    for (int r = 0; r < NPT; r++) sv[r] = ld4_<HINT>(&S4[(g + r * NRG) * C4 + c4]);
    for (int e = tid; e < D; e += T) { qs[e] = arc_to_f(q[bh * D + e]); ks[e] = arc_to_f(k[bh * D + e]); }
    const float4 vv = bf4_(*(const uint2 *)(v + bh * D + 4 * c4));
    const float lambda = expf(-slope[h]);
    __syncthreads();
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
#pragma unroll
    for (int r = 0; r < NPT; r++) {
        const int i = g + r * NRG;
        float4 s = sv[r];
        s.x *= lambda; s.y *= lambda; s.z *= lambda; s.w *= lambda;
        const float ki = ks[i], qi = qs[i];
        s.x = fmaf(ki, vv.x, s.x); s.y = fmaf(ki, vv.y, s.y); s.z = fmaf(ki, vv.z, s.z); s.w = fmaf(ki, vv.w, s.w);
        acc.x = fmaf(qi, s.x, acc.x); acc.y = fmaf(qi, s.y, acc.y); acc.z = fmaf(qi, s.z, acc.z); acc.w = fmaf(qi, s.w, acc.w);
        st4_<HINT>(&S4[i * C4 + c4], s);
    }
    part[g][c4] = acc;
    __syncthreads();
    if (g == 0) {
        float4 r = part[0][c4];
        for (int x = 1; x < NRG; x++) { float4 p = part[x][c4]; r.x += p.x; r.y += p.y; r.z += p.z; r.w += p.w; }
        store_o_(o + bh * D + 4 * c4, r);
    }
}

/* ---- rows: SPB states per block of T threads; warp w of a state owns RPW whole consecutive rows
 * (each load instruction a 512-byte row), so its q and k weights are RPW / 8 16-byte loads, and no
 * barrier comes before the arithmetic: one barrier for o's sum over the warps ---- */
template <int T, int SPB, int HINT> __global__ void __launch_bounds__(T) dec_rows(const arc_bf16 *__restrict__ q,
    const arc_bf16 *__restrict__ k, const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o, float *__restrict__ state,
    const float *__restrict__ slope, int B)
{
    constexpr int C4 = D / 4, TS = T / SPB, NW = TS / 32, RPW = D / NW;
    static_assert(RPW % 8 == 0, "whole 16-byte loads of q and k");
    __shared__ float4 part[SPB][NW][C4];
    const int tid = threadIdx.x, s = tid / TS, c4 = tid % C4, w = (tid % TS) / 32;
    const size_t bh = (size_t)blockIdx.x * SPB + s;
    float4 *S4 = (float4 *)(state + bh * D * D) + (size_t)w * RPW * C4 + c4;
    float4 sv[RPW];
#pragma unroll
    for (int r = 0; r < RPW; r++) sv[r] = ld4_<HINT>(S4 + r * C4);
    uint4 qr[RPW / 8], kr[RPW / 8];
#pragma unroll
    for (int x = 0; x < RPW / 8; x++) {
        qr[x] = *(const uint4 *)(q + bh * D + w * RPW + 8 * x);
        kr[x] = *(const uint4 *)(k + bh * D + w * RPW + 8 * x);
    }
    const float4 vv = bf4_(*(const uint2 *)(v + bh * D + 4 * c4));
    const float lambda = expf(-slope[bh % H]);
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
#pragma unroll
    for (int r = 0; r < RPW; r++) {
        const unsigned qw = ((const unsigned *)&qr[r / 8])[(r % 8) / 2], kw = ((const unsigned *)&kr[r / 8])[(r % 8) / 2];
        const float qi = __uint_as_float(r % 2 ? qw & 0xffff0000u : qw << 16);
        const float ki = __uint_as_float(r % 2 ? kw & 0xffff0000u : kw << 16);
        float4 x = sv[r];
        x.x *= lambda; x.y *= lambda; x.z *= lambda; x.w *= lambda;
        x.x = fmaf(ki, vv.x, x.x); x.y = fmaf(ki, vv.y, x.y); x.z = fmaf(ki, vv.z, x.z); x.w = fmaf(ki, vv.w, x.w);
        acc.x = fmaf(qi, x.x, acc.x); acc.y = fmaf(qi, x.y, acc.y); acc.z = fmaf(qi, x.z, acc.z); acc.w = fmaf(qi, x.w, acc.w);
        st4_<HINT>(S4 + r * C4, x);
    }
    part[s][w][c4] = acc;
    __syncthreads();
    if (w == 0) {
        float4 r = part[s][0][c4];
#pragma unroll
        for (int y = 1; y < NW; y++) { float4 p = part[s][y][c4]; r.x += p.x; r.y += p.y; r.z += p.z; r.w += p.w; }
        store_o_(o + bh * D + 4 * c4, r);
    }
}

/* ---- persistent: blocks walk contiguous runs of states; each state (with its q, k, v) arrives in P
 * parts by TMA bulk copies NS stages ahead, is updated in shared memory and leaves by a bulk copy ---- */
template <int P> struct __align__(128) stage_ {
    float4 S[D * D / 4 / P];
    arc_bf16 q[D], k[D], v[D];
};
__device__ __forceinline__ void bar_wait_(unsigned bar, unsigned parity)
{
    asm volatile("{\n.reg .pred p;\nW%=:\nmbarrier.try_wait.parity.shared::cta.b64 p, [%0], %1;\n@!p bra W%=;\n}\n" ::"r"(bar), "r"(parity) : "memory");
}
__device__ __forceinline__ void bulk_load_(unsigned dst, const void *src, unsigned bytes, unsigned bar)
{
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];\n"
                 ::"r"(dst), "l"(src), "r"(bytes), "r"(bar) : "memory");
}
template <int P> __device__ __forceinline__ void issue_part_(unsigned sst, unsigned bar, size_t u, const float *state,
    const arc_bf16 *q, const arc_bf16 *k, const arc_bf16 *v)
{
    constexpr unsigned SB = D * D * 4 / P;
    const size_t bh = u / P;
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(bar), "r"(SB + 3 * D * 2) : "memory");
    bulk_load_(sst, state + u * (D * D / P), SB, bar);
    bulk_load_(sst + SB, q + bh * D, D * 2, bar);
    bulk_load_(sst + SB + D * 2, k + bh * D, D * 2, bar);
    bulk_load_(sst + SB + 2 * D * 2, v + bh * D, D * 2, bar);
}
template <int NS, int P, int T> constexpr size_t persist_smem() { return NS * sizeof(stage_<P>) + 2 * (size_t)T * sizeof(float4); }
template <int NS, int P, int T> __global__ void __launch_bounds__(T, 1) dec_persist(const arc_bf16 *__restrict__ q,
    const arc_bf16 *__restrict__ k, const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o, float *__restrict__ state,
    const float *__restrict__ slope, int B)
{
    constexpr int C4 = D / 4, NRG = T / C4, RP = D / P, NPT = RP / NRG;
    static_assert(NPT >= 1 && RP % NRG == 0, "rows per part must split over the row groups");
    extern __shared__ __align__(128) unsigned char smem_[];
    stage_<P> *st = (stage_<P> *)smem_;
    float4 (*part)[NRG][C4] = (float4 (*)[NRG][C4])(smem_ + NS * sizeof(stage_<P>));
    __shared__ __align__(8) unsigned long long full[NS];
    const size_t n = (size_t)B * H;
    const size_t first = n * blockIdx.x / gridDim.x * P, last = n * (blockIdx.x + 1) / gridDim.x * P; /* parts */
    const int tid = threadIdx.x, c4 = tid % C4, g = tid / C4;
    const unsigned s0 = (unsigned)__cvta_generic_to_shared(st), b0 = (unsigned)__cvta_generic_to_shared(full);
    constexpr unsigned SZ = sizeof(stage_<P>);
    if (tid == 0) {
        for (int x = 0; x < NS; x++) asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;\n" ::"r"(b0 + 8 * x));
        asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
        for (int x = 0; x < NS && first + x < last; x++) issue_part_<P>(s0 + x * SZ, b0 + 8 * x, first + x, state, q, k, v);
    }
    __syncthreads();
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
    for (size_t u = first; u < last; u++) {
        const unsigned it = (unsigned)(u - first), x = it % NS;
        const size_t bh = u / P;
        const int p = (int)(u % P);
        stage_<P> *S = &st[x];
        bar_wait_(b0 + 8 * x, (it / NS) & 1);
        const float lambda = expf(-slope[bh % H]);
        const float4 vv = bf4_(*(const uint2 *)(S->v + 4 * c4));
#pragma unroll
        for (int r = 0; r < NPT; r++) {
            const int li = g + r * NRG, i = p * RP + li;
            float4 s = S->S[li * C4 + c4];
            s.x *= lambda; s.y *= lambda; s.z *= lambda; s.w *= lambda;
            const float ki = arc_to_f(S->k[i]), qi = arc_to_f(S->q[i]);
            s.x = fmaf(ki, vv.x, s.x); s.y = fmaf(ki, vv.y, s.y); s.z = fmaf(ki, vv.z, s.z); s.w = fmaf(ki, vv.w, s.w);
            acc.x = fmaf(qi, s.x, acc.x); acc.y = fmaf(qi, s.y, acc.y); acc.z = fmaf(qi, s.z, acc.z); acc.w = fmaf(qi, s.w, acc.w);
            S->S[li * C4 + c4] = s;
        }
        if (p == P - 1) {
            part[bh & 1][g][c4] = acc;
            acc = make_float4(0.f, 0.f, 0.f, 0.f);
        }
        asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
        __syncthreads();
        if (tid == 0) {
            asm volatile("cp.async.bulk.global.shared::cta.bulk_group [%0], [%1], %2;\n"
                         ::"l"(state + u * (D * D / P)), "r"(s0 + x * SZ), "r"(D * D * 4 / P) : "memory");
            asm volatile("cp.async.bulk.commit_group;\n" ::: "memory");
            /* refill the stage the previous part left, once its store has read it out */
            if (it >= 1 && u - 1 + NS < last) {
                const unsigned y = (it - 1) % NS;
                asm volatile("cp.async.bulk.wait_group.read 1;\n" ::: "memory");
                issue_part_<P>(s0 + y * SZ, b0 + 8 * y, u - 1 + NS, state, q, k, v);
            }
        }
        if (p == P - 1 && g == 0) {
            float4 r = part[bh & 1][0][c4];
            for (int y = 1; y < NRG; y++) { float4 pp = part[bh & 1][y][c4]; r.x += pp.x; r.y += pp.y; r.z += pp.z; r.w += pp.w; }
            store_o_(o + bh * D + 4 * c4, r);
        }
    }
    if (tid == 0) asm volatile("cp.async.bulk.wait_group 0;\n" ::: "memory");
}
template <int NS, int P, int T> static cudaError_t persist_setup()
{
    return cudaFuncSetAttribute(dec_persist<NS, P, T>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)persist_smem<NS, P, T>());
}
template <int NS, int P, int T> static void persist_run(int grid, const arc_bf16 *q, const arc_bf16 *k, const arc_bf16 *v,
                                                        arc_bf16 *o, float *S, const float *sl, int B)
{
    dec_persist<NS, P, T><<<grid, T, persist_smem<NS, P, T>()>>>(q, k, v, o, S, sl, B);
}

/* median of 20 replays of a graph of reps launches, ms */
template <typename F> static float graph_ms(F f, int reps)
{
    cudaStream_t st = cudaStreamPerThread; /* where the kernels launch: built with --default-stream per-thread */
    cudaGraph_t gr;
    cudaGraphExec_t ge;
    cudaStreamBeginCapture(st, cudaStreamCaptureModeThreadLocal);
    for (int i = 0; i < reps; i++) f();
    cudaStreamEndCapture(st, &gr);
    cudaGraphInstantiate(&ge, gr, 0);
    cudaEvent_t a, b;
    cudaEventCreate(&a);
    cudaEventCreate(&b);
    std::vector<float> t;
    for (int i = 0; i < 23; i++) {
        cudaEventRecord(a, st);
        cudaGraphLaunch(ge, st);
        cudaEventRecord(b, st);
        cudaEventSynchronize(b);
        float ms;
        cudaEventElapsedTime(&ms, a, b);
        if (i >= 3) t.push_back(ms);
    }
    std::sort(t.begin(), t.end());
    cudaGraphExecDestroy(ge);
    cudaGraphDestroy(gr);
    return t[10];
}

int main()
{
    int nsm = 0;
    CK(cudaDeviceGetAttribute(&nsm, cudaDevAttrMultiProcessorCount, 0));
    CK((persist_setup<3, 1, 512>()));
    CK((persist_setup<6, 2, 512>()));
    CK((persist_setup<12, 4, 512>()));
    CK((persist_setup<6, 2, 256>()));
    std::printf("%d SMs\n", nsm);
    std::printf("| B | variant | ms (median of 50) | GB/s | state vs generated | o > 1 ulp off |\n| ---: | --- | ---: | ---: | ---: | ---: |\n");
    for (int B : {1, 32, 128}) {
        dec_case c;
        if (dec_open(c, B)) return 1;
        float *const S1 = c.S1, *const S2 = c.S2, *const sl = c.sl;
        arc_bf16 *const q = c.q, *const k = c.k, *const v = c.v, *const o2 = c.o2;
        const size_t ns = c.ns;
        const double bytes = c.bytes;
        const float tg = time_ms([&] { dec_generated(c); });
        std::printf("| %d | generated lightning_decode (%d threads) | %.4f | %.0f | | |\n", B, THREADS, tg, bytes / tg / 1e6);
        const int pgrid = (int)std::min<size_t>((size_t)nsm, (size_t)B * H);
        static const char *names[] = {"contiguous, 256 threads", "contiguous, 512 threads",
                                      "persistent, 3 stages of a whole state, 512 threads", "persistent, 6 stages of 1/2 state, 512 threads",
                                      "persistent, 12 stages of 1/4 state, 512 threads", "persistent, 6 stages of 1/2 state, 256 threads",
                                      "contiguous, 512 threads, L2::256B loads", "contiguous, 1024 threads, L2::256B loads",
                                      "contiguous, 512 threads, plain loads and stores", "contiguous, 1024 threads, plain loads and stores",
                                      "contiguous, 256 threads, plain loads and stores",
                                      "rows, 512 threads, 1 state, ld.cs", "rows, 512 threads, 1 state, plain",
                                      "rows, 1024 threads, 2 states, ld.cs", "rows, 1024 threads, 2 states, plain",
                                      "rows, 256 threads, 1 state, ld.cs"};
        for (int var = 0; var < 16; var++) {
            const char *name = names[var];
            auto run = [&] {
                if (var == 0) dec_contig<256><<<B * H, 256>>>(q, k, v, o2, S2, sl, B);
                else if (var == 1) dec_contig<512><<<B * H, 512>>>(q, k, v, o2, S2, sl, B);
                else if (var == 2) persist_run<3, 1, 512>(pgrid, q, k, v, o2, S2, sl, B);
                else if (var == 3) persist_run<6, 2, 512>(pgrid, q, k, v, o2, S2, sl, B);
                else if (var == 4) persist_run<12, 4, 512>(pgrid, q, k, v, o2, S2, sl, B);
                else if (var == 5) persist_run<6, 2, 256>(pgrid, q, k, v, o2, S2, sl, B);
                else if (var == 6) dec_contig<512, 1><<<B * H, 512>>>(q, k, v, o2, S2, sl, B);
                else if (var == 7) dec_contig<1024, 1><<<B * H, 1024>>>(q, k, v, o2, S2, sl, B);
                else if (var == 8) dec_contig<512, 2><<<B * H, 512>>>(q, k, v, o2, S2, sl, B);
                else if (var == 9) dec_contig<1024, 2><<<B * H, 1024>>>(q, k, v, o2, S2, sl, B);
                else if (var == 10) dec_contig<256, 2><<<B * H, 256>>>(q, k, v, o2, S2, sl, B);
                else if (var == 11) dec_rows<512, 1, 0><<<B * H, 512>>>(q, k, v, o2, S2, sl, B);
                else if (var == 12) dec_rows<512, 1, 2><<<B * H, 512>>>(q, k, v, o2, S2, sl, B);
                else if (var == 13) dec_rows<1024, 2, 0><<<B * H / 2, 1024>>>(q, k, v, o2, S2, sl, B);
                else if (var == 14) dec_rows<1024, 2, 2><<<B * H / 2, 1024>>>(q, k, v, o2, S2, sl, B);
                else dec_rows<256, 1, 0><<<B * H, 256>>>(q, k, v, o2, S2, sl, B);
            };
            double rel;
            int off;
            if (dec_check(c, run, &rel, &off)) return 1;
            const float t = time_ms(run);
            std::printf("| %d | %s | %.4f | %.0f | %.1e | %d |\n", B, name, t, bytes / t / 1e6, rel, off);
            if (B == 1 && (var == 1 || var == 11 || var == 13)) {
                std::printf("| 1 | %s, graph of 20 steps, per step | %.5f | | | |\n", name, graph_ms(run, 20) / 20);
                std::printf("| 1 | generated, graph of 20 steps, per step | %.5f | | | |\n",
                            graph_ms([&] { dec_generated(c); }, 20) / 20);
            }
        }
        const size_t n4 = ns / 4;
        for (int blocks : {nsm * 4, nsm * 8, nsm * 16}) {
            const float tc = time_ms([&] { copy_k<<<blocks, 256>>>((const float4 *)S1, (float4 *)S2, n4); });
            const float tsc = time_ms([&] { scale_k<<<blocks, 256>>>((float4 *)S2, n4, 0.999f); });
            std::printf("| %d | copy kernel to another buffer, %d blocks | %.4f | %.0f | | |\n", B, blocks, tc, 2.0 * ns * 4 / tc / 1e6);
            std::printf("| %d | the same in place (S *= lambda), %d blocks | %.4f | %.0f | | |\n", B, blocks, tsc, 2.0 * ns * 4 / tsc / 1e6);
        }
        {
            const unsigned nb = (unsigned)(n4 / (512 * 8));
            float t;
            t = time_ms([&] { copy_chunk<512, 8, 0><<<nb, 512>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 64 KB chunks, 512 threads, ld.cs | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<512, 8, 1><<<nb, 512>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 64 KB chunks, 512 threads, L2::256B | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<512, 8, 0><<<nb, 512>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 64 KB chunks, 512 threads, ld.cs (again) | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<1024, 4, 0><<<nb, 1024>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 64 KB chunks, 1024 threads, ld.cs | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<512, 4, 0><<<nb * 2, 512>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 32 KB chunks, 512 threads, ld.cs | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<1024, 8, 0><<<nb / 2, 1024>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 128 KB chunks, 1024 threads, ld.cs | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<512, 8, 2><<<nb, 512>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 64 KB chunks, 512 threads, plain | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<256, 16, 1><<<nb, 256>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 64 KB chunks, 256 threads, L2::256B | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<512, 16, 1><<<nb / 2 ? nb / 2 : 1, 512>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 128 KB chunks, 512 threads, L2::256B | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
            t = time_ms([&] { copy_chunk<512, 8, 1><<<nsm * 4, 512>>>((const float4 *)S1, (float4 *)S2, n4); });
            std::printf("| %d | copy in 64 KB chunks, 4 x SMs persistent blocks, L2::256B | %.4f | %.0f | | |\n", B, t, 2.0 * ns * 4 / t / 1e6);
        }
        const float tm = time_ms([&] { cudaMemcpy(S2, S1, ns * 4, cudaMemcpyDeviceToDevice); });
        std::printf("| %d | cudaMemcpy of the state | %.4f | %.0f | | |\n", B, tm, 2.0 * ns * 4 / tm / 1e6);
        dec_close(c);
    }
    { /* the size the 4.30 TB/s ceiling was measured at */
        const size_t n = (size_t)1 << 30; /* floats: 4 GiB */
        float *a, *b;
        CK(cudaMalloc(&a, n * 4));
        CK(cudaMalloc(&b, n * 4));
        CK(cudaMemset(a, 0, n * 4));
        const float tc = time_ms([&] { copy_k<<<nsm * 8, 256>>>((const float4 *)a, (float4 *)b, n / 4); });
        const float tm = time_ms([&] { cudaMemcpy(b, a, n * 4, cudaMemcpyDeviceToDevice); });
        std::printf("| 4 GiB | copy kernel | %.4f | %.0f | | |\n| 4 GiB | cudaMemcpy | %.4f | %.0f | | |\n", tc, 8.0 * n / tc / 1e6, tm,
                    8.0 * n / tm / 1e6);
        cudaFree(a); cudaFree(b);
    }
    return 0;
}
