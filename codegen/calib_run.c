/* arclight calibrate: the measurement suite on an NVIDIA GPU (calib_run.h has the method).
 * Not for: the model built from the measurements (sim/calib.c). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "arclight/calib.h"
#include "arclight/calib_run.h"
#include "arclight/fsutil.h"
#include "arclight/hw.h"
#include "arclight/json.h"
#include "arclight/verify.h"
#include "cudadrv.h"

#ifndef ARC_COMMIT
#define ARC_COMMIT "unknown"
#endif

/* ---- the libraries ---- */

/* cuBLASLt, as cublasLt.h declares it; enums by their numbers there */
enum {
    LT_COMPUTE_32F = 68, LT_R_32F = 0, LT_R_16BF = 14, LT_R_8F_E4M3 = 28,
    LT_DESC_TRANSA = 3, LT_DESC_TRANSB = 4, LT_OP_N = 0, LT_OP_T = 1, LT_PREF_MAX_WORKSPACE = 1,
};
struct lt_heur_ {
    uint64_t algo[8];
    size_t workspace;
    int state;
    float waves;
    int reserved[4];
};
struct lt_ {
    void *lib;
    int (*Create)(void **h);
    int (*Destroy)(void *h);
    size_t (*GetVersion)(void);
    int (*DescCreate)(void **d, int compute, int scale);
    int (*DescDestroy)(void *d);
    int (*DescSet)(void *d, int attr, const void *buf, size_t n);
    int (*LayoutCreate)(void **l, int type, uint64_t rows, uint64_t cols, int64_t ld);
    int (*LayoutDestroy)(void *l);
    int (*PrefCreate)(void **p);
    int (*PrefDestroy)(void *p);
    int (*PrefSet)(void *p, int attr, const void *buf, size_t n);
    int (*Heuristic)(void *h, void *desc, void *a, void *b, void *c, void *d, void *pref, int want,
                     struct lt_heur_ *out, int *got);
    int (*Matmul)(void *h, void *desc, const void *alpha, const void *A, void *Ad, const void *B, void *Bd,
                  const void *beta, const void *C, void *Cd, void *D, void *Dd, const void *algo, void *ws,
                  size_t ws_bytes, void *stream);
};

/* NVML, as nvml.h declares it */
enum { NVML_CLOCK_SM = 1, NVML_CLOCK_MEM = 2 };
struct nvml_ {
    void *lib;
    int (*Init)(void);
    int (*Shutdown)(void);
    int (*ByPci)(const char *bus, void **dev);
    int (*ByIndex)(unsigned i, void **dev);
    int (*Energy)(void *dev, unsigned long long *mj);
    int (*Power)(void *dev, unsigned *mw);
    int (*Clock)(void *dev, int type, unsigned *mhz);
    int (*PowerLimit)(void *dev, unsigned *mw);
    int (*DriverVersion)(char *v, unsigned n);
    void *dev;
};

static void *sym_(void *lib, const char *name, int *missing)
{
    void *p = dlsym(lib, name);
    if (!p)
        *missing = 1;
    return p;
}

#define LOAD_(L, field, name) memcpy(&(L)->field, (void *[]){sym_((L)->lib, name, &missing)}, sizeof(void *))

static void *open_first_(const char *env, const char *const *names, char *which, size_t n)
{
    const char *e = getenv(env);
    if (e && *e) {
        snprintf(which, n, "%s", e);
        return dlopen(e, RTLD_NOW | RTLD_LOCAL);
    }
    for (int i = 0; names[i]; i++) {
        void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (h) {
            snprintf(which, n, "%s", names[i]);
            return h;
        }
    }
    snprintf(which, n, "%s", names[0]);
    return NULL;
}

static int lt_open_(struct lt_ *lt)
{
    static const char *const names[] = {"libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so",
                                        "/usr/local/cuda/lib64/libcublasLt.so", NULL};
    char which[512];
    memset(lt, 0, sizeof *lt);
    lt->lib = open_first_("ARCLIGHT_LIBCUBLASLT", names, which, sizeof which);
    if (!lt->lib)
        return arc_errorf(ARC_EUNSUPPORTED, "calibrate: cuBLASLt not found (%s; set ARCLIGHT_LIBCUBLASLT to its path)", which);
    int missing = 0;
    LOAD_(lt, Create, "cublasLtCreate");
    LOAD_(lt, Destroy, "cublasLtDestroy");
    LOAD_(lt, GetVersion, "cublasLtGetVersion");
    LOAD_(lt, DescCreate, "cublasLtMatmulDescCreate");
    LOAD_(lt, DescDestroy, "cublasLtMatmulDescDestroy");
    LOAD_(lt, DescSet, "cublasLtMatmulDescSetAttribute");
    LOAD_(lt, LayoutCreate, "cublasLtMatrixLayoutCreate");
    LOAD_(lt, LayoutDestroy, "cublasLtMatrixLayoutDestroy");
    LOAD_(lt, PrefCreate, "cublasLtMatmulPreferenceCreate");
    LOAD_(lt, PrefDestroy, "cublasLtMatmulPreferenceDestroy");
    LOAD_(lt, PrefSet, "cublasLtMatmulPreferenceSetAttribute");
    LOAD_(lt, Heuristic, "cublasLtMatmulAlgoGetHeuristic");
    LOAD_(lt, Matmul, "cublasLtMatmul");
    if (missing)
        return arc_errorf(ARC_EUNSUPPORTED, "calibrate: %s lacks a cuBLASLt entry point: expected cuBLASLt 12 or later", which);
    return ARC_OK;
}

static int nvml_open_(struct nvml_ *nv, const char *pci)
{
    static const char *const names[] = {"libnvidia-ml.so.1", NULL};
    char which[512];
    memset(nv, 0, sizeof *nv);
    nv->lib = open_first_("ARCLIGHT_LIBNVML", names, which, sizeof which);
    if (!nv->lib)
        return arc_errorf(ARC_EUNSUPPORTED, "calibrate: NVML not found (%s): board energy cannot be measured", which);
    int missing = 0;
    LOAD_(nv, Init, "nvmlInit_v2");
    LOAD_(nv, Shutdown, "nvmlShutdown");
    LOAD_(nv, ByPci, "nvmlDeviceGetHandleByPciBusId_v2");
    LOAD_(nv, ByIndex, "nvmlDeviceGetHandleByIndex_v2");
    LOAD_(nv, Energy, "nvmlDeviceGetTotalEnergyConsumption");
    LOAD_(nv, Power, "nvmlDeviceGetPowerUsage");
    LOAD_(nv, Clock, "nvmlDeviceGetClockInfo");
    LOAD_(nv, PowerLimit, "nvmlDeviceGetEnforcedPowerLimit");
    LOAD_(nv, DriverVersion, "nvmlSystemGetDriverVersion");
    if (missing)
        return arc_errorf(ARC_EUNSUPPORTED, "calibrate: %s lacks an NVML entry point (energy counter, power, clocks)", which);
    int r = nv->Init();
    if (r)
        return arc_errorf(ARC_EUNSUPPORTED, "calibrate: nvmlInit failed (NVML error %d)", r);
    if (nv->ByPci(pci, &nv->dev) && nv->ByIndex(0, &nv->dev))
        return arc_errorf(ARC_EUNSUPPORTED, "calibrate: NVML does not see the GPU at %s", pci);
    unsigned long long mj;
    if ((r = nv->Energy(nv->dev, &mj)))
        return arc_errorf(ARC_EUNSUPPORTED, "calibrate: this GPU has no NVML energy counter (NVML error %d)", r);
    return ARC_OK;
}

/* ---- device helpers, built with nvcc ---- */

static const char kernels_src_[] =
    "/* arclight calibrate: fills, the elementwise kernel and the empty kernel */\n"
    "#include <cuda_bf16.h>\n"
    "__device__ __forceinline__ unsigned long long arc_h(unsigned long long i, unsigned long long seed) {\n"
    "    unsigned long long z = i + seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;\n"
    "    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;\n"
    "    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;\n"
    "    return z ^ (z >> 31);\n"
    "}\n"
    "/* bf16 uniform in [-1, 1) */\n"
    "extern \"C\" __global__ void arc_fill_bf16(unsigned short *p, unsigned long long n, unsigned long long seed) {\n"
    "    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;\n"
    "         i += (unsigned long long)gridDim.x * blockDim.x)\n"
    "        p[i] = __bfloat16_as_ushort(__float2bfloat16_rn((float)(arc_h(i, seed) >> 40) * (2.0f / 16777216.0f) - 1.0f));\n"
    "}\n"
    "/* fp8 e4m3 of magnitude below 1 with a random sign: exponent field 0..6, never NaN */\n"
    "extern \"C\" __global__ void arc_fill_fp8(unsigned char *p, unsigned long long n, unsigned long long seed) {\n"
    "    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;\n"
    "         i += (unsigned long long)gridDim.x * blockDim.x) {\n"
    "        unsigned long long z = arc_h(i, seed);\n"
    "        p[i] = (unsigned char)(((z >> 8) & 0x80) | ((((z >> 16) & 0xff) % 7) << 3) | (z & 7));\n"
    "    }\n"
    "}\n"
    "/* y = a x + b over bf16, 8 elements (16 bytes) per thread per step, as PyTorch vectorizes */\n"
    "extern \"C\" __global__ void arc_axpb(const uint4 *x, uint4 *y, unsigned long long n8, float a, float b) {\n"
    "    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n8;\n"
    "         i += (unsigned long long)gridDim.x * blockDim.x) {\n"
    "        uint4 v = x[i];\n"
    "        __nv_bfloat162 *h = (__nv_bfloat162 *)&v;\n"
    "        __nv_bfloat162 a2 = __floats2bfloat162_rn(a, a), b2 = __floats2bfloat162_rn(b, b);\n"
    "        for (int j = 0; j < 4; j++) h[j] = __hfma2(h[j], a2, b2);\n"
    "        y[i] = v;\n"
    "    }\n"
    "}\n"
    "extern \"C\" __global__ void arc_empty(void) {}\n";

#define WARM_REPLAYS_ 2
#define REPLAYS_ 15
#define REPLAY_TARGET_S_ 0.3e-3 /* kernels per graph: about this much work per replay */
#define MAX_PER_GRAPH_ 100
#define ENERGY_WARM_S_ 0.25
#define ENERGY_WINDOW_S_ 1.0

/* A point whose board energy is measured in the last pass, after every timing: an energy window is
 * a second or more of sustained load, and the GEMMs timed just after one ran 2-4% slower on average
 * (bench/RESULTS.md), so no timing follows one. */
struct deferred_ {
    int gemm, fp8, copy;  /* a GEMM (fp8 or bf16), or a copy / the elementwise kernel */
    long long m, n, k;
    double bytes;
    cJSON *point;         /* the point's object in run_.points, timed already */
};

struct run_ {
    const struct arc_calib_run_opts *o;
    struct arc_cudrv drv;
    struct lt_ lt;
    struct nvml_ nv;
    struct arc_hw hw;
    int dev, sms;
    double l2_bytes;
    arc_cu_handle ctx, stream, mod, fill_bf16, fill_fp8, axpb, empty;
    void *lth;
    arc_cu_ptr pool[3], ws; /* weights, activations, outputs; the cuBLASLt workspace */
    size_t pool_bytes[3], ws_bytes;
    arc_cu_handle ev[2 * (REPLAYS_ + WARM_REPLAYS_)];
    char dir[512], nvcc[1024], arch[96];
    char gpu[128], nvcc_version[96], torch[64], attention_note[400];
    int cuda_version;
    /* the sampler thread: clocks seen and power, every 20 ms */
    pthread_t sampler;
    pthread_mutex_t lock;
    int stop, sampling;
    unsigned sm_min, sm_max, mem_max;
    /* results */
    cJSON *points;
    struct deferred_ *def; /* points whose energy the last pass measures */
    int n_def, cap_def;
    int done, total;
    double idle_w, t0_s, stream_s;
};

#define CK_(r, call, what) ARC_CU_CK(&(r)->drv, (call), (what))

static double now_s_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *sample_(void *arg)
{
    struct run_ *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        int stop = r->stop, on = r->sampling;
        pthread_mutex_unlock(&r->lock);
        if (stop)
            return NULL;
        unsigned sm = 0, mem = 0;
        if (on && r->nv.Clock(r->nv.dev, NVML_CLOCK_SM, &sm) == 0 && r->nv.Clock(r->nv.dev, NVML_CLOCK_MEM, &mem) == 0) {
            pthread_mutex_lock(&r->lock);
            if (sm && (!r->sm_min || sm < r->sm_min))
                r->sm_min = sm;
            if (sm > r->sm_max)
                r->sm_max = sm;
            if (mem > r->mem_max)
                r->mem_max = mem;
            pthread_mutex_unlock(&r->lock);
        }
        usleep(20000);
    }
}

static void sampling_(struct run_ *r, int on)
{
    pthread_mutex_lock(&r->lock);
    r->sampling = on;
    pthread_mutex_unlock(&r->lock);
}

static int progress_(struct run_ *r, const char *what)
{
    if (r->o->progress)
        r->o->progress(r->o->ctx, r->done, r->total, what);
    return ARC_OK;
}

static int fill_(struct run_ *r, arc_cu_handle fn, arc_cu_ptr p, size_t n, unsigned long long seed)
{
    void *args[] = {&p, &n, &seed};
    CK_(r, r->drv.LaunchKernel(fn, (unsigned)(r->sms * 8), 1, 1, 256, 1, 1, 0, r->stream, args, NULL), "fill kernel");
    return ARC_OK;
}

/* ---- timing one kernel ---- */

/* launches one kernel of the shape; i picks the input set */
typedef int (*launch_fn)(struct run_ *r, const void *shape, int i);

struct timing_ {
    double med_s, min_s, max_s; /* per kernel */
    int reps;
    double sm_mhz;              /* SM clock read as the timed replays start and as they end, the mean; 0: none */
    double energy_j, power_w;   /* per kernel, board; < 0 when not measured */
};

static int cmp_d_(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int replay_(struct run_ *r, arc_cu_handle exec, int n)
{
    for (int i = 0; i < n; i++)
        CK_(r, r->drv.GraphLaunch(exec, r->stream), "cuGraphLaunch");
    return ARC_OK;
}

/* times a kernel: an estimate from one launch, then N per graph, replayed; energy when asked */
static int time_kernel_(struct run_ *r, launch_fn launch, const void *shape, int sets, int energy, struct timing_ *t)
{
    memset(t, 0, sizeof *t);
    t->energy_j = t->power_w = -1;
    int st;
    float ms = 0;
    /* estimate */
    if ((st = launch(r, shape, 0)) < 0)
        return st;
    CK_(r, r->drv.EventRecord(r->ev[0], r->stream), "cuEventRecord");
    if ((st = launch(r, shape, 1 % sets)) < 0)
        return st;
    CK_(r, r->drv.EventRecord(r->ev[1], r->stream), "cuEventRecord");
    CK_(r, r->drv.EventSynchronize(r->ev[1]), "the first run of a kernel");
    CK_(r, r->drv.EventElapsedTime(&ms, r->ev[0], r->ev[1]), "cuEventElapsedTime");
    double est = ms * 1e-3;
    int n = (int)ceil(REPLAY_TARGET_S_ / (est > 1e-7 ? est : 1e-7));
    if (n < 1)
        n = 1;
    if (n > MAX_PER_GRAPH_)
        n = MAX_PER_GRAPH_;
    if (n < sets && sets <= MAX_PER_GRAPH_)
        n = sets;
    /* the graph */
    arc_cu_handle graph = NULL, exec = NULL;
    CK_(r, r->drv.StreamBeginCapture(r->stream, ARC_CU_CAPTURE_GLOBAL), "cuStreamBeginCapture");
    for (int i = 0; i < n && st >= 0; i++)
        st = launch(r, shape, i % sets);
    int st2 = arc_cudrv_check(&r->drv, r->drv.StreamEndCapture(r->stream, &graph), "cuStreamEndCapture");
    if (st >= 0)
        st = st2;
    if (st >= 0)
        st = arc_cudrv_check(&r->drv, r->drv.GraphInstantiate(&exec, graph, 0), "cuGraphInstantiate");
    if (st >= 0)
        st = replay_(r, exec, WARM_REPLAYS_);
    int reps = REPLAYS_;
    double per[REPLAYS_];
    for (int i = 0; i < reps && st >= 0; i++) {
        st = arc_cudrv_check(&r->drv, r->drv.EventRecord(r->ev[2 * i], r->stream), "cuEventRecord");
        if (st >= 0)
            st = replay_(r, exec, 1);
        if (st >= 0)
            st = arc_cudrv_check(&r->drv, r->drv.EventRecord(r->ev[2 * i + 1], r->stream), "cuEventRecord");
    }
    /* the SM clock while they run (NVML, instantaneous): once they are queued, once they are done */
    unsigned clk0 = 0, clk1 = 0;
    if (st >= 0 && r->nv.Clock(r->nv.dev, NVML_CLOCK_SM, &clk0))
        clk0 = 0;
    if (st >= 0)
        st = arc_cudrv_check(&r->drv, r->drv.StreamSynchronize(r->stream), "timed replays");
    if (st >= 0 && r->nv.Clock(r->nv.dev, NVML_CLOCK_SM, &clk1))
        clk1 = 0;
    t->sm_mhz = clk0 && clk1 ? 0.5 * (clk0 + clk1) : 0;
    for (int i = 0; i < reps && st >= 0; i++) {
        st = arc_cudrv_check(&r->drv, r->drv.EventElapsedTime(&ms, r->ev[2 * i], r->ev[2 * i + 1]), "cuEventElapsedTime");
        per[i] = ms * 1e-3 / n;
    }
    if (st >= 0) {
        qsort(per, (size_t)reps, sizeof *per, cmp_d_);
        t->med_s = per[reps / 2];
        t->min_s = per[0];
        t->max_s = per[reps - 1];
        t->reps = reps;
    }
    if (st >= 0 && energy) {
        double replay_s = t->med_s * n;
        int batch = (int)ceil(0.05 / replay_s); /* about 50 ms of replays between host checks */
        if (batch < 1)
            batch = 1;
        double t_start = now_s_();
        while (st >= 0 && now_s_() - t_start < ENERGY_WARM_S_) {
            st = replay_(r, exec, batch);
            if (st >= 0)
                st = arc_cudrv_check(&r->drv, r->drv.StreamSynchronize(r->stream), "energy warm-up");
        }
        unsigned long long e0 = 0, e1 = 0;
        long long kernels = 0;
        double w0 = now_s_(), w1 = w0;
        if (st >= 0 && r->nv.Energy(r->nv.dev, &e0))
            st = arc_errorf(ARC_ETOOL, "calibrate: reading the NVML energy counter failed");
        while (st >= 0 && (w1 = now_s_()) - w0 < ENERGY_WINDOW_S_) {
            st = replay_(r, exec, batch);
            if (st >= 0)
                st = arc_cudrv_check(&r->drv, r->drv.StreamSynchronize(r->stream), "energy window");
            kernels += (long long)batch * n;
        }
        w1 = now_s_();
        if (st >= 0 && r->nv.Energy(r->nv.dev, &e1))
            st = arc_errorf(ARC_ETOOL, "calibrate: reading the NVML energy counter failed");
        if (st >= 0 && e1 > e0 && kernels > 0) {
            t->energy_j = (double)(e1 - e0) * 1e-3 / (double)kernels;
            t->power_w = (double)(e1 - e0) * 1e-3 / (w1 - w0);
        }
    }
    if (exec)
        r->drv.GraphExecDestroy(exec);
    if (graph)
        r->drv.GraphDestroy(graph);
    return st;
}

/* input sets rotated so the shape's bytes do not sit in L2: about 3 x L2, within the pools */
static int sets_(const struct run_ *r, const size_t *bytes3)
{
    size_t all = bytes3[0] + bytes3[1] + bytes3[2];
    int sets = all > 0 ? (int)ceil(3 * r->l2_bytes / (double)all) : 1;
    if (sets < 1)
        sets = 1;
    if (sets > 64)
        sets = 64;
    for (int p = 0; p < 3; p++)
        while (sets > 1 && bytes3[p] > 0 && (size_t)sets * bytes3[p] > r->pool_bytes[p])
            sets--;
    return sets;
}

static cJSON *point_(struct run_ *r, const char *kind)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "kind", kind);
    cJSON_AddItemToArray(r->points, p);
    return p;
}

static void times_(cJSON *p, const struct timing_ *t)
{
    cJSON_AddNumberToObject(p, "time_s", t->med_s);
    cJSON_AddNumberToObject(p, "time_min_s", t->min_s);
    cJSON_AddNumberToObject(p, "time_max_s", t->max_s);
    cJSON_AddNumberToObject(p, "reps", t->reps);
    if (t->sm_mhz > 0)
        cJSON_AddNumberToObject(p, "sm_clock_mhz", t->sm_mhz);
}

/* ---- GEMMs ---- */

struct gemm_ {
    int fp8;
    long long m, n, k;
    void *desc, *a, *b, *c;
    uint64_t algo[8];
    size_t a_bytes, b_bytes, c_bytes;
};

static int gemm_launch_(struct run_ *r, const void *shape, int i)
{
    const struct gemm_ *g = shape;
    static const float one = 1, zero = 0;
    arc_cu_ptr A = r->pool[0] + (arc_cu_ptr)i * g->a_bytes, B = r->pool[1] + (arc_cu_ptr)i * g->b_bytes,
               D = r->pool[2] + (arc_cu_ptr)i * g->c_bytes;
    int s = r->lt.Matmul(r->lth, g->desc, &one, (void *)(uintptr_t)A, g->a, (void *)(uintptr_t)B, g->b, &zero,
                         (void *)(uintptr_t)D, g->c, (void *)(uintptr_t)D, g->c, g->algo, (void *)(uintptr_t)r->ws,
                         r->ws_bytes, r->stream);
    if (s)
        return arc_errorf(ARC_ETOOL, "calibrate: cublasLtMatmul %s m %lld n %lld k %lld failed (cuBLAS status %d)",
                          g->fp8 ? "fp8" : "bf16", g->m, g->n, g->k, s);
    return ARC_OK;
}

static void gemm_free_(struct run_ *r, struct gemm_ *g)
{
    if (g->desc)
        r->lt.DescDestroy(g->desc);
    if (g->a)
        r->lt.LayoutDestroy(g->a);
    if (g->b)
        r->lt.LayoutDestroy(g->b);
    if (g->c)
        r->lt.LayoutDestroy(g->c);
}

static void defer_(struct run_ *r, struct deferred_ d)
{
    if (r->n_def == r->cap_def) {
        r->cap_def = r->cap_def ? 2 * r->cap_def : 64;
        r->def = arc_xrealloc(r->def, (size_t)r->cap_def * sizeof *r->def);
    }
    r->def[r->n_def++] = d;
}

/* a point about to be deleted from run_.points leaves the energy pass too */
static void undefer_(struct run_ *r, const cJSON *point)
{
    for (int i = 0; i < r->n_def; i++)
        if (r->def[i].point == point)
            r->def[i--] = r->def[--r->n_def];
}

static void energy_(cJSON *p, const struct timing_ *t)
{
    if (t->energy_j > 0) {
        cJSON_AddNumberToObject(p, "energy_j", t->energy_j);
        cJSON_AddNumberToObject(p, "power_w", t->power_w);
    }
}

/* D (m x n, row-major) = X (m x k) W^T, W (n x k) as a linear layer holds it: cuBLASLt's TN.
 * energy_of NULL: times the shape and adds its point (defer: its energy later, in the energy pass);
 * else measures the energy of that point, timed already. */
static int gemm_(struct run_ *r, int fp8, long long m, long long n, long long k, int defer, cJSON *energy_of)
{
    struct gemm_ g = {.fp8 = fp8, .m = m, .n = n, .k = k};
    int es = fp8 ? 1 : 2, in = fp8 ? LT_R_8F_E4M3 : LT_R_16BF;
    g.a_bytes = (size_t)(n * k * es), g.b_bytes = (size_t)(m * k * es), g.c_bytes = (size_t)(m * n * 2);
    /* 256-byte aligned sets */
    g.a_bytes = (g.a_bytes + 255) & ~(size_t)255, g.b_bytes = (g.b_bytes + 255) & ~(size_t)255,
    g.c_bytes = (g.c_bytes + 255) & ~(size_t)255;
    int ta = LT_OP_T, tb = LT_OP_N, s = 0, got = 0;
    void *pref = NULL;
    struct lt_heur_ h;
    memset(&h, 0, sizeof h);
    uint64_t wsb = r->ws_bytes;
    if ((s = r->lt.DescCreate(&g.desc, LT_COMPUTE_32F, LT_R_32F)) || (s = r->lt.DescSet(g.desc, LT_DESC_TRANSA, &ta, sizeof ta)) ||
        (s = r->lt.DescSet(g.desc, LT_DESC_TRANSB, &tb, sizeof tb)) ||
        (s = r->lt.LayoutCreate(&g.a, in, (uint64_t)k, (uint64_t)n, k)) ||
        (s = r->lt.LayoutCreate(&g.b, in, (uint64_t)k, (uint64_t)m, k)) ||
        (s = r->lt.LayoutCreate(&g.c, LT_R_16BF, (uint64_t)n, (uint64_t)m, n)) || (s = r->lt.PrefCreate(&pref)) ||
        (s = r->lt.PrefSet(pref, LT_PREF_MAX_WORKSPACE, &wsb, sizeof wsb)))
        goto fail;
    s = r->lt.Heuristic(r->lth, g.desc, g.a, g.b, g.c, g.c, pref, 1, &h, &got);
    r->lt.PrefDestroy(pref);
    if (s || got < 1) {
        gemm_free_(r, &g);
        return 0; /* no algorithm for the shape: left out, the caller keeps the grid whole */
    }
    memcpy(g.algo, h.algo, sizeof g.algo);
    size_t b3[3] = {g.a_bytes, g.b_bytes, g.c_bytes};
    struct timing_ t;
    int st = time_kernel_(r, gemm_launch_, &g, sets_(r, b3), energy_of != NULL, &t);
    gemm_free_(r, &g);
    if (st < 0)
        return st;
    if (energy_of) {
        energy_(energy_of, &t);
        return 1;
    }
    cJSON *p = point_(r, "gemm");
    cJSON_AddStringToObject(p, "dtype", fp8 ? "fp8" : "bf16");
    cJSON_AddNumberToObject(p, "m", (double)m);
    cJSON_AddNumberToObject(p, "n", (double)n);
    cJSON_AddNumberToObject(p, "k", (double)k);
    times_(p, &t);
    if (defer)
        defer_(r, (struct deferred_){.gemm = 1, .fp8 = fp8, .m = m, .n = n, .k = k, .point = p});
    return 1;
fail:
    if (pref)
        r->lt.PrefDestroy(pref);
    gemm_free_(r, &g);
    return arc_errorf(ARC_ETOOL, "calibrate: setting up a cuBLASLt matmul failed (cuBLAS status %d)", s);
}

/* ---- copies and the elementwise kernel ---- */

struct stream_op_ {
    int copy;
    size_t half; /* bytes read (= bytes written) */
};

static int stream_launch_(struct run_ *r, const void *shape, int i)
{
    const struct stream_op_ *s = shape;
    size_t slot = (s->half + 255) & ~(size_t)255;
    arc_cu_ptr src = r->pool[0] + (arc_cu_ptr)i * slot, dst = r->pool[2] + (arc_cu_ptr)i * slot;
    if (s->copy) {
        CK_(r, r->drv.MemcpyDtoDAsync(dst, src, s->half, r->stream), "cuMemcpyDtoDAsync");
        return ARC_OK;
    }
    unsigned long long n8 = s->half / 16;
    float a = 1.0009765625f, b = 0.5f;
    unsigned grid = (unsigned)((n8 + 255) / 256);
    if (grid > (unsigned)r->sms * 32)
        grid = (unsigned)r->sms * 32;
    if (grid < 1)
        grid = 1;
    void *args[] = {&src, &dst, &n8, &a, &b};
    CK_(r, r->drv.LaunchKernel(r->axpb, grid, 1, 1, 256, 1, 1, 0, r->stream, args, NULL), "the elementwise kernel");
    return ARC_OK;
}

/* as gemm_: energy_of NULL times and adds the point (defer: energy later), else measures its energy */
static int stream_(struct run_ *r, int copy, double bytes, int defer, cJSON *energy_of)
{
    struct stream_op_ s = {.copy = copy, .half = ((size_t)(bytes / 2) + 15) & ~(size_t)15};
    size_t b3[3] = {s.half, 0, s.half};
    struct timing_ t;
    int st = time_kernel_(r, stream_launch_, &s, sets_(r, b3), energy_of != NULL, &t);
    if (st < 0)
        return st;
    if (energy_of) {
        energy_(energy_of, &t);
        return 1;
    }
    cJSON *p = point_(r, copy ? "copy" : "elementwise");
    cJSON_AddNumberToObject(p, "bytes", (double)(2 * s.half));
    times_(p, &t);
    if (defer)
        defer_(r, (struct deferred_){.copy = copy, .bytes = bytes, .point = p});
    return 1;
}

static int empty_launch_(struct run_ *r, const void *shape, int i)
{
    (void)shape, (void)i;
    CK_(r, r->drv.LaunchKernel(r->empty, 1, 1, 1, 32, 1, 1, 0, r->stream, NULL, NULL), "the empty kernel");
    return ARC_OK;
}

/* the fixed costs: an empty kernel replayed from a graph, and launched from the host. Measured
 * twice, after the bf16 GEMMs and at the end of the run, each kept at the smaller: the first
 * calibration on a fresh machine measured 0.63-0.76 us (graph) and 4.3 us (host) where later runs
 * on the same machine gave 0.56-0.59 and 3.4-3.5, and a fixed cost is a floor. */
static int launch_costs_(struct run_ *r)
{
    struct timing_ t;
    int st = time_kernel_(r, empty_launch_, NULL, 1, 0, &t);
    if (st < 0)
        return st;
    if (r->t0_s <= 0 || t.med_s < r->t0_s)
        r->t0_s = t.med_s;
    enum { N = 2000 };
    float ms = 0;
    for (int rep = 0; rep < 3; rep++) { /* the last of three: the first pays for warming up */
        CK_(r, r->drv.EventRecord(r->ev[0], r->stream), "cuEventRecord");
        for (int i = 0; i < N; i++)
            if ((st = empty_launch_(r, NULL, 0)) < 0)
                return st;
        CK_(r, r->drv.EventRecord(r->ev[1], r->stream), "cuEventRecord");
        CK_(r, r->drv.EventSynchronize(r->ev[1]), "empty kernels");
        CK_(r, r->drv.EventElapsedTime(&ms, r->ev[0], r->ev[1]), "cuEventElapsedTime");
    }
    if (r->stream_s <= 0 || ms * 1e-3 / N < r->stream_s)
        r->stream_s = ms * 1e-3 / N;
    return ARC_OK;
}

/* ---- shapes of each set ---- */

/* GEMM grids: m doubles up to 64 (memory-bound: time barely moves), then m, n and k step by sqrt 2
 * (2^i and 1.5 x 2^i), because powers of two alone run slower than their neighbours (leading
 * dimensions of 2^i bytes map to fewer memory channels) and would bias every other shape. The
 * holdout's m, n and k are odd multiples of 5 and 7 (x 2^i): off the grid, and common model widths
 * (5120, 14336, ...). */
static const long long grid_m_[] = {1, 2, 4, 8, 16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536,
                                    2048, 3072, 4096, 6144, 8192, 12288, 16384};
static const long long grid_nk_[] = {256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192, 12288, 16384};
static const long long grid_n_extra_[] = {24576, 32768};
static const long long hold_m_[] = {3, 5, 7, 10, 14, 20, 28, 40, 56, 80, 112, 160, 224, 320, 448, 640, 896,
                                    1280, 1792, 2560, 3584, 5120, 7168, 10240, 14336};
static const long long hold_nk_[] = {320, 448, 640, 896, 1280, 1792, 2560, 3584, 5120, 7168, 10240, 14336};
#define N_(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define HOLD_GEMMS_ 200

/* the energy subset of the grid: a coarse sub-grid */
static int gemm_energy_(long long m, long long n, long long k)
{
    return (m == 1 || m == 16 || m == 256 || m == 4096 || m == 16384) && (n == 1024 || n == 8192 || n == 32768) &&
           (k == 1024 || k == 8192);
}

static uint64_t rng_(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int gemms_(struct run_ *r, int fp8)
{
    int st;
    char what[96];
    enum arc_calib_set set = r->o->set;
    if (set == ARC_CALSET_GRID || set == ARC_CALSET_QUICK) {
        /* The grid is timed in a fixed random order. What ran just before a GEMM moves its time (heavy
         * GEMMs one after another run at the power limit, at lower clocks): in m-major order the large
         * shapes were timed after each other and the small ones after small ones, so that state went
         * with the shape into the table. Shuffled, every shape is timed after the same mix the
         * holdout's shapes are. */
        int quick = set == ARC_CALSET_QUICK;
        int nm = quick ? 3 : N_(grid_m_), nnk = quick ? 2 : N_(grid_nk_), nx = quick ? 0 : N_(grid_n_extra_);
        static const long long qm[] = {1, 64, 4096}, qnk[] = {1024, 8192};
        int total = nm * (nnk + nx) * nnk, q = 0;
        long long (*sh)[3] = arc_xcalloc((size_t)total, sizeof *sh);
        for (int a = 0; a < nm; a++)
            for (int b = 0; b < nnk + nx; b++)
                for (int c = 0; c < nnk; c++, q++) {
                    sh[q][0] = quick ? qm[a] : grid_m_[a];
                    sh[q][1] = b < nnk ? (quick ? qnk[b] : grid_nk_[b]) : grid_n_extra_[b - nnk];
                    sh[q][2] = quick ? qnk[c] : grid_nk_[c];
                }
        uint64_t seed = fp8 ? 0x6D8F8u : 0x6DB16u;
        for (int i = total - 1; i > 0; i--) { /* Fisher-Yates */
            int j = (int)(rng_(&seed) % (uint64_t)(i + 1));
            for (int e = 0; e < 3; e++) {
                long long t = sh[i][e];
                sh[i][e] = sh[j][e], sh[j][e] = t;
            }
        }
        int first = cJSON_GetArraySize(r->points), n_bad = 0;
        long long *bad_m = arc_xcalloc((size_t)nm, sizeof *bad_m);
        st = ARC_OK;
        for (int i = 0; i < total && st >= 0; i++) {
            long long m = sh[i][0], n = sh[i][1], k = sh[i][2];
            snprintf(what, sizeof what, "gemm %s m %lld n %lld k %lld", fp8 ? "fp8" : "bf16", m, n, k);
            progress_(r, what);
            int energy = !r->o->no_energy && (quick ? k == qnk[0] : gemm_energy_(m, n, k));
            if ((st = gemm_(r, fp8, m, n, k, energy, NULL)) == 0) {
                int seen = 0;
                for (int b = 0; b < n_bad; b++)
                    seen |= bad_m[b] == m;
                if (!seen)
                    bad_m[n_bad++] = m;
            }
            r->done++;
        }
        /* a shape cuBLASLt has no algorithm for: its whole m row goes, so the grid stays whole */
        for (int i = first; st >= 0 && i < cJSON_GetArraySize(r->points);) {
            cJSON *p = cJSON_GetArrayItem(r->points, i);
            long long m = (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "m"));
            int drop = 0;
            for (int b = 0; b < n_bad; b++)
                drop |= bad_m[b] == m;
            if (drop) {
                undefer_(r, p);
                cJSON_DeleteItemFromArray(r->points, i);
            } else {
                i++;
            }
        }
        free(sh);
        free(bad_m);
        return st < 0 ? st : ARC_OK;
    }
    /* holdout: distinct shapes off the grid, chosen by a fixed seed. Each is timed after a grid shape
     * drawn at random (timed, then dropped): the board then runs the grid's mix of kernels, as it did
     * while the grid was timed. The holdout's GEMMs alone keep it cooler: on the H200 they were timed
     * at a median SM clock of 1950-1965 MHz, the grid's at 1740-1755. */
    uint64_t seed = fp8 ? 0xF8F8u : 0xBF16u, ctx_seed = fp8 ? 0xC7F8u : 0xC716u;
    long long seen[HOLD_GEMMS_][3];
    for (int i = 0; i < HOLD_GEMMS_; i++) {
        long long m, n, k;
        int dup;
        do {
            m = hold_m_[rng_(&seed) % N_(hold_m_)];
            n = hold_nk_[rng_(&seed) % N_(hold_nk_)], k = hold_nk_[rng_(&seed) % N_(hold_nk_)];
            if (i % 4 == 3 && n <= 7168)
                n *= 2; /* wider outputs, as MLP up-projections have */
            dup = 0;
            for (int q = 0; q < i && !dup; q++)
                dup = seen[q][0] == m && seen[q][1] == n && seen[q][2] == k;
        } while (dup);
        seen[i][0] = m, seen[i][1] = n, seen[i][2] = k;
        snprintf(what, sizeof what, "gemm %s m %lld n %lld k %lld", fp8 ? "fp8" : "bf16", m, n, k);
        progress_(r, what);
        int nn = N_(grid_nk_) + N_(grid_n_extra_), cb = (int)(rng_(&ctx_seed) % (uint64_t)nn);
        long long cm = grid_m_[rng_(&ctx_seed) % N_(grid_m_)], ck = grid_nk_[rng_(&ctx_seed) % N_(grid_nk_)];
        long long cn = cb < N_(grid_nk_) ? grid_nk_[cb] : grid_n_extra_[cb - N_(grid_nk_)];
        int before = cJSON_GetArraySize(r->points);
        if ((st = gemm_(r, fp8, cm, cn, ck, 0, NULL)) < 0)
            return st;
        if (cJSON_GetArraySize(r->points) > before) /* the context's own point is not the holdout's */
            cJSON_DeleteItemFromArray(r->points, before);
        if ((st = gemm_(r, fp8, m, n, k, !r->o->no_energy && i % 8 == 0, NULL)) < 0)
            return st;
        r->done++;
    }
    return ARC_OK;
}

static int streams_(struct run_ *r)
{
    int st;
    char what[96];
    for (int copy = 1; copy >= 0; copy--)
        for (int e = 13; e <= 32; e++) {
            double bytes;
            int energy;
            if (r->o->set == ARC_CALSET_HOLDOUT) {
                if (e == 32)
                    continue;
                bytes = ldexp(e % 2 ? 1.5 : 1.25, e); /* between the grid's powers of two */
                energy = e >= 22 && e % 3 == 0;
            } else {
                if (r->o->set == ARC_CALSET_QUICK && e % 6)
                    continue;
                bytes = ldexp(1, e);
                energy = e >= 20 && e % 2 == 0;
            }
            snprintf(what, sizeof what, "%s %.0f bytes", copy ? "copy" : "elementwise", bytes);
            progress_(r, what);
            if ((st = stream_(r, copy, bytes, !r->o->no_energy && energy, NULL)) < 0)
                return st;
            r->done++;
        }
    return ARC_OK;
}

static int fill_pools_(struct run_ *r, int fp8);

/* The energy pass: every deferred point's energy, bf16 GEMMs and the streaming kernels over the
 * bf16 fills, then fp8 GEMMs over the fp8 ones (the pools as when they were timed). */
static int energy_pass_(struct run_ *r)
{
    char what[96];
    for (int fp8 = 0; fp8 <= 1; fp8++) {
        int st = fill_pools_(r, fp8);
        for (int i = 0; i < r->n_def && st >= 0; i++) {
            const struct deferred_ *d = &r->def[i];
            if ((d->gemm && d->fp8 != fp8) || (!d->gemm && fp8))
                continue;
            if (d->gemm)
                snprintf(what, sizeof what, "energy: gemm %s m %lld n %lld k %lld", fp8 ? "fp8" : "bf16", d->m, d->n, d->k);
            else
                snprintf(what, sizeof what, "energy: %s %.0f bytes", d->copy ? "copy" : "elementwise", d->bytes);
            progress_(r, what);
            st = d->gemm ? gemm_(r, d->fp8, d->m, d->n, d->k, 0, d->point) : stream_(r, d->copy, d->bytes, 0, d->point);
        }
        if (st < 0)
            return st;
    }
    return ARC_OK;
}

/* ---- arclight's lightning kernels, through verify ---- */

static void lightning_visit_(void *ctx, const struct arc_verify_report *rep, const struct arc_verify_row *w)
{
    struct run_ *r = ctx;
    (void)rep;
    if (w->kind != ARC_VERIFY_TIME)
        return;
    struct timing_ t = {.med_s = w->ms_median * 1e-3, .min_s = w->ms_min * 1e-3, .max_s = w->ms_max * 1e-3,
                        .reps = w->reps, .energy_j = -1, .power_w = -1};
    if (w->batch == 1 && w->graph_us > 0) /* B 1: one step from a graph, as the other kernels are timed (the method's text) */
        t.med_s = w->graph_us * 1e-6, t.min_s = w->graph_us_min * 1e-6, t.max_s = w->graph_us_max * 1e-6;
    int prefill = w->kernel == ARC_KERNEL_PREFILL;
    cJSON *p = point_(r, prefill ? "lightning_prefill" : "lightning_decode");
    cJSON_AddNumberToObject(p, "batch", w->batch);
    cJSON_AddNumberToObject(p, "heads", w->heads);
    cJSON_AddNumberToObject(p, "head_dim", w->dim);
    if (prefill)
        cJSON_AddNumberToObject(p, "seq", w->seq);
    times_(p, &t);
    r->done++;
    char what[96];
    snprintf(what, sizeof what, "%s B %d T %d", prefill ? "lightning prefill" : "lightning decode", w->batch, w->seq);
    progress_(r, what);
}

static int lightning_(struct run_ *r)
{
    static const int grid_t[] = {4096, 8192, 16384, 32768, 65536, 131072, 262144},
                     grid_b[] = {1, 2, 4, 8, 16, 32, 64, 128};
    static const int hold_t[] = {6144, 24576, 98304}, hold_b[] = {3, 12, 48, 96};
    static const int quick_t[] = {16384}, quick_b[] = {1};
    int hold = r->o->set == ARC_CALSET_HOLDOUT, quick = r->o->set == ARC_CALSET_QUICK;
    struct arc_verify_opts vo = {.hw = r->o->hw, .bench = 1, .reps = 50, .skip_ptx = 1};
    vo.time_seqs = quick ? quick_t : hold ? hold_t : grid_t;
    vo.n_time_seqs = quick ? 1 : hold ? N_(hold_t) : N_(grid_t);
    vo.time_batches = quick ? quick_b : hold ? hold_b : grid_b;
    vo.n_time_batches = quick ? 1 : hold ? N_(hold_b) : N_(grid_b);
    struct arc_verify_report rep;
    progress_(r, "lightning kernels (arclight verify)");
    int st = arc_verify_gpu(&vo, &rep, lightning_visit_, r);
    if (st >= 0 && rep.failures)
        st = arc_errorf(ARC_ETOOL, "calibrate: %d checks of the generated lightning kernels failed (arclight verify gpu "
                        "shows which)", rep.failures);
    arc_verify_report_free(&rep);
    return st;
}

/* ---- softmax attention and the generic elementwise kernel, through PyTorch ---- */

static const struct arc_builtin *script_(void)
{
    for (const struct arc_builtin *b = arc_builtins; b->path; b++)
        if (strcmp(b->path, "scripts/calib_torch.py") == 0)
            return b;
    return NULL;
}

static int attention_(struct run_ *r)
{
    const struct arc_builtin *sc = script_();
    ARC_ASSERT(sc);
    char spath[600], jobs[600], out[600], log[600];
    snprintf(spath, sizeof spath, "%s/calib_torch.py", r->dir);
    snprintf(jobs, sizeof jobs, "%s/attention_jobs.json", r->dir);
    snprintf(out, sizeof out, "%s/attention_points.json", r->dir);
    snprintf(log, sizeof log, "%s/attention.log", r->dir);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "set", r->o->set == ARC_CALSET_HOLDOUT ? "holdout" : r->o->set == ARC_CALSET_QUICK ? "quick" : "grid");
    cJSON_AddNumberToObject(j, "energy", !r->o->no_energy);
    cJSON_AddNumberToObject(j, "l2_bytes", r->l2_bytes);
    char *text = arc_json_text(j, true, NULL);
    int st = arc_file_write_atomic(spath, sc->data, sc->size);
    if (st >= 0)
        st = arc_file_write_atomic(jobs, text, strlen(text));
    free(text);
    if (st < 0)
        return st;
    const char *py = r->o->python ? r->o->python : getenv("ARCLIGHT_PYTHON");
    if (!py || !*py)
        py = "python3";
    char *argv[] = {(char *)py, spath, jobs, out, NULL};
    progress_(r, "softmax attention (PyTorch SDPA, flash) and elementwise_strided (ATen)");
    if (arc_run_tool(argv, NULL, log) < 0) {
        char *lg = NULL;
        size_t n = 0;
        const char *why = "see its log";
        if (arc_file_read(log, &lg, &n) == ARC_OK && n) {
            char *last = lg + n;
            while (last > lg && (last[-1] == '\n'))
                *--last = '\0';
            char *nl = strrchr(lg, '\n');
            why = nl ? nl + 1 : lg;
        }
        snprintf(r->attention_note, sizeof r->attention_note, "not measured: %s %s failed: %.200s", py, "calib_torch.py", why);
        free(lg);
        return ARC_OK;
    }
    char *res = NULL;
    size_t len = 0;
    if ((st = arc_file_read(out, &res, &len)) < 0)
        return st;
    cJSON *pj = cJSON_Parse(res);
    free(res);
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(pj, "points"), *tv = cJSON_GetObjectItemCaseSensitive(pj, "torch"),
                *note = cJSON_GetObjectItemCaseSensitive(pj, "backend");
    if (!cJSON_IsArray(pts) || !cJSON_IsString(tv) || !cJSON_IsString(note)) {
        cJSON_Delete(pj);
        return arc_errorf(ARC_ETOOL, "calibrate: %s: expected {\"torch\", \"backend\", \"points\"} from calib_torch.py", out);
    }
    snprintf(r->torch, sizeof r->torch, "%s", tv->valuestring);
    snprintf(r->attention_note, sizeof r->attention_note, "PyTorch %s scaled_dot_product_attention, %s", tv->valuestring,
             note->valuestring);
    for (const cJSON *p = pts->child; p; p = p->next) {
        cJSON_AddItemToArray(r->points, cJSON_Duplicate(p, 1));
        r->done++;
    }
    cJSON_Delete(pj);
    return ARC_OK;
}

/* ---- the session ---- */

static int open_(struct run_ *r)
{
    struct arc_cu_gpu gpu;
    int st = arc_cudrv_first_gpu(&r->drv, &gpu);
    if (st < 0)
        return st;
    r->dev = gpu.dev, r->cuda_version = gpu.driver_version, r->sms = gpu.sms, r->l2_bytes = gpu.l2_bytes;
    snprintf(r->gpu, sizeof r->gpu, "%s", gpu.name);
    if (!r->hw.cuda_name[0])
        return arc_errorf(ARC_EINPUT, "%s:cuda_name: missing; expected the CUDA name of the GPU it describes, to check "
                          "the machine against", r->hw.file);
    if (strcmp(r->gpu, r->hw.cuda_name))
        return arc_errorf(ARC_EINPUT, "--hw: this machine's GPU is %s; hardware %s describes %s", r->gpu, r->hw.name,
                          r->hw.cuda_name);
    char pci[64];
    CK_(r, r->drv.DeviceGetPCIBusId(pci, sizeof pci, r->dev), "cuDeviceGetPCIBusId");
    if ((st = nvml_open_(&r->nv, pci)) < 0 || (st = lt_open_(&r->lt)) < 0)
        return st;
    if ((st = arc_cudrv_session(&r->drv, r->dev, &r->ctx, &r->stream)) < 0)
        return st;
    for (int i = 0; i < N_(r->ev); i++)
        CK_(r, r->drv.EventCreate(&r->ev[i], 0), "cuEventCreate");
    if (r->lt.Create(&r->lth))
        return arc_errorf(ARC_ETOOL, "calibrate: cublasLtCreate failed");
    /* the helper kernels */
    snprintf(r->arch, sizeof r->arch, "-gencode=arch=compute_%d%d,code=sm_%d%d", gpu.cc_major, gpu.cc_minor, gpu.cc_major,
             gpu.cc_minor);
    if ((st = arc_cudrv_find_nvcc(r->nvcc, sizeof r->nvcc)) < 0)
        return st;
    const char *tmp = getenv("TMPDIR");
    snprintf(r->dir, sizeof r->dir, "%s/arclight-calibrate-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(r->dir))
        return arc_errorf(ARC_EIO, "calibrate: %s: cannot create a temporary directory", r->dir);
    char src[600], bin[600], log[600];
    snprintf(src, sizeof src, "%s/calib_kernels.cu", r->dir);
    snprintf(bin, sizeof bin, "%s/calib_kernels.cubin", r->dir);
    snprintf(log, sizeof log, "%s/nvcc.log", r->dir);
    char *argv[] = {r->nvcc, "-cubin", "-O3", r->arch, "-o", bin, src, NULL};
    if ((st = arc_file_write_atomic(src, kernels_src_, strlen(kernels_src_))) < 0 || (st = arc_run_tool(argv, NULL, log)) < 0)
        return st;
    char *vargv[] = {r->nvcc, "--version", NULL};
    snprintf(log, sizeof log, "%s/nvcc-version.txt", r->dir);
    char *text = NULL;
    size_t len = 0;
    if (arc_run_tool(vargv, NULL, log) == ARC_OK && arc_file_read(log, &text, &len) == ARC_OK) {
        char *rel = strstr(text, "release ");
        if (rel) {
            rel[strcspn(rel, "\n")] = '\0';
            snprintf(r->nvcc_version, sizeof r->nvcc_version, "%s", rel);
        }
    }
    free(text);
    if ((st = arc_file_read(bin, &text, &len)) < 0)
        return st;
    st = arc_cudrv_check(&r->drv, r->drv.ModuleLoadData(&r->mod, text), "loading the calibration kernels");
    free(text);
    if (st < 0)
        return st;
    CK_(r, r->drv.ModuleGetFunction(&r->fill_bf16, r->mod, "arc_fill_bf16"), "cuModuleGetFunction");
    CK_(r, r->drv.ModuleGetFunction(&r->fill_fp8, r->mod, "arc_fill_fp8"), "cuModuleGetFunction");
    CK_(r, r->drv.ModuleGetFunction(&r->axpb, r->mod, "arc_axpb"), "cuModuleGetFunction");
    CK_(r, r->drv.ModuleGetFunction(&r->empty, r->mod, "arc_empty"), "cuModuleGetFunction");
    /* pools: weights and outputs 2 GiB (a 16384 x 32768 bf16 matrix is 1 GiB; copies of 4 GB move
     * 2 GiB each way), activations 1 GiB; random bf16 in all */
    size_t sizes[3] = {(size_t)2 << 30, (size_t)1 << 30, (size_t)2 << 30};
    for (int p = 0; p < 3; p++) {
        CK_(r, r->drv.MemAlloc(&r->pool[p], sizes[p]), "cuMemAlloc (5 GiB of pools)");
        r->pool_bytes[p] = sizes[p];
    }
    r->ws_bytes = (size_t)32 << 20;
    CK_(r, r->drv.MemAlloc(&r->ws, r->ws_bytes), "cuMemAlloc (the cuBLASLt workspace)");
    return ARC_OK;
}

static int fill_pools_(struct run_ *r, int fp8)
{
    for (int p = 0; p < 3; p++) {
        int st = fp8 && p < 2 ? fill_(r, r->fill_fp8, r->pool[p], r->pool_bytes[p], 77 + (unsigned)p)
                              : fill_(r, r->fill_bf16, r->pool[p], r->pool_bytes[p] / 2, 11 + (unsigned)p);
        if (st < 0)
            return st;
    }
    CK_(r, r->drv.StreamSynchronize(r->stream), "filling the pools");
    return ARC_OK;
}

static void close_(struct run_ *r)
{
    if (r->lth)
        r->lt.Destroy(r->lth);
    if (r->drv.lib) {
        for (int p = 0; p < 3; p++)
            if (r->pool[p])
                r->drv.MemFree(r->pool[p]);
        if (r->ws)
            r->drv.MemFree(r->ws);
        for (int i = 0; i < N_(r->ev); i++)
            if (r->ev[i])
                r->drv.EventDestroy(r->ev[i]);
        if (r->mod)
            r->drv.ModuleUnload(r->mod);
        if (r->stream)
            r->drv.StreamDestroy(r->stream);
        if (r->ctx)
            r->drv.DevicePrimaryCtxRelease(r->dev);
        arc_cudrv_close(&r->drv);
    }
    if (r->nv.lib) {
        if (r->nv.Shutdown)
            r->nv.Shutdown();
        dlclose(r->nv.lib);
    }
    if (r->lt.lib)
        dlclose(r->lt.lib);
    if (r->dir[0]) {
        char *argv[] = {"rm", "-rf", r->dir, NULL};
        arc_run_tool(argv, NULL, "/dev/null");
    }
}

static int idle_(struct run_ *r)
{
    unsigned long long e0, e1;
    double t0 = now_s_();
    if (r->nv.Energy(r->nv.dev, &e0))
        return arc_errorf(ARC_ETOOL, "calibrate: reading the NVML energy counter failed");
    usleep(1500000);
    if (r->nv.Energy(r->nv.dev, &e1))
        return arc_errorf(ARC_ETOOL, "calibrate: reading the NVML energy counter failed");
    r->idle_w = (double)(e1 - e0) * 1e-3 / (now_s_() - t0);
    return ARC_OK;
}

/* The file's text: the header indented, then one point per line, so that a re-run diffs point by
 * point. head is deleted; points is left to the caller. */
static char *calib_text_(cJSON *head, const cJSON *points, size_t *len)
{
    size_t hn;
    char *h = arc_json_text(head, true, &hn); /* ends "}\n" */
    struct arc_buf b = {0};
    arc_buf_printf(&b, "%.*s,\n\t\"points\":\t[", (int)(hn - 2), h);
    free(h);
    const char *sep = "\n";
    for (const cJSON *p = points ? points->child : NULL; p; p = p->next) {
        char *t = cJSON_PrintUnformatted(p);
        if (!t) {
            fputs("arclight: out of memory formatting JSON\n", stderr);
            abort();
        }
        arc_buf_printf(&b, "%s\t\t%s", sep, t);
        free(t);
        sep = ",\n";
    }
    arc_buf_printf(&b, "\n\t]\n}\n");
    *len = b.len;
    return b.data;
}

static int write_(struct run_ *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "arclight_calibration", ARC_CALIB_FORMAT);
    cJSON_AddStringToObject(j, "hw", r->hw.name);
    cJSON_AddStringToObject(j, "set", r->o->set == ARC_CALSET_HOLDOUT ? "holdout" : "grid");
    cJSON *p = cJSON_AddObjectToObject(j, "provenance");
    char buf[128], date[40];
    cJSON_AddStringToObject(p, "gpu", r->gpu);
    r->nv.DriverVersion(buf, sizeof buf);
    cJSON_AddStringToObject(p, "driver", buf);
    snprintf(buf, sizeof buf, "%d.%d", r->cuda_version / 1000, r->cuda_version % 1000 / 10);
    cJSON_AddStringToObject(p, "cuda", buf);
    snprintf(buf, sizeof buf, "%zu", r->lt.GetVersion());
    cJSON_AddStringToObject(p, "cublaslt", buf);
    cJSON_AddStringToObject(p, "nvcc", r->nvcc_version[0] ? r->nvcc_version : "unknown");
    cJSON_AddStringToObject(p, "attention", r->attention_note);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(p, "date", date);
    snprintf(buf, sizeof buf, "%s (%s)", arc_version(), ARC_COMMIT);
    cJSON_AddStringToObject(p, "arclight", buf);
    cJSON_AddStringToObject(p, "command", r->o->command ? r->o->command : "arclight calibrate gpu");
    cJSON_AddNumberToObject(p, "sm_clock_mhz_min", r->sm_min);
    cJSON_AddNumberToObject(p, "sm_clock_mhz_max", r->sm_max);
    cJSON_AddNumberToObject(p, "mem_clock_mhz", r->mem_max);
    unsigned mw = 0;
    r->nv.PowerLimit(r->nv.dev, &mw);
    cJSON_AddNumberToObject(p, "power_limit_w", mw / 1000.0);
    cJSON_AddNumberToObject(p, "sms", r->sms);
    cJSON_AddNumberToObject(p, "l2_bytes", r->l2_bytes);
    cJSON_AddStringToObject(j, "method",
                            "each kernel captured N times in a CUDA graph over input sets rotated past L2, replayed "
                            "after 2 warm-ups; time = median of 15 replays / N; energy = NVML total-energy counter "
                            "over >= 1 s of replays after 0.25 s of warm-up, / kernels run, measured in a last pass after every "
                            "timing (attention: after every attention timing); GEMMs by cublasLtMatmul "
                            "(TN, fp32 accumulate, bf16 out, the heuristic's first algorithm, 32 MiB workspace), "
                            "the grid's and the holdout's each in a fixed random order, each held-out GEMM "
                            "after a random grid GEMM (timed, not kept); "
                            "lightning kernels by arclight verify (median of 50 launches; decode B 1 from a graph); "
                            "attention by PyTorch (see provenance.attention)");
    cJSON *l = cJSON_AddObjectToObject(j, "launch");
    cJSON_AddNumberToObject(l, "graph_kernel_s", r->t0_s);
    cJSON_AddNumberToObject(l, "stream_kernel_s", r->stream_s);
    cJSON_AddNumberToObject(j, "idle_w", r->idle_w);
    cJSON *rf = cJSON_AddObjectToObject(j, "roof");
    cJSON_AddNumberToObject(rf, "bf16_flops_per_s", r->hw.f[ARC_HWF_BF16_PEAK]);
    cJSON_AddNumberToObject(rf, "fp8_flops_per_s", r->hw.f[ARC_HWF_FP8_PEAK] > 0 ? r->hw.f[ARC_HWF_FP8_PEAK] : r->hw.f[ARC_HWF_BF16_PEAK]);
    cJSON_AddNumberToObject(rf, "fp32_flops_per_s", r->hw.f[ARC_HWF_FP32_VECTOR]);
    cJSON_AddNumberToObject(rf, "mem_bw_bytes_per_s", r->hw.f[ARC_HWF_MEM_BW]);
    size_t n;
    char *text = calib_text_(j, r->points, &n);
    int st = arc_file_write_atomic(r->o->out, text, n);
    free(text);
    return st;
}

int arc_calib_run(const struct arc_calib_run_opts *o)
{
    struct run_ *r = arc_xcalloc(1, sizeof *r);
    r->o = o;
    pthread_mutex_init(&r->lock, NULL);
    int st = arc_hw_load(o->hw, &r->hw), sampler = 0;
    if (st >= 0 && r->hw.kind != ARC_HW_GPU)
        st = arc_errorf(ARC_EINPUT, "--hw: %s is not a GPU; calibrate measures GPUs", r->hw.name);
    if (st >= 0 && (st = arc_hw_set_calib(&r->hw, "none")) >= 0)
        st = open_(r);
    if (st >= 0) {
        sampler = pthread_create(&r->sampler, NULL, sample_, r) == 0;
        r->points = cJSON_CreateArray();
        int quick = o->set == ARC_CALSET_QUICK, hold = o->set == ARC_CALSET_HOLDOUT;
        int gemm_n = quick ? 3 * 2 * 2 : hold ? HOLD_GEMMS_ : N_(grid_m_) * (N_(grid_nk_) + N_(grid_n_extra_)) * N_(grid_nk_);
        int torch_n = quick ? 2 + 3 : hold ? 64 + 19 : 188 + 20; /* attention, then elementwise_strided */
        r->total = 2 * gemm_n + 2 * (quick ? 4 : hold ? 19 : 20) + (quick ? 2 : hold ? 7 : 15) + torch_n;
        progress_(r, "idle board power");
        st = idle_(r);
        sampling_(r, 1);
    }
    if (st >= 0 && (st = fill_pools_(r, 0)) >= 0 && (st = gemms_(r, 0)) >= 0 && (st = launch_costs_(r)) >= 0 &&
        (st = streams_(r)) >= 0 && (st = fill_pools_(r, 1)) >= 0)
        st = gemms_(r, 1);
    if (st >= 0)
        st = lightning_(r);
    if (st >= 0)
        st = attention_(r);
    if (st >= 0)
        st = launch_costs_(r);
    if (st >= 0)
        st = energy_pass_(r);
    sampling_(r, 0);
    if (sampler) {
        pthread_mutex_lock(&r->lock);
        r->stop = 1;
        pthread_mutex_unlock(&r->lock);
        pthread_join(r->sampler, NULL);
    }
    if (st >= 0)
        st = write_(r);
    if (r->points)
        cJSON_Delete(r->points);
    free(r->def);
    close_(r);
    pthread_mutex_destroy(&r->lock);
    free(r);
    return st;
}
