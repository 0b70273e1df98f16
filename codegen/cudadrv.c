/* arclight CUDA driver shim: dlopen and dlsym of the driver API (cudadrv.h). Not for: calling it. */
#include "cudadrv.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arclight/common.h"

/* one entry point: its slot in the table and the exported names to try, newest first */
struct sym_ {
    size_t off;
    const char *names[2];
};

#define SYM_(field, ...) {offsetof(struct arc_cudrv, field), {__VA_ARGS__}}
static const struct sym_ syms_[] = {
    SYM_(Init, "cuInit"),
    SYM_(DriverGetVersion, "cuDriverGetVersion"),
    SYM_(DeviceGet, "cuDeviceGet"),
    SYM_(DeviceGetName, "cuDeviceGetName"),
    SYM_(DeviceGetAttribute, "cuDeviceGetAttribute"),
    SYM_(DeviceTotalMem, "cuDeviceTotalMem_v2"),
    SYM_(DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"),
    SYM_(DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"),
    SYM_(CtxSetCurrent, "cuCtxSetCurrent"),
    SYM_(CtxSynchronize, "cuCtxSynchronize"),
    SYM_(ModuleLoadData, "cuModuleLoadData"),
    SYM_(ModuleUnload, "cuModuleUnload"),
    SYM_(ModuleGetFunction, "cuModuleGetFunction"),
    SYM_(FuncSetAttribute, "cuFuncSetAttribute"),
    SYM_(MemAlloc, "cuMemAlloc_v2"),
    SYM_(MemFree, "cuMemFree_v2"),
    SYM_(MemcpyHtoD, "cuMemcpyHtoD_v2"),
    SYM_(MemcpyDtoH, "cuMemcpyDtoH_v2"),
    SYM_(MemsetD16, "cuMemsetD16_v2"),
    SYM_(MemsetD32, "cuMemsetD32_v2"),
    SYM_(MemGetInfo, "cuMemGetInfo_v2"),
    SYM_(LaunchKernel, "cuLaunchKernel"),
    SYM_(StreamCreate, "cuStreamCreate"),
    SYM_(StreamDestroy, "cuStreamDestroy_v2"),
    SYM_(StreamSynchronize, "cuStreamSynchronize"),
    SYM_(EventCreate, "cuEventCreate"),
    SYM_(EventDestroy, "cuEventDestroy_v2"),
    SYM_(EventRecord, "cuEventRecord"),
    SYM_(EventSynchronize, "cuEventSynchronize"),
    SYM_(EventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime"),
    SYM_(StreamBeginCapture, "cuStreamBeginCapture_v2"),
    SYM_(StreamEndCapture, "cuStreamEndCapture"),
    SYM_(GraphInstantiate, "cuGraphInstantiateWithFlags"),
    SYM_(GraphLaunch, "cuGraphLaunch"),
    SYM_(GraphExecDestroy, "cuGraphExecDestroy"),
    SYM_(GraphDestroy, "cuGraphDestroy"),
    SYM_(GetErrorString, "cuGetErrorString"),
    SYM_(TensorMapEncodeTiled, "cuTensorMapEncodeTiled"),
    SYM_(MemcpyDtoDAsync, "cuMemcpyDtoDAsync_v2"),
    SYM_(DeviceGetPCIBusId, "cuDeviceGetPCIBusId"),
};

int arc_cudrv_open(struct arc_cudrv *d)
{
    memset(d, 0, sizeof *d);
    const char *path = getenv("ARCLIGHT_LIBCUDA");
    if (!path || !*path)
        path = "libcuda.so.1";
    d->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!d->lib) {
        const char *why = dlerror();
        return arc_errorf(ARC_EUNSUPPORTED, "no NVIDIA GPU driver (libcuda.so.1): %s", why ? why : "dlopen failed");
    }
    for (size_t i = 0; i < sizeof syms_ / sizeof syms_[0]; i++) {
        void *p = NULL;
        for (int k = 0; k < 2 && !p && syms_[i].names[k]; k++)
            p = dlsym(d->lib, syms_[i].names[k]);
        if (!p) {
            int st = arc_errorf(ARC_EUNSUPPORTED, "the NVIDIA GPU driver (%s) lacks %s: update the driver",
                                path, syms_[i].names[0]);
            arc_cudrv_close(d);
            return st;
        }
        memcpy((char *)d + syms_[i].off, &p, sizeof p); /* POSIX: function and object pointers agree */
    }
    return ARC_OK;
}

void arc_cudrv_close(struct arc_cudrv *d)
{
    if (d->lib)
        dlclose(d->lib);
    memset(d, 0, sizeof *d);
}

int arc_cudrv_check(const struct arc_cudrv *d, int r, const char *what)
{
    if (r == 0)
        return ARC_OK;
    const char *msg = NULL;
    if (d->GetErrorString)
        d->GetErrorString(r, &msg);
    return arc_errorf(ARC_ETOOL, "CUDA: %s: %s (CUDA error %d)", what, msg ? msg : "unknown error", r);
}

int arc_cudrv_find_nvcc(char *out, size_t n)
{
    const char *env = getenv("NVCC");
    if (env && *env && access(env, X_OK) == 0) {
        snprintf(out, n, "%s", env);
        return ARC_OK;
    }
    const char *path = getenv("PATH");
    if (path) {
        char *p = arc_xstrdup(path), *save = NULL;
        for (char *d = strtok_r(p, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
            snprintf(out, n, "%s/nvcc", d);
            if (access(out, X_OK) == 0) {
                free(p);
                return ARC_OK;
            }
        }
        free(p);
    }
    const char *home = getenv("CUDA_HOME");
    if (home && *home) {
        snprintf(out, n, "%s/bin/nvcc", home);
        if (access(out, X_OK) == 0)
            return ARC_OK;
    }
    snprintf(out, n, "/usr/local/cuda/bin/nvcc");
    if (access(out, X_OK) == 0)
        return ARC_OK;
    return arc_errorf(ARC_ETOOL, "nvcc not found ($NVCC, PATH, $CUDA_HOME/bin or /usr/local/cuda/bin): install the CUDA toolkit");
}

int arc_cudrv_first_gpu(struct arc_cudrv *d, struct arc_cu_gpu *g)
{
    memset(g, 0, sizeof *g);
    int st = arc_cudrv_open(d);
    if (st < 0)
        return st;
    ARC_CU_CK(d, d->Init(0), "cuInit (is an NVIDIA GPU present and the driver loaded?)");
    ARC_CU_CK(d, d->DriverGetVersion(&g->driver_version), "cuDriverGetVersion");
    ARC_CU_CK(d, d->DeviceGet(&g->dev, 0), "cuDeviceGet (no GPU?)");
    ARC_CU_CK(d, d->DeviceGetName(g->name, sizeof g->name, g->dev), "cuDeviceGetName");
    ARC_CU_CK(d, d->DeviceGetAttribute(&g->cc_major, ARC_CU_ATTR_CC_MAJOR, g->dev), "cuDeviceGetAttribute");
    ARC_CU_CK(d, d->DeviceGetAttribute(&g->cc_minor, ARC_CU_ATTR_CC_MINOR, g->dev), "cuDeviceGetAttribute");
    ARC_CU_CK(d, d->DeviceGetAttribute(&g->sms, ARC_CU_ATTR_SM_COUNT, g->dev), "cuDeviceGetAttribute");
    ARC_CU_CK(d, d->DeviceGetAttribute(&g->l2_bytes, ARC_CU_ATTR_L2_BYTES, g->dev), "cuDeviceGetAttribute");
    return ARC_OK;
}

int arc_cudrv_session(const struct arc_cudrv *d, int dev, arc_cu_handle *ctx, arc_cu_handle *stream)
{
    ARC_CU_CK(d, d->DevicePrimaryCtxRetain(ctx, dev), "cuDevicePrimaryCtxRetain");
    ARC_CU_CK(d, d->CtxSetCurrent(*ctx), "cuCtxSetCurrent");
    ARC_CU_CK(d, d->StreamCreate(stream, ARC_CU_STREAM_NON_BLOCKING), "cuStreamCreate");
    return ARC_OK;
}
