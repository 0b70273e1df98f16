/* arclight LLVM lowering: the lightning IR walked, instruction by instruction, into an LLVM module
 * through the C API, as plain scalar loops (lower.h says where everything lives).
 * Not for: speed (every tile instruction is one loop of scalar loads, arithmetic and stores; the
 * optimiser and ptxas may do better), writing files, or JIT sessions. */
#include "lower.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>

const struct arc_llvm_target arc_llvm_host_ = {
    .name = "host",
    .gpu = 0,
    .tile_addrspace = 0,
    .exp2 = "llvm.exp2",
};

const struct arc_llvm_target arc_llvm_nvptx_ = {
    .name = "nvptx",
    .gpu = 1,
    .tile_addrspace = 3,
    .exp2 = "llvm.nvvm.ex2.approx.f",
    .tid = "llvm.nvvm.read.ptx.sreg.tid.x",
    .ntid = "llvm.nvvm.read.ptx.sreg.ntid.x",
    .ctaid_x = "llvm.nvvm.read.ptx.sreg.ctaid.x",
    .ctaid_y = "llvm.nvvm.read.ptx.sreg.ctaid.y",
    .barrier = "llvm.nvvm.barrier0",
};

/* The ABI's tensor arguments, in order; global tensors of the IR are named after them. */
enum { ARG_Q, ARG_K, ARG_V, ARG_O, ARG_STATE, ARG_COUNT };
static const char *const arg_names_[ARG_COUNT] = {"q", "k", "v", "o", "state"};

struct gen_ {
    const struct arc_ir *ir;
    const struct arc_llvm_target *tg;
    LLVMContextRef cx;
    LLVMModuleRef m;
    LLVMBuilderRef b;
    LLVMValueRef fn;
    LLVMTypeRef i16, i32, i64, f32, ptr, vd;
    LLVMValueRef arg[ARG_COUNT]; /* q, k, v, o, state */
    LLVMValueRef slope;          /* [H] f32 */
    LLVMValueRef T;              /* i64 tokens (prefill) */
    LLVMValueRef ws;             /* the tile workspace (tile_addrspace) */
    LLVMValueRef tid, nthr;      /* i64: this thread, threads in the block (host: 0, 1) */
    LLVMValueRef bh, split;      /* i64: (batch x H + head), value split of this instance */
    LLVMValueRef log2l;          /* f32: log2(lambda) = -slope[h] x log2(e) */
    LLVMValueRef t0, rows;       /* i64: first token of this block, its rows (C outside the loop) */
    size_t off[ARC_IR_MAX_TENSORS]; /* TILE tensors: byte offset in the workspace (place_tiles_) */
    size_t tile_bytes;              /* the workspace */
};

/* one operand of an instruction: where element (r, c) of tensor t is, for this instance and block */
struct opnd_ {
    const struct arc_ir_tensor *t;
    LLVMValueRef base; /* element (0, 0) */
    LLVMTypeRef ty;    /* i16 (bf16 bits) or float */
    long long ld;      /* elements between rows */
};

struct loop_ {
    LLVMBasicBlockRef head, exit;
    LLVMValueRef i, carry; /* the index; one optional carried value (phis in head) */
};

static int dim_(const struct gen_ *g, enum arc_ir_dim d) { return arc_ir_dim_size(&g->ir->spec, d); }
static LLVMValueRef ci_(const struct gen_ *g, long long v) { return LLVMConstInt(g->i64, (unsigned long long)v, 1); }
static LLVMValueRef cf_(const struct gen_ *g, double v) { return LLVMConstReal(g->f32, v); }

static LLVMValueRef intrinsic_(struct gen_ *g, const char *name, LLVMTypeRef overload)
{
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    ARC_ASSERT(id != 0);
    int over = LLVMIntrinsicIsOverloaded(id);
    return LLVMGetIntrinsicDeclaration(g->m, id, over ? &overload : NULL, over ? 1 : 0);
}

static LLVMValueRef call_(struct gen_ *g, LLVMValueRef fn, LLVMValueRef *args, unsigned n, const char *name)
{
    return LLVMBuildCall2(g->b, LLVMGlobalGetValueType(fn), fn, args, n, name);
}

/* a sreg intrinsic (i32) widened to i64 */
static LLVMValueRef sreg_(struct gen_ *g, const char *name, const char *what)
{
    return LLVMBuildZExt(g->b, call_(g, intrinsic_(g, name, NULL), NULL, 0, what), g->i64, what);
}

static LLVMValueRef exp2_(struct gen_ *g, LLVMValueRef x)
{
    return call_(g, intrinsic_(g, g->tg->exp2, g->f32), &x, 1, "w");
}

/* lambda^n for an i64 n: 2^(n x log2 lambda) */
static LLVMValueRef pow_lambda_(struct gen_ *g, LLVMValueRef n)
{
    LLVMValueRef x = LLVMBuildSIToFP(g->b, n, g->f32, "");
    return exp2_(g, LLVMBuildFMul(g->b, x, g->log2l, ""));
}

static LLVMValueRef fma_(struct gen_ *g, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c)
{
    LLVMValueRef args[3] = {a, b, c};
    return call_(g, intrinsic_(g, "llvm.fmuladd", g->f32), args, 3, "");
}

/* ---- bf16 as raw 16-bit values ---- */

static LLVMValueRef bf16_to_f32_(struct gen_ *g, LLVMValueRef x)
{
    LLVMValueRef u = LLVMBuildZExt(g->b, x, g->i32, "");
    u = LLVMBuildShl(g->b, u, LLVMConstInt(g->i32, 16, 0), "");
    return LLVMBuildBitCast(g->b, u, g->f32, "");
}

/* round to nearest even, NaN stays NaN: arc_bf16_bits, bit for bit */
static LLVMValueRef f32_to_bf16_(struct gen_ *g, LLVMValueRef x)
{
    LLVMBuilderRef b = g->b;
#define U32(v) LLVMConstInt(g->i32, (v), 0)
    LLVMValueRef u = LLVMBuildBitCast(b, x, g->i32, "");
    LLVMValueRef exp_ones = LLVMBuildICmp(b, LLVMIntEQ, LLVMBuildAnd(b, u, U32(0x7f800000u), ""), U32(0x7f800000u), "");
    LLVMValueRef mant = LLVMBuildICmp(b, LLVMIntNE, LLVMBuildAnd(b, u, U32(0x007fffffu), ""), U32(0), "");
    LLVMValueRef nan = LLVMBuildAnd(b, exp_ones, mant, "isnan");
    LLVMValueRef hi = LLVMBuildLShr(b, u, U32(16), "");
    LLVMValueRef quiet = LLVMBuildTrunc(b, LLVMBuildOr(b, hi, U32(0x40), ""), g->i16, "");
    LLVMValueRef r = LLVMBuildAdd(b, u, LLVMBuildAdd(b, U32(0x7fffu), LLVMBuildAnd(b, hi, U32(1), ""), ""), "");
    LLVMValueRef rounded = LLVMBuildTrunc(b, LLVMBuildLShr(b, r, U32(16), ""), g->i16, "");
#undef U32
    return LLVMBuildSelect(b, nan, quiet, rounded, "bf16");
}

/* ---- loops: index in [start, end) by step, with an optional carried value ---- */

static LLVMValueRef loop_begin_(struct gen_ *g, struct loop_ *L, LLVMValueRef start, LLVMValueRef end,
                                LLVMValueRef carry0, const char *name)
{
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(g->b);
    char nm[64];
    snprintf(nm, sizeof nm, "%s.head", name);
    L->head = LLVMAppendBasicBlockInContext(g->cx, g->fn, nm);
    snprintf(nm, sizeof nm, "%s.body", name);
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(g->cx, g->fn, nm);
    snprintf(nm, sizeof nm, "%s.exit", name);
    L->exit = LLVMAppendBasicBlockInContext(g->cx, g->fn, nm);
    LLVMBuildBr(g->b, L->head);
    LLVMPositionBuilderAtEnd(g->b, L->head);
    L->i = LLVMBuildPhi(g->b, g->i64, name);
    LLVMAddIncoming(L->i, &start, &pre, 1);
    L->carry = NULL;
    if (carry0) {
        L->carry = LLVMBuildPhi(g->b, LLVMTypeOf(carry0), "acc");
        LLVMAddIncoming(L->carry, &carry0, &pre, 1);
    }
    LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntSLT, L->i, end, ""), body, L->exit);
    LLVMPositionBuilderAtEnd(g->b, body);
    return L->i;
}

static void loop_end_(struct gen_ *g, struct loop_ *L, LLVMValueRef step, LLVMValueRef carry_next)
{
    LLVMValueRef next = LLVMBuildAdd(g->b, L->i, step, "");
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(g->b);
    LLVMBuildBr(g->b, L->head);
    LLVMAddIncoming(L->i, &next, &latch, 1);
    if (L->carry)
        LLVMAddIncoming(L->carry, &carry_next, &latch, 1);
    LLVMPositionBuilderAtEnd(g->b, L->exit);
}

/* the elements of one tile instruction's destination: all of them (host), or this thread's share */
static LLVMValueRef eloop_begin_(struct gen_ *g, struct loop_ *L, LLVMValueRef n, const char *name)
{
    return loop_begin_(g, L, g->tid, n, NULL, name);
}
static void eloop_end_(struct gen_ *g, struct loop_ *L) { loop_end_(g, L, g->nthr, NULL); }

/* ---- operands ---- */

static int arg_of_(const struct arc_ir_tensor *t)
{
    if (t->space == ARC_IR_STATE)
        return ARG_STATE;
    for (int a = 0; a < ARG_COUNT; a++)
        if (strcmp(t->name, arg_names_[a]) == 0)
            return a;
    return -1;
}

/* rows of dimension d that hold data in this block: the block's rows for C in prefill */
static LLVMValueRef rows_(const struct gen_ *g, enum arc_ir_dim d)
{
    if (d == ARC_IR_C && g->ir->spec.kernel == ARC_KERNEL_PREFILL)
        return g->rows;
    return ci_(g, dim_(g, d));
}

static int opnd_(struct gen_ *g, int ti, struct opnd_ *o)
{
    const struct arc_ir_tensor *t = &g->ir->t[ti];
    const struct arc_kernel_spec *s = &g->ir->spec;
    LLVMBuilderRef b = g->b;
    o->t = t;
    if (t->dtype != ARC_DTYPE_BF16 && t->dtype != ARC_DTYPE_FP32)
        return arc_errorf(ARC_EUNSUPPORTED, "llvm: tensor %s is %s; the LLVM back ends handle bf16 and fp32",
                          t->name, arc_dtype_name(t->dtype));
    o->ty = t->dtype == ARC_DTYPE_BF16 ? g->i16 : g->f32;
    if (t->space == ARC_IR_TILE) {
        LLVMValueRef off = ci_(g, (long long)g->off[ti]);
        o->base = LLVMBuildGEP2(b, LLVMInt8TypeInContext(g->cx), g->ws, &off, 1, t->name);
        o->ld = dim_(g, t->cols);
        return ARC_OK;
    }
    int a = arg_of_(t);
    if (a < 0)
        return arc_errorf(ARC_EUNSUPPORTED, "llvm: global tensor %s is none of the ABI's q, k, v, o, state", t->name);
    if ((a == ARG_STATE) != (t->dtype == ARC_DTYPE_FP32))
        return arc_errorf(ARC_EUNSUPPORTED, "llvm: tensor %s is %s; the ABI passes %s", t->name,
                          arc_dtype_name(t->dtype), a == ARG_STATE ? "the state in fp32" : "q, k, v, o in bf16");
    /* rows: this block's tokens ([B][H][T][D]), the step's vector ([B][H][D]), or the state ([B][H][D][D]) */
    LLVMValueRef row0;
    if (t->rows == ARC_IR_C && s->kernel == ARC_KERNEL_PREFILL)
        row0 = LLVMBuildAdd(b, LLVMBuildMul(b, g->bh, g->T, ""), g->t0, "");
    else if (t->rows == ARC_IR_D)
        row0 = LLVMBuildMul(b, g->bh, ci_(g, s->dim), "");
    else if (t->rows == ARC_IR_ONE || t->rows == ARC_IR_C)
        row0 = g->bh;
    else
        return arc_errorf(ARC_EUNSUPPORTED, "llvm: tensor %s: no ABI layout has rows of that size", t->name);
    LLVMValueRef off = LLVMBuildMul(b, row0, ci_(g, s->dim), "");
    if (t->cols == ARC_IR_DV) /* this program's value columns */
        off = LLVMBuildAdd(b, off, LLVMBuildMul(b, g->split, ci_(g, dim_(g, ARC_IR_DV)), ""), "");
    o->base = LLVMBuildGEP2(b, o->ty, g->arg[a], &off, 1, t->name);
    o->ld = s->dim;
    return ARC_OK;
}

static LLVMValueRef eptr_(struct gen_ *g, const struct opnd_ *o, LLVMValueRef r, LLVMValueRef c)
{
    LLVMValueRef idx = LLVMBuildAdd(g->b, LLVMBuildMul(g->b, r, ci_(g, o->ld), ""), c, "");
    return LLVMBuildGEP2(g->b, o->ty, o->base, &idx, 1, "");
}

static LLVMValueRef load_raw_(struct gen_ *g, const struct opnd_ *o, LLVMValueRef r, LLVMValueRef c)
{
    return LLVMBuildLoad2(g->b, o->ty, eptr_(g, o, r, c), o->t->name);
}

static LLVMValueRef load_f_(struct gen_ *g, const struct opnd_ *o, LLVMValueRef r, LLVMValueRef c)
{
    LLVMValueRef x = load_raw_(g, o, r, c);
    return o->t->dtype == ARC_DTYPE_BF16 ? bf16_to_f32_(g, x) : x;
}

static void store_f_(struct gen_ *g, const struct opnd_ *o, LLVMValueRef r, LLVMValueRef c, LLVMValueRef x)
{
    LLVMBuildStore(g->b, o->t->dtype == ARC_DTYPE_BF16 ? f32_to_bf16_(g, x) : x, eptr_(g, o, r, c));
}

/* dst <- src, element by element, converting dtype; rows of src past `rows` read as zero */
static void copy_(struct gen_ *g, const struct opnd_ *d, const struct opnd_ *a, LLVMValueRef nrows,
                  int zero_fill, const char *name)
{
    LLVMBuilderRef b = g->b;
    int cols = dim_(g, d->t->cols);
    struct loop_ L;
    LLVMValueRef n = zero_fill ? ci_(g, (long long)dim_(g, d->t->rows) * cols)
                               : LLVMBuildMul(b, nrows, ci_(g, cols), "");
    LLVMValueRef e = eloop_begin_(g, &L, n, name);
    LLVMValueRef r = LLVMBuildUDiv(b, e, ci_(g, cols), "r"), c = LLVMBuildURem(b, e, ci_(g, cols), "c");
    LLVMValueRef in = zero_fill ? LLVMBuildICmp(b, LLVMIntULT, r, nrows, "in") : NULL;
    LLVMValueRef rr = in ? LLVMBuildSelect(b, in, r, ci_(g, 0), "") : r; /* stay inside the tensor */
    if (d->t->dtype == a->t->dtype) {
        LLVMValueRef x = load_raw_(g, a, rr, c);
        if (in)
            x = LLVMBuildSelect(b, in, x, LLVMConstNull(a->ty), "");
        LLVMBuildStore(b, x, eptr_(g, d, r, c));
    } else {
        LLVMValueRef x = load_f_(g, a, rr, c);
        if (in)
            x = LLVMBuildSelect(b, in, x, cf_(g, 0), "");
        store_f_(g, d, r, c, x);
    }
    eloop_end_(g, &L);
}

/* every element of d times f */
static void scale_(struct gen_ *g, const struct opnd_ *d, LLVMValueRef f, const char *name)
{
    int cols = dim_(g, d->t->cols);
    struct loop_ L;
    LLVMValueRef e = eloop_begin_(g, &L, ci_(g, (long long)dim_(g, d->t->rows) * cols), name);
    LLVMValueRef r = LLVMBuildUDiv(g->b, e, ci_(g, cols), "r"), c = LLVMBuildURem(g->b, e, ci_(g, cols), "c");
    store_f_(g, d, r, c, f ? LLVMBuildFMul(g->b, load_f_(g, d, r, c), f, "") : cf_(g, 0));
    eloop_end_(g, &L);
}

/* the global tensor that is the state itself (the STATE tensor lives there): nothing to move */
static int is_state_home_(const struct arc_ir_tensor *glob, const struct arc_ir_tensor *st)
{
    return glob->space == ARC_IR_GLOBAL && arg_of_(glob) == ARG_STATE && glob->rows == st->rows &&
           glob->cols == st->cols;
}

static int emit_inst_(struct gen_ *g, int i, struct loop_ *blocks)
{
    const struct arc_ir_inst *in = &g->ir->in[i];
    const struct arc_kernel_spec *s = &g->ir->spec;
    LLVMBuilderRef b = g->b;
    char name[32];
    snprintf(name, sizeof name, "i%d.%s", i, arc_ir_op_name(in->op));
    struct opnd_ d = {0}, a = {0}, bb = {0};
    int st;
    /* arc_ir_validate checks only the operands an op needs; load_state's source is optional */
    if (in->dst >= g->ir->nt || in->a >= g->ir->nt || in->b >= g->ir->nt)
        return arc_errorf(ARC_EINPUT, "ir:%d: %s: an operand is not a tensor", i, arc_ir_op_name(in->op));
    if (in->dst >= 0 && (st = opnd_(g, in->dst, &d)) < 0)
        return st;
    if (in->a >= 0 && (st = opnd_(g, in->a, &a)) < 0)
        return st;
    if (in->b >= 0 && (st = opnd_(g, in->b, &bb)) < 0)
        return st;
    struct loop_ L, K;
    switch (in->op) {
    case ARC_IR_LOOP_BLOCKS: {
        g->t0 = loop_begin_(g, blocks, ci_(g, 0), g->T, NULL, "block");
        LLVMValueRef left = LLVMBuildSub(b, g->T, g->t0, "");
        LLVMValueRef shorter = LLVMBuildICmp(b, LLVMIntSLT, left, ci_(g, s->chunk), "");
        g->rows = LLVMBuildSelect(b, shorter, left, ci_(g, s->chunk), "rows");
        return ARC_OK; /* no barrier: every thread runs the same blocks */
    }
    case ARC_IR_END:
        loop_end_(g, blocks, ci_(g, s->chunk), NULL);
        g->t0 = ci_(g, 0);
        g->rows = ci_(g, s->chunk);
        return ARC_OK;
    case ARC_IR_LOAD: /* tile d <- global a; rows past the block's read as zero */
        copy_(g, &d, &a, rows_(g, d.t->rows), 1, name);
        break;
    case ARC_IR_STORE: /* global d <- tile a: the block's rows only */
        copy_(g, &d, &a, rows_(g, a.t->rows), 0, name);
        break;
    case ARC_IR_MATMUL: {
        int M = dim_(g, d.t->rows), N = dim_(g, d.t->cols), Kd = dim_(g, in->trans_a ? a.t->rows : a.t->cols);
        LLVMValueRef e = eloop_begin_(g, &L, ci_(g, (long long)M * N), name);
        LLVMValueRef m = LLVMBuildUDiv(b, e, ci_(g, N), "m"), n = LLVMBuildURem(b, e, ci_(g, N), "n");
        LLVMValueRef acc0 = in->accumulate ? load_f_(g, &d, m, n) : cf_(g, 0);
        char kn[40];
        snprintf(kn, sizeof kn, "%s.k", name);
        LLVMValueRef k = loop_begin_(g, &K, ci_(g, 0), ci_(g, Kd), acc0, kn);
        LLVMValueRef av = in->trans_a ? load_f_(g, &a, k, m) : load_f_(g, &a, m, k);
        LLVMValueRef bv = in->trans_b ? load_f_(g, &bb, n, k) : load_f_(g, &bb, k, n);
        LLVMValueRef acc = K.carry;
        loop_end_(g, &K, ci_(g, 1), fma_(g, av, bv, acc));
        store_f_(g, &d, m, n, acc);
        eloop_end_(g, &L);
        break;
    }
    case ARC_IR_DECAY_MASK: { /* d_ij *= lambda^(i-j) for j <= i < rows, else 0 */
        int C = dim_(g, d.t->cols);
        LLVMValueRef e = eloop_begin_(g, &L, ci_(g, (long long)dim_(g, d.t->rows) * C), name);
        LLVMValueRef r = LLVMBuildUDiv(b, e, ci_(g, C), "i"), c = LLVMBuildURem(b, e, ci_(g, C), "j");
        LLVMValueRef keep = LLVMBuildAnd(b, LLVMBuildICmp(b, LLVMIntULE, c, r, ""),
                                         LLVMBuildICmp(b, LLVMIntULT, r, rows_(g, d.t->rows), ""), "keep");
        LLVMValueRef p = LLVMBuildSelect(b, keep, LLVMBuildSub(b, r, c, ""), ci_(g, 0), "");
        LLVMValueRef x = LLVMBuildFMul(b, load_f_(g, &d, r, c), pow_lambda_(g, p), "");
        store_f_(g, &d, r, c, LLVMBuildSelect(b, keep, x, cf_(g, 0), ""));
        eloop_end_(g, &L);
        break;
    }
    case ARC_IR_ROW_DECAY: { /* d_i* = a_i* x lambda^(base + sign i) for i < rows, else 0 */
        int C = dim_(g, d.t->cols);
        LLVMValueRef nrows = rows_(g, d.t->rows);
        LLVMValueRef base = in->base < 0 ? LLVMBuildSub(b, nrows, ci_(g, 1), "") : ci_(g, in->base);
        LLVMValueRef e = eloop_begin_(g, &L, ci_(g, (long long)dim_(g, d.t->rows) * C), name);
        LLVMValueRef r = LLVMBuildUDiv(b, e, ci_(g, C), "i"), c = LLVMBuildURem(b, e, ci_(g, C), "c");
        LLVMValueRef inr = LLVMBuildICmp(b, LLVMIntULT, r, nrows, "in");
        LLVMValueRef p = LLVMBuildAdd(b, base, LLVMBuildMul(b, ci_(g, in->sign), r, ""), "");
        p = LLVMBuildSelect(b, inr, p, ci_(g, 0), "");
        LLVMValueRef w = LLVMBuildSelect(b, inr, pow_lambda_(g, p), cf_(g, 0), "");
        store_f_(g, &d, r, c, LLVMBuildFMul(b, load_f_(g, &a, r, c), w, ""));
        eloop_end_(g, &L);
        break;
    }
    case ARC_IR_SCALE_BLOCK: /* d *= lambda^rows */
        scale_(g, &d, pow_lambda_(g, rows_(g, ARC_IR_C)), name);
        break;
    case ARC_IR_DECAY: /* d *= lambda */
        scale_(g, &d, pow_lambda_(g, ci_(g, 1)), name);
        break;
    case ARC_IR_OUTER_ACC: { /* d_ij += a_i b_j */
        int C = dim_(g, d.t->cols);
        LLVMValueRef e = eloop_begin_(g, &L, ci_(g, (long long)dim_(g, d.t->rows) * C), name);
        LLVMValueRef r = LLVMBuildUDiv(b, e, ci_(g, C), "i"), c = LLVMBuildURem(b, e, ci_(g, C), "j");
        LLVMValueRef x = fma_(g, load_f_(g, &a, ci_(g, 0), r), load_f_(g, &bb, ci_(g, 0), c), load_f_(g, &d, r, c));
        store_f_(g, &d, r, c, x);
        eloop_end_(g, &L);
        break;
    }
    case ARC_IR_LOAD_STATE: /* the state <- zero, or <- global a */
        if (in->a < 0)
            scale_(g, &d, NULL, name);
        else if (a.t->space != ARC_IR_GLOBAL || a.t->rows != d.t->rows || a.t->cols != d.t->cols)
            return arc_errorf(ARC_EINPUT, "ir:%d: load_state: expected a global tensor of the state's shape", i);
        else if (!is_state_home_(a.t, d.t))
            copy_(g, &d, &a, rows_(g, d.t->rows), 0, name);
        break;
    case ARC_IR_STORE_STATE:
        if (!is_state_home_(d.t, a.t))
            copy_(g, &d, &a, rows_(g, a.t->rows), 0, name);
        break;
    default:
        return arc_errorf(ARC_EUNSUPPORTED, "%s: no lowering for op %s", g->tg->name, arc_ir_op_name(in->op));
    }
    if (g->tg->barrier)
        call_(g, intrinsic_(g, g->tg->barrier, NULL), NULL, 0, "");
    return ARC_OK;
}

/* the program for one instance: (bx, by) as blockIdx gives it on a GPU */
static int emit_program_(struct gen_ *g, LLVMValueRef bx, LLVMValueRef by)
{
    const struct arc_kernel_spec *s = &g->ir->spec;
    LLVMBuilderRef b = g->b;
    LLVMValueRef h;
    if (s->kernel == ARC_KERNEL_PREFILL) { /* x: head x split, y: batch */
        h = LLVMBuildUDiv(b, bx, ci_(g, s->split), "h");
        g->split = LLVMBuildURem(b, bx, ci_(g, s->split), "split");
        g->bh = LLVMBuildAdd(b, LLVMBuildMul(b, by, ci_(g, s->heads), ""), h, "bh");
    } else { /* x: batch x head */
        g->bh = bx;
        h = LLVMBuildURem(b, bx, ci_(g, s->heads), "h");
        g->split = ci_(g, 0);
    }
    LLVMValueRef sl = LLVMBuildLoad2(b, g->f32, LLVMBuildGEP2(b, g->f32, g->slope, &h, 1, ""), "slope");
    g->log2l = LLVMBuildFMul(b, LLVMBuildFNeg(b, sl, ""), cf_(g, 1.4426950408889634), "log2_lambda");
    g->t0 = ci_(g, 0);
    g->rows = ci_(g, dim_(g, ARC_IR_C));
    struct loop_ blocks = {0};
    for (int i = 0; i < g->ir->ni; i++) {
        int st = emit_inst_(g, i, &blocks);
        if (st < 0)
            return st;
    }
    return ARC_OK;
}

static int emit_function_(struct gen_ *g)
{
    const struct arc_kernel_spec *s = &g->ir->spec;
    const int prefill = s->kernel == ARC_KERNEL_PREFILL, gpu = g->tg->gpu;
    LLVMTypeRef params[8] = {g->ptr, g->ptr, g->ptr, g->ptr, g->ptr, g->ptr, g->i32, g->i32};
    unsigned np = prefill && !gpu ? 8 : 7;
    const char *fname = prefill ? "lightning_prefill" : "lightning_decode";
    g->fn = LLVMAddFunction(g->m, fname, LLVMFunctionType(g->vd, params, np, 0));
    static const char *const pnames[] = {"q", "k", "v", "o", "state", "slope"};
    for (unsigned p = 0; p < 6; p++)
        LLVMSetValueName2(LLVMGetParam(g->fn, p), pnames[p], strlen(pnames[p]));
    for (int a = 0; a < ARG_COUNT; a++)
        g->arg[a] = LLVMGetParam(g->fn, (unsigned)a);
    g->slope = LLVMGetParam(g->fn, 5);
    LLVMValueRef n32 = LLVMGetParam(g->fn, 6), nB = NULL;
    LLVMSetValueName2(n32, prefill ? "T" : "B", 1);
    if (np == 8)
        LLVMSetValueName2(LLVMGetParam(g->fn, 7), "B", 1);
    LLVMPositionBuilderAtEnd(g->b, LLVMAppendBasicBlockInContext(g->cx, g->fn, "entry"));
    if (prefill) {
        g->T = LLVMBuildSExt(g->b, n32, g->i64, "T64");
        if (np == 8)
            nB = LLVMBuildSExt(g->b, LLVMGetParam(g->fn, 7), g->i64, "B64");
    } else {
        nB = LLVMBuildSExt(g->b, n32, g->i64, "B64");
        g->T = ci_(g, 1);
    }
    int st;
    if (gpu) {
        LLVMValueRef smem = LLVMAddGlobalInAddressSpace(g->m, LLVMArrayType(LLVMInt8TypeInContext(g->cx), 0),
                                                        "arc_smem", g->tg->tile_addrspace);
        LLVMSetLinkage(smem, LLVMExternalLinkage);
        LLVMSetAlignment(smem, 16);
        g->ws = smem;
        g->tid = sreg_(g, g->tg->tid, "tid");
        g->nthr = sreg_(g, g->tg->ntid, "nthreads");
        LLVMValueRef bx = sreg_(g, g->tg->ctaid_x, "bx"), by = sreg_(g, g->tg->ctaid_y, "by");
        LLVMBasicBlockRef done = NULL;
        if (!prefill) { /* the grid may be rounded up: instances past B x H do nothing */
            LLVMBasicBlockRef run = LLVMAppendBasicBlockInContext(g->cx, g->fn, "run");
            done = LLVMAppendBasicBlockInContext(g->cx, g->fn, "done");
            LLVMValueRef n = LLVMBuildMul(g->b, nB, ci_(g, s->heads), "");
            LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntSLT, bx, n, ""), run, done);
            LLVMPositionBuilderAtEnd(g->b, run);
        }
        if ((st = emit_program_(g, bx, by)) < 0)
            return st;
        if (done) {
            LLVMBuildBr(g->b, done);
            LLVMPositionBuilderAtEnd(g->b, done);
        }
    } else {
        LLVMTypeRef mt = LLVMFunctionType(g->ptr, &g->i64, 1, 0), ft = LLVMFunctionType(g->vd, &g->ptr, 1, 0);
        LLVMValueRef fmalloc = LLVMAddFunction(g->m, "malloc", mt), ffree = LLVMAddFunction(g->m, "free", ft);
        LLVMValueRef bytes = ci_(g, (long long)g->tile_bytes);
        g->ws = LLVMBuildCall2(g->b, mt, fmalloc, &bytes, 1, "tiles");
        LLVMBasicBlockRef oom = LLVMAppendBasicBlockInContext(g->cx, g->fn, "no_memory");
        LLVMBasicBlockRef run = LLVMAppendBasicBlockInContext(g->cx, g->fn, "run");
        LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, g->ws, ""), oom, run);
        LLVMPositionBuilderAtEnd(g->b, oom); /* a few hundred KB at most: treated as fatal */
        call_(g, intrinsic_(g, "llvm.trap", NULL), NULL, 0, "");
        LLVMBuildUnreachable(g->b);
        LLVMPositionBuilderAtEnd(g->b, run);
        g->tid = ci_(g, 0);
        g->nthr = ci_(g, 1);
        struct loop_ Y, X;
        LLVMValueRef by = ci_(g, 0), bx;
        if (prefill) {
            by = loop_begin_(g, &Y, ci_(g, 0), nB, NULL, "batch");
            bx = loop_begin_(g, &X, ci_(g, 0), ci_(g, (long long)s->heads * s->split), NULL, "head_split");
        } else {
            bx = loop_begin_(g, &X, ci_(g, 0), LLVMBuildMul(g->b, nB, ci_(g, s->heads), ""), NULL, "batch_head");
        }
        if ((st = emit_program_(g, bx, by)) < 0)
            return st;
        loop_end_(g, &X, ci_(g, 1), NULL);
        if (prefill)
            loop_end_(g, &Y, ci_(g, 1), NULL);
        LLVMBuildCall2(g->b, ft, ffree, &g->ws, 1, "");
    }
    LLVMBuildRetVoid(g->b);
    return ARC_OK;
}

/* Does instruction in read tile t (as an operand, or as a destination it updates in place)? */
static int reads_(const struct arc_ir_inst *in, int t)
{
    if (in->a == t || in->b == t)
        return 1;
    if (in->dst != t)
        return 0;
    return in->op == ARC_IR_DECAY_MASK || in->op == ARC_IR_SCALE_BLOCK || in->op == ARC_IR_DECAY ||
           in->op == ARC_IR_OUTER_ACC || (in->op == ARC_IR_MATMUL && in->accumulate);
}

/* Tiles share workspace bytes when their lives (first to last instruction that touches them,
 * inclusive, so a barrier always separates two owners) do not overlap. A life that reaches into the
 * block loop from before it lasts to the loop's end; a tile read before it is written (a value
 * carried from one block to the next) lives for the whole program. First fit, largest tile first,
 * 16-byte aligned. Returns the workspace bytes. */
static size_t place_tiles_(const struct arc_ir *ir, size_t off[ARC_IR_MAX_TENSORS])
{
    int first[ARC_IR_MAX_TENSORS], last[ARC_IR_MAX_TENSORS], ls = -1, le = -1;
    size_t bytes[ARC_IR_MAX_TENSORS];
    for (int i = 0; i < ir->ni; i++) {
        if (ir->in[i].op == ARC_IR_LOOP_BLOCKS)
            ls = i;
        if (ir->in[i].op == ARC_IR_END)
            le = i;
    }
    for (int t = 0; t < ir->nt; t++) {
        off[t] = 0;
        first[t] = last[t] = -1;
        bytes[t] = 0;
        if (ir->t[t].space != ARC_IR_TILE)
            continue;
        bytes[t] = (size_t)arc_ir_dim_size(&ir->spec, ir->t[t].rows) * arc_ir_dim_size(&ir->spec, ir->t[t].cols) *
                   (size_t)arc_dtype_bytes(ir->t[t].dtype);
        for (int i = 0; i < ir->ni; i++) {
            const struct arc_ir_inst *in = &ir->in[i];
            if (in->dst != t && in->a != t && in->b != t)
                continue;
            if (first[t] < 0) {
                first[t] = i;
                if (reads_(in, t)) { /* carried, or read uninitialised: keep it apart from everything */
                    first[t] = 0;
                    last[t] = ir->ni;
                    break;
                }
            }
            last[t] = i;
        }
        if (ls >= 0 && le > ls && first[t] < ls && last[t] > ls && last[t] < le)
            last[t] = le;
    }
    size_t total = 0;
    int done[ARC_IR_MAX_TENSORS] = {0};
    for (;;) {
        int t = -1; /* the largest tile not placed yet */
        for (int u = 0; u < ir->nt; u++)
            if (ir->t[u].space == ARC_IR_TILE && !done[u] && first[u] >= 0 && (t < 0 || bytes[u] > bytes[t]))
                t = u;
        if (t < 0)
            break;
        size_t at = 0;
        for (int moved = 1; moved;) { /* lowest offset clear of every placed tile alive at once */
            moved = 0;
            for (int u = 0; u < ir->nt; u++)
                if (done[u] && first[u] <= last[t] && first[t] <= last[u] && at < off[u] + bytes[u] &&
                    off[u] < at + bytes[t]) {
                    at = (off[u] + bytes[u] + 15) & ~(size_t)15;
                    moved = 1;
                }
        }
        off[t] = at;
        done[t] = 1;
        total = at + bytes[t] > total ? at + bytes[t] : total;
    }
    return (total + 15) & ~(size_t)15;
}

size_t arc_llvm_tile_bytes_(const struct arc_ir *ir)
{
    size_t off[ARC_IR_MAX_TENSORS];
    return place_tiles_(ir, off);
}

int arc_llvm_lower_(const struct arc_ir *ir, const struct arc_llvm_target *tg, LLVMContextRef cx,
                    LLVMModuleRef *out)
{
    *out = NULL;
    int st = arc_ir_validate(ir);
    if (st < 0)
        return st;
    int n_state = 0;
    for (int t = 0; t < ir->nt; t++)
        n_state += ir->t[t].space == ARC_IR_STATE;
    if (n_state > 1)
        return arc_errorf(ARC_EUNSUPPORTED, "llvm: %d state tensors; the ABI holds one state", n_state);
    struct gen_ g = {.ir = ir, .tg = tg, .cx = cx};
    g.tile_bytes = place_tiles_(ir, g.off);
    char mname[64];
    snprintf(mname, sizeof mname, "%s", arc_kernel_name(ir->spec.kernel));
    g.m = LLVMModuleCreateWithNameInContext(mname, cx);
    g.b = LLVMCreateBuilderInContext(cx);
    g.i16 = LLVMInt16TypeInContext(cx);
    g.i32 = LLVMInt32TypeInContext(cx);
    g.i64 = LLVMInt64TypeInContext(cx);
    g.f32 = LLVMFloatTypeInContext(cx);
    g.ptr = LLVMPointerTypeInContext(cx, 0);
    g.vd = LLVMVoidTypeInContext(cx);
    st = emit_function_(&g);
    LLVMDisposeBuilder(g.b);
    if (st < 0) {
        LLVMDisposeModule(g.m);
        return st;
    }
    char *msg = NULL;
    if (LLVMVerifyModule(g.m, LLVMReturnStatusAction, &msg)) {
        char *nl = msg ? strchr(msg, '\n') : NULL;
        if (nl)
            *nl = 0;
        st = arc_errorf(ARC_EUNSUPPORTED, "%s: the lowered module does not verify: %s", tg->name, msg ? msg : "?");
        LLVMDisposeMessage(msg);
        LLVMDisposeModule(g.m);
        return st;
    }
    LLVMDisposeMessage(msg);
    *out = g.m;
    return ARC_OK;
}

/* ---- diagnostics, targets, stamps ---- */

static void diag_handler_(LLVMDiagnosticInfoRef di, void *ctx)
{
    struct arc_llvm_diag_ *d = ctx;
    LLVMDiagnosticSeverity sev = LLVMGetDiagInfoSeverity(di);
    if (sev != LLVMDSError && sev != LLVMDSWarning)
        return;
    char *text = LLVMGetDiagInfoDescription(di);
    if (d->n++ == 0) {
        snprintf(d->msg, sizeof d->msg, "%s%s", sev == LLVMDSError ? "error: " : "warning: ", text ? text : "?");
        for (char *p = d->msg; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
    }
    LLVMDisposeMessage(text);
}

void arc_llvm_diag_attach_(LLVMContextRef cx, struct arc_llvm_diag_ *d)
{
    memset(d, 0, sizeof *d);
    LLVMContextSetDiagnosticHandler(cx, diag_handler_, d);
}

int arc_llvm_diag_check_(const struct arc_llvm_diag_ *d, const char *what)
{
    if (!d->n)
        return ARC_OK;
    return arc_errorf(ARC_ETOOL, "%s: LLVM reported %d problem%s (warnings count as errors); the first: %s", what,
                      d->n, d->n == 1 ? "" : "s", d->msg);
}

static pthread_once_t targets_once_ = PTHREAD_ONCE_INIT;

static void init_targets_once_(void)
{
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
}

void arc_llvm_init_targets_(void) { pthread_once(&targets_once_, init_targets_once_); }

void arc_llvm_stamp_(struct arc_buf *b, const char *prefix, const struct arc_ir *ir, const char *stamp,
                     const char *extra)
{
    int bare = (int)strlen(prefix); /* the prefix of an empty comment line: no trailing blank */
    while (bare > 0 && prefix[bare - 1] == ' ')
        bare--;
    arc_buf_printf(b, "%sgenerated by ", prefix);
    for (const char *p = stamp; *p; p++) /* one line, whatever the arguments held */
        arc_buf_printf(b, "%c", *p == '\n' || *p == '\r' ? ' ' : *p);
    arc_buf_printf(b, "; do not edit\n%.*s\n%sthe program:\n", bare, prefix, prefix);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ARC_ASSERT(f);
    arc_ir_print(ir, f);
    fclose(f);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        arc_buf_printf(b, "%s  %.*s\n", prefix, nl ? (int)(nl - line) : (int)strlen(line), line);
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    if (extra)
        arc_buf_printf(b, "%.*s\n%s%s\n", bare, prefix, prefix, extra);
    arc_buf_printf(b, "\n");
}
