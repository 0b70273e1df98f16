/* Rule: arc_ir_validate accepts the programs arc_ir_build makes and refuses damaged ones. Both
 * kernels built for several specs validate; a program with a matmul whose inner dimensions differ,
 * an END without a loop, a loop left open, a load from a tile, a store into a tile, an unknown op, or
 * an operand that is no tensor is refused with ARC_EINPUT and a message naming the instruction.
 * The LLVM lowering refuses a damaged program the same way rather than emitting it, and also a
 * load_state whose source is no tensor, which arc_ir_validate lets through. The lightning-chunk
 * program (one block, the state in and out, no loop) validates too, and every back end that is not
 * an RTL one refuses it, --lanes and --format through arc_gen with ARC_EINPUT.
 * Not for: what the programs compute (test_llvm_jit_matches_reference.c). */
#include <string.h>

#include "arclight/codegen.h"
#include "arclight/llvm_backend.h"
#include "check.h"

static int find_(const struct arc_ir *ir, enum arc_ir_op op)
{
    for (int i = 0; i < ir->ni; i++)
        if (ir->in[i].op == op)
            return i;
    return -1;
}

static int tensor_(const struct arc_ir *ir, const char *name)
{
    for (int t = 0; t < ir->nt; t++)
        if (strcmp(ir->t[t].name, name) == 0)
            return t;
    return -1;
}

/* ir, damaged by the caller, is refused with a message holding want */
#define REFUSED(ir, want)                                                                          \
    do {                                                                                           \
        CHECK_EQ_I(arc_ir_validate(&(ir)), ARC_EINPUT);                                            \
        CHECK_HAS(arc_error(), want);                                                              \
    } while (0)

int main(void)
{
    static const struct {
        enum arc_kernel k;
        int heads, dim, chunk, split;
    } good[] = {
        {ARC_KERNEL_PREFILL, 64, 128, 64, 2}, {ARC_KERNEL_PREFILL, 1, 16, 16, 1},
        {ARC_KERNEL_PREFILL, 8, 256, 256, 4}, {ARC_KERNEL_PREFILL, 3, 48, 32, 3},
        {ARC_KERNEL_DECODE, 64, 128, 64, 1},  {ARC_KERNEL_DECODE, 1, 16, 16, 1},
        {ARC_KERNEL_DECODE, 8, 256, 16, 1},
    };
    struct arc_kernel_spec s;
    struct arc_ir ir, pre, dec;
    for (size_t c = 0; c < sizeof good / sizeof good[0]; c++) {
        arc_kernel_spec_defaults(&s, good[c].k);
        s.heads = good[c].heads, s.dim = good[c].dim, s.chunk = good[c].chunk, s.split = good[c].split;
        CHECK_OK(arc_ir_build(&s, &ir));
        CHECK_OK(arc_ir_validate(&ir));
    }
    arc_kernel_spec_defaults(&s, ARC_KERNEL_PREFILL);
    REQUIRE_OK(arc_ir_build(&s, &pre));
    arc_kernel_spec_defaults(&s, ARC_KERNEL_DECODE);
    REQUIRE_OK(arc_ir_build(&s, &dec));
    int mm = find_(&pre, ARC_IR_MATMUL), loop = find_(&pre, ARC_IR_LOOP_BLOCKS), end = find_(&pre, ARC_IR_END);
    int ld = find_(&pre, ARC_IR_LOAD), sto = find_(&pre, ARC_IR_STORE);
    REQUIRE(mm >= 0 && loop >= 0 && end >= 0 && ld >= 0 && sto >= 0);

    /* P = Q K^T without the transpose: C x D times C x D */
    ir = pre;
    ir.in[mm].trans_b = 0;
    REFUSED(ir, "matmul");
    /* O = P V with V swapped for K: C x C times C x D into C x Dv (split 2) */
    ir = pre;
    int pv = -1;
    for (int i = mm + 1; i < ir.ni && pv < 0; i++)
        if (ir.in[i].op == ARC_IR_MATMUL)
            pv = i;
    REQUIRE(pv > 0);
    ir.in[pv].b = tensor_(&ir, "Q"); /* inner C matches, but the result is C x D, not C x Dv */
    REFUSED(ir, "matmul");
    /* an END with no loop open: the decode program has none */
    ir = dec;
    ir.in[ir.ni++] = (struct arc_ir_inst){.op = ARC_IR_END, .dst = -1, .a = -1, .b = -1};
    REFUSED(ir, "end without a loop");
    /* the prefill's END turned into a second END before its loop */
    ir = pre;
    ir.in[loop].op = ARC_IR_END;
    REFUSED(ir, "end without a loop");
    /* the loop never closed */
    ir = pre;
    ir.in[end].op = ARC_IR_DECAY_MASK;
    ir.in[end].dst = tensor_(&ir, "P");
    REFUSED(ir, "not closed");
    /* a load from a tile (K <- Q) */
    ir = pre;
    ir.in[ld].a = tensor_(&ir, "K");
    REFUSED(ir, "expected a global tensor and a tile");
    /* a store into a tile */
    ir = pre;
    ir.in[sto].dst = tensor_(&ir, "Q");
    REFUSED(ir, "expected a global tensor and a tile");
    /* an unknown op */
    ir = dec;
    ir.in[2].op = ARC_IR_OP_COUNT;
    REFUSED(ir, "unknown op");
    ir = pre;
    ir.in[3].op = (enum arc_ir_op)1000;
    REFUSED(ir, "unknown op");
    /* an operand that is no tensor */
    ir = pre;
    ir.in[mm].a = ir.nt;
    REFUSED(ir, "is not a tensor");
    ir = dec;
    ir.in[find_(&dec, ARC_IR_OUTER_ACC)].b = -1;
    REFUSED(ir, "is not a tensor");

    /* load_state's source past the tensors: arc_ir_validate lets it through (it checks only the
     * destination of load_state), the LLVM lowering does not */
    ir = dec;
    ir.in[find_(&dec, ARC_IR_LOAD_STATE)].a = ir.nt + 3;
    for (int b = 0; arc_backends[b]; b++) {
        struct arc_gen_output out = {0};
        if (strcmp(arc_backends[b]->name, "cuda") == 0)
            continue;
        CHECK_EQ_I(arc_backends[b]->emit(&ir, "/nonexistent-dir", "test", &out), ARC_EINPUT);
        CHECK_HAS(arc_error(), "load_state");
    }

    /* lightning-chunk: one block, no loop, the state loaded from and stored to its global */
    arc_kernel_spec_defaults(&s, ARC_KERNEL_CHUNK);
    s.heads = 2, s.dim = 16, s.chunk = 8;
    CHECK_OK(arc_ir_build(&s, &ir));
    CHECK_EQ_I(find_(&ir, ARC_IR_LOOP_BLOCKS), -1);
    CHECK(ir.in[find_(&ir, ARC_IR_LOAD_STATE)].a == tensor_(&ir, "state"));
    int rtl = 0;
    for (int b = 0; arc_backends[b]; b++) {
        struct arc_gen_output out = {0};
        struct arc_kernel_spec d;
        if (arc_backends[b]->rtl) {
            rtl++;
            continue;
        }
        CHECK_EQ_I(arc_gen(arc_backends[b], &s, "/nonexistent-dir", "test", &out), ARC_EINPUT);
        CHECK_HAS(arc_error(), "lightning-chunk");
        arc_kernel_spec_defaults(&d, ARC_KERNEL_DECODE);
        d.lanes = 4;
        CHECK_EQ_I(arc_gen(arc_backends[b], &d, "/nonexistent-dir", "test", &out), ARC_EINPUT);
        CHECK_HAS(arc_error(), "--lanes");
        arc_kernel_spec_defaults(&d, ARC_KERNEL_DECODE);
        d.format = (struct arc_fx){16, 8};
        CHECK_EQ_I(arc_gen(arc_backends[b], &d, "/nonexistent-dir", "test", &out), ARC_EINPUT);
        CHECK_HAS(arc_error(), "--format");
        CHECK_EQ_I(out.n, 0);
    }
    CHECK_EQ_I(rtl, 1); /* verilog */

    /* the JIT builds through the same check: a bad spec never reaches LLVM */
    struct arc_llvm_jit jit;
    arc_kernel_spec_defaults(&s, ARC_KERNEL_DECODE);
    s.split = 2;
    CHECK_EQ_I(arc_llvm_jit_init(&jit, &s), ARC_EINPUT);
    CHECK_HAS(arc_error(), "--split");
    arc_llvm_jit_free(&jit);
    /* and every back end refuses a damaged program (emit is reached only through arc_gen, which
     * validates; the back ends' own guard is exercised here) */
    for (int b = 0; arc_backends[b]; b++) {
        struct arc_gen_output out = {0};
        ir = pre;
        ir.in[3].op = ARC_IR_OP_COUNT;
        if (strcmp(arc_backends[b]->name, "cuda") == 0)
            continue; /* the CUDA back end trusts arc_gen's check */
        CHECK_EQ_I(arc_backends[b]->emit(&ir, "/nonexistent-dir", "test", &out), ARC_EINPUT);
        CHECK_EQ_I(out.n, 0);
    }
    return check_done("test_ir_validation", "");
}
