/* arclight engines: what every engine returns (arc_result), the registry engines are picked from
 * by name, and the cost engine's per-op model.
 *
 * For: turning a trace, or a (model, workload) pair, and a hardware description into latency and
 * energy with their breakdowns. Engines are pure: no I/O, no allocation on the fast path; per-op
 * detail goes to an optional visitor the caller supplies.
 * Not for: printing (cli/, reports/). */
#ifndef ARCLIGHT_ENGINE_H
#define ARCLIGHT_ENGINE_H

#include "arclight/hw.h"
#include "arclight/model.h"
#include "arclight/trace.h"
#include "arclight/workload.h"

/* What limits an op. ORDER BOUND: engine.c bound_names_ */
enum arc_bound {
    ARC_BOUND_COMPUTE,  /* flop at the achievable rate */
    ARC_BOUND_MEMORY,   /* bytes at the achievable copy bandwidth */
    ARC_BOUND_LINK,     /* collective: bytes over the link plus its latency */
    ARC_BOUND_POWER,    /* dynamic energy / (TDP - idle) exceeds the other terms: clocks drop */
    ARC_BOUND_OVERHEAD, /* the fixed per-kernel cost exceeds the other terms */
    ARC_BOUND_COUNT
};
const char *arc_bound_name(enum arc_bound b);

/* Where the energy goes. ORDER EPART: engine.c epart_names_ */
enum arc_epart {
    ARC_EPART_IDLE,    /* idle (GPU) or static (accelerator) power x latency, all devices */
    ARC_EPART_COMPUTE, /* arithmetic: flop, MACs, synaptic ops, neuron updates */
    ARC_EPART_MEMORY,  /* device memory (GPU HBM) or off-chip memory (accelerators) */
    ARC_EPART_SRAM,    /* on-chip SRAM accesses (accelerators; inside MEMORY for GPUs) */
    ARC_EPART_WIRE,    /* on-chip wires between SRAM and compute (accelerators) */
    ARC_EPART_LINK,    /* chip-to-chip links and spike mesh */
    ARC_EPART_COUNT
};
const char *arc_epart_name(enum arc_epart p);

/* One op on one device. */
struct arc_op_cost {
    double time_s;                  /* the op's latency */
    double compute_s, memory_s;     /* flop / rate, bytes / bandwidth */
    double link_s;                  /* collectives: latency + link bytes / bandwidth */
    double power_s;                 /* dynamic energy / (TDP - idle) */
    double overhead_s;              /* fixed kernel cost */
    double energy_j[ARC_EPART_COUNT]; /* dynamic parts on this device (idle is per step) */
    double mem_time_s[ARC_MEM_COUNT];   /* each class's bytes at the bandwidth of where it lives */
    double mem_energy_j[ARC_MEM_COUNT]; /* each class's bytes' dynamic energy */
    double alt_energy_j;              /* a second energy model's figure (snn: the papers'), or 0 */
    enum arc_bound bound;
};

#define ARC_RESULT_UNITS_MAX 8 /* units a simulating engine can report */

struct arc_result {
    char engine[16];
    char hw[64];
    int devices;                        /* devices in the workload */
    int active_devices;                 /* devices working on an op: one pipeline stage's */
    double tokens;                      /* tokens the step processes (decode: batch) */
    double latency_s;                   /* the step */
    double energy_j;                    /* the step, all devices, idle included */
    double latency_per_token_s;         /* decode: latency_s; prefill: latency_s / tokens */
    double energy_per_token_j;          /* energy_j / tokens */
    double by_block_s[ARC_BLOCK_COUNT]; /* latency by block (layer kind) */
    double by_op_s[ARC_OP_COUNT];       /* latency by op kind */
    double by_bound_s[ARC_BOUND_COUNT]; /* latency by what limits it */
    double by_block_j[ARC_BLOCK_COUNT]; /* dynamic energy by block, all devices */
    double energy_by_j[ARC_EPART_COUNT];/* all devices */
    double mem_bytes[ARC_MEM_COUNT];    /* bytes moved per device, by class */
    double mem_time_s[ARC_MEM_COUNT];   /* those bytes at the achievable bandwidth, per device */
    double mem_energy_j[ARC_MEM_COUNT]; /* those bytes' dynamic energy, all devices */
    double alt_energy_j;                /* a second energy model, all devices, idle included; 0 if none */
    const char *alt_energy_model;       /* its name, or NULL */
    char regime[200];                   /* where weights, KV cache and states live (accelerators), or "" */
    double flop;                        /* per device */
    double link_bytes;                  /* per device */
    double footprint_bytes;             /* memory held per device: weights + KV + state */
    double capacity_bytes;              /* device memory */
    int fits;                           /* footprint_bytes <= capacity_bytes */
    const char *method;                 /* how the engine got its numbers, for the output */
    /* the cycle engine's extras (sim/cycle/); other engines leave them 0 */
    uint64_t cycles;                              /* the step, in clock cycles of one chip */
    double clock_hz;                              /* the clock those cycles count */
    int n_units;                                  /* units simulated */
    const char *unit_name[ARC_RESULT_UNITS_MAX];  /* (n_units) e.g. "array", "sram" (static) */
    double unit_busy_cycles[ARC_RESULT_UNITS_MAX]; /* (n_units) cycles the unit worked */
    double unit_util[ARC_RESULT_UNITS_MAX];       /* (n_units) busy cycles / cycles, in [0, 1] */
};

/* Called once per distinct op with how many times it runs (the fast path folds identical layers). */
typedef void (*arc_op_visitor)(void *ctx, const struct arc_op_rec *op, double count,
                               const struct arc_op_cost *cost);

struct arc_engine {
    const char *name;
    const char *doc;
    int (*run_trace)(const struct arc_trace *t, const struct arc_hw *hw, struct arc_result *r,
                     arc_op_visitor visit, void *ctx);
    /* optional fast path that gives the same result as building the trace; NULL = build it */
    int (*run_model)(const struct arc_model *m, const struct arc_workload *w,
                     const struct arc_hw *hw, struct arc_result *r, arc_op_visitor visit,
                     void *ctx);
};

/* ---- shared drivers: an engine supplies a per-op model and these do the rest ---- */

typedef void (*arc_op_model)(const void *ctx, const struct arc_op_rec *o, const struct arc_hw *hw,
                             struct arc_op_cost *c);

/* Starts a result: engine and hardware names, devices, tokens, capacity, idle/static power. */
void arc_result_begin(struct arc_result *r, const char *engine, const struct arc_hw *hw,
                      const struct arc_workload *w, double capacity_bytes, const char *method);
/* Adds n runs of op o with cost c. */
void arc_result_add(struct arc_result *r, const struct arc_op_rec *o, double n, const struct arc_op_cost *c);
/* Scales dynamic energy to the active devices, adds idle power x latency, per-token figures. */
void arc_result_finish(struct arc_result *r, double idle_w_per_device, double footprint_bytes,
                       enum arc_phase phase);
/* Every op of a trace through f. */
void arc_drive_trace(const struct arc_trace *t, const struct arc_hw *hw, arc_op_model f,
                     const void *fctx, struct arc_result *r, arc_op_visitor visit, void *vctx);
/* The fast path: each distinct layer once, times its count, plus embedding, tail and sends. */
void arc_drive_model(const struct arc_model *m, const struct arc_workload *w, const struct arc_hw *hw,
                     arc_op_model f, const void *fctx, struct arc_result *r, arc_op_visitor visit,
                     void *vctx);

extern const struct arc_engine arc_engine_cost;
/* NULL-terminated registry */
extern const struct arc_engine *const arc_engines[];
const struct arc_engine *arc_engine_find(const char *name);

/* A visitor's table: ops folded by (block, name), e.g. all lightning layers' qkv_proj in one row;
 * past ARC_OP_TABLE_MAX roles (an imported or hand-written trace) the last row, renamed more_ops,
 * takes every further op. */
#define ARC_OP_TABLE_MAX 64
struct arc_op_sum {
    struct arc_op_rec op;      /* the first op seen (its shapes) */
    double count;              /* times it runs per step */
    double time_s;             /* all of them */
    double flop, bytes, link_bytes, energy_j; /* all of them; energy is dynamic, one device */
    double by_bound_s[ARC_BOUND_COUNT];
};
struct arc_op_table {
    struct arc_op_sum rows[ARC_OP_TABLE_MAX];
    int n;
};
/* An arc_op_visitor; ctx is a zeroed struct arc_op_table. */
void arc_op_table_visit(void *ctx, const struct arc_op_rec *op, double count,
                        const struct arc_op_cost *cost);
/* The bound that holds most of a row's time */
enum arc_bound arc_op_sum_bound(const struct arc_op_sum *s);

/* Adds the result's figures to a JSON object: latency_s, energy_j, latency_per_token_s,
 * energy_per_token_j, tokens, breakdown{by_layer_kind, by_op, by_bound, energy_j, bytes}, memory. */
struct cJSON;
void arc_result_json(const struct arc_result *r, struct cJSON *obj);

/* Runs engine e on (model, workload): the fast path when it has one, else via the trace. */
int arc_engine_run_model(const struct arc_engine *e, const struct arc_model *m,
                         const struct arc_workload *w, const struct arc_hw *hw,
                         struct arc_result *r, arc_op_visitor visit, void *ctx);

/* The cost engine's model of one op on one device of a GPU (README). */
void arc_cost_op(const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_op_cost *c);
/* The board power the cost engine charges per second of a step on a GPU: the calibration's fitted
 * busy power when it has one, else the hardware file's idle power. */
double arc_cost_idle_w(const struct arc_hw *hw);
/* Checks that hw can run the trace's workload at all (devices, dtype). */
int arc_cost_check(const struct arc_workload *w, const struct arc_hw *hw);

/* Checks the parallel degrees (pp, tp, ep at least 1, no more stages than devices) and that the
 * hardware has the devices the workload needs; `unit` names them in the message ("devices",
 * "chips"), `hint` (may be "") follows it. Every engine's check starts here. */
int arc_workload_check_hw(const struct arc_workload *w, const struct arc_hw *hw, const char *unit,
                          const char *hint);

/* Settles an op's time and bound from its terms: the largest of compute, memory, link and power
 * time, plus the overhead; the bound names the largest (overhead when it exceeds them all). */
void arc_op_cost_settle(struct arc_op_cost *c);

/* Spiking counts of one op on an snn design: synaptic events (rate x T x MACs), neuron updates
 * (outputs x T), spikes out (rate x T x outputs), the decay's multiplies (the lambda*S floor) and
 * non-spiking vector flop. The cost engine and the cycle engine both count with these rules. */
struct arc_snn_counts {
    double synops, updates, spikes, mults, vec_flop;
};
void arc_snn_counts(const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_snn_counts *s);

/* Accelerators (le, snn): where each memory class lives for a workload, decided once per run. */
struct arc_accel_plan {
    int state_on_chip;   /* lightning states stay in SRAM across steps */
    int offchip[ARC_MEM_COUNT]; /* class lives off chip */
    double sram_need;    /* bytes the chip must hold on chip: resident classes + working set */
    double offchip_need; /* bytes it must hold off chip */
    char regime[200];    /* a sentence for the report */
};
/* Decides residency from the per-device footprint and the largest op's activations. */
void arc_accel_plan(const struct arc_hw *hw, double weight, double kv, double state,
                    double act_working, struct arc_accel_plan *p);
/* The cost engine's model of one op on one chip of an le or snn design (ctx: arc_accel_plan). */
void arc_accel_op(const void *ctx, const struct arc_op_rec *o, const struct arc_hw *hw,
                  struct arc_op_cost *c);
/* Checks that an accelerator can run a workload (devices, dtype). */
int arc_accel_check(const struct arc_workload *w, const struct arc_hw *hw);

#endif
