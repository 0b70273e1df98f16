/* arclight GPU calibration: loading, tables, interpolation, the energy fit, prediction and
 * validation (calib.h has the model). Not for: measuring (codegen/calib_run.c). */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/calib.h"
#include "arclight/hw.h"
#include "arclight/json.h"

/* ORDER CAL */
/* Axes a kernel spreads over the SMs (hold = 1): below the smallest value measured, fewer blocks
 * run in parallel and the time stays what the smallest took, so the roof is scaled up to it; along
 * the others (a reduction, a sequence walked by each block) time keeps its proportion to the work. */
static const struct {
    const char *name;
    int naxes;
    const char *axes[3];
    unsigned char hold[3];
} kind_info_[] = {
    [ARC_CAL_GEMM] = {"gemm", 3, {"m", "n", "k"}, {1, 1, 0}},
    [ARC_CAL_COPY] = {"copy", 1, {"bytes"}, {1}},
    [ARC_CAL_ELEMENTWISE] = {"elementwise", 1, {"bytes"}, {1}},
    [ARC_CAL_ATTN_PREFILL] = {"attn_prefill", 2, {"batch x heads", "seq"}, {1, 0}},
    [ARC_CAL_ATTN_DECODE] = {"attn_decode", 2, {"batch x kv_heads", "seq_kv"}, {1, 0}},
    [ARC_CAL_LIGHTNING_PREFILL] = {"lightning_prefill", 2, {"batch x heads", "seq"}, {1, 0}},
    [ARC_CAL_LIGHTNING_DECODE] = {"lightning_decode", 1, {"batch x heads"}, {1}},
    [ARC_CAL_ELEMENTWISE_STRIDED] = {"elementwise_strided", 1, {"bytes"}, {1}},
};
_Static_assert(ARC_CAL_KIND_COUNT == 8, "update kind_info_");

const char *arc_calib_kind_name(enum arc_calib_kind k)
{
    ARC_ASSERT(k < ARC_CAL_KIND_COUNT);
    return kind_info_[k].name;
}

struct arc_calib_table {
    enum arc_calib_kind kind;
    enum arc_dtype dtype;
    int64_t head_dim;       /* attention and lightning tables; 0 otherwise */
    int naxes;
    int len[3];
    double *x[3];           /* (len[i]) ascending axis values */
    double *lx[3];          /* (len[i]) their logs */
    double *lg;             /* (prod len) log g, row-major, last axis fastest */
};

/* ---- ops and points ---- */

void arc_calib_point_op(const struct arc_calib_point *p, struct arc_op_rec *o)
{
    memset(o, 0, sizeof *o);
    o->dtype = ARC_DTYPE_BF16;
    o->block = ARC_BLOCK_OTHER;
    snprintf(o->name, sizeof o->name, "%s", kind_info_[p->kind].name);
    uint64_t b = (uint64_t)p->batch, h = (uint64_t)p->heads, kvh = (uint64_t)p->kv_heads, d = (uint64_t)p->head_dim;
    switch (p->kind) {
    case ARC_CAL_GEMM: {
        o->op = ARC_OP_GEMM;
        o->dtype = (uint8_t)p->dtype;
        o->m = p->m, o->n = p->n, o->k = p->k;
        uint64_t es = (uint64_t)arc_dtype_bytes(p->dtype);
        o->flop = 2 * (uint64_t)p->m * (uint64_t)p->n * (uint64_t)p->k;
        o->bytes[ARC_MEM_WEIGHT] = (uint64_t)p->n * (uint64_t)p->k * es;
        o->bytes[ARC_MEM_ACT] = (uint64_t)p->m * (uint64_t)p->k * es + (uint64_t)p->m * (uint64_t)p->n * 2;
        break;
    }
    case ARC_CAL_COPY:
    case ARC_CAL_ELEMENTWISE:
        o->op = ARC_OP_ELEMENTWISE;
        if (p->kind == ARC_CAL_COPY)
            snprintf(o->name, sizeof o->name, "copy");
        o->m = p->bytes / 4, o->n = 1, o->k = 1; /* bf16 elements, read and written */
        o->flop = p->kind == ARC_CAL_COPY ? 0 : 2 * (uint64_t)(p->bytes / 4);
        o->bytes[ARC_MEM_ACT] = (uint64_t)p->bytes;
        break;
    case ARC_CAL_ELEMENTWISE_STRIDED:
        o->op = ARC_OP_ELEMENTWISE_STRIDED;
        o->m = p->bytes / 4, o->n = 1, o->k = 1; /* x read, x * s written, bf16 */
        o->flop = (uint64_t)(p->bytes / 4);
        o->bytes[ARC_MEM_ACT] = (uint64_t)p->bytes;
        break;
    case ARC_CAL_ATTN_PREFILL:
    case ARC_CAL_ATTN_DECODE: {
        o->op = ARC_OP_SOFTMAX_ATTN;
        o->batch = p->batch, o->heads = p->heads, o->kv_heads = p->kv_heads, o->head_dim = p->head_dim;
        uint64_t kv_row = 2 * kvh * d * 2;
        if (p->kind == ARC_CAL_ATTN_PREFILL) { /* as the trace builder counts a causal prefill */
            uint64_t t = b * (uint64_t)p->seq;
            o->seq_q = o->seq_kv = p->seq;
            o->flop = 2 * b * h * d * (uint64_t)p->seq * (uint64_t)(p->seq + 1);
            o->bytes[ARC_MEM_KV] = 2 * t * kv_row;
            o->bytes[ARC_MEM_ACT] = t * (2 * h + 2 * kvh) * d * 2;
        } else {
            o->seq_q = 1, o->seq_kv = p->seq_kv;
            o->flop = 4 * b * h * d * (uint64_t)p->seq_kv;
            o->bytes[ARC_MEM_KV] = b * (uint64_t)p->seq_kv * kv_row;
            o->bytes[ARC_MEM_ACT] = b * 2 * h * d * 2;
        }
        break;
    }
    case ARC_CAL_LIGHTNING_PREFILL:
    case ARC_CAL_LIGHTNING_DECODE: {
        o->op = ARC_OP_LIGHTNING_ATTN;
        o->batch = p->batch, o->heads = p->heads, o->head_dim = p->head_dim;
        uint64_t state = b * h * d * d * 4;
        if (p->kind == ARC_CAL_LIGHTNING_PREFILL) {
            o->seq_q = o->seq_kv = p->seq, o->chunk = 64;
            o->flop = b * h * arc_lightning_prefill_flop(p->seq, 64, p->head_dim);
            o->bytes[ARC_MEM_STATE] = state;
            o->bytes[ARC_MEM_ACT] = 4 * b * (uint64_t)p->seq * h * d * 2;
        } else {
            o->dtype = ARC_DTYPE_FP32;
            o->seq_q = 1, o->seq_kv = 1;
            o->flop = 5 * b * h * d * d;
            o->bytes[ARC_MEM_STATE] = 2 * state;
            o->bytes[ARC_MEM_ACT] = 4 * b * h * d * 2;
        }
        break;
    }
    default:
        ARC_ASSERT(0);
    }
}

/* The table kind an op falls in, and its axes; -1 when none does. */
static int op_kind_(const struct arc_op_rec *o, double ax[3])
{
    double bytes = 0;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        bytes += (double)o->bytes[i];
    switch ((enum arc_op)o->op) {
    case ARC_OP_GEMM:
        if (o->dtype != ARC_DTYPE_BF16 && o->dtype != ARC_DTYPE_FP8)
            return -1;
        ax[0] = (double)o->m, ax[1] = (double)o->n, ax[2] = (double)o->k;
        return ARC_CAL_GEMM;
    case ARC_OP_ELEMENTWISE:
    case ARC_OP_NORM:
    case ARC_OP_ROPE:
    case ARC_OP_EMBED:
        ax[0] = bytes;
        return o->op == ARC_OP_ELEMENTWISE && strcmp(o->name, "copy") == 0 ? ARC_CAL_COPY : ARC_CAL_ELEMENTWISE;
    case ARC_OP_ELEMENTWISE_STRIDED:
        ax[0] = bytes;
        return ARC_CAL_ELEMENTWISE_STRIDED;
    case ARC_OP_SOFTMAX_ATTN:
        if (o->seq_q > 1) {
            ax[0] = (double)o->batch * (double)o->heads, ax[1] = (double)o->seq_q;
            return ARC_CAL_ATTN_PREFILL;
        }
        ax[0] = (double)o->batch * (double)(o->kv_heads > 0 ? o->kv_heads : o->heads), ax[1] = (double)o->seq_kv;
        return ARC_CAL_ATTN_DECODE;
    case ARC_OP_LIGHTNING_ATTN:
        ax[0] = (double)o->batch * (double)o->heads, ax[1] = (double)o->seq_q;
        return o->seq_q > 1 ? ARC_CAL_LIGHTNING_PREFILL : ARC_CAL_LIGHTNING_DECODE;
    default:
        return -1;
    }
}

/* roof terms of an op with the given peaks */
static void roof_(const struct arc_op_rec *o, enum arc_calib_kind kind, const struct arc_calib_roof *r,
                  double *compute_s, double *memory_s)
{
    double bytes = 0;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        bytes += (double)o->bytes[i];
    double rate = kind == ARC_CAL_GEMM && o->dtype == ARC_DTYPE_FP8 ? r->fp8_flops_per_s
                : kind == ARC_CAL_GEMM || kind == ARC_CAL_ATTN_PREFILL || kind == ARC_CAL_ATTN_DECODE ||
                          kind == ARC_CAL_LIGHTNING_PREFILL
                      ? r->bf16_flops_per_s
                      : r->fp32_flops_per_s;
    *compute_s = (double)o->flop / rate;
    *memory_s = bytes / r->mem_bw_bytes_per_s;
}

static void hw_roof_(const struct arc_hw *hw, struct arc_calib_roof *r)
{
    r->bf16_flops_per_s = hw->f[ARC_HWF_BF16_PEAK];
    r->fp8_flops_per_s = hw->f[ARC_HWF_FP8_PEAK] > 0 ? hw->f[ARC_HWF_FP8_PEAK] : hw->f[ARC_HWF_BF16_PEAK];
    r->fp32_flops_per_s = hw->f[ARC_HWF_FP32_VECTOR];
    r->mem_bw_bytes_per_s = hw->f[ARC_HWF_MEM_BW];
}

/* ---- interpolation ---- */

/* bracket of lq (a log) on the log axis lx (len n): index i and weight w of lx[i + 1], clamped */
static void bracket_(const double *lx, int n, double lq, int *i, double *w)
{
    if (n == 1 || lq <= lx[0]) {
        *i = 0, *w = 0;
        return;
    }
    if (lq >= lx[n - 1]) {
        *i = n - 2, *w = 1;
        return;
    }
    int lo = 0, hi = n - 1; /* lx[lo] <= lq < lx[hi] */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (lx[mid] <= lq)
            lo = mid;
        else
            hi = mid;
    }
    *i = lo;
    *w = (lq - lx[lo]) / (lx[lo + 1] - lx[lo]);
}

/* one log per axis and one exp per call: the cost engine calls this for every op */
double arc_calib_interp(int n, const int *len, const double *const *lx, const double *lvals, const double *q)
{
    ARC_ASSERT(n >= 1 && n <= 3);
    int idx[3] = {0}, stride[3] = {1, 1, 1};
    double w[3] = {0};
    for (int a = 0; a < n; a++)
        bracket_(lx[a], len[a], q[a] > 0 ? log(q[a]) : lx[a][0], &idx[a], &w[a]);
    for (int a = n - 2; a >= 0; a--)
        stride[a] = stride[a + 1] * len[a + 1];
    double acc = 0;
    for (int corner = 0; corner < (1 << n); corner++) {
        double wt = 1;
        int off = 0;
        for (int a = 0; a < n; a++) {
            int hi = (corner >> a) & 1;
            if (len[a] == 1 && hi)
                wt = 0;
            wt *= hi ? w[a] : 1 - w[a];
            off += (idx[a] + (len[a] > 1 ? hi : 0)) * stride[a];
        }
        if (wt != 0)
            acc += wt * lvals[off];
    }
    return exp(acc);
}

/* ---- loading ---- */

/* arc_json_num at where + key; an absent optional member is 0, a number read 1 */
static int get_num_(const cJSON *o, const char *file, const char *where, const char *key, double lo, double hi,
                    int required, double *out)
{
    if (!required && !cJSON_GetObjectItemCaseSensitive(o, key))
        return 0;
    char field[96];
    snprintf(field, sizeof field, "%s%s", where, key);
    int st = arc_json_num(o, file, field, key, lo, hi, out);
    return st < 0 ? st : 1;
}

/* arc_json_str at where + key, non-empty and short enough for out */
static int get_str_(const cJSON *o, const char *file, const char *where, const char *key, char *out, size_t n)
{
    char field[96];
    snprintf(field, sizeof field, "%s%s", where, key);
    const char *v;
    int st = arc_json_str(o, file, field, key, &v);
    if (st < 0)
        return st;
    if (!v[0] || strlen(v) >= n)
        return arc_errorf(ARC_EINPUT, "%s:%s: expected a non-empty string of at most %zu characters", file, field, n - 1);
    snprintf(out, n, "%s", v);
    return ARC_OK;
}

/* the shape fields each kind has: names in the file, places in the point */
enum { M_, N_, K_, BYTES_, BATCH_, HEADS_, KVH_, HD_, SEQ_, SKV_ };
static const struct {
    const char *key;
    size_t off;
} f_[] = {
    [M_] = {"m", offsetof(struct arc_calib_point, m)},
    [N_] = {"n", offsetof(struct arc_calib_point, n)},
    [K_] = {"k", offsetof(struct arc_calib_point, k)},
    [BYTES_] = {"bytes", offsetof(struct arc_calib_point, bytes)},
    [BATCH_] = {"batch", offsetof(struct arc_calib_point, batch)},
    [HEADS_] = {"heads", offsetof(struct arc_calib_point, heads)},
    [KVH_] = {"kv_heads", offsetof(struct arc_calib_point, kv_heads)},
    [HD_] = {"head_dim", offsetof(struct arc_calib_point, head_dim)},
    [SEQ_] = {"seq", offsetof(struct arc_calib_point, seq)},
    [SKV_] = {"seq_kv", offsetof(struct arc_calib_point, seq_kv)},
};
static const signed char need_[ARC_CAL_KIND_COUNT][6] = {
    [ARC_CAL_GEMM] = {M_, N_, K_, -1},
    [ARC_CAL_COPY] = {BYTES_, -1},
    [ARC_CAL_ELEMENTWISE] = {BYTES_, -1},
    [ARC_CAL_ATTN_PREFILL] = {BATCH_, HEADS_, KVH_, HD_, SEQ_, -1},
    [ARC_CAL_ATTN_DECODE] = {BATCH_, HEADS_, KVH_, HD_, SKV_, -1},
    [ARC_CAL_LIGHTNING_PREFILL] = {BATCH_, HEADS_, HD_, SEQ_, -1},
    [ARC_CAL_LIGHTNING_DECODE] = {BATCH_, HEADS_, HD_, -1},
    [ARC_CAL_ELEMENTWISE_STRIDED] = {BYTES_, -1},
};
_Static_assert(sizeof need_[0] == ARC_CAL_SHAPE_MAX + 1, "a kind's fields and the -1 after them fill a row");

int arc_calib_point_shape(const struct arc_calib_point *p, const char *keys[ARC_CAL_SHAPE_MAX],
                          int64_t vals[ARC_CAL_SHAPE_MAX])
{
    int n = 0;
    for (const signed char *q = need_[p->kind]; *q >= 0; q++, n++) {
        keys[n] = f_[*q].key;
        memcpy(&vals[n], (const char *)p + f_[*q].off, sizeof vals[n]);
    }
    return n;
}

static int parse_point_(const cJSON *j, const char *file, int i, struct arc_calib_point *p)
{
    char where[48], s[32];
    snprintf(where, sizeof where, "points[%d].", i);
    memset(p, 0, sizeof *p);
    if (!cJSON_IsObject(j))
        return arc_errorf(ARC_EINPUT, "%s:points[%d]: expected an object", file, i);
    int st = get_str_(j, file, where, "kind", s, sizeof s);
    if (st < 0)
        return st;
    int k = -1;
    for (int q = 0; q < ARC_CAL_KIND_COUNT; q++)
        if (strcmp(s, kind_info_[q].name) == 0)
            k = q;
    if (k < 0)
        return arc_errorf(ARC_EINPUT, "%s:%skind: expected gemm, copy, elementwise, attn_prefill, attn_decode, "
                          "lightning_prefill or lightning_decode", file, where);
    p->kind = (enum arc_calib_kind)k;
    p->dtype = ARC_DTYPE_BF16;
    if (p->kind == ARC_CAL_GEMM) {
        if ((st = get_str_(j, file, where, "dtype", s, sizeof s)) < 0)
            return st;
        if (arc_dtype_parse(s, &p->dtype) < 0 || (p->dtype != ARC_DTYPE_BF16 && p->dtype != ARC_DTYPE_FP8))
            return arc_errorf(ARC_EINPUT, "%s:%sdtype: expected bf16 or fp8", file, where);
    }
    for (const signed char *q = need_[p->kind]; *q >= 0; q++) {
        char field[64];
        snprintf(field, sizeof field, "%s%s", where, f_[*q].key);
        int64_t iv;
        if ((st = arc_json_int(j, file, field, f_[*q].key, 1, INT64_C(1000000000000000), &iv)) < 0)
            return st;
        memcpy((char *)p + f_[*q].off, &iv, sizeof iv);
    }
    double reps = 0;
    if ((st = get_num_(j, file, where, "time_s", 1e-9, 100, 1, &p->time_s)) < 0 ||
        (st = get_num_(j, file, where, "time_min_s", 1e-9, 100, 1, &p->time_min_s)) < 0 ||
        (st = get_num_(j, file, where, "time_max_s", 1e-9, 100, 1, &p->time_max_s)) < 0 ||
        (st = get_num_(j, file, where, "reps", 1, 1e9, 1, &reps)) < 0)
        return st;
    if (!(p->time_min_s <= p->time_s && p->time_s <= p->time_max_s))
        return arc_errorf(ARC_EINPUT, "%s:%stime_s: expected time_min_s <= time_s <= time_max_s", file, where);
    p->reps = (int)reps;
    p->energy_j = p->power_w = -1;
    p->sm_clock_mhz = 0;
    if ((st = get_num_(j, file, where, "energy_j", 1e-12, 1e6, 0, &p->energy_j)) < 0 ||
        (st = get_num_(j, file, where, "power_w", 1, 1e5, 0, &p->power_w)) < 0 ||
        (st = get_num_(j, file, where, "sm_clock_mhz", 1, 1e5, 0, &p->sm_clock_mhz)) < 0)
        return st;
    static const char *const known[] = {"kind", "dtype", "m", "n", "k", "bytes", "batch", "heads", "kv_heads",
                                        "head_dim", "seq", "seq_kv", "time_s", "time_min_s", "time_max_s", "reps",
                                        "energy_j", "power_w", "sm_clock_mhz"};
    for (const cJSON *c = j->child; c; c = c->next) {
        size_t q = 0;
        while (q < sizeof known / sizeof known[0] && strcmp(c->string, known[q]))
            q++;
        if (q == sizeof known / sizeof known[0])
            return arc_errorf(ARC_EINPUT, "%s:%s%s: unknown key; expected a measured kernel's fields (calib.h)", file,
                              where, c->string);
    }
    if ((p->energy_j >= 0) != (p->power_w >= 0))
        return arc_errorf(ARC_EINPUT, "%s:%senergy_j: expected energy_j and power_w together", file, where);
    return ARC_OK;
}

static int64_t key_hd_(const struct arc_calib_point *p)
{
    return p->kind >= ARC_CAL_ATTN_PREFILL && p->kind <= ARC_CAL_LIGHTNING_DECODE ? p->head_dim : 0; /* has one */
}

static void point_axes_(const struct arc_calib_point *p, double ax[3])
{
    struct arc_op_rec o;
    arc_calib_point_op(p, &o);
    int k = op_kind_(&o, ax);
    ARC_ASSERT(k == (int)p->kind);
}

static int cmp_d_(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int axis_index_(const double *x, int n, double v)
{
    for (int i = 0; i < n; i++)
        if (x[i] == v)
            return i;
    return -1;
}

/* groups the points into tables and checks each is a full grid */
static int build_tables_(struct arc_calib *c)
{
    int *tab_of = arc_xcalloc((size_t)c->n_points, sizeof *tab_of);
    c->tables = arc_xcalloc((size_t)c->n_points + 1, sizeof *c->tables);
    int st = ARC_OK;
    for (int i = 0; i < c->n_points; i++) {
        const struct arc_calib_point *p = &c->points[i];
        int t = -1;
        for (int q = 0; q < c->n_tables && t < 0; q++)
            if (c->tables[q].kind == p->kind && c->tables[q].dtype == p->dtype && c->tables[q].head_dim == key_hd_(p))
                t = q;
        if (t < 0) {
            t = c->n_tables++;
            struct arc_calib_table *tb = &c->tables[t];
            tb->kind = p->kind, tb->dtype = p->dtype, tb->head_dim = key_hd_(p);
            tb->naxes = kind_info_[p->kind].naxes;
            for (int a = 0; a < tb->naxes; a++)
                tb->x[a] = arc_xcalloc((size_t)c->n_points, sizeof(double));
        }
        tab_of[i] = t;
        struct arc_calib_table *tb = &c->tables[t];
        double ax[3];
        point_axes_(p, ax);
        for (int a = 0; a < tb->naxes; a++)
            if (axis_index_(tb->x[a], tb->len[a], ax[a]) < 0)
                tb->x[a][tb->len[a]++] = ax[a];
    }
    for (int t = 0; t < c->n_tables && st >= 0; t++) {
        struct arc_calib_table *tb = &c->tables[t];
        size_t cells = 1;
        for (int a = 0; a < tb->naxes; a++) {
            qsort(tb->x[a], (size_t)tb->len[a], sizeof(double), cmp_d_);
            tb->lx[a] = arc_xcalloc((size_t)tb->len[a], sizeof(double));
            for (int i = 0; i < tb->len[a]; i++)
                tb->lx[a][i] = log(tb->x[a][i]);
            cells *= (size_t)tb->len[a];
        }
        tb->lg = arc_xcalloc(cells, sizeof(double));
        int *seen = arc_xcalloc(cells, sizeof *seen);
        for (int i = 0; i < c->n_points && st >= 0; i++) {
            if (tab_of[i] != t)
                continue;
            const struct arc_calib_point *p = &c->points[i];
            double ax[3];
            point_axes_(p, ax);
            size_t off = 0;
            for (int a = 0; a < tb->naxes; a++)
                off = off * (size_t)tb->len[a] + (size_t)axis_index_(tb->x[a], tb->len[a], ax[a]);
            if (seen[off]++) {
                st = arc_errorf(ARC_EINPUT, "%s:points[%d]: the same %s shape is measured twice; expected one point per shape",
                                c->file, i, kind_info_[p->kind].name);
                break;
            }
            struct arc_op_rec o;
            arc_calib_point_op(p, &o);
            double cs, ms;
            roof_(&o, p->kind, &c->roof, &cs, &ms);
            double roof = cs > ms ? cs : ms, rest = p->time_s - c->t0_s;
            /* a kernel no slower than an empty one: its work is within the fixed cost's noise */
            double g = roof > 0 && rest > 0 ? rest / roof : 1e-3;
            tb->lg[off] = log(g < 1e-3 ? 1e-3 : g);
        }
        for (size_t q = 0; q < cells && st >= 0; q++)
            if (!seen[q]) {
                char msg[200] = "";
                size_t r = q, at[3] = {0};
                for (int a = tb->naxes - 1; a >= 0; a--) {
                    at[a] = r % (size_t)tb->len[a];
                    r /= (size_t)tb->len[a];
                }
                for (int a = 0; a < tb->naxes; a++) {
                    size_t u = strlen(msg);
                    snprintf(msg + u, sizeof msg - u, "%s%s %.0f", a ? ", " : "", kind_info_[tb->kind].axes[a],
                             tb->x[a][at[a]]);
                }
                st = arc_errorf(ARC_EINPUT, "%s:points: %s %s is not a full grid: no point at %s", c->file,
                                kind_info_[tb->kind].name, arc_dtype_name(tb->dtype), msg);
            }
        free(seen);
    }
    free(tab_of);
    return st;
}

/* ---- the energy fit: non-negative least squares on relative error ---- */

static const char *const eclass_names_[] = {
    [ARC_ECL_GEMM_BF16] = "gemm bf16", [ARC_ECL_GEMM_FP8] = "gemm fp8", [ARC_ECL_STREAM] = "stream",
    [ARC_ECL_ATTN_PREFILL] = "attention prefill", [ARC_ECL_ATTN_DECODE] = "attention decode",
    [ARC_ECL_STRIDED] = "elementwise strided",
};
_Static_assert(ARC_ECL_COUNT == 6, "update eclass_names_");

const char *arc_calib_eclass_name(enum arc_calib_eclass e)
{
    ARC_ASSERT(e < ARC_ECL_COUNT);
    return eclass_names_[e];
}

static enum arc_calib_eclass eclass_(enum arc_calib_kind k, enum arc_dtype dt)
{
    switch (k) {
    case ARC_CAL_GEMM: return dt == ARC_DTYPE_FP8 ? ARC_ECL_GEMM_FP8 : ARC_ECL_GEMM_BF16;
    case ARC_CAL_COPY:
    case ARC_CAL_ELEMENTWISE: return ARC_ECL_STREAM;
    case ARC_CAL_ELEMENTWISE_STRIDED: return ARC_ECL_STRIDED;
    case ARC_CAL_ATTN_PREFILL:
    case ARC_CAL_LIGHTNING_PREFILL: return ARC_ECL_ATTN_PREFILL;
    case ARC_CAL_ATTN_DECODE:
    case ARC_CAL_LIGHTNING_DECODE:
    case ARC_CAL_KIND_COUNT: break;
    }
    return ARC_ECL_ATTN_DECODE;
}

enum { NE = 1 + 2 * ARC_ECL_COUNT }; /* busy W, then per class pJ/flop and pJ/byte */

static void work_(const struct arc_op_rec *o, double *flop, double *bytes)
{
    *flop = (double)o->flop;
    *bytes = 0;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        *bytes += (double)o->bytes[i];
}

static void energy_row_(const struct arc_calib_point *p, double row[NE])
{
    struct arc_op_rec o;
    arc_calib_point_op(p, &o);
    double flop, bytes;
    work_(&o, &flop, &bytes);
    int e = eclass_(p->kind, p->dtype);
    memset(row, 0, NE * sizeof *row);
    row[0] = p->time_s;
    row[1 + 2 * e] = flop * 1e-12;
    row[2 + 2 * e] = bytes * 1e-12;
}

/* solves a x = b over the first n variables (Gaussian elimination); 0 on success */
static int solve_(double a[NE][NE], double *b, int n)
{
    for (int c = 0; c < n; c++) {
        int piv = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c]))
                piv = r;
        if (fabs(a[piv][c]) < 1e-300)
            return -1;
        for (int k = 0; k < n; k++) {
            double t = a[c][k];
            a[c][k] = a[piv][k], a[piv][k] = t;
        }
        double t = b[c];
        b[c] = b[piv], b[piv] = t;
        for (int r = 0; r < n; r++) {
            if (r == c)
                continue;
            double f = a[r][c] / a[c][c];
            for (int k = c; k < n; k++)
                a[r][k] -= f * a[c][k];
            b[r] -= f * b[c];
        }
    }
    for (int c = 0; c < n; c++)
        b[c] /= a[c][c];
    return 0;
}

static double quantile_(double *v, int n, double q)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_d_);
    double pos = q * (n - 1);
    int i = (int)floor(pos);
    return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

/* the fitted model of a kernel's board energy, capped at the power limit */
static double model_energy_(const struct arc_calib *c, double t, double row[NE], const double *x)
{
    double e = 0;
    for (int k = 0; k < NE; k++)
        e += row[k] * x[k];
    return c->power_limit_w > 0 && e > c->power_limit_w * t ? c->power_limit_w * t : e;
}

static int below_cap_(const struct arc_calib *c, const struct arc_calib_point *p)
{
    return p->power_w < 0.9 * c->power_limit_w;
}

static void fit_energy_(struct arc_calib *c)
{
    struct arc_calib_energy *e = &c->energy;
    memset(e, 0, sizeof *e);
    /* every measured energy once: its row, its energy, whether it ran below the cap (fitted) */
    int all = 0, n = 0, used[NE] = {0};
    for (int i = 0; i < c->n_points; i++)
        all += c->points[i].energy_j > 0;
    double (*row)[NE] = arc_xcalloc((size_t)all + 1, sizeof *row);
    double *en = arc_xcalloc((size_t)all + 1, sizeof *en), *err = arc_xcalloc((size_t)all + 1, sizeof *err);
    unsigned char *fit = arc_xcalloc((size_t)all + 1, 1);
    for (int i = 0, q = 0; i < c->n_points; i++) {
        const struct arc_calib_point *p = &c->points[i];
        if (p->energy_j <= 0)
            continue;
        energy_row_(p, row[q]);
        en[q] = p->energy_j;
        fit[q] = below_cap_(c, p);
        if (fit[q]) {
            for (int k = 0; k < NE; k++)
                used[k] += row[q][k] > 0;
            e->class_points[eclass_(p->kind, p->dtype)]++;
            n++;
        } else {
            e->capped++;
        }
        q++;
    }
    /* A class whose energies all have one ratio of flop to bytes (within 1%: decode attention, the
     * generic elementwise kernel, memory-bound with a fixed op per element) cannot tell its two terms
     * apart; it gets the per-byte term alone, so the fit is not an arbitrary split of one figure. */
    for (int k = 0; k < ARC_ECL_COUNT; k++) {
        double lo = INFINITY, hi = 0;
        for (int r = 0; r < all; r++)
            if (fit[r] && row[r][2 + 2 * k] > 0) {
                double v = row[r][1 + 2 * k] / row[r][2 + 2 * k];
                lo = v < lo ? v : lo, hi = v > hi ? v : hi;
            }
        if (lo > 0 && hi <= 1.01 * lo)
            used[1 + 2 * k] = 0;
    }
    /* every subset of the variables with data; the best fit whose coefficients are all >= 0 */
    double best_x[NE] = {0}, best = INFINITY;
    for (unsigned mask = 1; n >= NE + 3 && mask < (1u << NE); mask += 2) { /* busy power always fitted */
        int vars[NE], nv = 0, ok = 1;
        for (int k = 0; k < NE; k++)
            if (mask & (1u << k)) {
                ok &= used[k] > 0;
                vars[nv++] = k;
            }
        if (!ok)
            continue;
        double a[NE][NE] = {{0}}, b[NE] = {0};
        for (int q = 0; q < all; q++)
            for (int r = 0; fit[q] && r < nv; r++) {
                for (int v = 0; v < nv; v++)
                    a[r][v] += row[q][vars[r]] * row[q][vars[v]] / (en[q] * en[q]);
                b[r] += row[q][vars[r]] / en[q];
            }
        if (solve_(a, b, nv) < 0)
            continue;
        double x[NE] = {0}, ss = 0;
        int neg = 0;
        for (int r = 0; r < nv; r++) {
            x[vars[r]] = b[r];
            neg |= b[r] < 0;
        }
        for (int q = 0; q < all && !neg; q++)
            if (fit[q]) {
                double d = model_energy_(c, row[q][0], row[q], x) / en[q] - 1;
                ss += d * d;
            }
        if (!neg && ss < best) {
            best = ss;
            memcpy(best_x, x, sizeof x);
        }
    }
    if (isfinite(best)) {
        e->busy_w = best_x[0];
        for (int k = 0; k < ARC_ECL_COUNT; k++) {
            int has = e->class_points[k] > 0;
            e->pj_per_flop[k] = best_x[1 + 2 * (has ? k : 0)];
            e->pj_per_byte[k] = best_x[2 + 2 * (has ? k : 0)];
        }
        e->points = n;
        e->fitted = 1;
        for (int q = 0; q < all; q++)
            err[q] = fabs(model_energy_(c, row[q][0], row[q], best_x) / en[q] - 1);
        e->median_rel_err = quantile_(err, all, 0.5);
        e->p90_rel_err = quantile_(err, all, 0.9);
    }
    free(row), free(en), free(err), free(fit);
}

int arc_calib_load(const char *name_or_path, struct arc_calib *c)
{
    memset(c, 0, sizeof *c);
    cJSON *j = NULL;
    int st = arc_json_load("sim/calib", "calibration", name_or_path, &j, c->file, sizeof c->file, &c->file_fnv);
    if (st < 0)
        return st;
    const char *f = c->file;
    double v;
    const cJSON *prov, *launch, *roof, *pts;
    if (!cJSON_IsObject(j)) {
        st = arc_errorf(ARC_EINPUT, "%s: expected a JSON object", f);
        goto out;
    }
    if ((st = get_num_(j, f, "", "arclight_calibration", 1, 1e6, 1, &v)) < 0)
        goto out;
    if (v != ARC_CALIB_FORMAT) {
        st = arc_errorf(ARC_EINPUT, "%s:arclight_calibration: expected format %d, got %g", f, ARC_CALIB_FORMAT, v);
        goto out;
    }
    if ((st = get_str_(j, f, "", "hw", c->hw, sizeof c->hw)) < 0 || (st = get_str_(j, f, "", "set", c->set, sizeof c->set)) < 0)
        goto out;
    if (strcmp(c->set, "grid") && strcmp(c->set, "holdout")) {
        st = arc_errorf(ARC_EINPUT, "%s:set: expected \"grid\" or \"holdout\"", f);
        goto out;
    }
    prov = cJSON_GetObjectItemCaseSensitive(j, "provenance");
    if (!cJSON_IsObject(prov)) {
        st = arc_errorf(ARC_EINPUT, "%s:provenance: expected an object (gpu, driver, cuda, date, arclight, ...)", f);
        goto out;
    }
    {
        char drv[64], cuda[32], date[40], commit[64], lt[32];
        double smin, smax, mclk, plim;
        if ((st = get_str_(prov, f, "provenance.", "gpu", c->gpu, sizeof c->gpu)) < 0 ||
            (st = get_str_(prov, f, "provenance.", "driver", drv, sizeof drv)) < 0 ||
            (st = get_str_(prov, f, "provenance.", "cuda", cuda, sizeof cuda)) < 0 ||
            (st = get_str_(prov, f, "provenance.", "cublaslt", lt, sizeof lt)) < 0 ||
            (st = get_str_(prov, f, "provenance.", "date", date, sizeof date)) < 0 ||
            (st = get_str_(prov, f, "provenance.", "arclight", commit, sizeof commit)) < 0 ||
            (st = get_num_(prov, f, "provenance.", "sm_clock_mhz_min", 1, 1e5, 1, &smin)) < 0 ||
            (st = get_num_(prov, f, "provenance.", "sm_clock_mhz_max", 1, 1e5, 1, &smax)) < 0 ||
            (st = get_num_(prov, f, "provenance.", "mem_clock_mhz", 1, 1e5, 1, &mclk)) < 0 ||
            (st = get_num_(prov, f, "provenance.", "power_limit_w", 1, 1e5, 1, &plim)) < 0)
            goto out;
        c->power_limit_w = plim;
        snprintf(c->provenance, sizeof c->provenance,
                 "%s, driver %s, CUDA %s, cuBLASLt %s, SM clock seen %.0f-%.0f MHz, memory %.0f MHz, power limit %.0f W, "
                 "measured %s by arclight %s",
                 c->gpu, drv, cuda, lt, smin, smax, mclk, plim, date, commit);
    }
    launch = cJSON_GetObjectItemCaseSensitive(j, "launch");
    roof = cJSON_GetObjectItemCaseSensitive(j, "roof");
    if (!cJSON_IsObject(launch) || !cJSON_IsObject(roof)) {
        st = arc_errorf(ARC_EINPUT, "%s:%s: expected an object", f, cJSON_IsObject(launch) ? "roof" : "launch");
        goto out;
    }
    if ((st = get_num_(launch, f, "launch.", "graph_kernel_s", 1e-9, 1e-3, 1, &c->t0_s)) < 0 ||
        (st = get_num_(launch, f, "launch.", "stream_kernel_s", 1e-9, 1e-3, 1, &c->launch_stream_s)) < 0 ||
        (st = get_num_(j, f, "", "idle_w", 1, 1e5, 1, &c->idle_w)) < 0 ||
        (st = get_num_(roof, f, "roof.", "bf16_flops_per_s", 1e9, 1e18, 1, &c->roof.bf16_flops_per_s)) < 0 ||
        (st = get_num_(roof, f, "roof.", "fp8_flops_per_s", 1e9, 1e18, 1, &c->roof.fp8_flops_per_s)) < 0 ||
        (st = get_num_(roof, f, "roof.", "fp32_flops_per_s", 1e9, 1e18, 1, &c->roof.fp32_flops_per_s)) < 0 ||
        (st = get_num_(roof, f, "roof.", "mem_bw_bytes_per_s", 1e9, 1e15, 1, &c->roof.mem_bw_bytes_per_s)) < 0)
        goto out;
    pts = cJSON_GetObjectItemCaseSensitive(j, "points");
    if (!cJSON_IsArray(pts) || cJSON_GetArraySize(pts) == 0) {
        st = arc_errorf(ARC_EINPUT, "%s:points: expected a non-empty array of measured kernels", f);
        goto out;
    }
    c->n_points = cJSON_GetArraySize(pts);
    c->points = arc_xcalloc((size_t)c->n_points, sizeof *c->points);
    {
        int i = 0;
        for (const cJSON *p = pts->child; p; p = p->next, i++)
            if ((st = parse_point_(p, f, i, &c->points[i])) < 0)
                goto out;
    }
    /* a holdout set is only compared point by point; it may measure a shape twice */
    if (strcmp(c->set, "grid") == 0 && (st = build_tables_(c)) < 0)
        goto out;
    fit_energy_(c);
    {
        char tabs[200] = "";
        for (int t = 0; t < c->n_tables; t++) {
            size_t u = strlen(tabs);
            snprintf(tabs + u, sizeof tabs - u, "%s%s%s%s", t ? ", " : "", kind_info_[c->tables[t].kind].name,
                     c->tables[t].kind == ARC_CAL_GEMM ? " " : "",
                     c->tables[t].kind == ARC_CAL_GEMM ? arc_dtype_name(c->tables[t].dtype) : "");
        }
        snprintf(c->method, sizeof c->method,
                 "calibrated (%s; %s): per kernel %.2f us fixed + roofline x measured inefficiency by shape "
                 "[%s]; %s; ops with no table (collectives) by the roofline",
                 c->file, c->provenance, c->t0_s * 1e6, tabs,
                 c->energy.fitted ? "energy fitted to the measured board energy" : "energy from the hardware file (no energies measured)");
    }
out:
    cJSON_Delete(j);
    if (st < 0)
        arc_calib_free(c);
    return st;
}

void arc_calib_free(struct arc_calib *c)
{
    for (int t = 0; t < c->n_tables; t++) {
        for (int a = 0; a < 3; a++) {
            free(c->tables[t].x[a]);
            free(c->tables[t].lx[a]);
        }
        free(c->tables[t].lg);
    }
    free(c->tables);
    free(c->points);
    memset(c, 0, sizeof *c);
}

/* ---- the shared cache ---- */

struct cached_ {
    char key[256];
    struct arc_calib c;
    struct cached_ *next;
};
static struct cached_ *cache_;
static pthread_mutex_t cache_lock_ = PTHREAD_MUTEX_INITIALIZER;

int arc_calib_get(const char *name_or_path, const char *hw_file, const char *gpu, const struct arc_calib **out)
{
    *out = NULL;
    pthread_mutex_lock(&cache_lock_);
    struct cached_ *e = cache_;
    while (e && strcmp(e->key, name_or_path))
        e = e->next;
    int st = ARC_OK;
    if (!e) {
        e = arc_xcalloc(1, sizeof *e);
        snprintf(e->key, sizeof e->key, "%s", name_or_path);
        if ((st = arc_calib_load(name_or_path, &e->c)) < 0) {
            free(e);
            e = NULL;
        } else {
            e->next = cache_;
            cache_ = e;
        }
    }
    pthread_mutex_unlock(&cache_lock_);
    if (st < 0)
        return st;
    if (strcmp(e->c.set, "grid"))
        return arc_errorf(ARC_EINPUT, "%s:set: expected a calibration (\"grid\"); a \"holdout\" set is for arclight validate",
                          e->c.file);
    if (gpu && strcmp(gpu, e->c.gpu))
        return arc_errorf(ARC_EINPUT, "%s:provenance.gpu: expected a calibration measured on %s (the GPU of %s), got %s",
                          e->c.file, gpu, hw_file, e->c.gpu);
    *out = &e->c;
    return ARC_OK;
}

/* ---- prediction ---- */

static const struct arc_calib_table *table_(const struct arc_calib *c, enum arc_calib_kind k, enum arc_dtype dt,
                                            int64_t hd)
{
    const struct arc_calib_table *best = NULL;
    double bd = INFINITY;
    for (int t = 0; t < c->n_tables; t++) {
        const struct arc_calib_table *tb = &c->tables[t];
        if (tb->kind != k || (k == ARC_CAL_GEMM && tb->dtype != dt))
            continue;
        double d = tb->head_dim > 0 && hd > 0 ? fabs(log((double)tb->head_dim / (double)hd)) : 0;
        if (d < bd)
            bd = d, best = tb;
    }
    return best;
}

static int one_(const struct arc_calib *c, const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_calib_cost *out)
{
    double ax[3];
    int k = op_kind_(o, ax);
    if (k < 0)
        return 0;
    const struct arc_calib_table *tb = table_(c, (enum arc_calib_kind)k, (enum arc_dtype)o->dtype, o->head_dim);
    if (!tb)
        return 0;
    struct arc_calib_roof r;
    hw_roof_(hw, &r);
    double cs, ms;
    roof_(o, (enum arc_calib_kind)k, &r, &cs, &ms);
    double g = arc_calib_interp(tb->naxes, tb->len, (const double *const *)tb->lx, tb->lg, ax);
    /* below the smallest measured value of a parallel axis (kind_info_.hold), the kernel takes what
     * that smallest shape takes: a GEMM's roof at the shape with that axis raised (its bytes do not
     * all scale with n), the others' roof scaled by the axis' ratio (their work does); the excess is
     * overhead */
    double up = 1, held[3];
    int raised = 0;
    for (int a = 0; a < tb->naxes; a++) {
        held[a] = ax[a];
        if (kind_info_[k].hold[a] && ax[a] > 0 && ax[a] < tb->x[a][0]) {
            up *= tb->x[a][0] / ax[a];
            held[a] = tb->x[a][0];
            raised = 1;
        }
    }
    double roof = cs > ms ? cs : ms, roof_held = roof * up;
    if (raised && k == ARC_CAL_GEMM) {
        struct arc_calib_point p = {.kind = ARC_CAL_GEMM, .dtype = (enum arc_dtype)o->dtype, .m = (int64_t)held[0],
                                    .n = (int64_t)held[1], .k = (int64_t)held[2]};
        struct arc_op_rec h;
        arc_calib_point_op(&p, &h);
        double hc, hm;
        roof_(&h, ARC_CAL_GEMM, &r, &hc, &hm);
        roof_held = hc > hm ? hc : hm;
        if (roof_held < roof)
            roof_held = roof;
    }
    memset(out, 0, sizeof *out);
    out->g = g;
    out->compute_s = cs * g;
    out->memory_s = ms * g;
    out->overhead_s = c->t0_s + (roof_held - roof) * g;
    out->time_s = roof_held * g + c->t0_s;
    out->flop = (double)o->flop;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        out->bytes += (double)o->bytes[i];
    const struct arc_calib_energy *e = &c->energy;
    if (e->fitted) {
        int cl = eclass_((enum arc_calib_kind)k, (enum arc_dtype)o->dtype);
        out->dyn_compute_j = out->flop * e->pj_per_flop[cl] * 1e-12;
        out->dyn_memory_j = out->bytes * e->pj_per_byte[cl] * 1e-12;
        double dyn = out->dyn_compute_j + out->dyn_memory_j, room = (c->power_limit_w - e->busy_w) * out->time_s;
        if (dyn > room && dyn > 0) { /* the board throttles at its limit: energy is limit x time */
            double f = room > 0 ? room / dyn : 0;
            out->dyn_compute_j *= f, out->dyn_memory_j *= f;
        }
    }
    return 1;
}

int arc_calib_op(const struct arc_calib *c, const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_calib_cost *out)
{
    if (o->op != ARC_OP_GROUPED_GEMM)
        return one_(c, o, hw, out);
    /* One grouped kernel (a batched matmul, a grouped MoE GEMM), as efficient as a GEMM of all its
     * rows (m over the groups) against n x k, and moving every group's own n x k matrix: the
     * roofline counts the op's bytes, the table is read at (m, n, k). */
    struct arc_op_rec g = *o;
    g.op = ARC_OP_GEMM;
    return one_(c, &g, hw, out);
}

/* ---- validation ---- */

static int same_shape_(const struct arc_calib_point *a, const struct arc_calib_point *b)
{
    return a->kind == b->kind && a->dtype == b->dtype && a->m == b->m && a->n == b->n && a->k == b->k &&
           a->bytes == b->bytes && a->batch == b->batch && a->heads == b->heads && a->kv_heads == b->kv_heads &&
           a->head_dim == b->head_dim && a->seq == b->seq && a->seq_kv == b->seq_kv;
}

static void fill_row_(struct arc_calib_check *row, double *lat, int n, double *en, int ne)
{
    row->n = n;
    row->n_energy = ne;
    row->max_err = n ? quantile_(lat, n, 1.0) : 0;
    row->med_err = quantile_(lat, n, 0.5);
    row->p90_err = quantile_(lat, n, 0.9);
    row->max_err_e = ne ? quantile_(en, ne, 1.0) : 0;
    row->med_err_e = quantile_(en, ne, 0.5);
    row->p90_err_e = quantile_(en, ne, 0.9);
}

int arc_calib_predict(const struct arc_calib *cal, const struct arc_hw *hw, const struct arc_calib_point *p,
                      double *time_s, double *energy_j)
{
    struct arc_op_rec o;
    arc_calib_point_op(p, &o);
    struct arc_calib_cost cc;
    *time_s = *energy_j = 0;
    if (!arc_calib_op(cal, &o, hw, &cc))
        return 0;
    *time_s = cc.time_s;
    if (cal->energy.fitted)
        *energy_j = cal->energy.busy_w * cc.time_s + cc.dyn_compute_j + cc.dyn_memory_j;
    return 1;
}

int arc_calib_validate(const struct arc_calib *set, const struct arc_hw *hw, struct arc_calib_validation *v)
{
    memset(v, 0, sizeof *v);
    const struct arc_calib *cal = hw->calib;
    if (!cal)
        return arc_errorf(ARC_EINPUT, "%s: hardware %s has no calibration; expected one (\"calibration\" in its file)",
                          set->file, hw->name);
    if (strcmp(set->gpu, cal->gpu))
        return arc_errorf(ARC_EINPUT, "%s:provenance.gpu: expected a set measured on %s (the calibration's GPU), got %s",
                          set->file, cal->gpu, set->gpu);
    v->points = set->n_points;
    for (int i = 0; i < set->n_points; i++)
        for (int q = 0; q < cal->n_points; q++)
            if (same_shape_(&set->points[i], &cal->points[q])) {
                v->overlapping++;
                break;
            }
    if (v->overlapping)
        return arc_errorf(ARC_EINPUT, "%s:points: %d of %d shapes are in the calibration %s; expected held-out shapes only",
                          set->file, v->overlapping, set->n_points, cal->file);
    int n = set->n_points;
    double *lat = arc_xcalloc((size_t)n, sizeof *lat), *en = arc_xcalloc((size_t)n, sizeof *en);
    double *all_l = arc_xcalloc((size_t)n, sizeof *all_l), *all_e = arc_xcalloc((size_t)n, sizeof *all_e);
    int nal = 0, nae = 0;
    for (int k = 0; k < ARC_CAL_KIND_COUNT; k++)
        for (int dt = 0; dt < ARC_DTYPE_COUNT; dt++) {
            int nl = 0, ne = 0;
            for (int i = 0; i < n; i++) {
                const struct arc_calib_point *p = &set->points[i];
                if ((int)p->kind != k || (int)p->dtype != dt)
                    continue;
                double t, e;
                if (!arc_calib_predict(cal, hw, p, &t, &e))
                    continue; /* not calibrated: no prediction to check */
                lat[nl] = fabs(t / p->time_s - 1);
                all_l[nal++] = lat[nl++];
                if (p->energy_j > 0 && e > 0) {
                    en[ne] = fabs(e / p->energy_j - 1);
                    all_e[nae++] = en[ne++];
                }
            }
            if (!nl)
                continue;
            struct arc_calib_check *row = &v->rows[v->n_rows++];
            row->kind = (enum arc_calib_kind)k;
            row->dtype = (enum arc_dtype)dt;
            fill_row_(row, lat, nl, en, ne);
        }
    struct arc_calib_check *all = &v->rows[v->n_rows++];
    all->kind = ARC_CAL_KIND_COUNT;
    fill_row_(all, all_l, nal, all_e, nae);
    free(lat), free(en), free(all_l), free(all_e);
    return ARC_OK;
}
