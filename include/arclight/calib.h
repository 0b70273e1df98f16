/* arclight GPU calibration: measured kernel times and board energies on one GPU, and the cost
 * engine's model built from them.
 *
 * For: loading and checking a calibration file (sim/calib/NAME.json built in, or a path), the
 * tables it holds, the prediction of one op from them, the energy terms fitted to its measured
 * energies, and validation against a held-out measured set. The file is written by `arclight
 * calibrate gpu` (calib_run.h) and holds measurements only, with provenance; everything derived
 * (tables, energy fit) is computed here at load time, so it can always be re-derived and checked.
 *
 * The model of one kernel of shape x on hardware hw:
 *     t(x) = t0 + roof(x; hw) * g(x)
 * where t0 is the measured fixed cost of one kernel replayed from a CUDA graph (an empty kernel),
 * roof(x; hw) = max(flop / peak rate, bytes / peak memory bandwidth) with hw's datasheet peaks, and
 * g, the measured inefficiency, is (t_measured - t0) / roof(x; the peaks at calibration) at each
 * measured shape, interpolated multilinearly in log g over the logs of the table's axes and held at
 * the edge value beyond them; below the smallest measured value of an axis the kernel spreads over
 * the SMs (m and n of a GEMM, bytes, batch x heads), the roof is scaled up to it: fewer blocks run
 * in parallel and the time is what the smallest shape took. On the calibrated GPU the
 * prediction at a measured shape is the measurement; a user who changes a peak (a sweep over
 * memory bandwidth) scales the roof.
 * Energy per kernel: min(P_busy * t + e_flop(class) * flop + e_byte(class) * bytes, P_limit * t), with
 * one busy power and a flop and a byte term per class of kernel (enum arc_calib_eclass), fitted by
 * non-negative least squares on relative error over the measured energies that ran below 90% of the
 * power limit (at the limit the board throttles and the energy is the limit times the time).
 * Not for: running the measurements (calib_run.h), or accelerators (le, snn). */
#ifndef ARCLIGHT_CALIB_H
#define ARCLIGHT_CALIB_H

#include <stdint.h>

#include "arclight/common.h"
#include "arclight/trace.h"

struct arc_hw;

#define ARC_CALIB_FORMAT 1

/* What was measured. ORDER CAL: calib.c kind_info_ */
enum arc_calib_kind {
    ARC_CAL_GEMM,              /* cuBLASLt matmul, (m x k) x (k x n), bf16 or fp8 in, bf16 out */
    ARC_CAL_COPY,              /* device-to-device copy of `bytes` / 2 bytes (bytes counts read + write) */
    ARC_CAL_ELEMENTWISE,       /* y = a x + b over bf16, `bytes` read + written */
    ARC_CAL_ATTN_PREFILL,      /* causal softmax attention (PyTorch SDPA, flash), seq_q = seq_kv = seq */
    ARC_CAL_ATTN_DECODE,       /* one query token against seq_kv cached keys (PyTorch SDPA) */
    ARC_CAL_LIGHTNING_PREFILL, /* arclight's generated lightning prefill kernel */
    ARC_CAL_LIGHTNING_DECODE,  /* arclight's generated lightning decode step */
    ARC_CAL_ELEMENTWISE_STRIDED, /* PyTorch's generic elementwise kernel: x * s, s broadcast along x's
                                  * rows (bf16), `bytes` read + written */
    ARC_CAL_KIND_COUNT
};
const char *arc_calib_kind_name(enum arc_calib_kind k);

/* One measured kernel: its shape (fields the kind does not use are 0) and what it took. */
struct arc_calib_point {
    enum arc_calib_kind kind;
    enum arc_dtype dtype;
    int64_t m, n, k;                     /* gemm */
    int64_t bytes;                       /* copy, elementwise: bytes read + written */
    int64_t batch, heads, kv_heads, head_dim, seq, seq_kv; /* attention and lightning */
    double time_s;                       /* one kernel: median over the timed replays */
    double time_min_s, time_max_s;       /* fastest and slowest replay, per kernel */
    int reps;                            /* timed replays */
    double energy_j;                     /* board energy per kernel (NVML counter); < 0: not measured */
    double power_w;                      /* mean board power over the energy window; < 0: not measured */
    double sm_clock_mhz;                 /* SM clock as the timed replays ran (NVML, read as they start and
                                          * end, the mean); 0: not recorded (files before it) */
};

/* The peaks g is normalised with (the hardware file's, at calibration) */
struct arc_calib_roof {
    double bf16_flops_per_s, fp8_flops_per_s, fp32_flops_per_s, mem_bw_bytes_per_s;
};

/* Energy classes: kernels whose energy per flop and per byte differ (a flash-attention kernel draws
 * more per flop than a GEMM, its exponentials; a copy's bytes cost less than a decode's). Attention's
 * prefill and decode are different kernels (a tiled flash forward, compute-bound; a pass over the KV
 * cache, memory-bound) and are fitted apart: one pair of terms for both left the H200's decode
 * energies 13% under on median (the fourth shipped pair's grid) and its prefill's 11% under. */
enum arc_calib_eclass {
    ARC_ECL_GEMM_BF16,
    ARC_ECL_GEMM_FP8,
    ARC_ECL_STREAM,       /* copies, elementwise, norms: bytes in, bytes out */
    ARC_ECL_ATTN_PREFILL, /* softmax attention over a prompt; lightning prefill borrows these */
    ARC_ECL_ATTN_DECODE,  /* softmax attention of one token over its cache; lightning decode borrows these */
    ARC_ECL_STRIDED,      /* the generic elementwise kernel: on the H200 2.4x the time of a vectorized
                           * one at 1 GB and about twice its dynamic energy per byte */
    ARC_ECL_COUNT
};
const char *arc_calib_eclass_name(enum arc_calib_eclass e);

struct arc_calib_energy {
    double busy_w;              /* board power while kernels run, not counting their work */
    double pj_per_flop[ARC_ECL_COUNT], pj_per_byte[ARC_ECL_COUNT];
    int class_points[ARC_ECL_COUNT]; /* energies fitted per class (a class with none takes bf16 GEMM's terms) */
    int points;                 /* measured energies fitted: those below 90% of the power limit */
    int capped;                 /* measured energies left out: at the power limit, where E = limit x t */
    double median_rel_err, p90_rel_err; /* of the model (capped at the limit) over every measured energy */
    int fitted;                 /* 0: too few energies; the hardware file's figures stand */
};

struct arc_calib_table; /* calib.c */

struct arc_calib {
    char file[256];             /* where it was loaded from, for messages */
    uint64_t file_fnv;          /* FNV-1a 64 of the bytes it was loaded from (json.h) */
    char hw[64];                /* the hardware file it calibrates ("h200-sxm") */
    char gpu[128];              /* the CUDA device name it was measured on ("NVIDIA H200") */
    char set[16];               /* "grid" (a calibration) or "holdout" (a validation set) */
    char provenance[512];       /* one line: driver, CUDA, cuBLASLt, clocks, date, commit */
    char method[1200];           /* the cost engine's method line when it uses this calibration */
    double t0_s;                /* fixed cost of one kernel in a graph */
    double launch_stream_s;     /* one empty kernel launched from the host, back to back */
    double idle_w;              /* board power at rest before the measurements */
    double power_limit_w;       /* the board's enforced power limit: no kernel's energy exceeds it x time */
    struct arc_calib_roof roof;
    struct arc_calib_energy energy;
    struct arc_calib_point *points; /* (n_points) as in the file */
    int n_points;
    struct arc_calib_table *tables; /* (n_tables) one per kind, dtype and head_dim */
    int n_tables;
};

/* Parses and checks a calibration or holdout file: the format, every field's type and range, the
 * provenance, each table a full grid over its axes (a measured shape missing from a grid names
 * itself). Errors name FILE:FIELD. */
int arc_calib_load(const char *name_or_path, struct arc_calib *c);
void arc_calib_free(struct arc_calib *c);

/* The calibration a hardware file names, loaded once per process and shared (never freed, safe
 * from threads). gpu: the hardware's CUDA device name; a calibration of another GPU is refused. */
int arc_calib_get(const char *name_or_path, const char *hw_file, const char *gpu, const struct arc_calib **out);

/* The op as the calibration sees it: the kind and axes of the table it falls in, its work, and its
 * roof on hw. Returns 0 when no table covers the op (collectives, fp32 GEMMs, a kind not measured):
 * the caller uses the roofline. A grouped GEMM is one kernel: the GEMM table at (m, n, k), where m
 * counts every group's rows, over the roof of the op's own flop and bytes (every group's weights). */
struct arc_calib_cost {
    double time_s;              /* t0 + roof x g */
    double compute_s, memory_s; /* the roof's two terms, each times g */
    double overhead_s;          /* t0, plus what charging a below-grid kernel as the smallest adds */
    double flop, bytes;         /* the work counted (for the energy terms) */
    double dyn_compute_j, dyn_memory_j; /* e_flop x flop, e_byte x bytes of the op's class, scaled down
                                 * together where they would take the board past its power limit
                                 * (both 0 when no energy was fitted) */
    double g;                   /* the interpolated inefficiency */
};
int arc_calib_op(const struct arc_calib *c, const struct arc_op_rec *o, const struct arc_hw *hw,
                 struct arc_calib_cost *out);

/* A point as the op the cost engine sees. */
void arc_calib_point_op(const struct arc_calib_point *p, struct arc_op_rec *o);
/* The shape fields p's kind has, as the file names them (gemm: m, n, k; copy: bytes; ...), with
 * their values; returns how many (at most ARC_CAL_SHAPE_MAX). */
#define ARC_CAL_SHAPE_MAX 5
int arc_calib_point_shape(const struct arc_calib_point *p, const char *keys[ARC_CAL_SHAPE_MAX],
                          int64_t vals[ARC_CAL_SHAPE_MAX]);

/* Validation: each point of a measured set beside the prediction of the calibration hw names. */
struct arc_calib_check {
    enum arc_calib_kind kind;
    enum arc_dtype dtype;
    int n, n_energy;
    double med_err, p90_err, max_err;          /* |predicted - measured| / measured, latency */
    double med_err_e, p90_err_e, max_err_e;    /* the same, board energy per kernel */
};
struct arc_calib_validation {
    struct arc_calib_check rows[2 * ARC_CAL_KIND_COUNT + 1]; /* per kind (gemm per dtype), then "all" */
    int n_rows;
    int points, overlapping;   /* points in the set; how many share a shape with the calibration */
};
/* The cost engine's latency and board energy (0 when the calibration fitted none) for the shape of
 * one measured point; 0 when the calibration has no table for its kind, 1 otherwise. */
int arc_calib_predict(const struct arc_calib *cal, const struct arc_hw *hw, const struct arc_calib_point *p,
                      double *time_s, double *energy_j);
/* Predicts every point of set with hw (which carries its calibration). A set sharing shapes with
 * the calibration is refused: a validation holds shapes out. */
int arc_calib_validate(const struct arc_calib *set, const struct arc_hw *hw, struct arc_calib_validation *v);

/* Interpolation on a full grid, exposed for tests: n axes (1..3), axis i the logs lx[i][] of len[i]
 * ascending positive values; lvals the logs of the values, row-major (last axis fastest); q the
 * point (not logs). Multilinear in log(value) over log(axis), clamped at the edges; returns the
 * value (exp of the interpolated log). */
double arc_calib_interp(int n, const int *len, const double *const *lx, const double *lvals, const double *q);

#endif
