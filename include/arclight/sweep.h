/* arclight sweeps: a spec file of axes over hardware figures, model variants and workload fields,
 * the deterministic enumeration of its points, their evaluation by an engine, and a threaded run
 * that hands rows to a sink (the SQLite store of sweep_db.h, or a caller's: MPI ranks).
 *
 * For: `arclight sweep` and anything that spreads a sweep over threads or machines. A point is
 * identified by its index in [0, n_points); everything about it (its axis values, its row) is a pure
 * function of (spec, engine, index), so any subset can be evaluated anywhere, in any order, and
 * the rows are the same.
 * Not for: storing rows (sweep_db.h), printing or the progress bar (cli/cmd_sweep.c), Pareto
 * fronts (reports).
 *
 * The spec (JSON; README "Sweeps" gives an example):
 *   "model":    a built-in name or config.json path, or {"name": ..., "softmax_every": N} /
 *               {"name": ..., "softmax_layers": K}
 *   "hw":       a built-in hardware name or a .json path (which may name a preset and override)
 *   "workload": optional {"phase", "batch", "ctx", "tp", "ep", "pp", "devices", "dtype", "chunk"},
 *               as `arclight sim` takes them; absent keys take sim's defaults
 *   "engine":   optional, "cost" (default) or "cycle"; the command's --engine overrides it
 *   "axes":     {"PATH": VALUES, ...} in order, the first axis outermost. PATH is "hw.<figure>"
 *               (any figure arc_hw_field_find knows for the hardware's kind, e.g.
 *               "hw.sram.capacity_bytes"), "model.softmax_every", "model.softmax_layers", or
 *               "workload.<key>". VALUES is a non-empty list ([1, 8, 64]; names for choice fields:
 *               ["bf16", "fp8"]), a linear range {"from": a, "to": b, "step": s} (a, a+s, ... up to
 *               b inclusive), or a log range {"from": a, "to": b, "points": n} (n values a x r^i,
 *               r = (b/a)^(1/(n-1)), both ends exact; rounded for integer fields, repeats dropped).
 *   "sample":   optional {"random": N, "seed": S}: N distinct grid points chosen by a keyed
 *               permutation of the grid (a Feistel network, cycle-walked), the same for the same S.
 * Keys starting with '_' are comments. Anything else is refused with FILE:FIELD.
 *
 * A sweep's identity (hash) is its canonical text and the bytes of every file the spec names:
 * the model config, the hardware file with its presets, and the hardware's calibration; and the
 * built-in energy and area tables the engines read. The bytes are the ones each loader parsed (a
 * built-in's or a file's), not where they were found or when they were written: an edited file
 * makes another sweep; a relative path or built-in name that finds the same bytes in another
 * checkout makes the same one. */
#ifndef ARCLIGHT_SWEEP_H
#define ARCLIGHT_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "arclight/engine.h"

#define ARC_SWEEP_AXES_MAX 16
#define ARC_SWEEP_PATH_MAX 96
#define ARC_SWEEP_ERROR_MAX 320
#define ARC_SWEEP_GRID_MAX (UINT64_C(1) << 62) /* grid points a spec may span */
#define ARC_SWEEP_POINTS_MAX (UINT64_C(1) << 32) /* points a sweep may evaluate */

/* What an axis sets. ORDER TARGET: sweep.c target_prefix_ */
enum arc_sweep_target {
    ARC_SWEEP_HW,       /* a hardware figure, by its JSON path */
    ARC_SWEEP_MODEL,    /* a model variant: softmax_every, softmax_layers */
    ARC_SWEEP_WORKLOAD, /* a workload field */
    ARC_SWEEP_TARGET_COUNT
};

/* The files a spec names, in the order its identity takes them. ORDER INPUT: sweep.c input_names_ */
enum arc_sweep_input {
    ARC_SWEEP_IN_MODEL, /* the model's config.json (a built-in's embedded bytes) */
    ARC_SWEEP_IN_HW,    /* the hardware file and its presets (arc_hw.files_fnv) */
    ARC_SWEEP_IN_CALIB, /* the calibration the hardware names; 0 when none */
    ARC_SWEEP_IN_TABLES, /* the built-in energy and area tables the engines read (sim/energy, sim/area):
                          * compiled in, so they change only with the binary, and then a resumed sweep
                          * would mix two sets of figures */
    ARC_SWEEP_IN_COUNT
};
/* "model", "hw", "calibration", "tables" */
const char *arc_sweep_input_name(enum arc_sweep_input i);

/* Model variant keys. ORDER MKEY: sweep.c mkey_names_ */
enum arc_sweep_mkey { ARC_SWEEP_M_SOFTMAX_EVERY, ARC_SWEEP_M_SOFTMAX_LAYERS, ARC_SWEEP_M_COUNT };

/* Workload keys. ORDER WKEY: sweep.c wkey_names_ */
enum arc_sweep_wkey {
    ARC_SWEEP_W_PHASE, ARC_SWEEP_W_BATCH, ARC_SWEEP_W_CTX, ARC_SWEEP_W_TP, ARC_SWEEP_W_EP,
    ARC_SWEEP_W_PP, ARC_SWEEP_W_DEVICES, ARC_SWEEP_W_DTYPE, ARC_SWEEP_W_CHUNK, ARC_SWEEP_W_COUNT
};

struct arc_sweep_axis {
    char path[ARC_SWEEP_PATH_MAX]; /* "hw.sram.capacity_bytes": also the database column */
    enum arc_sweep_target target;
    int field;   /* enum arc_hw_field, arc_sweep_mkey or arc_sweep_wkey */
    int integer; /* values are whole numbers (an INTEGER column) */
    int text;    /* values are names (phase, dtype, a hardware choice): a TEXT column */
    int n;       /* values */
    double *num; /* (n) the values; for text axes the name's index among the field's choices */
    char **str;  /* (n) the names, text axes only; else NULL */
};

struct arc_sweep {
    char file[256];        /* the spec, for messages */
    char *canonical;       /* the spec re-printed compactly with the effective engine */
    uint64_t input_fnv[ARC_SWEEP_IN_COUNT]; /* each named file's FNV-1a 64, as its loader read it */
    uint64_t hash;         /* the identity: FNV-1a 64 of canonical, continued over input_fnv in
                            * order (8 bytes each, least significant first) */
    char hash_hex[17];     /* hash as 16 lower-case hex digits */
    const struct arc_engine *engine;
    struct arc_model model;  /* the base model with its fixed variant */
    struct arc_hw hw;        /* the base hardware */
    struct arc_workload wl;  /* the fixed workload keys; 0 = sim's default, filled per point */
    int n_axes;
    struct arc_sweep_axis axes[ARC_SWEEP_AXES_MAX];
    uint64_t grid;           /* product of the axes' sizes */
    uint64_t n_points;       /* grid, or the sample's size */
    int sampled;             /* "sample" given */
    uint64_t seed;
    int perm_bits;           /* sampled: the permutation's domain is [0, 2^perm_bits) */
    uint64_t perm_key[4];    /* sampled: one key per Feistel round */
};

/* Loads a spec file; engine (may be NULL) overrides the spec's "engine". */
int arc_sweep_load(const char *path, const char *engine, struct arc_sweep *s);
/* The same from text; file names it in messages. */
int arc_sweep_parse(const char *text, const char *file, const char *engine, struct arc_sweep *s);
void arc_sweep_free(struct arc_sweep *s);

/* The grid index of point p (p < n_points): p itself for a full grid, its permuted index when
 * sampled. */
uint64_t arc_sweep_grid_index(const struct arc_sweep *s, uint64_t p);
/* Each axis's value index for point p: vi[a] in [0, axes[a].n); the last axis varies fastest. */
void arc_sweep_point(const struct arc_sweep *s, uint64_t p, int32_t *vi);

/* One point's inputs (by value index) and outputs. Plain data, no pointers: it can be copied
 * between threads and processes as bytes. */
struct arc_sweep_row {
    uint64_t point;                  /* index in the enumeration */
    int32_t vi[ARC_SWEEP_AXES_MAX];  /* (n_axes) each axis's value index */
    int valid;                       /* 1: evaluated; 0: invalid, error says why */
    int fits;                        /* footprint_bytes <= capacity_bytes */
    int devices;                     /* devices of the workload */
    int bound;                       /* enum arc_bound holding most of the latency */
    double latency_s, energy_j;      /* one step, all devices */
    double latency_per_token_s, energy_per_token_j;
    double tokens;                   /* tokens per step */
    double energy_by_j[ARC_EPART_COUNT]; /* the step's energy by part, all devices */
    double alt_energy_j;             /* snn: the papers' energy model, all devices; else 0 */
    double footprint_bytes, capacity_bytes; /* per device */
    double area_mm2;                 /* one device's area (arc_area_device_mm2: die, plus an le
                                      * design's lightning unit) x devices */
    double flop, link_bytes;         /* per device */
    uint64_t cycles;                 /* cycle engine: cycles of one chip; else 0 */
    char error[ARC_SWEEP_ERROR_MAX]; /* invalid: the library's one-line message; else "" */
};

/* Evaluates points[0..n) into rows[0..n) on the calling thread. Every point gets a row: an
 * invalid point (hardware that fails its checks, a workload the model or hardware cannot run) is
 * a row with valid 0 and the reason. Thread-safe: threads may call it at once on one spec.
 * This is the hook for spreading a sweep over machines: a rank evaluates its subset here and
 * ships the rows; returns ARC_OK (errors are per row). */
int arc_sweep_eval(const struct arc_sweep *s, const uint64_t *points, size_t n,
                   struct arc_sweep_row *rows);

/* Where a run's rows go. Called on the thread that called arc_sweep_run_points only. */
struct arc_sweep_sink {
    /* takes rows (in no particular order of point); may hold them until flush */
    int (*rows)(void *ctx, const struct arc_sweep_row *rows, size_t n);
    /* makes every row given so far durable (a database commit) */
    int (*flush)(void *ctx);
    /* optional: points done so far of total, at most every progress_s */
    void (*progress)(void *ctx, uint64_t done, uint64_t total, double elapsed_s);
    void *ctx;
};

struct arc_sweep_opts {
    int jobs;           /* worker threads, >= 1 */
    size_t flush_rows;  /* flush after this many rows (0: 4096) */
    double flush_s;     /* or after this long (0: 0.5 s) */
    double progress_s;  /* progress calls at most this often (0: 0.1 s) */
    uint64_t done_before, total; /* progress counts from done_before up to total (0: n) */
};

/* Evaluates points[0..n) on o->jobs threads and hands every row to the sink exactly once, then
 * flushes. The calling thread only moves rows to the sink. Returns the first negative status of
 * the sink, or ARC_OK. */
int arc_sweep_run_points(const struct arc_sweep *s, const uint64_t *points, size_t n,
                         const struct arc_sweep_opts *o, const struct arc_sweep_sink *sink);

#endif
