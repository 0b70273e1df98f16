// Measures the fixed cost of one kernel on the GPU: back-to-back launches of an empty kernel
// and of a small memory-bound kernel, from a CUDA graph (as serving engines replay decode steps)
// and from plain stream launches. The graph figure for the small copy, less its bytes over the
// copy bandwidth, is the cost engine's kernel.overhead_s.
//
// Build: nvcc -O2 -std=c++17 -gencode=arch=compute_90a,code=sm_90a -o kernel_overhead kernel_overhead.cu
// Run:   ./kernel_overhead            (prints a table; median of 21 repetitions)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cuda_runtime.h>

#define CK(x)                                                                                  \
    do {                                                                                       \
        cudaError_t e_ = (x);                                                                  \
        if (e_ != cudaSuccess) {                                                               \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_)); \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

__global__ void empty_kernel() {}

__global__ void copy_kernel(const float4 *__restrict__ in, float4 *__restrict__ out, size_t n)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
        out[i] = in[i];
}

static float median(std::vector<float> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Launches `kernels` kernels per repetition; returns the median time per kernel in microseconds.
template <class F> static float per_kernel_us(F launch, int kernels, bool graph, cudaStream_t s)
{
    cudaGraphExec_t exec = nullptr;
    if (graph) {
        cudaGraph_t g;
        CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
        for (int i = 0; i < kernels; i++)
            launch(s);
        CK(cudaStreamEndCapture(s, &g));
        CK(cudaGraphInstantiate(&exec, g, 0));
        CK(cudaGraphDestroy(g));
    }
    cudaEvent_t a, b;
    CK(cudaEventCreate(&a));
    CK(cudaEventCreate(&b));
    std::vector<float> times;
    for (int rep = 0; rep < 24; rep++) {
        CK(cudaEventRecord(a, s));
        if (graph)
            CK(cudaGraphLaunch(exec, s));
        else
            for (int i = 0; i < kernels; i++)
                launch(s);
        CK(cudaEventRecord(b, s));
        CK(cudaEventSynchronize(b));
        CK(cudaGetLastError());
        float ms;
        CK(cudaEventElapsedTime(&ms, a, b));
        if (rep >= 3) // warm-up
            times.push_back(ms * 1000.0f / kernels);
    }
    CK(cudaEventDestroy(a));
    CK(cudaEventDestroy(b));
    if (exec)
        CK(cudaGraphExecDestroy(exec));
    return median(times);
}

int main()
{
    cudaDeviceProp p;
    CK(cudaGetDeviceProperties(&p, 0));
    int rt;
    CK(cudaRuntimeGetVersion(&rt));
    printf("# gpu %s, %d SMs, CUDA runtime %d\n", p.name, p.multiProcessorCount, rt);
    cudaStream_t s;
    CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

    const int kernels = 2000;
    const size_t bytes = 1 << 20; // 1 MiB read + 1 MiB written: about 0.5 us at 4.3 TB/s
    const size_t n = bytes / sizeof(float4);
    // rotate over buffers well beyond the 50 MB L2 so each copy reads from HBM
    const int nbuf = 128;
    std::vector<float4 *> bufs(nbuf);
    for (auto &q : bufs) {
        CK(cudaMalloc(&q, bytes));
        CK(cudaMemset(q, 0x3c, bytes)); // nonzero pattern
    }
    int next = 0;
    auto empty = [&](cudaStream_t st) { empty_kernel<<<p.multiProcessorCount, 128, 0, st>>>(); };
    auto copy = [&](cudaStream_t st) {
        const float4 *in = bufs[next % nbuf];
        float4 *out = bufs[(next + nbuf / 2) % nbuf];
        next++;
        copy_kernel<<<p.multiProcessorCount * 4, 256, 0, st>>>(in, out, n);
    };
    float e_graph = per_kernel_us(empty, kernels, true, s);
    float e_stream = per_kernel_us(empty, kernels, false, s);
    float c_graph = per_kernel_us(copy, kernels, true, s);
    float c_stream = per_kernel_us(copy, kernels, false, s);
    double copy_floor_us = 2.0 * bytes / 4.30e12 * 1e6; // measured copy ceiling, read + write
    printf("%-34s %10s\n", "case", "us/kernel");
    printf("%-34s %10.2f\n", "empty kernel, CUDA graph", e_graph);
    printf("%-34s %10.2f\n", "empty kernel, stream launches", e_stream);
    printf("%-34s %10.2f\n", "1 MiB copy, CUDA graph", c_graph);
    printf("%-34s %10.2f\n", "1 MiB copy, stream launches", c_stream);
    printf("%-34s %10.2f\n", "1 MiB copy floor at 4.30 TB/s", copy_floor_us);
    printf("%-34s %10.2f\n", "overhead (graph copy - floor)", c_graph - copy_floor_us);
    for (auto q : bufs)
        CK(cudaFree(q));
    return 0;
}
