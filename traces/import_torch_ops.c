/* arclight trace import: what a PyTorch aten op's recorded inputs (Kineto's args "Input Dims",
 * "Input type", "Concrete Inputs") imply for the kernel that ran it: op kind, shapes, flop and bytes
 * per memory class. Kineto records inputs, not outputs, so outputs are estimated as below.
 *
 * Work:
 *   - mm, addmm, linear, and matmul with a 2-D right operand: gemm, m = the left operand's rows
 *     (leading dims folded in), flop 2 m n k. The 2-D right operand is a weight (weight_bytes);
 *     the left operand and the m x n output (in the left's dtype) are activations.
 *   - bmm, baddbmm, and matmul with a 3-D+ right operand: grouped_gemm, groups = the batch count,
 *     m = batch x rows; all bytes activations, each group's own right-hand matrix included.
 *   - _grouped_mm (MoE: rows x k against E experts of k x n): grouped_gemm, groups = min(E, rows)
 *     (the offsets' values are not recorded: at most that many experts hold rows), weight_bytes =
 *     that many expert matrices.
 *   - the SDPA family (q, k, v as B H S D; B S H D for _flash/_efficient_attention_forward):
 *     softmax_attn when seq_q = 1 (decode) or seq_q = seq_kv with is_causal (causal prefill), with
 *     FORMAT.md's flop; kv_bytes = k and v read once; act_bytes = q in, o out. Other shapes
 *     (non-causal, chunked) are grouped_gemm QK^T and PV: groups = B H, m = B H seq_q,
 *     n = seq_kv, k = 2 d, flop 4 B H seq_q seq_kv d.
 *   - layer_norm, rms_norm, group_norm, batch_norm and their native forms: norm, flop 4 per
 *     element, weight_bytes = its 1-D tensor inputs, act_bytes = the input read and written.
 *   - everything else: elementwise; bytes = every tensor input read once plus the output written;
 *     flop = one per output element (reductions: per input element). The output is estimated:
 *     in-place ops (name ends in _) write their first input (copy_, fill_ and zero_ do not read
 *     it); cat and stack write their list (an out= tensor among the inputs is written, not read);
 *     out-of-place _foreach_ ops write a list shaped as their first (_foreach_norm and _max: one
 *     element per tensor); reductions of one tensor (sum, mean, amax, ...) write it
 *     with the dims of their dim argument reduced (none given: one element); embedding,
 *     index_select and take write index count x the source's row, gather its index's shape, and
 *     these read only the rows they write plus the index (index, whose index tensors are not
 *     recorded, writes the source's size: an upper bound); anything else writes the broadcast of
 *     its tensor inputs in their widest element; ops with no sized input (arange, empty) count
 *     none. m x n = output elements.
 * Dtypes: BFloat16 and Half are bf16, Float8 fp8, 8-bit integers int8, everything else fp32.
 * TensorLists (cat, stack, _foreach_*, _fused_adam_): Kineto writes a list's "Input type" as the
 * bare string "TensorList" and its "Input Dims" (and "Input Strides") as one shape per element;
 * the elements' dtypes are captured but not written (PyTorch's parseArgData in
 * torch/csrc/autograd/profiler_kineto.cpp). Older PyTorch writes "GenericList" and no shapes (such
 * a list counts nothing). The element size is the one the op's kernel names (arc_torch_kernel_elem_):
 * cat's CatArrayBatchedCopy*<OpaqueType<N>> moves N-byte elements (ATen runs it only when every
 * input has the output's dtype; N = 2 is bf16, 1 int8, others fp32), and the foreach kernel
 * multi_tensor_apply_kernel<..., SomeFunctor<T, ...>, ...> works on T (its fast path needs one
 * dtype across the lists). The op's other tensor inputs are no evidence (the fp32 found_inf of
 * _amp_foreach_non_finite_check_and_unscale_ beside fp16 grads, a foreach op's scalar tensor).
 * Without such a kernel the caller's fallback applies (import_torch.c: the dtype of the profile's
 * most elements, counted in the summary's lists_assumed).
 * Not for: reading the profile or linking kernels to ops (import_torch.c). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_torch_internal.h"

static const struct {
    const char *name;
    int bytes;
    uint8_t dt;
    bool integer;
} types_[] = {
    {"c10::BFloat16", 2, ARC_DTYPE_BF16, 0}, {"c10::Half", 2, ARC_DTYPE_BF16, 0},
    {"float", 4, ARC_DTYPE_FP32, 0},         {"double", 8, ARC_DTYPE_FP32, 0},
    {"c10::Float8_e4m3fn", 1, ARC_DTYPE_FP8, 0}, {"c10::Float8_e5m2", 1, ARC_DTYPE_FP8, 0},
    {"c10::Float8_e4m3fnuz", 1, ARC_DTYPE_FP8, 0}, {"c10::Float8_e5m2fnuz", 1, ARC_DTYPE_FP8, 0},
    {"signed char", 1, ARC_DTYPE_INT8, 1},   {"unsigned char", 1, ARC_DTYPE_INT8, 1},
    {"long int", 8, ARC_DTYPE_FP32, 1},      {"int", 4, ARC_DTYPE_FP32, 1},
    {"short int", 2, ARC_DTYPE_FP32, 1},     {"bool", 1, ARC_DTYPE_FP32, 1},
    {"c10::complex<float>", 8, ARC_DTYPE_FP32, 0}, {"c10::complex<double>", 16, ARC_DTYPE_FP32, 0},
};

static bool in_(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static const cJSON *get_(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

/* A shape: 1, with t's dims and *elems; 0 when d is not a list of numbers; or an error. */
static int dims_(const char *path, int ev, const cJSON *d, struct arc_torch_ten *t, double *elems)
{
    int rank = cJSON_GetArraySize(d), i = 0, skip = rank > ARC_TORCH_DIMS ? rank - ARC_TORCH_DIMS : 0;
    double n = 1;
    const cJSON *x;
    t->rank = rank - skip;
    t->dim[0] = 1;
    cJSON_ArrayForEach(x, d) {
        if (!cJSON_IsNumber(x))
            return 0;
        double v = x->valuedouble;
        n *= v;
        if (v < 0 || v > (double)ARC_TORCH_SHAPE_MAX || v != floor(v) || n > 0x1p50)
            return arc_errorf(ARC_EINPUT, "%s:traceEvents[%d].args.Input Dims: expected sizes in [0, 2^40], tensors up to 2^50 elements", path, ev);
        if (i < skip) /* dims beyond the kept ones fold into the first kept */
            t->dim[0] *= (int64_t)v;
        else
            t->dim[i - skip] = (i == skip ? t->dim[0] : 1) * (int64_t)v;
        i++;
    }
    *elems = n;
    return 1;
}

int arc_torch_op_read_(const char *path, int ev, const cJSON *e, struct arc_torch_elem list,
                       struct arc_torch_op *c)
{
    ARC_ASSERT(list.bytes > 0);
    const cJSON *args = get_(e, "args"), *nm = get_(e, "name");
    const cJSON *dims = get_(args, "Input Dims"), *types = get_(args, "Input type");
    c->name = cJSON_IsString(nm) ? nm->valuestring : "";
    if (strncmp(c->name, "aten::", 6) == 0)
        c->name += 6;
    c->n = 0;
    c->concrete = get_(args, "Concrete Inputs");
    int n = cJSON_GetArraySize(dims);
    for (int a = 0; a < n && c->n < ARC_TORCH_INPUTS; a++) {
        const cJSON *d = cJSON_GetArrayItem(dims, a), *ty = cJSON_GetArrayItem(types, a);
        const char *type = cJSON_IsString(ty) ? ty->valuestring : "";
        struct arc_torch_ten *t = &c->in[c->n];
        memset(t, 0, sizeof *t);
        t->arg = a;
        if (!cJSON_IsArray(d))
            continue;
        if (strcmp(type, "TensorList") == 0) { /* a list of shapes; t keeps the first's dims */
            const cJSON *x;
            cJSON_ArrayForEach(x, d) {
                struct arc_torch_ten one = {.arg = a, .list = true};
                int st = dims_(path, ev, x, &one, &one.elems);
                if (st < 0)
                    return st;
                if (!st)
                    continue;
                double el = one.elems;
                if (!t->list) {
                    *t = one;
                    t->elems = 0;
                }
                t->elems += el;
                t->tensors++;
            }
            t->bytes = list.bytes;
            t->dt = list.dt;
            c->n += t->list;
            continue;
        }
        size_t k = 0;
        while (k < sizeof types_ / sizeof types_[0] && strcmp(type, types_[k].name) != 0)
            k++;
        int known = k < sizeof types_ / sizeof types_[0];
        t->tensors = 1;
        int st = dims_(path, ev, d, t, &t->elems);
        if (st < 0)
            return st;
        if (!st || (!known && (t->rank == 0 || in_(type, (const char *const[]){"Scalar", "ScalarList", "GenericList", "", NULL}))))
            continue; /* a scalar, None, or a list of numbers */
        t->bytes = known ? types_[k].bytes : 4;
        t->dt = known ? types_[k].dt : ARC_DTYPE_FP32;
        t->integer = known && types_[k].integer;
        c->n++;
    }
    return ARC_OK;
}

struct arc_torch_elem arc_torch_kernel_elem_(const char *kernel)
{
    struct arc_torch_elem el = {.bytes = 0, .dt = ARC_DTYPE_FP32};
    const char *p;
    if (strstr(kernel, "CatArrayBatchedCopy") && (p = strstr(kernel, "OpaqueType<"))) {
        long n = strtol(p + strlen("OpaqueType<"), NULL, 10); /* "4u>" */
        if (n == 1 || n == 2 || n == 4 || n == 8 || n == 16) {
            el.bytes = (int)n;
            el.dt = n == 2 ? ARC_DTYPE_BF16 : n == 1 ? ARC_DTYPE_INT8 : ARC_DTYPE_FP32;
        }
    } else if ((p = strstr(kernel, "multi_tensor_apply_kernel<")) && (p = strstr(p, "Functor<"))) {
        p += strlen("Functor<");
        size_t len = 0; /* the first template argument: up to a ',' or '>' outside nested <> */
        for (int depth = 0; p[len] && (depth > 0 || (p[len] != ',' && p[len] != '>')); len++)
            depth += p[len] == '<' ? 1 : p[len] == '>' ? -1 : 0;
        for (size_t k = 0; k < sizeof types_ / sizeof types_[0]; k++)
            if (strlen(types_[k].name) == len && strncmp(p, types_[k].name, len) == 0) {
                el.bytes = types_[k].bytes;
                el.dt = types_[k].dt;
            }
    }
    return el;
}

const struct arc_torch_ten *arc_torch_op_arg_(const struct arc_torch_op *c, int a)
{
    for (int i = 0; i < c->n; i++)
        if (c->in[i].arg == a)
            return &c->in[i];
    return NULL;
}

static const char *concrete_(const struct arc_torch_op *c, int a)
{
    const cJSON *v = cJSON_GetArrayItem(c->concrete, a);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int64_t lead_(const struct arc_torch_ten *t, int keep) /* product of all but the last keep dims */
{
    int64_t p = 1;
    for (int i = 0; i < t->rank - keep; i++)
        p *= t->dim[i];
    return p;
}

/* ---- the mapping ---- */

static void set_gemm_(struct arc_op_rec *o, int op, int64_t g, int64_t m, int64_t n, int64_t k)
{
    o->op = (uint8_t)op;
    o->groups = g;
    o->m = m;
    o->n = n;
    o->k = k;
    o->flop = 2 * (uint64_t)m * (uint64_t)n * (uint64_t)k;
}

static bool gemm_(const struct arc_torch_op *c, struct arc_op_rec *o)
{
    const char *n = c->name;
    int ia = 0, ib = 1;
    bool lin = strcmp(n, "linear") == 0, moe = !strcmp(n, "_grouped_mm") || !strcmp(n, "_scaled_grouped_mm");
    if (!strcmp(n, "addmm") || !strcmp(n, "baddbmm")) {
        ia = 1;
        ib = 2;
    } else if (!lin && !moe && !in_(n, (const char *const[]){"mm", "bmm", "matmul", NULL})) {
        return false;
    }
    const struct arc_torch_ten *a = arc_torch_op_arg_(c, ia), *b = arc_torch_op_arg_(c, ib);
    if (!a || !b || a->list || b->list || a->rank < 1 || b->rank < 1)
        return false;
    int64_t k = a->dim[a->rank - 1], m = a->rank >= 2 ? a->dim[a->rank - 2] : 1, ba = lead_(a, 2);
    o->dtype = a->dt;
    if (moe) {
        if (b->rank != 3 || b->dim[1] != k || a->rank > 3)
            return false;
        int64_t e = b->dim[0], rows = ba * m, g = a->rank == 3 ? e : rows < e ? rows : e;
        set_gemm_(o, ARC_OP_GROUPED_GEMM, g, rows, b->dim[2], k);
        o->bytes[ARC_MEM_WEIGHT] = (uint64_t)g * (uint64_t)k * (uint64_t)b->dim[2] * (uint64_t)b->bytes;
        o->bytes[ARC_MEM_ACT] = (uint64_t)rows * (uint64_t)(k + b->dim[2]) * (uint64_t)a->bytes;
        return true;
    }
    int64_t kb = lin ? (b->rank == 2 ? b->dim[1] : -1) : b->rank >= 2 ? b->dim[b->rank - 2] : b->dim[0];
    int64_t nn = lin ? b->dim[0] : b->rank >= 2 ? b->dim[b->rank - 1] : 1;
    if (kb != k)
        return false;
    if (b->rank <= 2) { /* a weight, n x k (linear) or k x n */
        set_gemm_(o, ARC_OP_GEMM, 0, ba * m, nn, k);
        o->bytes[ARC_MEM_WEIGHT] = (uint64_t)k * (uint64_t)nn * (uint64_t)b->bytes;
        o->bytes[ARC_MEM_ACT] = (uint64_t)(ba * m) * (uint64_t)(k + nn) * (uint64_t)a->bytes;
    } else {
        int64_t bb = lead_(b, 2), g = ba > bb ? ba : bb;
        if ((double)g * (double)m > (double)ARC_TORCH_SHAPE_MAX)
            return false; /* not a product of the sizes recorded */
        set_gemm_(o, ARC_OP_GROUPED_GEMM, g, g * m, nn, k);
        o->bytes[ARC_MEM_ACT] = ((uint64_t)(g * m) * (uint64_t)(k + nn)) * (uint64_t)a->bytes +
                                (uint64_t)g * (uint64_t)k * (uint64_t)nn * (uint64_t)b->bytes;
    }
    return true;
}

static bool attn_(const struct arc_torch_op *c, struct arc_op_rec *o)
{
    static const struct {
        const char *name;
        bool bshd;      /* q, k, v as B S H D; else B H S D */
        int causal_arg; /* is_causal (or _efficient's custom_mask_type, causal when nonzero) */
    } ops[] = {
        {"_scaled_dot_product_flash_attention", 0, 4}, {"_scaled_dot_product_efficient_attention", 0, 6},
        {"_scaled_dot_product_cudnn_attention", 0, 6}, {"_cudnn_attention_forward", 0, 10},
        {"scaled_dot_product_attention", 0, 5},       {"_flash_attention_forward", 1, 8},
        {"_efficient_attention_forward", 1, 9},
    };
    size_t i = 0;
    while (i < sizeof ops / sizeof ops[0] && strcmp(c->name, ops[i].name) != 0)
        i++;
    const struct arc_torch_ten *q = arc_torch_op_arg_(c, 0), *k = arc_torch_op_arg_(c, 1), *v = arc_torch_op_arg_(c, 2);
    if (i == sizeof ops / sizeof ops[0] || !q || !k || !v || q->rank != 4 || k->rank != 4 || v->rank != 4)
        return false;
    int s = ops[i].bshd ? 1 : 2, h = 3 - s;
    int64_t B = q->dim[0], H = q->dim[h], sq = q->dim[s], d = q->dim[3], skv = k->dim[s];
    const char *cz = concrete_(c, ops[i].causal_arg);
    bool causal = !strcmp(cz, "True") || (isdigit((unsigned char)*cz) && atoi(cz) != 0);
    o->dtype = q->dt;
    if (sq == 1 || (sq == skv && causal)) {
        o->op = ARC_OP_SOFTMAX_ATTN;
        o->batch = B;
        o->heads = H;
        o->kv_heads = k->dim[h];
        o->head_dim = d;
        o->seq_q = sq;
        o->seq_kv = skv;
        uint64_t bhd = (uint64_t)B * (uint64_t)H * (uint64_t)d;
        o->flop = sq == 1 ? 4 * bhd * (uint64_t)skv : 2 * bhd * (uint64_t)sq * (uint64_t)(sq + 1);
    } else {
        set_gemm_(o, ARC_OP_GROUPED_GEMM, B * H, B * H * sq, skv, 2 * d);
    }
    double o_elems = d > 0 ? q->elems / (double)d * (double)v->dim[3] : 0;
    o->bytes[ARC_MEM_ACT] = (uint64_t)(q->elems * q->bytes + o_elems * q->bytes);
    o->bytes[ARC_MEM_KV] = (uint64_t)(k->elems * k->bytes + v->elems * v->bytes);
    return true;
}

static bool norm_(const struct arc_torch_op *c, struct arc_op_rec *o)
{
    static const char *const norms[] = {"layer_norm", "native_layer_norm", "rms_norm", "_fused_rms_norm",
                                        "group_norm", "native_group_norm", "batch_norm", "native_batch_norm",
                                        "_native_batch_norm_legit", "_native_batch_norm_legit_no_training",
                                        "cudnn_batch_norm", "instance_norm", NULL};
    const struct arc_torch_ten *x = arc_torch_op_arg_(c, 0);
    if (!in_(c->name, norms) || !x || x->list || x->rank < 1)
        return false;
    int64_t w = x->dim[x->rank - 1];
    o->op = ARC_OP_NORM;
    o->dtype = x->dt;
    o->m = w > 0 ? (int64_t)(x->elems / (double)w) : 0;
    o->n = o->k = w;
    o->flop = (uint64_t)(4 * x->elems);
    o->bytes[ARC_MEM_ACT] = (uint64_t)(2 * x->elems * x->bytes);
    for (int i = 1; i < c->n; i++)
        if (c->in[i].rank == 1 && !c->in[i].list)
            o->bytes[ARC_MEM_WEIGHT] += (uint64_t)(c->in[i].elems * c->in[i].bytes);
    return true;
}

/* elements a reduction of x keeps: the dims of its dim argument (Concrete Inputs[1]: "[-1]",
 * "1") reduced, none given: all; *w: the output's last dim */
static double reduce_keep_(const struct arc_torch_op *c, const struct arc_torch_ten *x, int64_t *w)
{
    double keep = x->elems;
    int used = 0;
    *w = x->rank ? x->dim[x->rank - 1] : 1;
    for (const char *p = concrete_(c, 1); *p;) {
        char *end;
        long d = strtol(p, &end, 10);
        if (end == p) {
            p++;
            continue;
        }
        p = end;
        d += d < 0 ? x->rank : 0;
        if (d >= 0 && d < x->rank && x->dim[d] > 0) {
            keep /= (double)x->dim[d];
            used++;
            *w = d == x->rank - 1 ? 1 : *w;
        }
    }
    *w = used ? *w : 1;
    return used ? keep : 1;
}

static void elementwise_(const struct arc_torch_op *c, struct arc_op_rec *o)
{
    static const char *const reduce[] = {"sum", "mean", "amax", "amin", "max", "min", "prod", "argmax",
                                         "argmin", "any", "all", "var", "std", "norm", "linalg_vector_norm",
                                         "logsumexp", "count_nonzero", NULL};
    static const char *const gather[] = {"embedding", "index_select", "gather", "index", "take", NULL};
    const char *n = c->name;
    size_t len = strlen(n);
    const struct arc_torch_ten *x = c->n ? &c->in[0] : NULL;
    double rd = 0, out = 0, flop = -1;
    int ob = x ? x->bytes : 2;
    int64_t w = x && x->rank ? x->dim[x->rank - 1] : 1; /* the output's last dim */
    o->op = ARC_OP_ELEMENTWISE;
    o->dtype = x ? x->dt : ARC_DTYPE_FP32;
    o->k = w;
    for (int i = 0; i < c->n; i++)
        rd += c->in[i].elems * c->in[i].bytes;
    if (!x) {
        out = 0;
    } else if (in_(n, (const char *const[]){"copy_", "fill_", "zero_", NULL})) {
        rd -= x->elems * x->bytes;
        out = x->elems;
    } else if (len && n[len - 1] == '_') {
        out = x->elems;
    } else if (!strcmp(n, "cat") || !strcmp(n, "stack")) {
        for (int i = 0; i < c->n; i++)
            if (c->in[i].list) {
                out += c->in[i].elems;
                ob = c->in[i].bytes;
            } else if (c->in[i].rank > 0) { /* out=: written, not read */
                rd -= c->in[i].elems * c->in[i].bytes;
            }
    } else if (!strncmp(n, "_foreach_", 9) && x->list) { /* out of place: a new list */
        bool red = in_(n, (const char *const[]){"_foreach_norm", "_foreach_max", NULL});
        out = red ? x->tensors : x->elems; /* a reduction: one element per tensor */
        ob = x->bytes;
        if (red)
            flop = x->elems;
    } else if (c->n == 1 && in_(n, reduce)) {
        out = reduce_keep_(c, x, &w);
        flop = x->elems;
    } else if (in_(n, gather) && !x->list) {
        const struct arc_torch_ten *idx = NULL;
        for (int i = 1; i < c->n && !idx; i++)
            idx = c->in[i].integer && !c->in[i].list ? &c->in[i] : NULL;
        double row = x->rank >= 2 && x->dim[0] > 0 && strcmp(n, "take") ? x->elems / (double)x->dim[0] : 1;
        bool g = idx && !strcmp(n, "gather");
        out = !idx || !strcmp(n, "index") ? x->elems : g ? idx->elems : idx->elems * row;
        w = g && idx->rank ? idx->dim[idx->rank - 1] : row > 1 || !idx ? w : 1;
        rd = out * x->bytes + (idx ? idx->elems * idx->bytes : 0);
    } else { /* the broadcast of the tensor inputs, in their widest element */
        int r = 0;
        for (int i = 0; i < c->n; i++)
            if (!c->in[i].list) {
                r = c->in[i].rank > r ? c->in[i].rank : r;
                ob = c->in[i].rank > 0 && c->in[i].bytes > ob ? c->in[i].bytes : ob;
            }
        out = 1;
        for (int j = 0; j < r; j++) {
            int64_t v = 1;
            for (int i = 0; i < c->n; i++) {
                const struct arc_torch_ten *t = &c->in[i];
                if (!t->list && j < t->rank && t->dim[t->rank - 1 - j] != 1)
                    v = t->dim[t->rank - 1 - j];
            }
            out *= (double)v;
            w = j == 0 ? v : w;
        }
    }
    int64_t oe = (int64_t)llround(out);
    o->m = w > 0 && oe % w == 0 ? oe / w : oe; /* m x n = the output's elements */
    o->n = w > 0 && oe % w == 0 ? w : oe > 0;
    o->flop = (uint64_t)llround(flop >= 0 ? flop : out);
    o->bytes[ARC_MEM_ACT] = (uint64_t)llround(rd + out * ob);
}

void arc_torch_op_work_(const struct arc_torch_op *c, struct arc_op_rec *o)
{
    if (!gemm_(c, o) && !attn_(c, o) && !norm_(c, o))
        elementwise_(c, o);
}
