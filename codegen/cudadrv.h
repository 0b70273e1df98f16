/* arclight CUDA driver shim (internal to codegen/verify.c): the few driver-API calls verify makes,
 * looked up at run time with dlopen("libcuda.so.1"), so arclight builds without the CUDA toolkit's
 * headers and runs on machines without a driver (verify then fails with one line).
 *
 * Types are the driver's, declared opaquely here: a handle is a pointer, a device pointer a 64-bit
 * integer, a result an int (0 = CUDA_SUCCESS). Not for: anything but verify, calibrate and bench,
 * or the runtime API (cudart). */
#ifndef ARCLIGHT_CODEGEN_CUDADRV_H
#define ARCLIGHT_CODEGEN_CUDADRV_H

#include <stddef.h>

typedef unsigned long long arc_cu_ptr; /* CUdeviceptr */
typedef void *arc_cu_handle;
struct arc_cu_tmap { _Alignas(128) unsigned long long opaque[16]; }; /* CUtensorMap */           /* CUcontext, CUmodule, CUfunction, CUstream, CUevent, CUgraph, ... */

/* attribute numbers, as cuda.h gives them */
enum {
    ARC_CU_ATTR_CLOCK_RATE_KHZ = 13,
    ARC_CU_ATTR_SM_COUNT = 16,
    ARC_CU_ATTR_L2_BYTES = 38,
    ARC_CU_ATTR_CC_MAJOR = 75,
    ARC_CU_ATTR_CC_MINOR = 76,
    ARC_CU_ATTR_SMEM_OPTIN = 97,
    ARC_CU_FUNC_MAX_DYNAMIC_SMEM = 8,
    ARC_CU_CAPTURE_GLOBAL = 0,
    ARC_CU_STREAM_NON_BLOCKING = 1,
    ARC_CU_TMAP_BF16 = 9,          /* CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 */
    ARC_CU_TMAP_SWIZZLE_128B = 3,  /* CU_TENSOR_MAP_SWIZZLE_128B */
    ARC_CU_TMAP_L2_256B = 3,       /* CU_TENSOR_MAP_L2_PROMOTION_L2_256B */
};

struct arc_cudrv {
    void *lib; /* dlopen handle */
    int (*Init)(unsigned flags);
    int (*DriverGetVersion)(int *v);
    int (*DeviceGet)(int *dev, int ordinal);
    int (*DeviceGetName)(char *name, int len, int dev);
    int (*DeviceGetAttribute)(int *v, int attrib, int dev);
    int (*DeviceTotalMem)(size_t *bytes, int dev);
    int (*DevicePrimaryCtxRetain)(arc_cu_handle *ctx, int dev);
    int (*DevicePrimaryCtxRelease)(int dev);
    int (*CtxSetCurrent)(arc_cu_handle ctx);
    int (*CtxSynchronize)(void);
    int (*ModuleLoadData)(arc_cu_handle *mod, const void *image);
    int (*ModuleUnload)(arc_cu_handle mod);
    int (*ModuleGetFunction)(arc_cu_handle *fn, arc_cu_handle mod, const char *name);
    int (*FuncSetAttribute)(arc_cu_handle fn, int attrib, int value);
    int (*MemAlloc)(arc_cu_ptr *p, size_t bytes);
    int (*MemFree)(arc_cu_ptr p);
    int (*MemcpyHtoD)(arc_cu_ptr dst, const void *src, size_t bytes);
    int (*MemcpyDtoH)(void *dst, arc_cu_ptr src, size_t bytes);
    int (*MemsetD16)(arc_cu_ptr dst, unsigned short value, size_t n);
    int (*MemsetD32)(arc_cu_ptr dst, unsigned value, size_t n);
    int (*MemGetInfo)(size_t *free_bytes, size_t *total_bytes);
    int (*LaunchKernel)(arc_cu_handle fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned smem_bytes, arc_cu_handle stream, void **params, void **extra);
    int (*StreamCreate)(arc_cu_handle *s, unsigned flags);
    int (*StreamDestroy)(arc_cu_handle s);
    int (*StreamSynchronize)(arc_cu_handle s);
    int (*EventCreate)(arc_cu_handle *e, unsigned flags);
    int (*EventDestroy)(arc_cu_handle e);
    int (*EventRecord)(arc_cu_handle e, arc_cu_handle s);
    int (*EventSynchronize)(arc_cu_handle e);
    int (*EventElapsedTime)(float *ms, arc_cu_handle start, arc_cu_handle end);
    int (*StreamBeginCapture)(arc_cu_handle s, int mode);
    int (*StreamEndCapture)(arc_cu_handle s, arc_cu_handle *graph);
    int (*GraphInstantiate)(arc_cu_handle *exec, arc_cu_handle graph, unsigned long long flags);
    int (*GraphLaunch)(arc_cu_handle exec, arc_cu_handle s);
    int (*GraphExecDestroy)(arc_cu_handle exec);
    int (*GraphDestroy)(arc_cu_handle graph);
    int (*GetErrorString)(int r, const char **msg);
    int (*MemcpyDtoDAsync)(arc_cu_ptr dst, arc_cu_ptr src, size_t bytes, arc_cu_handle stream);
    int (*DeviceGetPCIBusId)(char *id, int len, int dev);
    /* CUtensorMap (128 opaque bytes) for a tiled TMA view; enums as cuda.h numbers them */
    int (*TensorMapEncodeTiled)(void *map, int dtype, unsigned rank, void *addr, const unsigned long long *dims,
                                const unsigned long long *strides_bytes, const unsigned *box, const unsigned *elem_strides,
                                int interleave, int swizzle, int l2_promotion, int oob_fill);
};

/* Opens the driver library: $ARCLIGHT_LIBCUDA if set (tests point it at a missing file), else
 * libcuda.so.1. Without one: ARC_EUNSUPPORTED, "verify: no NVIDIA GPU driver (libcuda.so.1): ...". */
int arc_cudrv_open(struct arc_cudrv *d);
void arc_cudrv_close(struct arc_cudrv *d);
/* nvcc: $NVCC, then PATH, $CUDA_HOME/bin, /usr/local/cuda/bin; ARC_ETOOL when none is found */
int arc_cudrv_find_nvcc(char *out, size_t n);
/* ARC_OK when r is CUDA_SUCCESS, else ARC_ETOOL "verify: WHAT: the driver's message (code)" */
int arc_cudrv_check(const struct arc_cudrv *d, int r, const char *what);
/* In a function returning int: returns the error when the driver call made through d (struct arc_cudrv *) fails */
#define ARC_CU_CK(d, call, what)                              \
    do {                                                      \
        int st_ = arc_cudrv_check((d), (call), (what));       \
        if (st_ < 0)                                          \
            return st_;                                       \
    } while (0)

/* The machine's first GPU, as verify and calibrate see it. */
struct arc_cu_gpu {
    int dev;
    char name[128];
    int driver_version; /* CUDA version the driver supports, 1000 x major + 10 x minor */
    int cc_major, cc_minor, sms, l2_bytes;
};
/* Opens the driver (arc_cudrv_open), initialises it and describes device 0. */
int arc_cudrv_first_gpu(struct arc_cudrv *d, struct arc_cu_gpu *g);
/* Makes the device's primary context current (retained: release it with DevicePrimaryCtxRelease)
 * and creates a non-blocking stream on it. */
int arc_cudrv_session(const struct arc_cudrv *d, int dev, arc_cu_handle *ctx, arc_cu_handle *stream);

#endif
