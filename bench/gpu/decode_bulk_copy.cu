/* bench/gpu/decode_bulk_copy.cu: how close can a lightning decode step get to a device copy of its
 * state? Times, on the same buffers, the decode kernel `arclight gen cuda lightning-decode` writes
 * (a streaming pass: every thread's state loads in flight, then stores), the same step with the
 * state moved by the TMA's bulk copies (one 64 KB state per block, in 2 or 4 parts, each part
 * computed and written back as soon as it lands), and cudaMemcpy of the state's bytes. Each
 * variant's state and o are compared with the generated kernel's first.
 * Build and run (GPU machine, CUDA 12+):
 *   build/arclight gen cuda lightning-decode -o /tmp/dec
 *   nvcc -O3 -std=c++17 -gencode=arch=compute_90a,code=sm_90a -include /tmp/dec/lightning_decode.cu \
 *        bench/gpu/decode_bulk_copy.cu -o decode_bulk_copy && ./decode_bulk_copy
 * Not for: a test (timings never gate one); other head sizes than the generated file's. */
#include <cstdint>

#include "decode_bench.cuh"

/* the state of one (sequence, head) per block, brought in by NH bulk copies on NH barriers; each part
 * is computed and written back by a bulk copy as soon as it lands */
template <int NH>
__global__ void __launch_bounds__(256) dec_tma_h(const arc_bf16 *__restrict__ q, const arc_bf16 *__restrict__ k,
    const arc_bf16 *__restrict__ v, arc_bf16 *__restrict__ o, float *__restrict__ state, const float *__restrict__ slope, int B)
{
    constexpr int C4 = D / 4, NRG = 256 / C4, HR = D / NH, NPT = HR / NRG;
    extern __shared__ __align__(128) float4 S4[];
    __shared__ float qs[D], ks[D];
    __shared__ float4 part[NRG][C4];
    __shared__ __align__(8) unsigned long long bar[NH];
    const int bh = blockIdx.x, tid = threadIdx.x;
    const unsigned sS = (unsigned)__cvta_generic_to_shared(S4), sbar = (unsigned)__cvta_generic_to_shared(bar);
    float *gS = state + (size_t)bh * D * D;
    if (tid == 0) {
        for (int x = 0; x < NH; x++) asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;\n" ::"r"(sbar + 8 * x));
        asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
        for (int x = 0; x < NH; x++) {
            asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(sbar + 8 * x), "r"(HR * D * 4) : "memory");
            asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];\n"
                         ::"r"(sS + x * HR * D * 4), "l"(gS + (size_t)x * HR * D), "r"(HR * D * 4), "r"(sbar + 8 * x) : "memory");
        }
    }
    const int h = bh % H;
    for (int e = tid; e < D; e += 256) { qs[e] = arc_to_f(q[(size_t)bh * D + e]); ks[e] = arc_to_f(k[(size_t)bh * D + e]); }
    const int c4 = tid % C4, g = tid / C4;
    const uint2 vraw = *(const uint2 *)(v + (size_t)bh * D + 4 * c4);
    const float4 vv = make_float4(__uint_as_float(vraw.x << 16), __uint_as_float(vraw.x & 0xffff0000u),
                                  __uint_as_float(vraw.y << 16), __uint_as_float(vraw.y & 0xffff0000u));
    const float lambda = expf(-slope[h]);
    __syncthreads();
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
#pragma unroll
    for (int x = 0; x < NH; x++) {
        asm volatile("{\n.reg .pred p;\nW%=:\nmbarrier.try_wait.parity.shared::cta.b64 p, [%0], 0;\n@!p bra W%=;\n}\n" ::"r"(sbar + 8 * x) : "memory");
#pragma unroll
        for (int r = 0; r < NPT; r++) {
            const int i = x * HR + g + r * NRG;
            float4 s = S4[i * C4 + c4];
            s.x *= lambda; s.y *= lambda; s.z *= lambda; s.w *= lambda;
            const float ki = ks[i];
            s.x = fmaf(ki, vv.x, s.x); s.y = fmaf(ki, vv.y, s.y); s.z = fmaf(ki, vv.z, s.z); s.w = fmaf(ki, vv.w, s.w);
            const float qi = qs[i];
            acc.x = fmaf(qi, s.x, acc.x); acc.y = fmaf(qi, s.y, acc.y); acc.z = fmaf(qi, s.z, acc.z); acc.w = fmaf(qi, s.w, acc.w);
            S4[i * C4 + c4] = s;
        }
        asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
        __syncthreads();
        if (tid == 0) {
            asm volatile("cp.async.bulk.global.shared::cta.bulk_group [%0], [%1], %2;\n" ::"l"(gS + (size_t)x * HR * D), "r"(sS + x * HR * D * 4), "r"(HR * D * 4) : "memory");
            asm volatile("cp.async.bulk.commit_group;\n" ::: "memory");
        }
    }
    part[g][c4] = acc;
    __syncthreads();
    if (g == 0) {
        float4 r = part[0][c4];
        for (int x = 1; x < NRG; x++) { float4 p = part[x][c4]; r.x += p.x; r.y += p.y; r.z += p.z; r.w += p.w; }
        uint2 ob;
        ob.x = (unsigned)arc_to_bf(r.x) | ((unsigned)arc_to_bf(r.y) << 16);
        ob.y = (unsigned)arc_to_bf(r.z) | ((unsigned)arc_to_bf(r.w) << 16);
        *(uint2 *)(o + (size_t)bh * D + 4 * c4) = ob;
    }
    if (tid == 0) asm volatile("cp.async.bulk.wait_group.read 0;\n" ::: "memory");
}
int main()
{
    std::printf("| B | variant | ms (median of 50) | GB/s | state vs generated | o > 1 ulp off |\n| ---: | --- | ---: | ---: | ---: | ---: |\n");
    CK(cudaFuncSetAttribute(dec_tma_h<1>, cudaFuncAttributeMaxDynamicSharedMemorySize, D * D * 4));
    CK(cudaFuncSetAttribute(dec_tma_h<2>, cudaFuncAttributeMaxDynamicSharedMemorySize, D * D * 4));
    CK(cudaFuncSetAttribute(dec_tma_h<4>, cudaFuncAttributeMaxDynamicSharedMemorySize, D * D * 4));
    for (int B : {32, 128}) {
        dec_case c;
        if (dec_open(c, B)) return 1;
        const float tg = time_ms([&] { dec_generated(c); });
        std::printf("| %d | generated lightning_decode | %.4f | %.0f | | |\n", B, tg, c.bytes / tg / 1e6);
        for (int parts : {1, 2, 4}) {
            auto run = [&] {
                if (parts == 1) dec_tma_h<1><<<B * H, 256, D * D * 4>>>(c.q, c.k, c.v, c.o2, c.S2, c.sl, B);
                else if (parts == 2) dec_tma_h<2><<<B * H, 256, D * D * 4>>>(c.q, c.k, c.v, c.o2, c.S2, c.sl, B);
                else dec_tma_h<4><<<B * H, 256, D * D * 4>>>(c.q, c.k, c.v, c.o2, c.S2, c.sl, B);
            };
            double rel;
            int off;
            if (dec_check(c, run, &rel, &off)) return 1;
            const float t = time_ms(run);
            std::printf("| %d | bulk copies, %d part(s) per state | %.4f | %.0f | %.1e | %d |\n", B, parts, t, c.bytes / t / 1e6, rel, off);
        }
        const float tc = time_ms([&] { cudaMemcpy(c.S2, c.S1, c.ns * 4, cudaMemcpyDeviceToDevice); });
        std::printf("| %d | cudaMemcpy of the state (read + write) | %.4f | %.0f | | |\n", B, tc, 2.0 * c.ns * 4 / tc / 1e6);
        dec_close(c);
    }
    return 0;
}
