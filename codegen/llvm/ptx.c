/* arclight `ptx` back end: the lightning IR lowered (lower.c) for NVPTX and emitted as PTX for sm_90
 * by LLVM's NVPTX target.
 *
 * The kernel has the codegen.h ABI and one thread block per program instance: prefill grid
 * (H x split, batch) as the CUDA back end's, decode grid B x H; 32 x --warps threads (at most), the
 * tiles in dynamic shared memory (grid, threads and bytes are in the file's stamp); each tile instruction's elements are spread over the block's threads and
 * a barrier follows it. Any LLVM diagnostic of warning severity or worse fails the emission; an LLVM
 * that does not know sm_90 (it says so on stderr only) is caught by its version and by the .version
 * of its output. Not for: assembling or loading the PTX (ptxas, the CUDA driver), the host (llvm.c). */
#include <stdio.h>
#include <string.h>

#include <llvm-c/TargetMachine.h>

#include "arclight/codegen.h"
#include "arclight/fsutil.h"
#include "lower.h"

#define PTX_TRIPLE "nvptx64-nvidia-cuda"
#define PTX_CPU "sm_90"
#define PTX_MIN_VERSION 78     /* PTX ISA 7.8: the first with sm_90 */
#define SM90_SMEM_BYTES 232448 /* 227 KB: the most dynamic shared memory one block may have */

static void annotate_(LLVMContextRef cx, LLVMModuleRef m, LLVMValueRef fn, const char *key, int value)
{
    LLVMMetadataRef md[3] = {
        LLVMValueAsMetadata(fn),
        LLVMMDStringInContext2(cx, key, strlen(key)),
        LLVMValueAsMetadata(LLVMConstInt(LLVMInt32TypeInContext(cx), (unsigned long long)value, 0)),
    };
    LLVMAddNamedMetadataOperand(m, "nvvm.annotations", LLVMMetadataAsValue(cx, LLVMMDNodeInContext2(cx, md, 3)));
}

static int emit_(const struct arc_ir *ir, const char *dir, const char *stamp, struct arc_gen_output *out)
{
    const struct arc_kernel_spec *s = &ir->spec;
    const int prefill = s->kernel == ARC_KERNEL_PREFILL, threads = 32 * s->warps;
    unsigned major, minor, patch;
    LLVMGetVersion(&major, &minor, &patch);
    if (major < 16) /* LLVM 14 and 15 do not know sm_90, and say so only on stderr */
        return arc_errorf(ARC_EUNSUPPORTED, "ptx: LLVM %u.%u does not know %s; LLVM 16 or later is needed", major,
                          minor, PTX_CPU);
    size_t smem = arc_llvm_tile_bytes_(ir);
    if (smem > SM90_SMEM_BYTES)
        return arc_errorf(ARC_EINPUT,
                          "--chunk: the ptx kernel's tiles need %zu bytes of shared memory, more than sm_90's %d; "
                          "lower --chunk or --dim", smem, SM90_SMEM_BYTES);
    arc_llvm_init_targets_();
    char *err = NULL;
    LLVMTargetRef t;
    if (LLVMGetTargetFromTriple(PTX_TRIPLE, &t, &err)) {
        int st = arc_errorf(ARC_EUNSUPPORTED, "ptx: this LLVM has no NVPTX target: %s", err ? err : "?");
        LLVMDisposeMessage(err);
        return st;
    }
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(t, PTX_TRIPLE, PTX_CPU, "", LLVMCodeGenLevelDefault,
                                                      LLVMRelocDefault, LLVMCodeModelDefault);
    LLVMContextRef cx = LLVMContextCreate();
    struct arc_llvm_diag_ diag;
    arc_llvm_diag_attach_(cx, &diag);
    LLVMModuleRef m = NULL;
    LLVMMemoryBufferRef buf = NULL;
    int st = arc_llvm_lower_(ir, &arc_llvm_nvptx_, cx, &m);
    if (st >= 0) {
        LLVMSetTarget(m, PTX_TRIPLE);
        LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(tm);
        LLVMSetModuleDataLayout(m, dl);
        LLVMDisposeTargetData(dl);
        LLVMValueRef fn = LLVMGetNamedFunction(m, prefill ? "lightning_prefill" : "lightning_decode");
        ARC_ASSERT(fn);
        annotate_(cx, m, fn, "kernel", 1);
        annotate_(cx, m, fn, "maxntidx", threads); /* the block size it is launched with, at most */
        if (LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMAssemblyFile, &err, &buf)) {
            st = arc_errorf(ARC_ETOOL, "ptx: emitting PTX: %s", err ? err : "?");
            LLVMDisposeMessage(err);
            buf = NULL;
        }
    }
    if (st >= 0)
        st = arc_llvm_diag_check_(&diag, "ptx: emitting PTX");
    if (st >= 0) {
        struct arc_buf b = {0};
        char extra[320];
        if (prefill)
            snprintf(extra, sizeof extra,
                     "launch: grid x = H x split = %d blocks (head h, split: x = h x %d + split), grid y = B; "
                     "%d threads; %zu bytes of dynamic shared memory", s->heads * s->split, s->split, threads, smem);
        else
            snprintf(extra, sizeof extra,
                     "launch: grid x = B x H = B x %d blocks (x = batch x %d + head); %d threads; "
                     "%zu bytes of dynamic shared memory", s->heads, s->heads, threads, smem);
        arc_llvm_stamp_(&b, "// ", ir, stamp, extra);
        size_t head = b.len;
        arc_buf_printf(&b, "%.*s", (int)LLVMGetBufferSize(buf), LLVMGetBufferStart(buf));
        /* an LLVM that does not know sm_90 says so on stderr only, then writes an older PTX version */
        const char *ver = strstr(b.data + head, "\n.version ");
        int major_ptx = 0, minor_ptx = 0;
        if (ver && sscanf(ver, "\n.version %d.%d", &major_ptx, &minor_ptx) != 2)
            major_ptx = 0;
        if (!strstr(b.data + head, "\n.target " PTX_CPU "\n") || major_ptx * 10 + minor_ptx < PTX_MIN_VERSION) {
            st = arc_errorf(ARC_ETOOL, "ptx: LLVM's output is not PTX %d.%d or later for %s (got .version %d.%d)",
                            PTX_MIN_VERSION / 10, PTX_MIN_VERSION % 10, PTX_CPU, major_ptx, minor_ptx);
        } else {
            snprintf(out->files[out->n], sizeof out->files[0], "%s/%s.ptx", dir,
                     prefill ? "lightning_prefill" : "lightning_decode");
            st = arc_file_write_atomic(out->files[out->n], b.data, b.len);
            if (st >= 0)
                out->n++;
        }
        arc_buf_free(&b);
    }
    if (buf)
        LLVMDisposeMemoryBuffer(buf);
    if (m)
        LLVMDisposeModule(m);
    LLVMContextDispose(cx);
    LLVMDisposeTargetMachine(tm);
    return st;
}

const struct arc_backend arc_backend_ptx_impl = {
    .name = "ptx",
    .doc = "PTX for sm_90 through LLVM's NVPTX target: one thread block per program, tiles in shared memory",
    .emit = emit_,
};
