/* arclight verify: the generated lightning kernels on an NVIDIA GPU, against the C reference, timed
 * beside the cost engine (verify.h). The driver API comes through codegen/cudadrv.c (dlopen).
 * Not for: printing (callers get rows through a callback), generating code (the back ends). */
#include "arclight/verify.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arclight/engine.h"
#include "arclight/fsutil.h"
#include "arclight/hw.h"
#include "arclight/json.h"
#include "arclight/lightning.h"
#include "arclight/trace.h"
#include "arclight/workload.h"
#include "cuda/cuda.h"
#include "cudadrv.h"

#define GRAPH_STEPS_ 100 /* decode steps captured in one graph */
#define GRAPH_REPS_ 20   /* graph replays timed */
#define GRAPH_MAX_BATCH_ 16 /* decode batches up to this one are also timed from a graph */
#define WARMUP_ 5

/* Random fill on the device, for the timed shapes (several GB would take the host seconds). */
static const char helper_src_[] =
    "/* arclight verify: random inputs on the device; uniform in [-1, 1), a splitmix64 hash of the index */\n"
    "#include <cuda_bf16.h>\n"
    "__device__ __forceinline__ float arc_u(unsigned long long i, unsigned long long seed) {\n"
    "    unsigned long long z = i + seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;\n"
    "    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;\n"
    "    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;\n"
    "    z ^= z >> 31;\n"
    "    return (float)(z >> 40) * (2.0f / 16777216.0f) - 1.0f;\n"
    "}\n"
    "extern \"C\" __global__ void arc_fill_bf16(unsigned short *p, unsigned long long n, unsigned long long seed) {\n"
    "    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;\n"
    "         i += (unsigned long long)gridDim.x * blockDim.x)\n"
    "        p[i] = __bfloat16_as_ushort(__float2bfloat16_rn(arc_u(i, seed)));\n"
    "}\n"
    "extern \"C\" __global__ void arc_fill_f32(float *p, unsigned long long n, unsigned long long seed) {\n"
    "    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;\n"
    "         i += (unsigned long long)gridDim.x * blockDim.x)\n"
    "        p[i] = arc_u(i, seed);\n"
    "}\n";

struct gpu_ {
    struct arc_cudrv drv;
    int dev;
    arc_cu_handle ctx, stream;
    arc_cu_handle helper, fill_bf16, fill_f32;
    char dir[512]; /* generated files */
    int remove_dir;
    char nvcc[1024];
    char arch[96]; /* -gencode=... */
    int sms;
    struct arc_hw hw;
};

struct kern_ {
    char backend[8];
    struct arc_kernel_spec spec;
    arc_cu_handle mod, fn;
    arc_cu_handle fn_narrow; /* cuda decode: lightning_decode_narrow, for small batches */
    struct arc_cuda_target target; /* cuda: the GPU's SMs and the decode entry (options) */
    int abi_geometry;   /* ptx: the ABI's grid, 32 x warps threads, tile_smem bytes */
    unsigned tile_smem;
};

/* one set of a shape's buffers on the device */
struct set_ {
    arc_cu_ptr q, k, v, o, state;
    struct arc_cu_tmap tm[3]; /* wgmma prefill: q, k, v for the TMA, encoded on the set's first launch */
    int tm_T, tm_BH;          /* the shape they were encoded for; 0: none yet */
};

#define CK_(g, call, what) ARC_CU_CK(&(g)->drv, (call), (what))

/* ---- rows ---- */

static struct arc_verify_row *row_add_(struct arc_verify_report *r, enum arc_verify_kind kind, const struct kern_ *k,
                                       int B, int T)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 32;
        r->rows = arc_xrealloc(r->rows, (size_t)r->cap * sizeof *r->rows);
    }
    struct arc_verify_row *w = &r->rows[r->n++];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    snprintf(w->backend, sizeof w->backend, "%s", k->backend);
    w->kernel = k->spec.kernel;
    w->batch = B;
    w->heads = k->spec.heads;
    w->dim = k->spec.dim;
    w->seq = k->spec.kernel == ARC_KERNEL_PREFILL ? T : 1;
    w->chunk = k->spec.chunk;
    w->split = k->spec.split;
    w->warps = k->spec.warps;
    int wg = 0;
    struct arc_cuda_launch l;
    snprintf(w->entry, sizeof w->entry, "%s", k->spec.kernel == ARC_KERNEL_PREFILL ? "lightning_prefill" : "lightning_decode");
    if (k->spec.kernel == ARC_KERNEL_PREFILL && strcmp(k->backend, "cuda") == 0 && arc_cuda_wgmma_chosen(&k->spec, &wg) >= 0) {
        snprintf(w->mma, sizeof w->mma, "%s", wg ? "wgmma" : "sync");
        if (arc_cuda_launch_for(&k->spec, 1, NULL, &l) >= 0)
            w->warps = (int)l.block / 32; /* the wgmma path runs its own two warpgroups */
    }
    if (!k->abi_geometry && arc_cuda_launch_for(&k->spec, B, &k->target, &l) >= 0)
        snprintf(w->entry, sizeof w->entry, "%s", l.entry);
    return w;
}

void arc_verify_report_free(struct arc_verify_report *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}

/* ---- files and tools ---- */

static void remove_tree_(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0)
            remove_tree_(path);
    }
    closedir(d);
    rmdir(dir);
}

/* nvcc -cubin src -o out, its messages in out.log */
static int nvcc_(struct gpu_ *g, const char *src, const char *out)
{
    char log[1100];
    snprintf(log, sizeof log, "%s.log", out);
    char *argv[] = {g->nvcc, "-cubin", "-O3", g->arch, "-o", (char *)out, (char *)src, NULL};
    return arc_run_tool(argv, NULL, log);
}

static int load_cubin_(struct gpu_ *g, const char *path, arc_cu_handle *mod)
{
    char *data = NULL;
    size_t len = 0;
    int st = arc_file_read(path, &data, &len);
    if (st < 0)
        return st;
    st = arc_cudrv_check(&g->drv, g->drv.ModuleLoadData(mod, data), "loading a module (cuModuleLoadData)");
    free(data);
    return st;
}

/* ---- the session ---- */

static int open_(struct gpu_ *g, const struct arc_verify_opts *o, struct arc_verify_report *r)
{
    struct arc_cu_gpu gpu;
    int st = arc_cudrv_first_gpu(&g->drv, &gpu);
    if (st < 0)
        return st;
    g->dev = gpu.dev;
    g->sms = gpu.sms;
    snprintf(r->gpu, sizeof r->gpu, "%s", gpu.name);
    r->driver_version = gpu.driver_version;
    r->cc_major = gpu.cc_major, r->cc_minor = gpu.cc_minor, r->sms = gpu.sms, r->l2_bytes = gpu.l2_bytes;
    if (r->cc_major < 9)
        return arc_errorf(ARC_EUNSUPPORTED, "verify: the generated CUDA kernels need compute capability 9.0 or later "
                                            "(stmatrix, sm_90a); %s is %d.%d", r->gpu, r->cc_major, r->cc_minor);
    if ((st = arc_cudrv_session(&g->drv, g->dev, &g->ctx, &g->stream)) < 0)
        return st;
    if (r->cc_major == 9 && r->cc_minor == 0)
        snprintf(g->arch, sizeof g->arch, "-gencode=arch=compute_90a,code=sm_90a");
    else
        snprintf(g->arch, sizeof g->arch, "-gencode=arch=compute_%d%d,code=sm_%d%d", r->cc_major, r->cc_minor,
                 r->cc_major, r->cc_minor);
    if ((st = arc_cudrv_find_nvcc(g->nvcc, sizeof g->nvcc)) < 0)
        return st;
    if (o->keep_dir) {
        snprintf(g->dir, sizeof g->dir, "%s", o->keep_dir);
        if ((st = arc_mkdirs(g->dir)) < 0)
            return st;
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(g->dir, sizeof g->dir, "%s/arclight-verify-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(g->dir))
            return arc_errorf(ARC_EIO, "verify: %s: cannot create a temporary directory", g->dir);
        g->remove_dir = 1;
    }
    /* nvcc's version, for the record */
    char vlog[600];
    snprintf(vlog, sizeof vlog, "%s/nvcc-version.txt", g->dir);
    char *vargv[] = {g->nvcc, "--version", NULL};
    if ((st = arc_run_tool(vargv, NULL, vlog)) < 0)
        return st;
    char *text = NULL;
    size_t len = 0;
    if (arc_file_read(vlog, &text, &len) == ARC_OK) {
        char *rel = strstr(text, "release ");
        if (rel) {
            rel[strcspn(rel, "\n")] = '\0';
            snprintf(r->nvcc, sizeof r->nvcc, "%s", rel);
        }
        free(text);
    }
    /* the fill kernels */
    char src[600], bin[600];
    snprintf(src, sizeof src, "%s/verify_fill.cu", g->dir);
    snprintf(bin, sizeof bin, "%s/verify_fill.cubin", g->dir);
    if ((st = arc_file_write_atomic(src, helper_src_, strlen(helper_src_))) < 0 || (st = nvcc_(g, src, bin)) < 0 ||
        (st = load_cubin_(g, bin, &g->helper)) < 0)
        return st;
    CK_(g, g->drv.ModuleGetFunction(&g->fill_bf16, g->helper, "arc_fill_bf16"), "cuModuleGetFunction arc_fill_bf16");
    CK_(g, g->drv.ModuleGetFunction(&g->fill_f32, g->helper, "arc_fill_f32"), "cuModuleGetFunction arc_fill_f32");
    return ARC_OK;
}

static void close_(struct gpu_ *g, int ok, struct arc_verify_report *r)
{
    if (g->drv.lib) {
        if (g->stream)
            g->drv.StreamDestroy(g->stream);
        if (g->helper)
            g->drv.ModuleUnload(g->helper);
        if (g->ctx)
            g->drv.DevicePrimaryCtxRelease(g->dev);
        arc_cudrv_close(&g->drv);
    }
    if (g->remove_dir && ok)
        remove_tree_(g->dir);
    else if (g->remove_dir) /* kept after a failure: the kernels and nvcc logs are there */
        snprintf(r->kept_dir, sizeof r->kept_dir, "%s", g->dir);
}

/* ---- kernels ---- */

/* the kernel's spec: the defaults with the options' overrides */
static void spec_(const struct arc_verify_opts *o, enum arc_kernel kk, struct arc_kernel_spec *s)
{
    arc_kernel_spec_defaults(s, kk);
    if (kk == ARC_KERNEL_PREFILL && o->chunk)
        s->chunk = o->chunk;
    if (kk == ARC_KERNEL_PREFILL && o->split)
        s->split = o->split;
    if (kk == ARC_KERNEL_PREFILL && o->warps)
        s->warps = o->warps;
    if (kk == ARC_KERNEL_DECODE && o->decode_warps)
        s->warps = o->decode_warps;
    if (kk == ARC_KERNEL_PREFILL)
        s->mma = o->mma;
}

static int load_cuda_(struct gpu_ *g, const struct arc_verify_opts *o, enum arc_kernel kk, struct kern_ *k)
{
    memset(k, 0, sizeof *k);
    snprintf(k->backend, sizeof k->backend, "cuda");
    spec_(o, kk, &k->spec);
    k->target = (struct arc_cuda_target){.sms = g->sms, .decode_entry = o->decode_entry};
    char dir[600], stamp[128], bin[700];
    snprintf(dir, sizeof dir, "%s/cuda", g->dir);
    snprintf(stamp, sizeof stamp, "arclight gen cuda %s (arclight verify gpu)", arc_kernel_name(kk));
    struct arc_gen_output out;
    int st = arc_gen(&arc_backend_cuda, &k->spec, dir, stamp, &out);
    if (st < 0)
        return st;
    snprintf(bin, sizeof bin, "%s/%s.cubin", dir, arc_kernel_name(kk));
    if ((st = nvcc_(g, out.files[0], bin)) < 0 || (st = load_cubin_(g, bin, &k->mod)) < 0)
        return st;
    const char *fn = kk == ARC_KERNEL_PREFILL ? "lightning_prefill" : "lightning_decode";
    CK_(g, g->drv.ModuleGetFunction(&k->fn, k->mod, fn), "cuModuleGetFunction");
    if (kk == ARC_KERNEL_DECODE)
        CK_(g, g->drv.ModuleGetFunction(&k->fn_narrow, k->mod, "lightning_decode_narrow"), "cuModuleGetFunction");
    struct arc_cuda_launch l;
    if ((st = arc_cuda_launch_for(&k->spec, 1, NULL, &l)) < 0)
        return st;
    if (l.smem_bytes > 48 * 1024)
        CK_(g, g->drv.FuncSetAttribute(k->fn, ARC_CU_FUNC_MAX_DYNAMIC_SMEM, (int)l.smem_bytes),
            "raising the kernel's dynamic shared memory (cuFuncSetAttribute)");
    return ARC_OK;
}

/* The ptx back end (codegen/llvm/), when this build registers one: its PTX text is JIT-compiled by
 * the driver (cuModuleLoadData) and launched with the ABI's geometry, codegen.h: one program per
 * (batch, head, value split) as a block of 32 x warps threads; prefill grid (H x split, B), decode
 * grid (B x H); every tile tensor in dynamic shared memory, each 16-byte aligned. */
static int load_ptx_(struct gpu_ *g, const struct arc_verify_opts *o, const struct arc_backend *be, enum arc_kernel kk,
                     struct kern_ *k)
{
    memset(k, 0, sizeof *k);
    snprintf(k->backend, sizeof k->backend, "ptx");
    spec_(o, kk, &k->spec);
    k->abi_geometry = 1;
    struct arc_ir ir;
    int st = arc_ir_build(&k->spec, &ir);
    if (st < 0)
        return st;
    size_t tiles = 0;
    for (int t = 0; t < ir.nt; t++)
        if (ir.t[t].space == ARC_IR_TILE)
            tiles += ((size_t)arc_ir_dim_size(&k->spec, ir.t[t].rows) * (size_t)arc_ir_dim_size(&k->spec, ir.t[t].cols) *
                          (size_t)arc_dtype_bytes(ir.t[t].dtype) + 15) & ~(size_t)15;
    k->tile_smem = (unsigned)tiles;
    char dir[600], stamp[128];
    snprintf(dir, sizeof dir, "%s/ptx", g->dir);
    snprintf(stamp, sizeof stamp, "arclight gen ptx %s (arclight verify gpu)", arc_kernel_name(kk));
    struct arc_gen_output out = {0};
    const char *ptx = NULL;
    char given[1200];
    if (o->ptx_dir) { /* PTX written elsewhere by `arclight gen ptx` with the same parameters */
        snprintf(given, sizeof given, "%s/%s.ptx", o->ptx_dir,
                 kk == ARC_KERNEL_PREFILL ? "lightning_prefill" : "lightning_decode");
        ptx = given;
    } else {
        if ((st = arc_gen(be, &k->spec, dir, stamp, &out)) < 0)
            return st;
        for (int i = 0; i < out.n; i++) {
            size_t n = strlen(out.files[i]);
            if (n > 4 && strcmp(out.files[i] + n - 4, ".ptx") == 0)
                ptx = out.files[i];
        }
    }
    if (!ptx)
        return arc_errorf(ARC_ETOOL, "verify: the ptx back end wrote no .ptx file");
    char *text = NULL;
    size_t len = 0;
    if ((st = arc_file_read(ptx, &text, &len)) < 0)
        return st;
    st = arc_cudrv_check(&g->drv, g->drv.ModuleLoadData(&k->mod, text), "loading the ptx back end's PTX (cuModuleLoadData)");
    free(text);
    if (st < 0)
        return st;
    CK_(g, g->drv.ModuleGetFunction(&k->fn, k->mod, kk == ARC_KERNEL_PREFILL ? "lightning_prefill" : "lightning_decode"),
        "cuModuleGetFunction (ptx)");
    if (k->tile_smem > 48 * 1024)
        CK_(g, g->drv.FuncSetAttribute(k->fn, ARC_CU_FUNC_MAX_DYNAMIC_SMEM, (int)k->tile_smem), "cuFuncSetAttribute (ptx)");
    return ARC_OK;
}

/* A TMA view of a [B x H][T][D] bf16 tensor in 64 x 64 boxes, 128-byte swizzle (cuda.h, tensor_maps) */
static int tensor_map_(struct gpu_ *g, struct arc_cu_tmap *m, arc_cu_ptr base, int D, int T, int BH)
{
    const unsigned long long dims[3] = {(unsigned long long)D, (unsigned long long)T, (unsigned long long)BH};
    const unsigned long long strides[2] = {2ull * (unsigned long long)D, 2ull * (unsigned long long)D * (unsigned long long)T};
    const unsigned box[3] = {64, 64, 1}, es[3] = {1, 1, 1};
    CK_(g, g->drv.TensorMapEncodeTiled(m, ARC_CU_TMAP_BF16, 3, (void *)(uintptr_t)base, dims, strides, box, es, 0,
                                       ARC_CU_TMAP_SWIZZLE_128B, ARC_CU_TMAP_L2_256B, 0),
        "describing q, k, v for the TMA (cuTensorMapEncodeTiled)");
    return ARC_OK;
}

/* how a kernel launches at batch B: worked out once per shape (arc_cuda_launch_for builds the IR),
 * not between timed launches, where host work would sit between a launch's events */
struct plan_ {
    arc_cu_handle fn;
    unsigned grid[3], block, smem;
    int maps; /* tensor maps the kernel takes (wgmma prefill) */
};

static int plan_(const struct kern_ *k, int B, struct plan_ *p)
{
    const struct arc_kernel_spec *sp = &k->spec;
    memset(p, 0, sizeof *p);
    p->fn = k->fn;
    if (k->abi_geometry) {
        p->block = 32u * (unsigned)sp->warps;
        p->grid[0] = sp->kernel == ARC_KERNEL_PREFILL ? (unsigned)(sp->heads * sp->split) : (unsigned)(B * sp->heads);
        p->grid[1] = sp->kernel == ARC_KERNEL_PREFILL ? (unsigned)B : 1;
        p->grid[2] = 1;
        p->smem = k->tile_smem;
        return ARC_OK;
    }
    struct arc_cuda_launch l;
    int st = arc_cuda_launch_for(sp, B, &k->target, &l);
    if (st < 0)
        return st;
    memcpy(p->grid, l.grid, sizeof p->grid);
    if (strcmp(l.entry, "lightning_decode_narrow") == 0)
        p->fn = k->fn_narrow;
    p->block = l.block;
    p->smem = l.smem_bytes;
    p->maps = l.tensor_maps;
    return ARC_OK;
}

static int launch_(struct gpu_ *g, const struct kern_ *k, const struct plan_ *p, struct set_ *s, arc_cu_ptr slope, int B,
                   int T)
{
    const struct arc_kernel_spec *sp = &k->spec;
    arc_cu_ptr q = s->q, kk = s->k, v = s->v, o = s->o, state = s->state, sl = slope;
    int n = sp->kernel == ARC_KERNEL_PREFILL ? T : B;
    if (p->maps && (s->tm_T != T || s->tm_BH != B * sp->heads)) { /* once per set: not between timed launches */
        const arc_cu_ptr src[3] = {q, kk, v};
        for (int i = 0; i < 3; i++) {
            int st = tensor_map_(g, &s->tm[i], src[i], sp->dim, T, B * sp->heads);
            if (st < 0)
                return st;
        }
        s->tm_T = T;
        s->tm_BH = B * sp->heads;
    }
    void *params[] = {&q, &kk, &v, &o, &state, &sl, &n, &s->tm[0], &s->tm[1], &s->tm[2]};
    CK_(g, g->drv.LaunchKernel(p->fn, p->grid[0], p->grid[1], p->grid[2], p->block, 1, 1, p->smem, g->stream, params, NULL),
        "launching the kernel (cuLaunchKernel)");
    return ARC_OK;
}

/* element counts of one shape: q, k, v, o each; the state */
static void counts_(const struct arc_kernel_spec *s, int B, int T, size_t *nv, size_t *ns)
{
    *nv = (size_t)B * s->heads * (s->kernel == ARC_KERNEL_PREFILL ? (size_t)T : 1) * s->dim;
    *ns = (size_t)B * s->heads * s->dim * s->dim;
}

static int set_alloc_(struct gpu_ *g, const struct arc_kernel_spec *sp, int B, int T, struct set_ *s)
{
    size_t nv, ns;
    counts_(sp, B, T, &nv, &ns);
    memset(s, 0, sizeof *s);
    arc_cu_ptr *p[] = {&s->q, &s->k, &s->v, &s->o};
    for (int i = 0; i < 4; i++)
        CK_(g, g->drv.MemAlloc(p[i], nv * 2), "allocating device memory (cuMemAlloc)");
    CK_(g, g->drv.MemAlloc(&s->state, ns * 4), "allocating device memory (cuMemAlloc)");
    return ARC_OK;
}

static void set_free_(struct gpu_ *g, struct set_ *s)
{
    arc_cu_ptr p[] = {s->q, s->k, s->v, s->o, s->state};
    for (int i = 0; i < 5; i++)
        if (p[i])
            g->drv.MemFree(p[i]);
    memset(s, 0, sizeof *s);
}

static int fill_(struct gpu_ *g, arc_cu_handle fn, arc_cu_ptr p, size_t n, unsigned long long seed)
{
    unsigned long long nn = n;
    void *params[] = {&p, &nn, &seed};
    CK_(g, g->drv.LaunchKernel(fn, 2048, 1, 1, 256, 1, 1, 0, g->stream, params, NULL), "launching the fill kernel");
    return ARC_OK;
}

static int slope_upload_(struct gpu_ *g, int H, arc_cu_ptr *d, float *host)
{
    for (int h = 0; h < H; h++)
        host[h] = (float)arc_lightning_slope(h, H, 0, 1);
    CK_(g, g->drv.MemAlloc(d, (size_t)H * 4), "allocating device memory (cuMemAlloc)");
    CK_(g, g->drv.MemcpyHtoD(*d, host, (size_t)H * 4), "cuMemcpyHtoD");
    return ARC_OK;
}

/* ---- the reference, on every core ---- */

struct ref_job_ {
    const float *q, *k, *v, *state_in; /* state_in: decode only */
    float *o, *state_out;
    const float *slope;
    int BH, H, T, D;
    int next;
    pthread_mutex_t mu;
};

static void *ref_worker_(void *arg)
{
    struct ref_job_ *j = arg;
    const size_t DD = (size_t)j->D * j->D;
    double *S = arc_xmalloc(DD * sizeof *S);
    for (;;) {
        pthread_mutex_lock(&j->mu);
        int bh = j->next++;
        pthread_mutex_unlock(&j->mu);
        if (bh >= j->BH)
            break;
        double lambda = exp(-(double)j->slope[bh % j->H]);
        for (size_t i = 0; i < DD; i++)
            S[i] = j->state_in ? (double)j->state_in[(size_t)bh * DD + i] : 0.0;
        size_t off = (size_t)bh * j->T * j->D;
        arc_lightning_recurrent(j->q + off, j->k + off, j->v + off, j->o + off, j->T, j->D, lambda, S);
        for (size_t i = 0; i < DD; i++)
            j->state_out[(size_t)bh * DD + i] = (float)S[i];
    }
    free(S);
    return NULL;
}

static void reference_(struct ref_job_ *j)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int nth = ncpu < 1 ? 1 : ncpu > 32 ? 32 : (int)ncpu;
    pthread_t th[32];
    pthread_mutex_init(&j->mu, NULL);
    j->next = 0;
    int started = 0;
    for (int i = 0; i < nth; i++)
        if (pthread_create(&th[started], NULL, ref_worker_, j) == 0)
            started++;
    if (!started)
        ref_worker_(j);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&j->mu);
}

static uint64_t rng_next_(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static float rng_unit_(uint64_t *s) { return (float)(rng_next_(s) >> 40) * (2.0f / 16777216.0f) - 1.0f; }

static int is_nan_bf16_(uint16_t b) { return (b & 0x7f80) == 0x7f80 && (b & 0x7f); }

/* One run on fresh random inputs against the reference. */
static int check_(struct gpu_ *g, const struct kern_ *k, int B, int T, uint64_t seed, struct arc_verify_row *row)
{
    const struct arc_kernel_spec *sp = &k->spec;
    const int prefill = sp->kernel == ARC_KERNEL_PREFILL, H = sp->heads, D = sp->dim;
    size_t nv, ns;
    counts_(sp, B, T, &nv, &ns);
    uint16_t *bits[4];
    float *val[3];
    for (int i = 0; i < 4; i++)
        bits[i] = arc_xmalloc(nv * sizeof **bits);
    for (int i = 0; i < 3; i++)
        val[i] = arc_xmalloc(nv * sizeof **val);
    float *o_ref = arc_xmalloc(nv * sizeof *o_ref), *o_got = arc_xmalloc(nv * sizeof *o_got);
    float *s_in = arc_xmalloc(ns * sizeof *s_in), *s_ref = arc_xmalloc(ns * sizeof *s_ref);
    float *s_got = arc_xmalloc(ns * sizeof *s_got), *slope = arc_xmalloc((size_t)H * sizeof *slope);
    uint64_t rs = seed;
    for (int i = 0; i < 3; i++)
        for (size_t e = 0; e < nv; e++) {
            bits[i][e] = arc_bf16_bits(rng_unit_(&rs));
            val[i][e] = arc_bf16_value(bits[i][e]);
        }
    for (size_t e = 0; e < ns; e++)
        s_in[e] = rng_unit_(&rs);
    struct set_ s = {0};
    arc_cu_ptr d_slope = 0;
    int st = set_alloc_(g, sp, B, T, &s);
    if (st >= 0)
        st = slope_upload_(g, H, &d_slope, slope);
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.MemcpyHtoD(s.q, bits[0], nv * 2), "cuMemcpyHtoD");
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.MemcpyHtoD(s.k, bits[1], nv * 2), "cuMemcpyHtoD");
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.MemcpyHtoD(s.v, bits[2], nv * 2), "cuMemcpyHtoD");
    /* poison: NaN in every output, so an element nothing wrote shows */
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.MemsetD16(s.o, 0x7fc1, nv), "cuMemsetD16");
    if (st >= 0)
        st = prefill ? arc_cudrv_check(&g->drv, g->drv.MemsetD32(s.state, 0x7fc00001u, ns), "cuMemsetD32")
                     : arc_cudrv_check(&g->drv, g->drv.MemcpyHtoD(s.state, s_in, ns * 4), "cuMemcpyHtoD");
    /* the copies and the poison above run on the legacy default stream, which the kernel's
     * non-blocking stream does not wait for: finish them before the launch */
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.CtxSynchronize(), "copying the inputs");
    struct plan_ pl;
    if (st >= 0)
        st = plan_(k, B, &pl);
    if (st >= 0)
        st = launch_(g, k, &pl, &s, d_slope, B, T);
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.StreamSynchronize(g->stream), "running the kernel");
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.MemcpyDtoH(bits[3], s.o, nv * 2), "cuMemcpyDtoH");
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.MemcpyDtoH(s_got, s.state, ns * 4), "cuMemcpyDtoH");
    set_free_(g, &s);
    if (d_slope)
        g->drv.MemFree(d_slope);
    if (st >= 0) {
        struct ref_job_ j = {.q = val[0], .k = val[1], .v = val[2], .state_in = prefill ? NULL : s_in,
                             .o = o_ref, .state_out = s_ref, .slope = slope, .BH = B * H, .H = H,
                             .T = prefill ? T : 1, .D = D};
        reference_(&j);
        int64_t bad = 0;
        for (size_t e = 0; e < nv; e++) {
            bad += is_nan_bf16_(bits[3][e]);
            o_got[e] = arc_bf16_value(bits[3][e]);
        }
        for (size_t e = 0; e < ns; e++)
            bad += isnan(s_got[e]) != 0;
        row->unwritten = bad;
        row->err_o = arc_rel_error(o_got, o_ref, (int64_t)nv);
        row->err_state = arc_rel_error(s_got, s_ref, (int64_t)ns);
        row->pass = bad == 0 && row->err_o <= ARC_VERIFY_TOL && row->err_state <= ARC_VERIFY_TOL;
    }
    for (int i = 0; i < 4; i++)
        free(bits[i]);
    for (int i = 0; i < 3; i++)
        free(val[i]);
    free(o_ref);
    free(o_got);
    free(s_in);
    free(s_ref);
    free(s_got);
    free(slope);
    return st;
}

/* ---- timing ---- */

static int cmp_f_(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

static double predict_ms_(const struct arc_hw *hw, const struct arc_kernel_spec *s, int B, int T)
{
    struct arc_op_rec op;
    memset(&op, 0, sizeof op);
    op.op = ARC_OP_LIGHTNING_ATTN;
    op.block = ARC_BLOCK_LIGHTNING_ATTN;
    snprintf(op.name, sizeof op.name, "attn");
    op.batch = B;
    op.heads = s->heads;
    op.head_dim = s->dim;
    const uint64_t bhdd = (uint64_t)B * s->heads * s->dim * s->dim;
    if (s->kernel == ARC_KERNEL_PREFILL) { /* as model/trace_build.c costs a lightning prefill */
        op.dtype = ARC_DTYPE_BF16;
        op.seq_q = op.seq_kv = T;
        op.chunk = s->chunk;
        op.flop = (uint64_t)B * s->heads * arc_lightning_prefill_flop(T, s->chunk, s->dim);
        op.bytes[ARC_MEM_STATE] = bhdd * 4;
        op.bytes[ARC_MEM_ACT] = 4 * (uint64_t)B * T * s->heads * s->dim * 2;
    } else {
        op.dtype = ARC_DTYPE_FP32;
        op.seq_q = op.seq_kv = 1;
        op.flop = 5 * bhdd;
        op.bytes[ARC_MEM_STATE] = 2 * bhdd * 4;
        op.bytes[ARC_MEM_ACT] = 4 * (uint64_t)B * s->heads * s->dim * 2;
    }
    struct arc_op_cost c;
    arc_cost_op(&op, hw, &c);
    return c.time_s * 1e3;
}

static int time_(struct gpu_ *g, const struct kern_ *k, int B, int T, int reps, const struct arc_verify_report *r,
                 struct arc_verify_row *row)
{
    const struct arc_kernel_spec *sp = &k->spec;
    const int prefill = sp->kernel == ARC_KERNEL_PREFILL;
    size_t nv, ns;
    counts_(sp, B, T, &nv, &ns);
    const double set_bytes = (double)nv * 8 + (double)ns * 4;
    int sets = 1;
    if (set_bytes <= r->l2_bytes * 2) /* would sit in L2: rotate over at least 4 x L2 */
        sets = (int)ceil(4 * r->l2_bytes / set_bytes);
    if (sets > 64)
        sets = 64;
    size_t free_b = 0, total_b = 0;
    CK_(g, g->drv.MemGetInfo(&free_b, &total_b), "cuMemGetInfo");
    if (sets * set_bytes > 0.9 * (double)free_b)
        return arc_errorf(ARC_EUNSUPPORTED, "verify: %s B %d T %d needs %.1f GB of device memory; %.1f GB are free",
                          arc_kernel_name(sp->kernel), B, T, sets * set_bytes / 1e9, free_b / 1e9);
    struct set_ *set = arc_xcalloc((size_t)sets, sizeof *set);
    float *slope = arc_xmalloc((size_t)sp->heads * sizeof *slope);
    float *ms = arc_xmalloc((size_t)(reps > GRAPH_REPS_ ? reps : GRAPH_REPS_) * sizeof *ms);
    arc_cu_handle *ev = arc_xcalloc((size_t)2 * reps, sizeof *ev);
    arc_cu_handle graph = NULL, exec = NULL;
    arc_cu_ptr d_slope = 0;
    struct plan_ pl;
    int st = plan_(k, B, &pl);
    if (st >= 0)
        st = slope_upload_(g, sp->heads, &d_slope, slope);
    for (int i = 0; i < sets && st >= 0; i++) {
        st = set_alloc_(g, sp, B, T, &set[i]);
        unsigned long long seed = 1000003ull * (unsigned long long)(i + 1);
        if (st >= 0)
            st = fill_(g, g->fill_bf16, set[i].q, nv, seed + 1);
        if (st >= 0)
            st = fill_(g, g->fill_bf16, set[i].k, nv, seed + 2);
        if (st >= 0)
            st = fill_(g, g->fill_bf16, set[i].v, nv, seed + 3);
        if (st >= 0)
            st = fill_(g, g->fill_f32, set[i].state, ns, seed + 4);
    }
    for (int i = 0; i < (WARMUP_ > sets ? WARMUP_ : sets) && st >= 0; i++) /* every set once: its tensor maps */
        st = launch_(g, k, &pl, &set[i % sets], d_slope, B, T);
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.StreamSynchronize(g->stream), "warm-up runs");
    for (int i = 0; i < 2 * reps && st >= 0; i++)
        st = arc_cudrv_check(&g->drv, g->drv.EventCreate(&ev[i], 0), "cuEventCreate");
    /* back to back: each launch between its own pair of events */
    for (int i = 0; i < reps && st >= 0; i++) {
        st = arc_cudrv_check(&g->drv, g->drv.EventRecord(ev[2 * i], g->stream), "cuEventRecord");
        if (st >= 0)
            st = launch_(g, k, &pl, &set[i % sets], d_slope, B, T);
        if (st >= 0)
            st = arc_cudrv_check(&g->drv, g->drv.EventRecord(ev[2 * i + 1], g->stream), "cuEventRecord");
    }
    if (st >= 0)
        st = arc_cudrv_check(&g->drv, g->drv.StreamSynchronize(g->stream), "timed runs");
    for (int i = 0; i < reps && st >= 0; i++)
        st = arc_cudrv_check(&g->drv, g->drv.EventElapsedTime(&ms[i], ev[2 * i], ev[2 * i + 1]), "cuEventElapsedTime");
    if (st >= 0) {
        qsort(ms, (size_t)reps, sizeof *ms, cmp_f_);
        row->reps = reps;
        row->sets = sets;
        row->ms_median = ms[reps / 2];
        row->ms_min = ms[0];
        row->ms_max = ms[reps - 1];
    }
    /* decode at small batches (B 1 to 16, where a launch costs as much as the step): steps replayed
     * from a CUDA graph, as a server runs them */
    if (st >= 0 && !prefill && B <= GRAPH_MAX_BATCH_) {
        st = arc_cudrv_check(&g->drv, g->drv.StreamBeginCapture(g->stream, ARC_CU_CAPTURE_GLOBAL), "cuStreamBeginCapture");
        for (int i = 0; i < GRAPH_STEPS_ && st >= 0; i++)
            st = launch_(g, k, &pl, &set[i % sets], d_slope, B, T);
        int st2 = arc_cudrv_check(&g->drv, g->drv.StreamEndCapture(g->stream, &graph), "cuStreamEndCapture");
        if (st >= 0)
            st = st2;
        if (st >= 0)
            st = arc_cudrv_check(&g->drv, g->drv.GraphInstantiate(&exec, graph, 0), "cuGraphInstantiate");
        for (int i = 0; i < 2 && st >= 0; i++)
            st = arc_cudrv_check(&g->drv, g->drv.GraphLaunch(exec, g->stream), "cuGraphLaunch");
        for (int i = 0; i < GRAPH_REPS_ && st >= 0; i++) {
            st = arc_cudrv_check(&g->drv, g->drv.EventRecord(ev[0], g->stream), "cuEventRecord");
            if (st >= 0)
                st = arc_cudrv_check(&g->drv, g->drv.GraphLaunch(exec, g->stream), "cuGraphLaunch");
            if (st >= 0)
                st = arc_cudrv_check(&g->drv, g->drv.EventRecord(ev[1], g->stream), "cuEventRecord");
            if (st >= 0)
                st = arc_cudrv_check(&g->drv, g->drv.EventSynchronize(ev[1]), "graph replay");
            if (st >= 0)
                st = arc_cudrv_check(&g->drv, g->drv.EventElapsedTime(&ms[i], ev[0], ev[1]), "cuEventElapsedTime");
        }
        if (st >= 0) {
            qsort(ms, GRAPH_REPS_, sizeof *ms, cmp_f_);
            row->graph_us = ms[GRAPH_REPS_ / 2] * 1e3 / GRAPH_STEPS_;
            row->graph_us_min = ms[0] * 1e3 / GRAPH_STEPS_;
            row->graph_us_max = ms[GRAPH_REPS_ - 1] * 1e3 / GRAPH_STEPS_;
        }
    }
    if (exec)
        g->drv.GraphExecDestroy(exec);
    if (graph)
        g->drv.GraphDestroy(graph);
    for (int i = 0; i < 2 * reps; i++)
        if (ev[i])
            g->drv.EventDestroy(ev[i]);
    for (int i = 0; i < sets; i++)
        set_free_(g, &set[i]);
    if (d_slope)
        g->drv.MemFree(d_slope);
    free(set);
    free(slope);
    free(ms);
    free(ev);
    if (st < 0)
        return st;
    row->flop = prefill ? (double)B * sp->heads * (double)arc_lightning_prefill_flop(T, sp->chunk, sp->dim)
                        : 5.0 * (double)ns;
    row->floor_bytes = (double)nv * 8 + (prefill ? 0.0 : 8.0 * (double)ns);
    row->floor_ms = row->floor_bytes / g->hw.f[ARC_HWF_MEM_COPY_BW] * 1e3;
    row->pred_ms = predict_ms_(&g->hw, sp, B, T);
    return ARC_OK;
}

/* ---- the run ---- */

struct shape_ {
    int B, T;
};
static const struct shape_ check_prefill_[] = {{1, 64}, {2, 1000}, {1, 1}, {1, 4133}};
static const struct shape_ check_decode_[] = {{1, 1}, {3, 1}, {128, 1}};
static const struct shape_ time_prefill_[] = {{1, 16384}, {1, 65536}};
static const struct shape_ time_decode_[] = {{1, 1}, {128, 1}};
static const struct shape_ bench_prefill_[] = {{1, 4096}, {1, 16384}, {1, 65536}, {1, 262144}};
static const struct shape_ bench_decode_[] = {{1, 1}, {32, 1}, {128, 1}};
#define N_(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int run_kernel_(struct gpu_ *g, const struct kern_ *k, const struct arc_verify_opts *o,
                       struct arc_verify_report *r, arc_verify_visit visit, void *ctx, uint64_t *seed)
{
    const int prefill = k->spec.kernel == ARC_KERNEL_PREFILL;
    const struct shape_ *cs = prefill ? check_prefill_ : check_decode_;
    int ncs = prefill ? N_(check_prefill_) : N_(check_decode_);
    /* the cuda decode file's two entries are each checked at every shape, whichever the launch picks */
    const int entries = !prefill && !k->abi_geometry ? 2 : 1;
    for (int e = 0; e < entries; e++) {
        struct kern_ ke = *k;
        if (entries == 2)
            ke.target.decode_entry = e ? ARC_DECODE_NARROW : ARC_DECODE_WIDE;
        for (int i = 0; i < ncs; i++) {
            struct arc_verify_row *row = row_add_(r, ARC_VERIFY_CHECK, &ke, cs[i].B, cs[i].T);
            int st = check_(g, &ke, cs[i].B, cs[i].T, (*seed)++ * 0x51ED27ull + 17, row);
            if (st < 0) {
                r->n--;
                return st;
            }
            r->failures += !row->pass;
            if (visit)
                visit(ctx, r, row);
        }
    }
    const struct shape_ *ts = prefill ? time_prefill_ : time_decode_;
    int nts = o->check_only ? 0 : prefill ? N_(time_prefill_) : N_(time_decode_);
    if (o->bench && !o->check_only && strcmp(k->backend, "cuda") == 0) {
        ts = prefill ? bench_prefill_ : bench_decode_;
        nts = prefill ? N_(bench_prefill_) : N_(bench_decode_);
    }
    struct shape_ custom[16];
    const int *cv = prefill ? o->time_seqs : o->time_batches;
    int ncv = prefill ? o->n_time_seqs : o->n_time_batches;
    if (cv && !o->check_only && strcmp(k->backend, "cuda") == 0) {
        ARC_ASSERT(ncv <= N_(custom));
        for (int i = 0; i < ncv; i++)
            custom[i] = prefill ? (struct shape_){1, cv[i]} : (struct shape_){cv[i], 1};
        ts = custom;
        nts = ncv;
    }
    for (int i = 0; i < nts; i++) {
        struct arc_verify_row *row = row_add_(r, ARC_VERIFY_TIME, k, ts[i].B, ts[i].T);
        int st = time_(g, k, ts[i].B, ts[i].T, o->reps, r, row);
        if (st < 0) {
            r->n--;
            return st;
        }
        if (visit)
            visit(ctx, r, row);
    }
    return ARC_OK;
}

int arc_verify_gpu(const struct arc_verify_opts *o_in, struct arc_verify_report *r, arc_verify_visit visit, void *ctx)
{
    memset(r, 0, sizeof *r);
    struct arc_verify_opts o = *o_in;
    if (!o.kernels)
        o.kernels = 1u << ARC_KERNEL_PREFILL | 1u << ARC_KERNEL_DECODE; /* the kernels a GPU runs */
    if (o.reps < 50)
        o.reps = 50;
    if (!o.hw)
        o.hw = "h200-sxm";
    struct gpu_ *g = arc_xcalloc(1, sizeof *g);
    int st = arc_hw_load(o.hw, &g->hw);
    if (st >= 0 && g->hw.kind != ARC_HW_GPU)
        st = arc_errorf(ARC_EINPUT, "--hw: %s is a %s design; verify predicts GPU times (e.g. h200-sxm)", g->hw.name,
                        arc_hw_kind_name(g->hw.kind));
    if (st < 0) {
        free(g);
        return st;
    }
    for (int kk = 0; kk < ARC_KERNEL_COUNT && st >= 0; kk++) {
        struct arc_kernel_spec s;
        struct arc_cuda_launch l;
        spec_(&o, (enum arc_kernel)kk, &s);
        if (o.kernels & (1u << kk))
            st = arc_cuda_launch_for(&s, 1, NULL, &l);
    }
    if (st < 0) {
        free(g);
        return st;
    }
    snprintf(r->hw, sizeof r->hw, "%s", g->hw.name);
    r->copy_bw_bytes_per_s = g->hw.f[ARC_HWF_MEM_COPY_BW];
    st = open_(g, &o, r);
    uint64_t seed = 1;
    for (int kk = 0; kk < ARC_KERNEL_COUNT && st >= 0; kk++) {
        if (!(o.kernels & (1u << kk)))
            continue;
        struct kern_ k;
        st = load_cuda_(g, &o, (enum arc_kernel)kk, &k);
        if (st >= 0)
            st = run_kernel_(g, &k, &o, r, visit, ctx, &seed);
        if (k.mod)
            g->drv.ModuleUnload(k.mod);
    }
    /* the ptx back end, when this build has one */
    const struct arc_backend *ptx = o.skip_ptx ? NULL : arc_backend_find("ptx");
    if (o.ptx_dir && !o.skip_ptx)
        ptx = &arc_backend_ptx; /* PTX from elsewhere: this build need not lower it */
    if (st >= 0 && !ptx)
        snprintf(r->ptx, sizeof r->ptx, "%s", o.skip_ptx ? "not checked (--backend cuda)"
                                                          : "not in this build (no ptx back end registered): not checked");
    for (int kk = 0; kk < ARC_KERNEL_COUNT && st >= 0 && ptx; kk++) {
        if (!(o.kernels & (1u << kk)))
            continue;
        struct kern_ k;
        int pst = load_ptx_(g, &o, ptx, (enum arc_kernel)kk, &k);
        if (pst < 0) { /* the ptx back end failing is a failed check, not the end of the run */
            snprintf(r->ptx, sizeof r->ptx, "%s", arc_error());
            r->failures++;
        } else {
            st = run_kernel_(g, &k, &o, r, visit, ctx, &seed);
            if (st >= 0 && !r->ptx[0])
                snprintf(r->ptx, sizeof r->ptx, "checked and timed (PTX JIT-compiled by the driver)");
        }
        if (k.mod)
            g->drv.ModuleUnload(k.mod);
    }
    close_(g, st >= 0 && r->failures == 0, r);
    free(g);
    return st;
}

/* ---- JSON ---- */

int arc_verify_report_json(const struct arc_verify_report *r, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *gpu = cJSON_AddObjectToObject(root, "gpu");
    cJSON_AddStringToObject(gpu, "name", r->gpu);
    char cc[16];
    snprintf(cc, sizeof cc, "%d.%d", r->cc_major, r->cc_minor);
    cJSON_AddStringToObject(gpu, "compute_capability", cc);
    cJSON_AddNumberToObject(gpu, "sms", r->sms);
    cJSON_AddNumberToObject(gpu, "l2_bytes", r->l2_bytes);
    char drv[32];
    snprintf(drv, sizeof drv, "%d.%d", r->driver_version / 1000, r->driver_version % 1000 / 10);
    cJSON_AddStringToObject(gpu, "driver_cuda_version", drv);
    cJSON_AddStringToObject(root, "nvcc", r->nvcc);
    cJSON_AddStringToObject(root, "hw", r->hw);
    cJSON_AddNumberToObject(root, "copy_bw_bytes_per_s", r->copy_bw_bytes_per_s);
    cJSON_AddNumberToObject(root, "tolerance", ARC_VERIFY_TOL);
    cJSON_AddNumberToObject(root, "failures", r->failures);
    cJSON_AddStringToObject(root, "ptx", r->ptx);
    cJSON *checks = cJSON_AddArrayToObject(root, "checks"), *times = cJSON_AddArrayToObject(root, "timings");
    for (int i = 0; i < r->n; i++) {
        const struct arc_verify_row *w = &r->rows[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "backend", w->backend);
        cJSON_AddStringToObject(x, "kernel", arc_kernel_name(w->kernel));
        cJSON_AddNumberToObject(x, "B", w->batch);
        cJSON_AddNumberToObject(x, "H", w->heads);
        cJSON_AddNumberToObject(x, "D", w->dim);
        cJSON_AddNumberToObject(x, "T", w->seq);
        cJSON_AddNumberToObject(x, "chunk", w->chunk);
        cJSON_AddNumberToObject(x, "split", w->split);
        cJSON_AddNumberToObject(x, "warps", w->warps);
        if (w->mma[0])
            cJSON_AddStringToObject(x, "mma", w->mma);
        cJSON_AddStringToObject(x, "entry", w->entry);
        if (w->kind == ARC_VERIFY_CHECK) {
            cJSON_AddNumberToObject(x, "rel_err_o", w->err_o);
            cJSON_AddNumberToObject(x, "rel_err_state", w->err_state);
            cJSON_AddNumberToObject(x, "unwritten", (double)w->unwritten);
            cJSON_AddBoolToObject(x, "pass", w->pass);
            cJSON_AddItemToArray(checks, x);
        } else {
            double s = w->ms_median * 1e-3;
            cJSON_AddNumberToObject(x, "reps", w->reps);
            cJSON_AddNumberToObject(x, "input_sets", w->sets);
            cJSON_AddNumberToObject(x, "ms_median", w->ms_median);
            cJSON_AddNumberToObject(x, "ms_min", w->ms_min);
            cJSON_AddNumberToObject(x, "ms_max", w->ms_max);
            if (w->graph_us > 0)
                cJSON_AddNumberToObject(x, "graph_us_per_step", w->graph_us);
            cJSON_AddNumberToObject(x, "flop", w->flop);
            cJSON_AddNumberToObject(x, "tflop_per_s", w->flop / s / 1e12);
            cJSON_AddNumberToObject(x, "floor_bytes", w->floor_bytes);
            cJSON_AddNumberToObject(x, "gb_per_s", w->floor_bytes / s / 1e9);
            cJSON_AddNumberToObject(x, "floor_ms", w->floor_ms);
            cJSON_AddNumberToObject(x, "floor_fraction", w->floor_ms / w->ms_median);
            cJSON_AddNumberToObject(x, "predicted_ms", w->pred_ms);
            cJSON_AddNumberToObject(x, "prediction_error", (w->pred_ms - w->ms_median) / w->ms_median);
            if (w->graph_us > 0)
                cJSON_AddNumberToObject(x, "prediction_error_graph", (w->pred_ms * 1e3 - w->graph_us) / w->graph_us);
            cJSON_AddItemToArray(times, x);
        }
    }
    size_t n;
    char *text = arc_json_text(root, true, &n);
    int st = arc_file_write_atomic(path, text, n);
    free(text);
    return st;
}
