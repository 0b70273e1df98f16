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
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <vector>

#include <cuda_runtime.h>

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
#define CK(x)                                                                  \
    do {                                                                       \
        cudaError_t e_ = (x);                                                  \
        if (e_) {                                                              \
            std::printf("decode_bulk_copy: %s: %s\n", #x, cudaGetErrorString(e_)); \
            return 1;                                                          \
        }                                                                      \
    } while (0)

/* median of 50 timed runs after 5 warm-ups, ms */
template <typename F> static float time_ms(F f)
{
    cudaEvent_t a, b;
    cudaEventCreate(&a);
    cudaEventCreate(&b);
    for (int i = 0; i < 5; i++) f();
    std::vector<float> t;
    for (int i = 0; i < 50; i++) {
        cudaEventRecord(a);
        f();
        cudaEventRecord(b);
        cudaEventSynchronize(b);
        float ms;
        cudaEventElapsedTime(&ms, a, b);
        t.push_back(ms);
    }
    std::sort(t.begin(), t.end());
    cudaEventDestroy(a);
    cudaEventDestroy(b);
    return t[25];
}

int main()
{
    std::printf("| B | variant | ms (median of 50) | GB/s | state vs generated | o > 1 ulp off |\n| ---: | --- | ---: | ---: | ---: | ---: |\n");
    for (int B : {32, 128}) {
        const size_t ns = (size_t)B * H * D * D, nv = (size_t)B * H * D;
        float *S0, *S1, *S2, *sl;
        arc_bf16 *q, *k, *v, *o1, *o2;
        CK(cudaMalloc(&S0, ns * 4));
        CK(cudaMalloc(&S1, ns * 4));
        CK(cudaMalloc(&S2, ns * 4));
        CK(cudaMalloc(&sl, H * 4));
        CK(cudaMalloc(&q, nv * 2));
        CK(cudaMalloc(&k, nv * 2));
        CK(cudaMalloc(&v, nv * 2));
        CK(cudaMalloc(&o1, nv * 2));
        CK(cudaMalloc(&o2, nv * 2));
        std::vector<float> hs(ns), hsl(H);
        for (size_t i = 0; i < ns; i++) hs[i] = (float)((i * 2654435761u) % 1000) / 1000.f - 0.5f;
        std::vector<arc_bf16> hv(nv);
        for (size_t i = 0; i < nv; i++) hv[i] = (arc_bf16)(0x3c00 + (i * 40503u) % 256); /* bf16 in [0.0078, 0.0156) */
        for (int i = 0; i < H; i++) hsl[i] = 0.01f * (i + 1);
        CK(cudaMemcpy(S0, hs.data(), ns * 4, cudaMemcpyHostToDevice));
        CK(cudaMemcpy(q, hv.data(), nv * 2, cudaMemcpyHostToDevice));
        CK(cudaMemcpy(k, hv.data(), nv * 2, cudaMemcpyHostToDevice));
        CK(cudaMemcpy(v, hv.data(), nv * 2, cudaMemcpyHostToDevice));
        CK(cudaMemcpy(sl, hsl.data(), H * 4, cudaMemcpyHostToDevice));
        /* the generated kernel's step from S0: the reference the variants are compared with */
        CK(cudaMemcpy(S1, S0, ns * 4, cudaMemcpyDeviceToDevice));
        lightning_decode<<<B * H * CSPLIT, THREADS>>>(q, k, v, o1, S1, sl, B);
        CK(cudaDeviceSynchronize());
        std::vector<float> r1(ns), r2(ns);
        std::vector<arc_bf16> p1(nv), p2(nv);
        CK(cudaMemcpy(r1.data(), S1, ns * 4, cudaMemcpyDeviceToHost));
        CK(cudaMemcpy(p1.data(), o1, nv * 2, cudaMemcpyDeviceToHost));
        const double bytes = 2.0 * ns * 4 + 4.0 * nv * 2; /* state read and written; q, k, v read, o written */
        const float tg = time_ms([&] { lightning_decode<<<B * H * CSPLIT, THREADS>>>(q, k, v, o1, S1, sl, B); });
        std::printf("| %d | generated (streaming) | %.4f | %.0f | | |\n", B, tg, bytes / tg / 1e6);
        CK(cudaFuncSetAttribute(dec_tma_h<1>, cudaFuncAttributeMaxDynamicSharedMemorySize, D * D * 4));
        CK(cudaFuncSetAttribute(dec_tma_h<2>, cudaFuncAttributeMaxDynamicSharedMemorySize, D * D * 4));
        CK(cudaFuncSetAttribute(dec_tma_h<4>, cudaFuncAttributeMaxDynamicSharedMemorySize, D * D * 4));
        for (int parts : {1, 2, 4}) {
            auto run = [&] {
                if (parts == 1) dec_tma_h<1><<<B * H, 256, D * D * 4>>>(q, k, v, o2, S2, sl, B);
                else if (parts == 2) dec_tma_h<2><<<B * H, 256, D * D * 4>>>(q, k, v, o2, S2, sl, B);
                else dec_tma_h<4><<<B * H, 256, D * D * 4>>>(q, k, v, o2, S2, sl, B);
            };
            CK(cudaMemcpy(S2, S0, ns * 4, cudaMemcpyDeviceToDevice));
            run();
            CK(cudaDeviceSynchronize());
            CK(cudaMemcpy(r2.data(), S2, ns * 4, cudaMemcpyDeviceToHost));
            CK(cudaMemcpy(p2.data(), o2, nv * 2, cudaMemcpyDeviceToHost));
            double d2 = 0, n2 = 0;
            for (size_t i = 0; i < ns; i++) {
                d2 += (double)(r1[i] - r2[i]) * (r1[i] - r2[i]);
                n2 += (double)r1[i] * r1[i];
            }
            int off = 0;
            for (size_t i = 0; i < nv; i++) off += std::abs((int)p1[i] - (int)p2[i]) > 1;
            const float t = time_ms(run);
            std::printf("| %d | bulk copies, %d part(s) per state | %.4f | %.0f | %.1e | %d |\n", B, parts, t, bytes / t / 1e6,
                        std::sqrt(d2 / n2), off);
        }
        const float tc = time_ms([&] { cudaMemcpy(S2, S1, ns * 4, cudaMemcpyDeviceToDevice); });
        std::printf("| %d | cudaMemcpy of the state (read + write) | %.4f | %.0f | | |\n", B, tc, 2.0 * ns * 4 / tc / 1e6);
        cudaFree(S0); cudaFree(S1); cudaFree(S2); cudaFree(q); cudaFree(k); cudaFree(v); cudaFree(o1); cudaFree(o2); cudaFree(sl);
    }
    return 0;
}
