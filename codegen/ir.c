/* arclight codegen IR: kernel specs, the two lightning programs, validation, printing, and the
 * back-end registry. Not for: emitting any language (codegen/cuda/, codegen/llvm/). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "arclight/codegen.h"
#include "arclight/fsutil.h"
#include "arclight/lightning_unit.h"

static const char *const kernel_names_[] = {
    [ARC_KERNEL_PREFILL] = "lightning-prefill",
    [ARC_KERNEL_DECODE] = "lightning-decode",
    [ARC_KERNEL_CHUNK] = "lightning-chunk",
};
_Static_assert(ARC_KERNEL_COUNT == 3, "update kernel_names_");

const char *arc_kernel_name(enum arc_kernel k)
{
    ARC_ASSERT(k < ARC_KERNEL_COUNT);
    return kernel_names_[k];
}

int arc_kernel_parse(const char *s, enum arc_kernel *out)
{
    for (int i = 0; i < ARC_KERNEL_COUNT; i++)
        if (strcmp(s, kernel_names_[i]) == 0) {
            *out = (enum arc_kernel)i;
            return 0;
        }
    return -1;
}

static const struct {
    const char *name;
    int operands; /* how many of dst, a, b it uses */
} irop_info_[] = {
    [ARC_IR_LOOP_BLOCKS] = {"loop_blocks", 0}, [ARC_IR_END] = {"end", 0},
    [ARC_IR_LOAD] = {"load", 2},               [ARC_IR_STORE] = {"store", 2},
    [ARC_IR_MATMUL] = {"matmul", 3},           [ARC_IR_DECAY_MASK] = {"decay_mask", 1},
    [ARC_IR_ROW_DECAY] = {"row_decay", 2},     [ARC_IR_SCALE_BLOCK] = {"scale_block", 1},
    [ARC_IR_DECAY] = {"decay", 1},             [ARC_IR_OUTER_ACC] = {"outer_acc", 3},
    [ARC_IR_LOAD_STATE] = {"load_state", 2},   [ARC_IR_STORE_STATE] = {"store_state", 2},
};
_Static_assert(ARC_IR_OP_COUNT == 12, "update irop_info_");

const char *arc_ir_op_name(enum arc_ir_op op)
{
    ARC_ASSERT(op < ARC_IR_OP_COUNT);
    return irop_info_[op].name;
}

static const char *const mma_names_[ARC_MMA_COUNT] = {
    [ARC_MMA_AUTO] = "auto", [ARC_MMA_WGMMA] = "wgmma", [ARC_MMA_SYNC] = "sync"};

const char *arc_mma_name(enum arc_mma m) { return m < ARC_MMA_COUNT ? mma_names_[m] : "?"; }

int arc_mma_parse(const char *s, enum arc_mma *out)
{
    for (int i = 0; i < ARC_MMA_COUNT; i++)
        if (strcmp(s, mma_names_[i]) == 0) {
            *out = (enum arc_mma)i;
            return 0;
        }
    return -1;
}

void arc_kernel_spec_defaults(struct arc_kernel_spec *s, enum arc_kernel k)
{
    memset(s, 0, sizeof *s);
    s->kernel = k;
    s->heads = 64;
    s->dim = 128;
    s->chunk = 64;
    s->split = k == ARC_KERNEL_PREFILL ? 2 : 1;
    s->warps = k == ARC_KERNEL_DECODE ? 16 : 4; /* decode: a block of 16 warps per 64 KB state (bench/RESULTS.md) */
    s->io_dtype = ARC_DTYPE_BF16;
    s->state_dtype = ARC_DTYPE_FP32;
}

int arc_kernel_spec_check(const struct arc_kernel_spec *s)
{
    if (s->kernel >= ARC_KERNEL_COUNT)
        return arc_errorf(ARC_EINPUT, "kernel: expected lightning-prefill, lightning-decode or lightning-chunk");
    if (s->heads < 1 || s->heads > 1024)
        return arc_errorf(ARC_EINPUT, "--heads: expected 1..1024");
    if (s->dim < 16 || s->dim > 256 || s->dim % 16)
        return arc_errorf(ARC_EINPUT, "--dim: expected a multiple of 16 in [16, 256], got %d", s->dim);
    if (s->kernel == ARC_KERNEL_CHUNK) { /* a hardware block: small ones are real designs */
        if (s->chunk < 4 || s->chunk > 256 || (s->chunk & (s->chunk - 1)))
            return arc_errorf(ARC_EINPUT, "--chunk: expected a power of two in [4, 256], got %d", s->chunk);
    } else if (s->chunk < 16 || s->chunk > 256 || (s->chunk & (s->chunk - 1))) {
        return arc_errorf(ARC_EINPUT, "--chunk: expected a power of two in [16, 256], got %d", s->chunk);
    }
    if (s->split < 1 || s->dim % s->split || (s->dim / s->split) % 16)
        return arc_errorf(ARC_EINPUT, "--split: expected a divisor of --dim leaving a multiple of 16 value columns, got %d", s->split);
    if (s->kernel != ARC_KERNEL_PREFILL && s->split != 1)
        return arc_errorf(ARC_EINPUT, "--split: the %s kernel takes 1", arc_kernel_name(s->kernel));
    if (s->mma < 0 || s->mma >= ARC_MMA_COUNT)
        return arc_errorf(ARC_EINPUT, "--mma: expected auto, wgmma or sync");
    if (s->warps < 1 || s->warps > 16)
        return arc_errorf(ARC_EINPUT, "--warps: expected 1..16, got %d", s->warps);
    if (s->io_dtype != ARC_DTYPE_BF16)
        return arc_errorf(ARC_EINPUT, "--dtype: expected bf16 inputs and outputs");
    if (s->state_dtype != ARC_DTYPE_FP32)
        return arc_errorf(ARC_EINPUT, "--state-dtype: expected fp32");
    if (s->format.bits && !arc_fx_valid(s->format))
        return arc_errorf(ARC_EINPUT, "--format: expected fixed:W.F with 4 <= W <= 24 and 1 <= F <= W - 2, got fixed:%d.%d",
                          s->format.bits, s->format.frac);
    if (s->lanes && arc_lu_check(s->dim, s->lanes, s->heads, s->kernel == ARC_KERNEL_CHUNK ? s->chunk : 0) < 0)
        return ARC_EINPUT;
    return ARC_OK;
}

int arc_ir_dim_size(const struct arc_kernel_spec *s, enum arc_ir_dim d)
{
    switch (d) {
    case ARC_IR_ONE: return 1;
    case ARC_IR_C: return s->kernel == ARC_KERNEL_DECODE ? 1 : s->chunk;
    case ARC_IR_D: return s->dim;
    case ARC_IR_DV: return s->dim / s->split;
    default: ARC_ASSERT(!"dimension"); return 0;
    }
}

static int tensor_(struct arc_ir *ir, const char *name, enum arc_ir_space sp, enum arc_ir_dim r,
                   enum arc_ir_dim c, enum arc_dtype dt)
{
    ARC_ASSERT(ir->nt < ARC_IR_MAX_TENSORS);
    struct arc_ir_tensor *t = &ir->t[ir->nt];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->space = sp;
    t->rows = r;
    t->cols = c;
    t->dtype = dt;
    return ir->nt++;
}

static struct arc_ir_inst *inst_(struct arc_ir *ir, enum arc_ir_op op, int dst, int a, int b)
{
    ARC_ASSERT(ir->ni < ARC_IR_MAX_INSTS);
    struct arc_ir_inst *i = &ir->in[ir->ni++];
    memset(i, 0, sizeof *i);
    i->op = op;
    i->dst = dst;
    i->a = a;
    i->b = b;
    return i;
}

int arc_ir_build(const struct arc_kernel_spec *s, struct arc_ir *ir)
{
    int st = arc_kernel_spec_check(s);
    if (st < 0)
        return st;
    memset(ir, 0, sizeof *ir);
    ir->spec = *s;
    const enum arc_dtype io = s->io_dtype, f32 = ARC_DTYPE_FP32;
    if (s->kernel != ARC_KERNEL_DECODE) { /* prefill: a loop over blocks; chunk: one block */
        int chunk = s->kernel == ARC_KERNEL_CHUNK;
        int q = tensor_(ir, "q", ARC_IR_GLOBAL, ARC_IR_C, ARC_IR_D, io);
        int k = tensor_(ir, "k", ARC_IR_GLOBAL, ARC_IR_C, ARC_IR_D, io);
        int v = tensor_(ir, "v", ARC_IR_GLOBAL, ARC_IR_C, ARC_IR_DV, io);
        int o = tensor_(ir, "o", ARC_IR_GLOBAL, ARC_IR_C, ARC_IR_DV, io);
        int state = tensor_(ir, "state", ARC_IR_GLOBAL, ARC_IR_D, ARC_IR_DV, f32);
        int Q = tensor_(ir, "Q", ARC_IR_TILE, ARC_IR_C, ARC_IR_D, io);
        int K = tensor_(ir, "K", ARC_IR_TILE, ARC_IR_C, ARC_IR_D, io);
        int V = tensor_(ir, "V", ARC_IR_TILE, ARC_IR_C, ARC_IR_DV, io);
        int P = tensor_(ir, "P", ARC_IR_TILE, ARC_IR_C, ARC_IR_C, f32);
        int O = tensor_(ir, "O", ARC_IR_TILE, ARC_IR_C, ARC_IR_DV, f32);
        int Qd = tensor_(ir, "Qd", ARC_IR_TILE, ARC_IR_C, ARC_IR_D, io);
        int Kd = tensor_(ir, "Kd", ARC_IR_TILE, ARC_IR_C, ARC_IR_D, io);
        int S = tensor_(ir, "S", ARC_IR_STATE, ARC_IR_D, ARC_IR_DV, f32);
        inst_(ir, ARC_IR_LOAD_STATE, S, chunk ? state : -1, -1); /* prefill: zero */
        if (!chunk)
            inst_(ir, ARC_IR_LOOP_BLOCKS, -1, -1, -1);
        inst_(ir, ARC_IR_LOAD, Q, q, -1);
        inst_(ir, ARC_IR_LOAD, K, k, -1);
        inst_(ir, ARC_IR_LOAD, V, v, -1);
        inst_(ir, ARC_IR_MATMUL, P, Q, K)->trans_b = 1;              /* P = Q K^T */
        inst_(ir, ARC_IR_DECAY_MASK, P, -1, -1);                     /* P_ij *= lambda^(i-j) */
        inst_(ir, ARC_IR_MATMUL, O, P, V);                           /* O = P V (intra) */
        struct arc_ir_inst *rd = inst_(ir, ARC_IR_ROW_DECAY, Qd, Q, -1); /* Qd_i = lambda^(i+1) Q_i */
        rd->base = 1;
        rd->sign = 1;
        inst_(ir, ARC_IR_MATMUL, O, Qd, S)->accumulate = 1;          /* O += Qd S (inter) */
        inst_(ir, ARC_IR_STORE, o, O, -1);
        rd = inst_(ir, ARC_IR_ROW_DECAY, Kd, K, -1);                 /* Kd_j = lambda^(rows-1-j) K_j */
        rd->base = -1;
        rd->sign = -1;
        inst_(ir, ARC_IR_SCALE_BLOCK, S, -1, -1);                    /* S *= lambda^rows */
        struct arc_ir_inst *up = inst_(ir, ARC_IR_MATMUL, S, Kd, V); /* S += Kd^T V */
        up->trans_a = 1;
        up->accumulate = 1;
        if (!chunk)
            inst_(ir, ARC_IR_END, -1, -1, -1);
        inst_(ir, ARC_IR_STORE_STATE, state, S, -1);
    } else {
        int q = tensor_(ir, "q", ARC_IR_GLOBAL, ARC_IR_ONE, ARC_IR_D, io);
        int k = tensor_(ir, "k", ARC_IR_GLOBAL, ARC_IR_ONE, ARC_IR_D, io);
        int v = tensor_(ir, "v", ARC_IR_GLOBAL, ARC_IR_ONE, ARC_IR_DV, io);
        int o = tensor_(ir, "o", ARC_IR_GLOBAL, ARC_IR_ONE, ARC_IR_DV, io);
        int state = tensor_(ir, "state", ARC_IR_GLOBAL, ARC_IR_D, ARC_IR_DV, f32);
        int qt = tensor_(ir, "qt", ARC_IR_TILE, ARC_IR_ONE, ARC_IR_D, f32);
        int kt = tensor_(ir, "kt", ARC_IR_TILE, ARC_IR_ONE, ARC_IR_D, f32);
        int vt = tensor_(ir, "vt", ARC_IR_TILE, ARC_IR_ONE, ARC_IR_DV, f32);
        int ot = tensor_(ir, "ot", ARC_IR_TILE, ARC_IR_ONE, ARC_IR_DV, f32);
        int S = tensor_(ir, "S", ARC_IR_STATE, ARC_IR_D, ARC_IR_DV, f32);
        inst_(ir, ARC_IR_LOAD_STATE, S, state, -1);
        inst_(ir, ARC_IR_LOAD, qt, q, -1);
        inst_(ir, ARC_IR_LOAD, kt, k, -1);
        inst_(ir, ARC_IR_LOAD, vt, v, -1);
        inst_(ir, ARC_IR_DECAY, S, -1, -1);          /* S *= lambda */
        inst_(ir, ARC_IR_OUTER_ACC, S, kt, vt);      /* S += k^T v */
        inst_(ir, ARC_IR_MATMUL, ot, qt, S);         /* o = q S */
        inst_(ir, ARC_IR_STORE, o, ot, -1);
        inst_(ir, ARC_IR_STORE_STATE, state, S, -1);
    }
    return arc_ir_validate(ir);
}

#define BAD(i, ...) arc_errorf(ARC_EINPUT, "ir:%d: " __VA_ARGS__)

static int valid_tensor_(const struct arc_ir *ir, int t) { return t >= 0 && t < ir->nt; }

int arc_ir_validate(const struct arc_ir *ir)
{
    const struct arc_kernel_spec *s = &ir->spec;
    int depth = 0;
    for (int i = 0; i < ir->ni; i++) {
        const struct arc_ir_inst *in = &ir->in[i];
        if (in->op >= ARC_IR_OP_COUNT)
            return BAD(i, "unknown op %d", i, (int)in->op);
        int need = irop_info_[in->op].operands;
        int ops[3] = {in->dst, in->a, in->b};
        for (int k = 0; k < need; k++)
            if (!valid_tensor_(ir, ops[k]) && !(in->op == ARC_IR_LOAD_STATE && k == 1 && ops[k] == -1))
                return BAD(i, "%s: operand %d is not a tensor", i, arc_ir_op_name(in->op), k);
        const struct arc_ir_tensor *d = valid_tensor_(ir, in->dst) ? &ir->t[in->dst] : NULL;
        const struct arc_ir_tensor *a = valid_tensor_(ir, in->a) ? &ir->t[in->a] : NULL;
        const struct arc_ir_tensor *b = valid_tensor_(ir, in->b) ? &ir->t[in->b] : NULL;
        switch (in->op) {
        case ARC_IR_LOOP_BLOCKS:
            if (s->kernel != ARC_KERNEL_PREFILL || depth++)
                return BAD(i, "loop_blocks: only once, in the prefill kernel", i);
            break;
        case ARC_IR_END:
            if (!depth--)
                return BAD(i, "end without a loop", i);
            break;
        case ARC_IR_LOAD:
        case ARC_IR_STORE: {
            const struct arc_ir_tensor *g = in->op == ARC_IR_LOAD ? a : d, *t = in->op == ARC_IR_LOAD ? d : a;
            if (g->space != ARC_IR_GLOBAL || t->space != ARC_IR_TILE)
                return BAD(i, "%s: expected a global tensor and a tile", i, arc_ir_op_name(in->op));
            if (g->rows != t->rows || g->cols != t->cols)
                return BAD(i, "%s: %s and %s differ in shape", i, arc_ir_op_name(in->op), g->name, t->name);
            break;
        }
        case ARC_IR_MATMUL: {
            int ar = in->trans_a ? a->cols : a->rows, ac = in->trans_a ? a->rows : a->cols;
            int br = in->trans_b ? b->cols : b->rows, bc = in->trans_b ? b->rows : b->cols;
            if (arc_ir_dim_size(s, (enum arc_ir_dim)ac) != arc_ir_dim_size(s, (enum arc_ir_dim)br) ||
                ar != (int)d->rows || bc != (int)d->cols)
                return BAD(i, "matmul: %s%s x %s%s does not give the shape of %s", i, a->name,
                           in->trans_a ? "^T" : "", b->name, in->trans_b ? "^T" : "", d->name);
            if (d->dtype != ARC_DTYPE_FP32)
                return BAD(i, "matmul: %s must accumulate in fp32", i, d->name);
            break;
        }
        case ARC_IR_DECAY_MASK:
            if (d->rows != ARC_IR_C || d->cols != ARC_IR_C)
                return BAD(i, "decay_mask: %s must be C x C", i, d->name);
            break;
        case ARC_IR_ROW_DECAY:
            if (a->rows != d->rows || a->cols != d->cols || (in->sign != 1 && in->sign != -1))
                return BAD(i, "row_decay: shapes or sign", i);
            break;
        case ARC_IR_SCALE_BLOCK:
        case ARC_IR_DECAY:
        case ARC_IR_LOAD_STATE:
            if (d->space != ARC_IR_STATE)
                return BAD(i, "%s: expected the state", i, arc_ir_op_name(in->op));
            break;
        case ARC_IR_OUTER_ACC:
            if (d->space != ARC_IR_STATE || a->rows != ARC_IR_ONE || b->rows != ARC_IR_ONE ||
                a->cols != d->rows || b->cols != d->cols)
                return BAD(i, "outer_acc: expected the state += a^T b of row vectors", i);
            break;
        case ARC_IR_STORE_STATE:
            if (d->space != ARC_IR_GLOBAL || a->space != ARC_IR_STATE)
                return BAD(i, "store_state: expected the global state <- the state", i);
            break;
        default:
            break;
        }
    }
    if (depth)
        return BAD(ir->ni, "a loop is not closed", ir->ni);
    return ARC_OK;
}

static const char *const dim_names_[] = {[ARC_IR_ONE] = "1", [ARC_IR_C] = "C", [ARC_IR_D] = "D",
                                         [ARC_IR_DV] = "Dv"};
static const char *const space_names_[] = {[ARC_IR_GLOBAL] = "global", [ARC_IR_TILE] = "tile",
                                           [ARC_IR_STATE] = "state"};

void arc_ir_print(const struct arc_ir *ir, FILE *f)
{
    const struct arc_kernel_spec *s = &ir->spec;
    fprintf(f, "kernel %s: H %d, D %d, C %d, split %d (Dv %d), warps %d, io %s, state %s",
            arc_kernel_name(s->kernel), s->heads, s->dim, s->chunk, s->split, s->dim / s->split,
            s->warps, arc_dtype_name(s->io_dtype), arc_dtype_name(s->state_dtype));
    if (s->lanes)
        fprintf(f, ", lanes %d", s->lanes);
    if (s->format.bits)
        fprintf(f, ", fixed:%d.%d", s->format.bits, s->format.frac);
    fputc('\n', f);
    for (int i = 0; i < ir->nt; i++)
        fprintf(f, "  tensor %-6s %-6s %s x %s %s\n", ir->t[i].name, space_names_[ir->t[i].space],
                dim_names_[ir->t[i].rows], dim_names_[ir->t[i].cols], arc_dtype_name(ir->t[i].dtype));
    for (int i = 0; i < ir->ni; i++) {
        const struct arc_ir_inst *in = &ir->in[i];
        fprintf(f, "  %2d %s", i, arc_ir_op_name(in->op));
        int ops[3] = {in->dst, in->a, in->b};
        for (int k = 0; k < 3; k++)
            if (ops[k] >= 0)
                fprintf(f, " %s%s", ir->t[ops[k]].name,
                        (k == 1 && in->trans_a) || (k == 2 && in->trans_b) ? "^T" : "");
        if (in->op == ARC_IR_MATMUL && in->accumulate)
            fprintf(f, " (accumulate)");
        if (in->op == ARC_IR_ROW_DECAY)
            fprintf(f, " (lambda^(%s %c i))", in->base < 0 ? "rows-1" : in->base == 1 ? "1" : "0",
                    in->sign > 0 ? '+' : '-');
        fputc('\n', f);
    }
}

const struct arc_backend *const arc_backends[] = {
    &arc_backend_cuda,
    &arc_backend_llvm,
    &arc_backend_ptx,
    &arc_backend_verilog,
    NULL,
};

const struct arc_backend *arc_backend_find(const char *name)
{
    for (int i = 0; arc_backends[i]; i++)
        if (strcmp(arc_backends[i]->name, name) == 0)
            return arc_backends[i];
    return NULL;
}

int arc_gen(const struct arc_backend *be, const struct arc_kernel_spec *s, const char *dir,
            const char *stamp, struct arc_gen_output *out)
{
    struct arc_ir ir;
    struct arc_kernel_spec rs = *s;
    if (be->rtl) {
        if (s->kernel == ARC_KERNEL_PREFILL)
            return arc_errorf(ARC_EINPUT, "kernel: %s emits lightning-decode and lightning-chunk, not lightning-prefill (a prefill is a sequence of lightning-chunk calls)", be->name);
        if (!rs.lanes)
            rs.lanes = ARC_RTL_DEFAULT_LANES;
        if (!rs.format.bits)
            rs.format = ARC_RTL_DEFAULT_FORMAT;
    } else if (s->kernel == ARC_KERNEL_CHUNK) {
        return arc_errorf(ARC_EINPUT, "kernel: lightning-chunk is emitted by the verilog back end only; %s takes lightning-prefill or lightning-decode", be->name);
    } else if (s->lanes) {
        return arc_errorf(ARC_EINPUT, "--lanes: only the verilog back end takes it, not %s", be->name);
    } else if (s->format.bits) {
        return arc_errorf(ARC_EINPUT, "--format: only the verilog back end takes it, not %s", be->name);
    }
    s = &rs;
    int st = arc_ir_build(s, &ir);
    if (st < 0)
        return st;
    if ((st = arc_mkdirs(dir)) < 0)
        return st;
    memset(out, 0, sizeof *out);
    return be->emit(&ir, dir, stamp, out);
}
