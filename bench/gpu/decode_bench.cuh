/* bench/gpu/decode_bench.cuh: what the decode studies (decode_bulk_copy.cu, decode_persistent.cu)
 * share: the error check, the timing, and one batch's buffers with the generated kernel's step as
 * the reference every variant is compared with.
 * For: bench programs compiled with `-include DIR/lightning_decode.cu` (H, D, CSPLIT, THREADS and
 * lightning_decode come from there). Not for: tests (timings never gate one). */
#ifndef ARCLIGHT_BENCH_DECODE_BENCH_CUH
#define ARCLIGHT_BENCH_DECODE_BENCH_CUH

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cuda_runtime.h>

#define CK(x)                                                                  \
    do {                                                                       \
        cudaError_t e_ = (x);                                                  \
        if (e_) {                                                              \
            std::printf("decode bench: %s: %s\n", #x, cudaGetErrorString(e_)); \
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

/* one batch: S0 the state before the step, S1 and o1 the generated kernel's step from it (and the
 * buffers it is timed on), S2 and o2 a variant's */
struct dec_case {
    int B;
    size_t ns, nv;     /* state floats, q / k / v / o elements */
    double bytes;      /* state read and written; q, k, v read, o written */
    float *S0, *S1, *S2, *sl;
    arc_bf16 *q, *k, *v, *o1, *o2;
    std::vector<float> r1, r2;
    std::vector<arc_bf16> p1, p2;
};

static void dec_generated(dec_case &c)
{
    lightning_decode<<<c.B * H * CSPLIT, THREADS>>>(c.q, c.k, c.v, c.o1, c.S1, c.sl, c.B);
}

static int dec_open(dec_case &c, int B)
{
    c.B = B;
    c.ns = (size_t)B * H * D * D;
    c.nv = (size_t)B * H * D;
    c.bytes = 2.0 * c.ns * 4 + 4.0 * c.nv * 2;
    CK(cudaMalloc(&c.S0, c.ns * 4));
    CK(cudaMalloc(&c.S1, c.ns * 4));
    CK(cudaMalloc(&c.S2, c.ns * 4));
    CK(cudaMalloc(&c.sl, H * 4));
    CK(cudaMalloc(&c.q, c.nv * 2));
    CK(cudaMalloc(&c.k, c.nv * 2));
    CK(cudaMalloc(&c.v, c.nv * 2));
    CK(cudaMalloc(&c.o1, c.nv * 2));
    CK(cudaMalloc(&c.o2, c.nv * 2));
    std::vector<float> hs(c.ns), hsl(H);
    for (size_t i = 0; i < c.ns; i++) hs[i] = (float)((i * 2654435761u) % 1000) / 1000.f - 0.5f;
    std::vector<arc_bf16> hq(c.nv), hk(c.nv), hv(c.nv);
    for (size_t i = 0; i < c.nv; i++) {
        hq[i] = (arc_bf16)(0x3c00 + (i * 40503u) % 256); /* bf16 in [0.0078, 0.0156) */
        hk[i] = (arc_bf16)(0x3c00 + (i * 9973u + 7) % 256);
        hv[i] = (arc_bf16)(0xbc00 + (i * 31337u + 3) % 256); /* negative */
    }
    for (int i = 0; i < H; i++) hsl[i] = 0.01f * (i + 1);
    CK(cudaMemcpy(c.S0, hs.data(), c.ns * 4, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(c.q, hq.data(), c.nv * 2, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(c.k, hk.data(), c.nv * 2, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(c.v, hv.data(), c.nv * 2, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(c.sl, hsl.data(), H * 4, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(c.S1, c.S0, c.ns * 4, cudaMemcpyDeviceToDevice));
    dec_generated(c);
    CK(cudaDeviceSynchronize());
    CK(cudaGetLastError());
    c.r1.resize(c.ns);
    c.r2.resize(c.ns);
    c.p1.resize(c.nv);
    c.p2.resize(c.nv);
    CK(cudaMemcpy(c.r1.data(), c.S1, c.ns * 4, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(c.p1.data(), c.o1, c.nv * 2, cudaMemcpyDeviceToHost));
    return 0;
}

/* runs a variant once from S0 on S2 and o2 (o2 poisoned first); rel: the state's relative RMS
 * difference from the generated step, off: elements of o more than 1 bf16 ulp from it */
template <typename F> static int dec_check(dec_case &c, F run, double *rel, int *off)
{
    CK(cudaMemcpy(c.S2, c.S0, c.ns * 4, cudaMemcpyDeviceToDevice));
    CK(cudaMemset(c.o2, 0xff, c.nv * 2));
    run();
    CK(cudaDeviceSynchronize());
    CK(cudaGetLastError());
    CK(cudaMemcpy(c.r2.data(), c.S2, c.ns * 4, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(c.p2.data(), c.o2, c.nv * 2, cudaMemcpyDeviceToHost));
    double d2 = 0, n2 = 0;
    for (size_t i = 0; i < c.ns; i++) {
        d2 += (double)(c.r1[i] - c.r2[i]) * (c.r1[i] - c.r2[i]);
        n2 += (double)c.r1[i] * c.r1[i];
    }
    *off = 0;
    for (size_t i = 0; i < c.nv; i++) *off += std::abs((int)c.p1[i] - (int)c.p2[i]) > 1;
    *rel = std::sqrt(d2 / n2);
    return 0;
}

static void dec_close(dec_case &c)
{
    cudaFree(c.S0); cudaFree(c.S1); cudaFree(c.S2); cudaFree(c.sl);
    cudaFree(c.q); cudaFree(c.k); cudaFree(c.v); cudaFree(c.o1); cudaFree(c.o2);
}

#endif
