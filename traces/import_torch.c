/* arclight trace import: a PyTorch profiler capture (Kineto's Chrome trace JSON) as a v1 trace.
 *
 * Rows. Every GPU event ("cat" "kernel", "gpu_memcpy", "gpu_memset") is one row, in start order,
 * at layer -1 in block other (a profile does not say which layer launched a kernel). A kernel's
 * CPU op is the cpu_op with the kernel's args."External id" (else the one its correlation's
 * cuda_runtime launch names); when that op records no shapes, the innermost op enclosing it that
 * does. An op's work goes to its longest kernel; its other kernels are rows named NAME_aux with
 * no flop and no bytes (grouped-GEMM set-up, top-k's sort, cub's scan init), so nothing counts
 * twice. A kernel with no CPU op is "unattributed": a row without work, gemm when its kernel
 * name says gemm or nvjet, softmax_attn when it says attention, fmha or flash, else elementwise.
 * An elementwise row whose kernel is ATen's generic elementwise_kernel (operands it could not
 * vectorize: broadcast, strided, mixed dtypes) is elementwise_strided: it runs at a fraction of a
 * vectorized kernel's bandwidth, and the calibration measures it apart.
 * Row names are the aten op's, [a-z0-9_]; past 48 distinct names the rest are "more_ops"
 * (arclight sim folds rows by name into a table of 64).
 *
 * A row's work is what its op's recorded inputs imply (import_torch_ops.c gives every rule).
 * A TensorList's elements (Kineto records their shapes, not their dtype) take the element size
 * one of the op's kernels names (cat's OpaqueType<N>, a foreach functor's T); when none does, the
 * dtype holding the most elements among the known-dtype tensors of the ops kernels ran (integer
 * tensors aside; none: bf16), and the row counts in the summary's lists_assumed.
 * memcpy and memset rows are elementwise with their args "bytes": HtoD writes them, DtoH reads
 * them, DtoD reads and writes them, memset and others write them; m = 1, n = bytes written / 2.
 * Not for: printing (cli/cmd_trace.c) or other profile formats. */
#include "arclight/trace_import.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <cjson/cJSON.h>

#include "arclight/fsutil.h"
#include "arclight/json.h"

#include "import_torch_internal.h"

#define NAMES_MAX_ 48 /* distinct row names (arclight sim's op table holds 64) */
/* ATen's elementwise kernel for operands it cannot vectorize (broadcast, strided, mixed dtypes):
 * at::native::elementwise_kernel<...>, beside vectorized_, unrolled_ and index_elementwise_kernel */
#define GENERIC_KERNEL_ "at::native::elementwise_kernel<"

struct cpu_ {          /* a cpu_op event */
    int ev;            /* index in traceEvents */
    int64_t ext;
    double ts, end, tid;
    const cJSON *e;
};
struct ext_ {          /* a cpu_op's External id, for the lookup */
    int64_t ext;
    int cpu;
};
struct gpu_ {          /* a GPU event */
    int ev, kind;      /* index in traceEvents; 0 kernel, 1 memcpy, 2 memset */
    int64_t ext, corr;
    double ts, dur;
    int op;            /* cpu_ index, or -1 */
    const cJSON *e;
};
struct rt_ {
    int64_t corr, ext;
};

struct imp_ {          /* one import's state */
    const char *path;
    struct cpu_ *cpu;  /* (n_cpu) by thread, start */
    struct ext_ *byext;/* (n_cpu) by External id */
    struct gpu_ *gpu;  /* (n_gpu) by start */
    struct rt_ *rt;    /* (n_rt) launches, by correlation */
    int n_cpu, n_gpu, n_rt, cap_cpu, cap_gpu, cap_rt;
    char names[NAMES_MAX_][ARC_OP_NAME_MAX];
    int n_names;
    struct arc_torch_elem list_elem; /* a TensorList's element when no kernel name gives it */
};

void arc_torch_opts_init(struct arc_torch_opts *o)
{
    memset(o, 0, sizeof *o);
    o->phase = -1;
    o->dtype = -1;
}

static const cJSON *get_(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

static int64_t id_(const cJSON *args, const char *k) /* a non-negative integer id, or -1 */
{
    const cJSON *v = get_(args, k);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 9e15 ? (int64_t)v->valuedouble : -1;
}

/* ---- rows ---- */

static void name_(struct imp_ *im, struct arc_op_rec *o, const char *base, const char *suffix)
{
    char s[ARC_OP_NAME_MAX];
    size_t n = 0, room = sizeof s - 1 - strlen(suffix);
    for (const char *p = base; *p && n < room; p++) {
        char ch = (char)tolower((unsigned char)*p);
        ch = isalnum((unsigned char)ch) ? ch : '_';
        if (ch != '_' || (n && s[n - 1] != '_'))
            s[n++] = ch;
    }
    while (n && s[n - 1] == '_')
        n--;
    snprintf(s + n, sizeof s - n, "%s%s", n ? "" : "op", suffix);
    int i = 0;
    while (i < im->n_names && strcmp(im->names[i], s) != 0)
        i++;
    if (i == im->n_names && im->n_names < NAMES_MAX_)
        snprintf(im->names[im->n_names++], ARC_OP_NAME_MAX, "%s", s);
    snprintf(o->name, sizeof o->name, "%s", i < NAMES_MAX_ ? s : "more_ops");
}

static void copy_row_(struct imp_ *im, const struct gpu_ *g, struct arc_op_rec *o)
{
    const cJSON *nm = get_(g->e, "name");
    const char *n = cJSON_IsString(nm) ? nm->valuestring : "";
    const cJSON *b = get_(get_(g->e, "args"), "bytes");
    uint64_t bytes = cJSON_IsNumber(b) && b->valuedouble > 0 && b->valuedouble < 0x1p60 ? (uint64_t)b->valuedouble : 0;
    const char *kind = g->kind == 2 ? "memset" : strstr(n, "HtoD") ? "memcpy_htod" : strstr(n, "DtoH") ? "memcpy_dtoh"
                     : strstr(n, "DtoD") ? "memcpy_dtod" : "memcpy";
    o->op = ARC_OP_ELEMENTWISE;
    o->dtype = ARC_DTYPE_BF16;
    o->bytes[ARC_MEM_ACT] = !strcmp(kind, "memcpy_dtod") ? 2 * bytes : bytes;
    o->m = 1;
    o->n = !strcmp(kind, "memcpy_dtoh") ? 0 : (int64_t)((bytes + 1) / 2);
    name_(im, o, kind, "");
}

static void unattributed_(struct imp_ *im, const struct gpu_ *g, struct arc_op_rec *o)
{
    const cJSON *nm = get_(g->e, "name");
    char low[256];
    size_t n = 0;
    for (const char *p = cJSON_IsString(nm) ? nm->valuestring : ""; *p && n + 1 < sizeof low; p++)
        low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    o->op = strstr(low, "gemm") || strstr(low, "nvjet") ? ARC_OP_GEMM
          : strstr(low, "attention") || strstr(low, "fmha") || strstr(low, "flash") ? ARC_OP_SOFTMAX_ATTN
                                                                                      : ARC_OP_ELEMENTWISE;
    o->dtype = ARC_DTYPE_BF16;
    name_(im, o, "unattributed", "");
}

static int cmp_cpu_(const void *a, const void *b) /* by thread, start, then the longer (outer) first */
{
    const struct cpu_ *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}
static int cmp_ext_(const void *a, const void *b)
{
    const struct ext_ *x = a, *y = b;
    return x->ext != y->ext ? (x->ext < y->ext ? -1 : 1) : x->cpu - y->cpu;
}
static int cmp_gpu_(const void *a, const void *b)
{
    const struct gpu_ *x = a, *y = b;
    return x->ts != y->ts ? (x->ts < y->ts ? -1 : 1) : x->ev - y->ev;
}
static int cmp_rt_(const void *a, const void *b)
{
    const struct rt_ *x = a, *y = b;
    return x->corr < y->corr ? -1 : x->corr > y->corr;
}

/* the cpu_op with External id ext, the innermost (latest start) when several share it; or -1 */
static int find_cpu_(const struct imp_ *im, int64_t ext)
{
    int lo = 0, hi = im->n_cpu;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (im->byext[mid].ext < ext)
            lo = mid + 1;
        else
            hi = mid;
    }
    int best = -1;
    for (; lo < im->n_cpu && im->byext[lo].ext == ext; lo++)
        if (best < 0 || im->cpu[im->byext[lo].cpu].ts > im->cpu[best].ts)
            best = im->byext[lo].cpu;
    return best;
}

static bool shaped_(const struct cpu_ *c)
{
    const cJSON *d, *dims = get_(get_(c->e, "args"), "Input Dims");
    cJSON_ArrayForEach(d, dims)
        if (cJSON_GetArraySize(d) > 0)
            return true;
    return false;
}

/* op, or the innermost op enclosing it (same thread, within the 4096 ops before) with shapes */
static int shaped_op_(const struct imp_ *im, int op)
{
    int cur = op;
    for (int j = op - 1; !shaped_(&im->cpu[cur]); j--) {
        /* cur's parent: the nearest op before it on its thread that ends no earlier */
        while (j >= 0 && op - j < 4096 && im->cpu[j].tid == im->cpu[cur].tid && im->cpu[j].end < im->cpu[cur].end)
            j--;
        if (j < 0 || op - j >= 4096 || im->cpu[j].tid != im->cpu[cur].tid)
            return op;
        cur = j;
    }
    return cur;
}

static void *grow_(void *p, int n, int *cap, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? 2 * *cap : 1024;
    return arc_xrealloc(p, (size_t)*cap * size);
}

static int num_(const cJSON *e, const char *k, double *out)
{
    const cJSON *v = get_(e, k);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return v ? -2 : -1;
    *out = v->valuedouble;
    return 0;
}

/* Pass over traceEvents: the CPU ops, the launches' correlations, the GPU events. */
static int scan_(struct imp_ *im, const cJSON *evs)
{
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, evs) {
        if (!cJSON_IsObject(e))
            return arc_errorf(ARC_EINPUT, "%s:traceEvents[%d]: expected an object (a Chrome trace event)", im->path, i);
        const cJSON *cat = get_(e, "cat"), *args = get_(e, "args");
        const char *c = cJSON_IsString(cat) ? cat->valuestring : "";
        int kind = !strcmp(c, "kernel") ? 0 : !strcmp(c, "gpu_memcpy") ? 1 : !strcmp(c, "gpu_memset") ? 2 : -1;
        double ts = 0, dur = 0, tid = 0;
        if (!strcmp(c, "cpu_op")) {
            num_(e, "ts", &ts);
            num_(e, "dur", &dur);
            num_(e, "tid", &tid);
            im->cpu = grow_(im->cpu, im->n_cpu, &im->cap_cpu, sizeof *im->cpu);
            im->cpu[im->n_cpu++] = (struct cpu_){.ev = i, .ext = id_(args, "External id"), .ts = ts, .end = ts + dur, .tid = tid, .e = e};
        } else if (!strcmp(c, "cuda_runtime") || !strcmp(c, "cuda_driver")) {
            struct rt_ r = {.corr = id_(args, "correlation"), .ext = id_(args, "External id")};
            if (r.corr >= 0 && r.ext >= 0) {
                im->rt = grow_(im->rt, im->n_rt, &im->cap_rt, sizeof *im->rt);
                im->rt[im->n_rt++] = r;
            }
        } else if (kind >= 0) {
            int st = num_(e, "ts", &ts);
            if (st < 0)
                return arc_errorf(ARC_EINPUT, "%s:traceEvents[%d].ts: %s; expected the start in microseconds", im->path, i, st == -1 ? "missing" : "not a number");
            if ((st = num_(e, "dur", &dur)) < 0 || dur < 0)
                return arc_errorf(ARC_EINPUT, "%s:traceEvents[%d].dur: %s; expected a duration >= 0 in microseconds", im->path, i,
                                  st == -1 ? "missing" : st == -2 ? "not a number" : "negative");
            im->gpu = grow_(im->gpu, im->n_gpu, &im->cap_gpu, sizeof *im->gpu);
            im->gpu[im->n_gpu++] = (struct gpu_){.ev = i, .kind = kind, .ext = id_(args, "External id"),
                                                 .corr = id_(args, "correlation"), .ts = ts, .dur = dur, .e = e};
        }
        i++;
    }
    return ARC_OK;
}

/* The header: the options, else what the profile shows (trace_import.h). */
static int header_(struct imp_ *im, const struct arc_torch_opts *op, struct arc_trace *t, struct arc_torch_summary *s)
{
    struct arc_workload *w = &t->wl;
    if (op->model && (strlen(op->model) >= sizeof t->model || !*op->model ||
                      strspn(op->model, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(op->model)))
        return arc_errorf(ARC_EINPUT, "--model: expected a name of [A-Za-z0-9._-], under 64 characters, got \"%s\"", op->model);
    const char *base = strrchr(im->path, '/') ? strrchr(im->path, '/') + 1 : im->path;
    size_t bl = strlen(base) > 5 && !strcmp(base + strlen(base) - 5, ".json") ? strlen(base) - 5 : strlen(base);
    snprintf(t->model, sizeof t->model, "%.*s", op->model ? (int)strlen(op->model) : (int)bl, op->model ? op->model : base);
    for (char *p = t->model; *p; p++)
        *p = isalnum((unsigned char)*p) || *p == '.' || *p == '-' ? *p : '_';
    if (!t->model[0])
        snprintf(t->model, sizeof t->model, "profile");
    snprintf(t->pattern, sizeof t->pattern, "%s", op->pattern ? op->pattern : "L");
    /* what the profile shows: aten::embedding's ids (B x S), the first softmax attention */
    int64_t B = 0, S = 0, ab = 0, asq = 0, askv = 0;
    double first = INFINITY;
    for (int i = 0; i < im->n_cpu; i++) {
        const cJSON *nm = get_(im->cpu[i].e, "name");
        if (cJSON_IsString(nm) && !strcmp(nm->valuestring, "aten::embedding") && im->cpu[i].ts < first) {
            struct arc_torch_op c;
            int st = arc_torch_op_read_(im->path, im->cpu[i].ev, im->cpu[i].e, im->list_elem, &c);
            if (st < 0)
                return st;
            const struct arc_torch_ten *ids = arc_torch_op_arg_(&c, 1);
            if (ids && (ids->rank == 1 || ids->rank == 2)) {
                first = im->cpu[i].ts;
                B = ids->rank == 2 ? ids->dim[0] : 1;
                S = ids->dim[ids->rank - 1];
            }
        }
    }
    for (int i = 0; i < t->n_ops && !ab; i++)
        if (t->ops[i].op == ARC_OP_SOFTMAX_ATTN && t->ops[i].batch > 0) {
            ab = t->ops[i].batch;
            asq = t->ops[i].seq_q;
            askv = t->ops[i].seq_kv;
        }
    int64_t seq = S ? S : asq;
    s->inferred[0] = '\0';
    if (op->phase < 0 && seq < 1)
        return arc_errorf(ARC_EINPUT, "%s: cannot infer the phase (no aten::embedding, no softmax attention); expected --phase prefill|decode", im->path);
    w->phase = op->phase >= 0 ? (enum arc_phase)op->phase : seq > 1 ? ARC_PHASE_PREFILL : ARC_PHASE_DECODE;
    w->batch = op->batch ? op->batch : B ? B : ab;
    w->ctx = op->ctx ? op->ctx : w->phase == ARC_PHASE_PREFILL ? seq : asq == 1 ? askv - 1 : 0;
    snprintf(s->inferred, sizeof s->inferred, "%s%s%s", op->phase < 0 ? "phase " : "", op->batch ? "" : "batch ", op->ctx ? "" : "ctx ");
    if (w->batch < 1)
        return arc_errorf(ARC_EINPUT, "%s: cannot infer the batch (no aten::embedding, no softmax attention); expected --batch B", im->path);
    if (w->ctx < 1)
        return arc_errorf(ARC_EINPUT, "%s: cannot infer the context (%s); expected --ctx N", im->path,
                          w->phase == ARC_PHASE_DECODE ? "a decode step without softmax attention" : "no aten::embedding, no softmax attention");
    /* weights: the dtype holding most GEMM weight bytes; their sum (a lower bound on those held) */
    double wb[ARC_DTYPE_COUNT] = {0};
    for (int i = 0; i < t->n_ops; i++)
        if (t->ops[i].op == ARC_OP_GEMM || t->ops[i].op == ARC_OP_GROUPED_GEMM) {
            wb[t->ops[i].dtype] += (double)t->ops[i].bytes[ARC_MEM_WEIGHT];
            t->mem_weight_bytes += t->ops[i].bytes[ARC_MEM_WEIGHT];
        }
    int best = ARC_DTYPE_BF16;
    for (int d = 0; d < ARC_DTYPE_COUNT; d++)
        best = wb[d] > wb[best] ? d : best;
    if (op->dtype < 0 && best == ARC_DTYPE_FP32)
        return arc_errorf(ARC_EINPUT, "%s: the GEMM weights are fp32, which a trace header cannot hold; expected --dtype bf16|fp8|int8", im->path);
    w->dtype = (enum arc_dtype)(op->dtype >= 0 ? op->dtype : best);
    if (op->dtype < 0)
        strcat(s->inferred, "dtype ");
    size_t il = strlen(s->inferred);
    if (il)
        s->inferred[il - 1] = '\0';
    w->tp = op->tp ? op->tp : 1;
    w->ep = op->ep ? op->ep : 1;
    w->pp = op->pp ? op->pp : 1;
    w->devices = op->devices ? op->devices : (w->tp > w->ep ? w->tp : w->ep) * w->pp;
    w->chunk = op->chunk ? op->chunk : 256;
    return ARC_OK;
}

/* im->list_elem: the dtype holding the most elements among the tensors of the ops kernels ran
 * (best[op] >= 0) whose dtype is known (inputs; lists a kernel name sized, elem[op]), integer
 * tensors aside; bf16 when there are none */
static int list_elem_(struct imp_ *im, const int *best, const struct arc_torch_elem *elem)
{
    enum { SIZES_ = 17 }; /* element bytes 0..16 */
    double by[ARC_DTYPE_COUNT][SIZES_] = {{0}};
    for (int op = 0; op < im->n_cpu; op++) {
        if (best[op] < 0)
            continue;
        struct arc_torch_op c;
        struct arc_torch_elem known = elem[op].bytes ? elem[op] : (struct arc_torch_elem){.bytes = 1};
        int st = arc_torch_op_read_(im->path, im->cpu[op].ev, im->cpu[op].e, known, &c);
        if (st < 0)
            return st;
        for (int i = 0; i < c.n; i++)
            if (!c.in[i].integer && (!c.in[i].list || elem[op].bytes) && c.in[i].bytes < SIZES_)
                by[c.in[i].dt][c.in[i].bytes] += c.in[i].elems;
    }
    im->list_elem = (struct arc_torch_elem){.bytes = 2, .dt = ARC_DTYPE_BF16};
    for (int d = 0; d < ARC_DTYPE_COUNT; d++)
        for (int b = 1; b < SIZES_; b++)
            if (by[d][b] > by[im->list_elem.dt][im->list_elem.bytes])
                im->list_elem = (struct arc_torch_elem){.bytes = b, .dt = (uint8_t)d};
    return ARC_OK;
}

static int rows_(struct imp_ *im, struct arc_trace *t, struct arc_torch_summary *s)
{
    int *best = arc_xmalloc(((size_t)im->n_cpu + 1) * sizeof *best);
    struct arc_torch_elem *elem = arc_xcalloc((size_t)im->n_cpu + 1, sizeof *elem); /* from a kernel name, or bytes 0 */
    for (int i = 0; i < im->n_cpu; i++)
        best[i] = -1;
    double t0 = INFINITY, t1 = -INFINITY;
    for (int i = 0; i < im->n_gpu; i++) {
        struct gpu_ *g = &im->gpu[i];
        int op = g->ext >= 0 ? find_cpu_(im, g->ext) : -1;
        if (op < 0 && g->corr >= 0 && im->n_rt) {
            struct rt_ key = {.corr = g->corr}, *r = bsearch(&key, im->rt, (size_t)im->n_rt, sizeof key, cmp_rt_);
            op = r ? find_cpu_(im, r->ext) : -1;
        }
        g->op = op >= 0 ? shaped_op_(im, op) : -1;
        if (g->kind == 0 && g->op >= 0 && (best[g->op] < 0 || g->dur > im->gpu[best[g->op]].dur))
            best[g->op] = i;
        const cJSON *nm = get_(g->e, "name");
        if (g->kind == 0 && g->op >= 0 && !elem[g->op].bytes && cJSON_IsString(nm))
            elem[g->op] = arc_torch_kernel_elem_(nm->valuestring);
    }
    int st = list_elem_(im, best, elem);
    s->list_bytes_assumed = im->list_elem.bytes;
    for (int i = 0; i < im->n_gpu && st >= 0; i++) {
        const struct gpu_ *g = &im->gpu[i];
        struct arc_op_rec *o = arc_trace_push(t);
        o->layer = -1;
        o->block = ARC_BLOCK_OTHER;
        if (g->kind) {
            copy_row_(im, g, o);
        } else if (g->op < 0) {
            unattributed_(im, g, o);
            s->unattributed++;
        } else {
            struct arc_torch_op c;
            const struct arc_torch_elem *el = elem[g->op].bytes ? &elem[g->op] : &im->list_elem;
            if ((st = arc_torch_op_read_(im->path, im->cpu[g->op].ev, im->cpu[g->op].e, *el, &c)) < 0)
                break;
            if (best[g->op] != i) { /* the op's work went to its longest kernel */
                o->op = ARC_OP_ELEMENTWISE;
                o->dtype = c.n ? c.in[0].dt : ARC_DTYPE_FP32;
                name_(im, o, c.name, "_aux");
                s->aux++;
            } else {
                arc_torch_op_work_(&c, o);
                const cJSON *kn = get_(g->e, "name");
                if (o->op == ARC_OP_ELEMENTWISE && cJSON_IsString(kn) && strstr(kn->valuestring, GENERIC_KERNEL_))
                    o->op = ARC_OP_ELEMENTWISE_STRIDED;
                name_(im, o, c.name, "");
                bool list = false;
                for (int j = 0; j < c.n; j++)
                    list |= c.in[j].list;
                s->lists_assumed += list && !elem[g->op].bytes;
            }
        }
        /* what the trace reader takes back */
        int64_t *f[] = {&o->m, &o->n, &o->k, &o->groups, &o->batch, &o->heads, &o->kv_heads, &o->head_dim, &o->seq_q, &o->seq_kv};
        for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
            if (*f[j] > ARC_TORCH_SHAPE_MAX || *f[j] < 0)
                st = arc_errorf(ARC_EINPUT, "%s:traceEvents[%d]: sizes beyond the trace format's 2^40", im->path, g->ev);
        if ((o->op == ARC_OP_GEMM || o->op == ARC_OP_GROUPED_GEMM) && 2.0 * (double)o->m * (double)o->n * (double)o->k > 0x1p63)
            st = arc_errorf(ARC_EINPUT, "%s:traceEvents[%d]: a GEMM beyond 2^63 flop", im->path, g->ev);
        double sec = g->dur * 1e-6;
        s->count[o->op]++;
        s->time_s[o->op] += sec;
        if (g->kind == 0) {
            s->kernels++;
            s->kernel_s += sec;
            t0 = g->ts < t0 ? g->ts : t0;
            t1 = g->ts + g->dur > t1 ? g->ts + g->dur : t1;
        } else if (g->kind == 1) {
            s->memcpys++;
            s->memcpy_s += sec;
        } else {
            s->memsets++;
            s->memset_s += sec;
        }
    }
    s->span_s = s->kernels ? (t1 - t0) * 1e-6 : 0;
    free(best);
    free(elem);
    return st;
}

/* a gzipped profile (as PyTorch writes with a .gz name): inflated in memory with zlib */
static int read_gz_(const char *path, char **out, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return arc_errorf(ARC_EINPUT, "%s: cannot open (a gzipped PyTorch profiler trace was expected)", path);
    size_t cap = 1 << 20, n = 0;
    char *buf = arc_xmalloc(cap);
    for (;;) {
        if (n + (1 << 16) + 1 > cap)
            buf = arc_xrealloc(buf, cap *= 2);
        int got = gzread(f, buf + n, 1 << 16);
        if (got < 0 || (got == 0 && !gzeof(f))) {
            int err;
            const char *why = gzerror(f, &err);
            gzclose(f);
            free(buf);
            return arc_errorf(ARC_EINPUT, "%s: a damaged gzip stream (%s); expected a gzipped PyTorch profiler trace", path, why);
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    int truncated = gzclose(f) != Z_OK; /* Z_BUF_ERROR: the stream ended early */
    if (truncated || memchr(buf, 0, n)) {
        free(buf);
        return arc_errorf(ARC_EINPUT, "%s: %s; expected a gzipped PyTorch profiler trace (JSON text)", path,
                          truncated ? "a truncated gzip stream" : "a NUL byte in the inflated text");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ARC_OK;
}

int arc_trace_import_torch(const char *path, const struct arc_torch_opts *op, struct arc_trace *t,
                           struct arc_torch_summary *s)
{
    arc_trace_init(t);
    memset(s, 0, sizeof *s);
    struct imp_ im = {.path = path};
    char *text = NULL;
    size_t len;
    cJSON *root = NULL;
    size_t n = strlen(path);
    int st = n > 3 && strcmp(path + n - 3, ".gz") == 0 ? read_gz_(path, &text, &len)
                                                       : arc_file_read_text(path, "JSON text (a PyTorch profiler trace)", &text, &len);
    if (st >= 0)
        st = arc_json_parse(text, path, &root);
    free(text);
    if (st < 0)
        return st;
    const cJSON *evs = get_(root, "traceEvents"), *rs = get_(root, "record_shapes");
    if (!cJSON_IsArray(evs)) {
        st = arc_errorf(ARC_EINPUT, "%s:traceEvents: %s; expected the event array of a PyTorch profiler trace (Chrome trace JSON)",
                        path, evs ? "not an array" : "missing");
    } else if (cJSON_IsNumber(rs) && rs->valuedouble == 0) {
        st = arc_errorf(ARC_EINPUT, "%s:record_shapes: 0; expected a capture made with record_shapes=True (the shapes give each kernel its work)", path);
    } else if ((st = scan_(&im, evs)) >= 0) {
        int nk = 0;
        for (int i = 0; i < im.n_gpu; i++)
            nk += im.gpu[i].kind == 0;
        if (!nk)
            st = arc_errorf(ARC_EINPUT, "%s:traceEvents: no GPU kernels (\"cat\": \"kernel\"); expected a capture with ProfilerActivity.CUDA", path);
    }
    if (st >= 0) {
        im.byext = arc_xmalloc(((size_t)im.n_cpu + 1) * sizeof *im.byext);
        if (im.n_cpu) { /* qsort and bsearch take no NULL, even for 0 elements */
            qsort(im.cpu, (size_t)im.n_cpu, sizeof *im.cpu, cmp_cpu_);
            for (int i = 0; i < im.n_cpu; i++)
                im.byext[i] = (struct ext_){.ext = im.cpu[i].ext, .cpu = i};
            qsort(im.byext, (size_t)im.n_cpu, sizeof *im.byext, cmp_ext_);
        }
        qsort(im.gpu, (size_t)im.n_gpu, sizeof *im.gpu, cmp_gpu_);
        if (im.n_rt)
            qsort(im.rt, (size_t)im.n_rt, sizeof *im.rt, cmp_rt_);
        if ((st = rows_(&im, t, s)) >= 0 && (st = header_(&im, op, t, s)) >= 0)
            st = arc_trace_check(t, path);
    }
    free(im.cpu);
    free(im.byext);
    free(im.gpu);
    free(im.rt);
    cJSON_Delete(root);
    if (st < 0)
        arc_trace_free(t);
    return st;
}
