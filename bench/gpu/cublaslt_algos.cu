/* bench/gpu/cublaslt_algos.cu: which kernel does cuBLASLt's heuristic pick for each GEMM a
 * calibration file measured, and (with --time K) is its first pick the fastest of its first K?
 * For every `"kind":"gemm"` point of the files named (one point per line, as `arclight calibrate
 * gpu` writes them), asks cublasLtMatmulAlgoGetHeuristic for algorithms with the calibration's own
 * descriptors (TN, fp32 compute, bf16 or fp8 e4m3 in, bf16 out, 32 MiB workspace: codegen/
 * calib_run.c, gemm_) and prints each algorithm's configuration: id, tile, stages, split-K,
 * reduction scheme, CTA swizzling, custom option, inner shape, cluster shape, and the heuristic's
 * waves count. Without --time nothing is launched: one line per point, its first algorithm.
 * With --time K: the first K algorithms (those that run), each timed as calibrate times a kernel:
 * N launches captured in a CUDA graph over input sets rotated past 3 x L2 (random data, calibrate's
 * fills), 2 warm replays, the median of 15 timed replays / N. --offset MB starts every operand's
 * pool MB MiB into its allocation: the same kernels on the same shapes at other addresses.
 * Build and run (GPU machine, CUDA 12+):
 *   nvcc -O2 -std=c++17 bench/gpu/cublaslt_algos.cu -lcublasLt -o cublaslt_algos
 *   ./cublaslt_algos sim/calib/h200-sxm.json sim/calib/h200-sxm.holdout.json > algos.txt
 *   ./cublaslt_algos --time 8 [--offset MB] sim/calib/h200-sxm.holdout.json > topk.txt
 * Output: one line per point (per algorithm with --time), "file dtype m n k [rank time_us
 * file_time_us] id tile stages splitk reduction swizzle custom inner cluster waves" (the enums'
 * numbers, cublasLt.h; file_time_us the time the file recorded). Not for: a test. */
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <cublasLt.h>
#include <cuda_runtime.h>

#define CK(x)                                                                                        \
    do {                                                                                             \
        cudaError_t e_ = (x);                                                                        \
        if (e_ != cudaSuccess) {                                                                     \
            std::fprintf(stderr, "cublaslt_algos: %s: %s\n", #x, cudaGetErrorString(e_));            \
            std::exit(1);                                                                            \
        }                                                                                            \
    } while (0)

static const size_t POOL_ = 1ull << 30; /* per operand: A, B, D */
static const uint64_t WS_ = 32ull << 20;

struct ctx_ {
    cublasLtHandle_t h;
    cudaStream_t s;
    char *pool[3];
    void *ws;
    size_t l2;
};

__device__ __forceinline__ unsigned long long hash_(unsigned long long i, unsigned long long seed)
{
    unsigned long long z = i + seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* calibrate's fills: bf16 uniform in [-1, 1); fp8 e4m3 below 1 in magnitude, random sign, no NaN */
__global__ void fill_(unsigned char *p, size_t bytes, int fp8, unsigned long long seed)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < (fp8 ? bytes : bytes / 2);
         i += (size_t)gridDim.x * blockDim.x) {
        unsigned long long z = hash_(i, seed);
        if (fp8) {
            p[i] = (unsigned char)(((z >> 8) & 0x80) | ((((z >> 16) & 0xff) % 7) << 3) | (z & 7));
        } else {
            float f = (float)(z >> 40) * (2.0f / 16777216.0f) - 1.0f;
            unsigned u = __float_as_uint(f);
            u += 0x7fff + ((u >> 16) & 1); /* round to nearest even */
            ((unsigned short *)p)[i] = (unsigned short)(u >> 16);
        }
    }
}

struct gemm_ {
    cublasLtMatmulDesc_t desc = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
    cublasLtMatmulPreference_t pref = nullptr;
    ~gemm_()
    {
        if (pref) cublasLtMatmulPreferenceDestroy(pref);
        if (c) cublasLtMatrixLayoutDestroy(c);
        if (b) cublasLtMatrixLayoutDestroy(b);
        if (a) cublasLtMatrixLayoutDestroy(a);
        if (desc) cublasLtMatmulDescDestroy(desc);
    }
};

static cublasStatus_t setup_(gemm_ &g, bool fp8, long long m, long long n, long long k)
{
    const cudaDataType_t in = fp8 ? CUDA_R_8F_E4M3 : CUDA_R_16BF;
    cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    uint64_t ws = WS_;
    cublasStatus_t s;
    if ((s = cublasLtMatmulDescCreate(&g.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F)) ||
        (s = cublasLtMatmulDescSetAttribute(g.desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta)) ||
        (s = cublasLtMatmulDescSetAttribute(g.desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb)) ||
        (s = cublasLtMatrixLayoutCreate(&g.a, in, (uint64_t)k, (uint64_t)n, k)) ||
        (s = cublasLtMatrixLayoutCreate(&g.b, in, (uint64_t)k, (uint64_t)m, k)) ||
        (s = cublasLtMatrixLayoutCreate(&g.c, CUDA_R_16BF, (uint64_t)n, (uint64_t)m, n)) ||
        (s = cublasLtMatmulPreferenceCreate(&g.pref)) ||
        (s = cublasLtMatmulPreferenceSetAttribute(g.pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws)))
        return s;
    return CUBLAS_STATUS_SUCCESS;
}

static void config_(const cublasLtMatmulHeuristicResult_t &r, char *out, size_t n)
{
    int32_t id = 0, splitk = 0;
    uint32_t tile = 0, stages = 0, red = 0, swz = 0, custom = 0;
    uint16_t inner = 0, cluster = 0;
    size_t w;
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_ID, &id, sizeof id, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_TILE_ID, &tile, sizeof tile, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_STAGES_ID, &stages, sizeof stages, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, &splitk, sizeof splitk, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME, &red, sizeof red, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING, &swz, sizeof swz, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_CUSTOM_OPTION, &custom, sizeof custom, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_INNER_SHAPE_ID, &inner, sizeof inner, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&r.algo, CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID, &cluster, sizeof cluster, &w);
    std::snprintf(out, n, "%d %u %u %d %u %u %u %u %u %.3f", id, tile, stages, splitk, red, swz, custom,
                  (unsigned)inner, (unsigned)cluster, r.wavesCount);
}

/* one algorithm timed as calibrate times a kernel; < 0 when it does not run */
static double time_(ctx_ &x, gemm_ &g, const cublasLtMatmulAlgo_t *algo, size_t ab, size_t bb, size_t cb)
{
    size_t all = ab + bb + cb;
    int sets = std::max(1, std::min(64, (int)((3 * x.l2 + all - 1) / all)));
    while (sets > 1 && ((size_t)sets * ab > POOL_ || (size_t)sets * bb > POOL_ || (size_t)sets * cb > POOL_))
        sets--;
    const float one = 1, zero = 0;
    auto launch = [&](int i) {
        return cublasLtMatmul(x.h, g.desc, &one, x.pool[0] + (size_t)i * ab, g.a, x.pool[1] + (size_t)i * bb, g.b, &zero,
                              x.pool[2] + (size_t)i * cb, g.c, x.pool[2] + (size_t)i * cb, g.c, algo, x.ws, WS_, x.s);
    };
    cudaEvent_t ev[2 * 17];
    for (auto &e : ev)
        CK(cudaEventCreate(&e));
    double out = -1;
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    float ms = 0;
    if (launch(0) != CUBLAS_STATUS_SUCCESS)
        goto done;
    CK(cudaEventRecord(ev[0], x.s));
    launch(1 % sets);
    CK(cudaEventRecord(ev[1], x.s));
    CK(cudaEventSynchronize(ev[1]));
    CK(cudaEventElapsedTime(&ms, ev[0], ev[1]));
    {
        int n = std::max(1, std::min(100, (int)(0.3 / std::max(ms, 1e-4f))));
        if (n < sets && sets <= 100)
            n = sets;
        CK(cudaStreamBeginCapture(x.s, cudaStreamCaptureModeGlobal));
        for (int i = 0; i < n; i++)
            launch(i % sets);
        CK(cudaStreamEndCapture(x.s, &graph));
        CK(cudaGraphInstantiate(&exec, graph, 0));
        for (int i = 0; i < 2; i++)
            CK(cudaGraphLaunch(exec, x.s));
        for (int i = 0; i < 15; i++) {
            CK(cudaEventRecord(ev[2 * i], x.s));
            CK(cudaGraphLaunch(exec, x.s));
            CK(cudaEventRecord(ev[2 * i + 1], x.s));
        }
        CK(cudaStreamSynchronize(x.s));
        std::vector<double> per(15);
        for (int i = 0; i < 15; i++) {
            CK(cudaEventElapsedTime(&ms, ev[2 * i], ev[2 * i + 1]));
            per[i] = ms * 1e3 / n;
        }
        std::sort(per.begin(), per.end());
        out = per[7];
    }
done:
    if (exec) cudaGraphExecDestroy(exec);
    if (graph) cudaGraphDestroy(graph);
    for (auto &e : ev)
        cudaEventDestroy(e);
    cudaGetLastError(); /* a refused algorithm leaves no sticky error */
    return out;
}

static void point_(ctx_ &x, int K, const char *file, const char *dtype, long long m, long long n, long long k, double file_us)
{
    const bool fp8 = std::strcmp(dtype, "fp8") == 0;
    gemm_ g;
    std::vector<cublasLtMatmulHeuristicResult_t> r(K > 0 ? K : 1);
    int got = 0;
    cublasStatus_t s = setup_(g, fp8, m, n, k);
    if (!s)
        s = cublasLtMatmulAlgoGetHeuristic(x.h, g.desc, g.a, g.b, g.c, g.c, g.pref, (int)r.size(), r.data(), &got);
    if (s || got < 1) {
        std::printf("%s %s %lld %lld %lld none (status %d)\n", file, dtype, m, n, k, (int)s);
        return;
    }
    char cfg[160];
    if (K <= 0) {
        config_(r[0], cfg, sizeof cfg);
        std::printf("%s %s %lld %lld %lld %s\n", file, dtype, m, n, k, cfg);
        return;
    }
    const size_t es = fp8 ? 1 : 2, ab = ((size_t)(n * k) * es + 255) & ~(size_t)255,
                 bb = ((size_t)(m * k) * es + 255) & ~(size_t)255, cb = ((size_t)(m * n) * 2 + 255) & ~(size_t)255;
    for (int j = 0; j < got; j++) {
        double us = r[j].state == CUBLAS_STATUS_SUCCESS ? time_(x, g, &r[j].algo, ab, bb, cb) : -1;
        config_(r[j], cfg, sizeof cfg);
        std::printf("%s %s %lld %lld %lld %d %.4f %.4f %s\n", file, dtype, m, n, k, j, us, file_us, cfg);
    }
    std::fflush(stdout);
}

int main(int argc, char **argv)
{
    int K = 0, first = 1, offset_mb = 0;
    if (argc > 2 && std::strcmp(argv[1], "--time") == 0)
        K = std::atoi(argv[2]), first = 3;
    if (K > 0 && argc > 4 && std::strcmp(argv[3], "--offset") == 0)
        offset_mb = std::atoi(argv[4]), first = 5;
    if (argc <= first || K < 0 || K > 64 || offset_mb < 0 || offset_mb > 4096) {
        std::fprintf(stderr, "usage: cublaslt_algos [--time K [--offset MB]] CALIBRATION.json...\n");
        return 2;
    }
    ctx_ x{};
    if (cublasLtCreate(&x.h)) {
        std::fprintf(stderr, "cublaslt_algos: cublasLtCreate failed\n");
        return 1;
    }
    int l2 = 0;
    CK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
    x.l2 = (size_t)l2;
    if (K > 0) {
        CK(cudaStreamCreate(&x.s));
        for (auto &p : x.pool) {
            CK(cudaMalloc((void **)&p, POOL_ + ((size_t)offset_mb << 20)));
            p += (size_t)offset_mb << 20;
        }
        CK(cudaMalloc(&x.ws, WS_));
    }
    for (int f = first; f < argc; f++) {
        FILE *in = std::fopen(argv[f], "r");
        if (!in) {
            std::fprintf(stderr, "cublaslt_algos: %s: cannot open\n", argv[f]);
            return 2;
        }
        const char *base = std::strrchr(argv[f], '/') ? std::strrchr(argv[f], '/') + 1 : argv[f];
        char line[1024], dtype[8], filled[8] = "";
        long long m, n, k;
        double t;
        while (std::fgets(line, sizeof line, in)) {
            const char *p = std::strstr(line, "{\"kind\":\"gemm\"");
            if (!p || std::sscanf(p, "{\"kind\":\"gemm\",\"dtype\":\"%7[^\"]\",\"m\":%lld,\"n\":%lld,\"k\":%lld,\"time_s\":%lf",
                                  dtype, &m, &n, &k, &t) != 5)
                continue;
            if (K > 0 && std::strcmp(filled, dtype) != 0) { /* the pools hold this dtype's random data */
                for (int i = 0; i < 3; i++)
                    fill_<<<1056, 256, 0, x.s>>>((unsigned char *)x.pool[i], POOL_, i < 2 && !std::strcmp(dtype, "fp8"), 7 + i);
                CK(cudaStreamSynchronize(x.s));
                std::snprintf(filled, sizeof filled, "%s", dtype);
            }
            point_(x, K, base, dtype, m, n, k, t * 1e6);
        }
        std::fclose(in);
    }
    cublasLtDestroy(x.h);
    return 0;
}
