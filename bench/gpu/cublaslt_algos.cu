/* bench/gpu/cublaslt_algos.cu: which kernel does cuBLASLt's heuristic pick for each GEMM a
 * calibration file measured? For every `"kind":"gemm"` point of the files named (one point per line,
 * as `arclight calibrate gpu` writes them), asks cublasLtMatmulAlgoGetHeuristic for its first
 * algorithm with the calibration's own descriptors (TN, fp32 compute, bf16 or fp8 e4m3 in, bf16 out,
 * 32 MiB workspace: codegen/calib_run.c, gemm_) and prints the algorithm's configuration: id, tile,
 * stages, split-K, reduction scheme, CTA swizzling, custom option, inner shape, cluster shape, and
 * the heuristic's waves count. Nothing is launched or timed.
 * Build and run (GPU machine, CUDA 12+):
 *   nvcc -O2 -std=c++17 bench/gpu/cublaslt_algos.cu -lcublasLt -o cublaslt_algos
 *   ./cublaslt_algos sim/calib/h200-sxm.json sim/calib/h200-sxm.holdout.json > algos.txt
 * Output: one line per point, "file dtype m n k id tile stages splitk reduction swizzle custom inner
 * cluster waves" (the enums' numbers, cublasLt.h). Not for: a test. */
#include <cstdio>
#include <cstring>

#include <cublasLt.h>
#include <cuda_runtime.h>

static int algo_line(cublasLtHandle_t h, const char *file, const char *dtype, long long m, long long n, long long k)
{
    const bool fp8 = strcmp(dtype, "fp8") == 0;
    const cudaDataType_t in = fp8 ? CUDA_R_8F_E4M3 : CUDA_R_16BF;
    cublasLtMatmulDesc_t desc = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
    cublasLtMatmulPreference_t pref = nullptr;
    cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    uint64_t ws = 32ull << 20;
    cublasLtMatmulHeuristicResult_t r;
    int got = 0;
    cublasStatus_t s;
    if ((s = cublasLtMatmulDescCreate(&desc, CUBLAS_COMPUTE_32F, CUDA_R_32F)) ||
        (s = cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta)) ||
        (s = cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb)) ||
        (s = cublasLtMatrixLayoutCreate(&a, in, (uint64_t)k, (uint64_t)n, k)) ||
        (s = cublasLtMatrixLayoutCreate(&b, in, (uint64_t)k, (uint64_t)m, k)) ||
        (s = cublasLtMatrixLayoutCreate(&c, CUDA_R_16BF, (uint64_t)n, (uint64_t)m, n)) ||
        (s = cublasLtMatmulPreferenceCreate(&pref)) ||
        (s = cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws)) ||
        (s = cublasLtMatmulAlgoGetHeuristic(h, desc, a, b, c, c, pref, 1, &r, &got)) || got < 1) {
        std::printf("%s %s %lld %lld %lld none (status %d)\n", file, dtype, m, n, k, (int)s);
    } else {
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
        std::printf("%s %s %lld %lld %lld %d %u %u %d %u %u %u %u %u %.3f\n", file, dtype, m, n, k, id, tile, stages, splitk,
                    red, swz, custom, (unsigned)inner, (unsigned)cluster, r.wavesCount);
    }
    if (pref) cublasLtMatmulPreferenceDestroy(pref);
    if (c) cublasLtMatrixLayoutDestroy(c);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (desc) cublasLtMatmulDescDestroy(desc);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: cublaslt_algos CALIBRATION.json...\n");
        return 2;
    }
    cublasLtHandle_t h;
    if (cublasLtCreate(&h)) {
        std::fprintf(stderr, "cublaslt_algos: cublasLtCreate failed\n");
        return 1;
    }
    for (int f = 1; f < argc; f++) {
        FILE *in = std::fopen(argv[f], "r");
        if (!in) {
            std::fprintf(stderr, "cublaslt_algos: %s: cannot open\n", argv[f]);
            return 2;
        }
        const char *base = std::strrchr(argv[f], '/') ? std::strrchr(argv[f], '/') + 1 : argv[f];
        char line[1024], dtype[8];
        long long m, n, k;
        while (std::fgets(line, sizeof line, in)) {
            const char *p = std::strstr(line, "{\"kind\":\"gemm\"");
            if (p && std::sscanf(p, "{\"kind\":\"gemm\",\"dtype\":\"%7[^\"]\",\"m\":%lld,\"n\":%lld,\"k\":%lld", dtype, &m, &n, &k) == 4)
                algo_line(h, base, dtype, m, n, k);
        }
        std::fclose(in);
    }
    cublasLtDestroy(h);
    return 0;
}
