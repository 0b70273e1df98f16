/* arclight verify: runs the generated lightning kernels on an NVIDIA GPU, checks them against the C
 * reference (lightning.h) and times them beside the cost engine's prediction.
 *
 * For: `arclight verify gpu` and bench/bench_lightning. The kernels are generated (arc_gen) into a
 * temporary directory, compiled with nvcc to a cubin (the cuda back end) or loaded as PTX text (the
 * ptx back end, when this build has it), and run through the CUDA driver API, which is opened at run
 * time (dlopen libcuda.so.1): arclight builds and runs without a driver, and verify then fails with
 * one line. Every check runs on fresh random bf16 inputs with the outputs poisoned first; every time
 * is the median of CUDA-event-timed launches after a warm-up, over rotating input sets when one set
 * would fit in L2. Not for: printing (the caller gets each row through a callback), simulating
 * anything (engine.h). */
#ifndef ARCLIGHT_VERIFY_H
#define ARCLIGHT_VERIFY_H

#include <stdint.h>

#include "arclight/codegen.h"

#define ARC_VERIFY_TOL 1e-2 /* relative error allowed: bf16 inputs and outputs, fp32 state */

struct arc_verify_opts {
    unsigned kernels;     /* 1 << enum arc_kernel for each kernel to verify (0: all) */
    const char *hw;       /* hardware whose cost-engine prediction sits beside each time ("h200-sxm") */
    int bench;            /* time the benchmark shapes: prefill B 1, T 4K..256K; decode B 1, 32, 128 */
    int reps;             /* timed launches per shape, median taken (at least 50) */
    const char *keep_dir; /* write the generated and compiled files here and keep them; NULL: temporary */
    int check_only;       /* run the checks, time nothing */
    int skip_ptx;         /* verify the cuda back end only, even where this build has a ptx back end */
    const char *ptx_dir;  /* load lightning_prefill.ptx / lightning_decode.ptx from here (written by
                           * `arclight gen ptx` with the same parameters) instead of generating them */
    int chunk, split, warps; /* the prefill kernel's spec (0: the defaults, C 64, split 2, 4 warps) */
    int decode_warps;        /* the decode kernel's warps (0: the default, 16) */
    int decode_entry;        /* cuda decode: 0 the launch's choice, 1 lightning_decode, 2 lightning_decode_narrow
                              * (enum arc_decode_entry, codegen/cuda/cuda.h) */
    int mma;                 /* the prefill's tensor-core path: enum arc_mma (0: auto) */
    /* timed shapes instead of the defaults (cuda back end; NULL: the defaults): prefill B 1 at each
     * T of time_seqs, decode at each B of time_batches; at most 16 each */
    const int *time_seqs, *time_batches;
    int n_time_seqs, n_time_batches;
};

enum arc_verify_kind {
    ARC_VERIFY_CHECK, /* a run against the reference */
    ARC_VERIFY_TIME,  /* a timed shape */
    ARC_VERIFY_KIND_COUNT
};

struct arc_verify_row {
    enum arc_verify_kind kind;
    char backend[8];           /* "cuda", "ptx" */
    enum arc_kernel kernel;
    int batch, heads, dim;     /* B, H, D */
    int seq;                   /* T (prefill); 1 (decode) */
    int chunk, split, warps;   /* the kernel's spec */
    char mma[8];               /* prefill (cuda): "wgmma" or "sync", as lowered; else "" */
    char entry[32];            /* the kernel function run: lightning_prefill, lightning_decode or
                                * lightning_decode_narrow (cuda decode, arc_cuda_decode_narrow) */
    /* ARC_VERIFY_CHECK */
    double err_o, err_state;   /* ||kernel - reference|| / ||reference|| of o and of the final state */
    int64_t unwritten;         /* outputs still holding the poison (NaN) after the run */
    int pass;                  /* both errors within ARC_VERIFY_TOL and nothing unwritten */
    /* ARC_VERIFY_TIME */
    int reps, sets;            /* timed launches; input sets rotated through */
    double ms_median, ms_min, ms_max; /* one launch, CUDA events */
    double graph_us;           /* decode B 1-16: one step replayed from a CUDA graph, us; 0 if not timed */
    double graph_us_min, graph_us_max; /* the fastest and slowest replay, per step */
    double flop;               /* the cost model's flop count of the op (arc_lightning_prefill_flop, 5 B H D^2) */
    double floor_bytes;        /* q, k, v read once, o written once (+ the fp32 state read and written, decode) */
    double floor_ms;           /* floor_bytes at the hardware's copy ceiling */
    double pred_ms;            /* the cost engine's time of the op on opts.hw */
};

struct arc_verify_report {
    char gpu[128];             /* the device's name */
    int cc_major, cc_minor, sms;
    double l2_bytes;
    int driver_version;        /* cuDriverGetVersion: 1000 x major + 10 x minor */
    char nvcc[96];             /* "release 13.0, V13.0.88" */
    char hw[64];               /* the hardware of the predictions */
    double copy_bw_bytes_per_s; /* its copy ceiling, the floor's denominator */
    char ptx[160];             /* what became of the ptx back end ("not in this build", "checked", ...) */
    struct arc_verify_row *rows; /* (n) in the order run */
    int n, cap;
    int failures;              /* checks that did not pass */
    char kept_dir[512];        /* where the generated files and nvcc logs were left after a failure, or "" */
};

/* Called after each row is finished (for progress output); may be NULL. */
typedef void (*arc_verify_visit)(void *ctx, const struct arc_verify_report *r, const struct arc_verify_row *row);

/* Runs the checks, then the timings. Returns ARC_OK when everything ran (r->failures counts the
 * checks that failed), or an error: ARC_EINPUT for bad options, ARC_EUNSUPPORTED without a driver or
 * GPU, ARC_ETOOL when nvcc or a driver call fails. r is filled either way; free it. */
int arc_verify_gpu(const struct arc_verify_opts *o, struct arc_verify_report *r, arc_verify_visit visit, void *ctx);
void arc_verify_report_free(struct arc_verify_report *r);
/* All figures as JSON, written atomically. */
int arc_verify_report_json(const struct arc_verify_report *r, const char *path);

#endif
