/* arclight cycle engine, internal: what its three files share. sim/cycle/ops.c turns an op into
 * steps (tiles of the matrix array, chunks of the vector unit, links and spiking cores);
 * sim/cycle/queue.c is the event queue; sim/cycle/timeline.c collects and writes the
 * Chrome/Perfetto timeline; sim/cycle/cycle.c runs the steps through the units.
 * Not for: use outside sim/cycle/ (the public entry is include/arclight/cycle.h), except by the
 * SystemC model (sim/systemc/le_model.h), which takes its steps from the step generator (cyc_gen,
 * cyc_rates) and times them itself; the queue and timeline are the cycle engine's alone. */
#ifndef ARCLIGHT_CYCLE_INTERNAL_H
#define ARCLIGHT_CYCLE_INTERNAL_H

#include <stdint.h>

#include "arclight/engine.h"

/* Byte classes of a step: the trace's four, and on-chip scratch (the running lightning state of
 * a prefill, which never leaves SRAM during the op; reported under ARC_MEM_STATE). */
enum { CYC_SCRATCH = ARC_MEM_COUNT, CYC_NCLASS };

/* The units of one chip. ORDER UNIT: cycle.c unit names */
enum cyc_unit {
    CYC_DMA,    /* off-chip memory <-> SRAM, offchip.bw_bytes_per_s */
    CYC_SRAM,   /* banks x ports x port_bytes per cycle, accesses interleaved over the banks */
    CYC_ARRAY,  /* le: the matrix array; snn: the cores (synaptic events, neuron updates) */
    CYC_VECTOR, /* vector.lanes lanes, 2 flop per lane per cycle */
    CYC_MESH,   /* snn: the spike mesh's routers */
    CYC_LINK,   /* chip-to-chip links */
    CYC_LIGHT,  /* le, optional: the lightning unit (lightning_unit.h), recurrent lightning decode */
    CYC_UNIT_COUNT
};

/* Rates and sizes of one design, in cycles of clock_hz, from the hardware file. */
struct cyc_rates {
    int snn;                  /* hw kind is snn */
    double clock_hz;
    double dma_bytes;         /* off-chip bytes per cycle; 0 without off-chip memory */
    double link_bytes;        /* link bytes per cycle */
    double link_latency;      /* cycles of a collective's or send's fixed cost */
    double dispatch;          /* cycles of kernel.overhead_s before each non-link op */
    double sram_ports;        /* banks x ports */
    double sram_port_bytes;   /* bytes per port per cycle */
    double vec_flop;          /* vector flop per cycle: 2 x lanes */
    int64_t rows, cols;       /* le: matrix array */
    double block_bytes;       /* bytes of one DMA request, vector chunk and staging buffer */
    double synops, updates;   /* snn: per cycle, all cores */
    double hop_cycles;        /* snn: mean hops x hop latency x clock / cores, per spike */
    const struct arc_hw *hw;  /* for the lightning unit's timing model (lightning_unit.h) */
};

/* One step: a tile or a chunk of an op, carried by the units in the order of its stages
 * (cycle.c: DMA in, SRAM landing, load, compute, drain, vector, mesh, write, read out, DMA out). */
struct cyc_step {
    double ld[CYC_NCLASS]; /* bytes read from SRAM into the unit before it computes (a tile's
                              stationary operand, a chunk's inputs) */
    double rd[CYC_NCLASS]; /* bytes read from SRAM while it computes (an array tile's rows) */
    double wr[CYC_NCLASS]; /* bytes written to SRAM after it (and after its vector and mesh work) */
    double own[CYC_NCLASS]; /* bytes the unit reads and writes in its own banks while it computes
                               (the lightning unit's state): SRAM energy, no SRAM port time */
    int unit;              /* CYC_ARRAY, CYC_VECTOR, CYC_LINK or CYC_LIGHT: where the step computes */
    double work;           /* cycles of that unit */
    double latency;        /* cycles from the end of the work to its results (array fill and drain) */
    double vec;            /* cycles of the vector unit after the results */
    double mesh;           /* cycles of the spike mesh after the results (snn) */
    int64_t dep;           /* a step whose vector stage must end before this one computes; -1 none */
    /* events, for energy */
    double macs, vflop, synops, updates, spikes, mults, link_bytes;
    /* set by cycle.c */
    double dma_in, dma_out; /* off-chip bytes in before the step and out after it */
    unsigned done;          /* bit per stage done */
};

/* An op's step generator (ops.c). Steps come out in the order they are issued. */
struct cyc_gen {
    const struct arc_op_rec *o;
    const struct cyc_rates *rt;
    const int *offchip;       /* (ARC_MEM_COUNT) plan: class lives off chip */
    int kv_bytes;             /* bytes per KV-cache element (the workload dtype) */
    int64_t emitted;          /* steps handed out so far = the next step's index */
    int array;                /* 1: tiles of the matrix array; 0: chunks */
    int uses_vec, uses_mesh;  /* some step has vector work after its results / mesh work */
    /* chunks */
    int64_t n_chunks, chunk;
    struct cyc_step share;    /* one chunk's part of the op */
    double first_extra;       /* cycles added to the first chunk's work (link latency) */
    /* array: units of work (heads, experts, key blocks), each of n_phase matmuls */
    int64_t units, pairs, lag, slot;
    int n_phase, phase, pos;  /* phases of a unit; the phase being emitted; its place in the slot */
    int64_t unit;             /* unit being emitted */
    int64_t nt, kt, n_nt, n_kt; /* tile position in the current matmul */
    int in_matmul;            /* a matmul's tiles are being emitted */
    int64_t last_tile;        /* step of the current matmul's latest tile */
    int64_t *last;            /* (lag + 1 + pairs) last-tile step of phase 0 by unit, of phase 3 by pair */
    int64_t last_cap;
    int64_t prev_last;        /* last tile of the phase emitted just before, in this slot */
    struct cyc_mm {
        int64_t M, N, K;
        int stat_c;           /* class of the stationary operand */
        double stat_b;        /* its bytes per element */
        int in_c;             /* class of the streamed rows; -1: from the vector unit, no SRAM */
        double in_b;
        int out_c;            /* class of the results; -1: stay in the accumulators */
        double out_b;
        double vflop;         /* vector work after the last tile */
        int dep;              /* 0 none; 1 the previous phase; 2 phase 3 of this pair's previous unit */
        double extra_rd[CYC_NCLASS], extra_wr[CYC_NCLASS]; /* once: first tile reads, last tile writes */
    } mm;
};

/* Fills r from hw's figures. */
void cyc_rates_init_(struct cyc_rates *r, const struct arc_hw *hw);
/* Starts op o's steps on hw; *last_buf is a grow-only buffer the generator may use (the caller
 * frees it). */
void cyc_gen_init_(struct cyc_gen *g, const struct arc_op_rec *o, const struct cyc_rates *rt,
                   const int *offchip, int kv_bytes, int64_t **last_buf, int64_t *last_cap,
                   const struct arc_hw *hw);
/* The next step into *s (zeroed first); 0 when the op has no more. */
int cyc_gen_next_(struct cyc_gen *g, struct cyc_step *s);

/* ---- event queue (queue.c): a binary heap ordered by cycle, ties by insertion order ---- */
struct cyc_event {
    uint64_t cycle;
    uint64_t seq;   /* insertion number: equal cycles pop in the order they were pushed */
    int64_t step;
    int stage;      /* the stage of `step` that ends */
};
struct cyc_queue {
    struct cyc_event *ev; /* (cap) heap */
    int64_t n, cap;
    uint64_t seq;
};
void cyc_queue_init_(struct cyc_queue *q);
void cyc_queue_free_(struct cyc_queue *q);
void cyc_queue_push_(struct cyc_queue *q, uint64_t cycle, int64_t step, int stage);
/* Pops the earliest event into *e; 0 when empty. */
int cyc_queue_pop_(struct cyc_queue *q, struct cyc_event *e);

/* ---- timeline (timeline.c) ---- */
struct cyc_span {
    int op;              /* trace index */
    int unit;            /* enum cyc_unit */
    double start, end;   /* cycles */
    double busy;         /* cycles of work inside [start, end] */
};
struct cyc_timeline {
    struct cyc_span *s; /* (n) */
    int64_t n, cap;
};
void cyc_timeline_add_(struct cyc_timeline *tl, int op, int unit, double start, double end, double busy);
/* Writes the Chrome/Perfetto trace-event JSON of the spans to path. */
int cyc_timeline_write_(const struct cyc_timeline *tl, const char *path, const struct arc_trace *t,
                        const struct arc_hw *hw, const char *const *unit_names);
void cyc_timeline_free_(struct cyc_timeline *tl);

#endif
