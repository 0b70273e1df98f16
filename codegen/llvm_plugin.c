/* arclight codegen: the llvm and ptx back ends' registry entries, which open the LLVM plug-in
 * (libarclight_llvm.so, codegen/llvm/) the first time one is used and forward to it.
 *
 * For: keeping libLLVM out of every arclight process that does not lower through it (loading it
 * costs about 70 ms). The plug-in's path is the one the build wrote (ARC_LLVM_PLUGIN); the
 * environment variable ARCLIGHT_LLVM_PLUGIN overrides it. Not for: lowering (codegen/llvm/). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "arclight/codegen.h"

#ifndef ARC_LLVM_PLUGIN
#define ARC_LLVM_PLUGIN "libarclight_llvm.so"
#endif

static void *plugin_;
static char plugin_error_[512];
static pthread_once_t plugin_once_ = PTHREAD_ONCE_INIT;

static void open_once_(void)
{
    const char *path = getenv("ARCLIGHT_LLVM_PLUGIN");
    if (!path || !*path)
        path = ARC_LLVM_PLUGIN;
    plugin_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!plugin_)
        snprintf(plugin_error_, sizeof plugin_error_, "%s", dlerror());
}

/* the plug-in's entry named sym, or NULL with the error set */
static const struct arc_backend *impl_(const char *sym, const char *name)
{
    pthread_once(&plugin_once_, open_once_);
    if (!plugin_) {
        arc_errorf(ARC_ETOOL, "gen %s: the LLVM back ends are not available: %s", name, plugin_error_);
        return NULL;
    }
    const struct arc_backend *be = dlsym(plugin_, sym);
    if (!be)
        arc_errorf(ARC_ETOOL, "gen %s: the LLVM plug-in lacks %s", name, sym);
    return be;
}

static int emit_llvm_(const struct arc_ir *ir, const char *dir, const char *stamp, struct arc_gen_output *out)
{
    const struct arc_backend *be = impl_("arc_backend_llvm_impl", "llvm");
    return be ? be->emit(ir, dir, stamp, out) : ARC_ETOOL;
}

static int emit_ptx_(const struct arc_ir *ir, const char *dir, const char *stamp, struct arc_gen_output *out)
{
    const struct arc_backend *be = impl_("arc_backend_ptx_impl", "ptx");
    return be ? be->emit(ir, dir, stamp, out) : ARC_ETOOL;
}

const struct arc_backend arc_backend_llvm = {
    .name = "llvm",
    .doc = "LLVM IR for the host CPU, plain loops (the plug-in also JIT-compiles it)",
    .emit = emit_llvm_,
};

const struct arc_backend arc_backend_ptx = {
    .name = "ptx",
    .doc = "PTX for sm_90 through LLVM's NVPTX target",
    .emit = emit_ptx_,
};
