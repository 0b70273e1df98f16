/* arclight `llvm` back end and host JIT: the lightning IR lowered (lower.c) for the host CPU, written
 * as LLVM IR text (`arclight gen llvm`) or compiled in-process with ORC LLJIT (llvm_backend.h).
 * Not for: the IR walk itself (lower.c), NVPTX (ptx.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/TargetMachine.h>

#include "arclight/codegen.h"
#include "arclight/fsutil.h"
#include "arclight/llvm_backend.h"
#include "lower.h"

static const char *fn_name_(enum arc_kernel k)
{
    return k == ARC_KERNEL_PREFILL ? "lightning_prefill" : "lightning_decode";
}

/* the host's triple and data layout on m */
static int set_host_target_(LLVMModuleRef m)
{
    arc_llvm_init_targets_();
    char *triple = LLVMGetDefaultTargetTriple(), *err = NULL;
    LLVMTargetRef t;
    if (LLVMGetTargetFromTriple(triple, &t, &err)) {
        int st = arc_errorf(ARC_EUNSUPPORTED, "llvm: this LLVM cannot generate code for the host (%s): %s", triple,
                            err ? err : "?");
        LLVMDisposeMessage(err);
        LLVMDisposeMessage(triple);
        return st;
    }
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(t, triple, "", "", LLVMCodeGenLevelDefault, LLVMRelocDefault,
                                                      LLVMCodeModelDefault);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(tm);
    LLVMSetTarget(m, triple);
    LLVMSetModuleDataLayout(m, dl);
    LLVMDisposeTargetData(dl);
    LLVMDisposeTargetMachine(tm);
    LLVMDisposeMessage(triple);
    return ARC_OK;
}

static int emit_(const struct arc_ir *ir, const char *dir, const char *stamp, struct arc_gen_output *out)
{
    LLVMContextRef cx = LLVMContextCreate();
    struct arc_llvm_diag_ diag;
    arc_llvm_diag_attach_(cx, &diag);
    LLVMModuleRef m = NULL;
    int st = arc_llvm_lower_(ir, &arc_llvm_host_, cx, &m);
    if (st >= 0)
        st = set_host_target_(m);
    if (st >= 0)
        st = arc_llvm_diag_check_(&diag, "llvm: building the module");
    if (st >= 0) {
        struct arc_buf b = {0};
        char extra[256];
        snprintf(extra, sizeof extra, "call: %s(q, k, v, o, state, slope, %s) runs every program instance",
                 fn_name_(ir->spec.kernel), ir->spec.kernel == ARC_KERNEL_PREFILL ? "T, B" : "B");
        arc_llvm_stamp_(&b, "; ", ir, stamp, extra);
        char *text = LLVMPrintModuleToString(m);
        arc_buf_printf(&b, "%s", text);
        LLVMDisposeMessage(text);
        snprintf(out->files[out->n], sizeof out->files[0], "%s/%s.ll", dir, fn_name_(ir->spec.kernel));
        st = arc_file_write_atomic(out->files[out->n], b.data, b.len);
        arc_buf_free(&b);
        if (st >= 0)
            out->n++;
    }
    if (m)
        LLVMDisposeModule(m);
    LLVMContextDispose(cx);
    return st;
}

const struct arc_backend arc_backend_llvm_impl = {
    .name = "llvm",
    .doc = "LLVM IR for the host CPU (the module the JIT of llvm_backend.h compiles): plain scalar loops",
    .emit = emit_,
};

/* ---- the JIT ---- */

struct jit_ {
    LLVMOrcLLJITRef jit;
    struct arc_llvm_diag_ diag; /* attached to the module's context while it compiles */
};

static int llvm_error_(LLVMErrorRef e, const char *what)
{
    char *msg = LLVMGetErrorMessage(e);
    int st = arc_errorf(ARC_ETOOL, "llvm jit: %s: %s", what, msg ? msg : "?");
    LLVMDisposeErrorMessage(msg);
    return st;
}

void arc_llvm_jit_free(struct arc_llvm_jit *j)
{
    struct jit_ *x = j->impl_;
    if (x) {
        if (x->jit) {
            LLVMErrorRef e = LLVMOrcDisposeLLJIT(x->jit);
            if (e)
                LLVMConsumeError(e);
        }
        free(x);
    }
    memset(j, 0, sizeof *j);
}

int arc_llvm_jit_init(struct arc_llvm_jit *j, const struct arc_kernel_spec *s)
{
    memset(j, 0, sizeof *j);
    struct arc_ir ir;
    int st = arc_ir_build(s, &ir);
    if (st < 0)
        return st;
    arc_llvm_init_targets_();
    struct jit_ *x = arc_xcalloc(1, sizeof *x);
    j->impl_ = x;
    j->spec = *s;
    LLVMErrorRef e = LLVMOrcCreateLLJIT(&x->jit, LLVMOrcCreateLLJITBuilder());
    if (e) {
        x->jit = NULL;
        st = llvm_error_(e, "creating the JIT for the host");
        arc_llvm_jit_free(j);
        return st;
    }
    /* malloc, free and exp2f come from this process */
    LLVMOrcDefinitionGeneratorRef gen;
    e = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&gen, LLVMOrcLLJITGetGlobalPrefix(x->jit), NULL, NULL);
    if (e) {
        st = llvm_error_(e, "searching this process for symbols");
        arc_llvm_jit_free(j);
        return st;
    }
    LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(x->jit);
    LLVMOrcJITDylibAddGenerator(jd, gen);

    LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
    LLVMContextRef cx = LLVMOrcThreadSafeContextGetContext(tsc);
    arc_llvm_diag_attach_(cx, &x->diag);
    LLVMModuleRef m;
    if ((st = arc_llvm_lower_(&ir, &arc_llvm_host_, cx, &m)) < 0) {
        LLVMOrcDisposeThreadSafeContext(tsc);
        arc_llvm_jit_free(j);
        return st;
    }
    LLVMSetTarget(m, LLVMOrcLLJITGetTripleString(x->jit)); /* the data layout: the JIT's */
    e = LLVMOrcLLJITAddLLVMIRModule(x->jit, jd, LLVMOrcCreateNewThreadSafeModule(m, tsc));
    if (e) {
        LLVMOrcDisposeThreadSafeContext(tsc);
        st = llvm_error_(e, "adding the module");
        arc_llvm_jit_free(j);
        return st;
    }
    LLVMOrcExecutorAddress addr = 0;
    e = LLVMOrcLLJITLookup(x->jit, &addr, fn_name_(s->kernel)); /* compiles */
    /* the module is compiled and gone; the context goes with our reference */
    LLVMContextSetDiagnosticHandler(cx, NULL, NULL);
    LLVMOrcDisposeThreadSafeContext(tsc);
    if (e) {
        st = llvm_error_(e, "compiling");
        arc_llvm_jit_free(j);
        return st;
    }
    if ((st = arc_llvm_diag_check_(&x->diag, "llvm jit: compiling")) < 0 || !addr) {
        if (st >= 0)
            st = arc_errorf(ARC_ETOOL, "llvm jit: %s compiled to address 0", fn_name_(s->kernel));
        arc_llvm_jit_free(j);
        return st;
    }
    if (s->kernel == ARC_KERNEL_PREFILL)
        j->prefill = (arc_lightning_prefill_fn)(uintptr_t)addr;
    else
        j->decode = (arc_lightning_decode_fn)(uintptr_t)addr;
    return ARC_OK;
}
