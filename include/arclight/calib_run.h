/* arclight calibrate: measures kernels on this machine's NVIDIA GPU and writes a calibration file.
 *
 * For: `arclight calibrate gpu`. Everything runs through libraries the GPU's owner already has,
 * opened at run time so arclight builds and runs without them (calibrate then fails with one line):
 * the CUDA driver (libcuda.so.1), cuBLASLt (GEMMs, bf16 and fp8), NVML (board energy counter and
 * power, clocks, driver version, power limit), nvcc (the copy-free elementwise and empty kernels),
 * arclight's own generated lightning kernels (verify.h), and PyTorch through python3 for softmax
 * attention (scaled_dot_product_attention with the flash back end: C has no equal) and ATen's generic
 * elementwise kernel (elementwise_strided); without python3 and torch the file says so and those
 * stay on the roofline.
 *
 * Method (the file's "method" repeats it): every kernel is captured N times in a CUDA graph over
 * input sets rotated so that they do not sit in L2 (unless the shape itself fits), the graph is
 * replayed after warm-ups, and a kernel's time is the median replay's time over N; board energy is
 * the NVML energy counter's difference over a window of at least one second of replays, after a
 * quarter second of warm-up, divided by the kernels run in it, measured in a last pass once every
 * kernel is timed (attention: once every attention shape is), so no timing follows a window. The
 * GEMM grid is timed in a fixed random order, and each held-out GEMM after a random grid GEMM (timed,
 * not kept), so both sets run the same mix of kernels: what ran before a GEMM moves its time. GEMM
 * and streaming points record the SM clock read as their timed replays start and end.
 * Not for: using a calibration (calib.h). */
#ifndef ARCLIGHT_CALIB_RUN_H
#define ARCLIGHT_CALIB_RUN_H

#include "arclight/common.h"

enum arc_calib_set {
    ARC_CALSET_GRID,    /* the calibration: shapes on log-spaced grids */
    ARC_CALSET_HOLDOUT, /* a validation set: shapes between and beside the grid's */
    ARC_CALSET_QUICK,   /* a few shapes of each kind, to check a machine in seconds (not a calibration) */
};

/* done of total measurements, and what runs now */
typedef void (*arc_calib_progress)(void *ctx, int done, int total, const char *what);

struct arc_calib_run_opts {
    const char *hw;          /* hardware file naming this GPU (its cuda_name must match), "h200-sxm" */
    const char *out;         /* the file to write (atomically) */
    enum arc_calib_set set;
    const char *python;      /* python3 with torch for attention; NULL: $ARCLIGHT_PYTHON or python3 */
    int no_energy;           /* skip the energy windows (minutes shorter) */
    const char *command;     /* the command line, for the provenance */
    arc_calib_progress progress;
    void *ctx;
};

/* Runs the suite. ARC_EUNSUPPORTED without a driver, GPU, cuBLASLt or NVML; ARC_EINPUT when the GPU
 * is not the one hw names; ARC_ETOOL when nvcc or a library call fails. */
int arc_calib_run(const struct arc_calib_run_opts *o);

#endif
