/* arclight cycle engine (--engine cycle): a discrete-event simulation of one chip of an le or snn
 * design replaying a trace. All chips of a pipeline stage run the same ops (as the cost engine
 * assumes), so one chip's time is the step's, and energy is scaled to the stage's chips by
 * arc_result_finish.
 *
 * Units, each with the figures of the hardware file (cycles of clock_hz):
 * - DMA: one engine carrying the whole off-chip bandwidth (offchip.bw_bytes_per_s / clock_hz bytes
 *   per cycle), shared by reads and writes as HBM and LPDDR bandwidth is. A request is one step's
 *   bytes: a weight tile, or a chunk of block_bytes (ops.c).
 * - SRAM: banks x ports x port_bytes bytes per cycle; a transfer of b bytes is ceil(b / port_bytes)
 *   port accesses interleaved over all banks and ports, so it takes ceil(b / port_bytes) / (banks x
 *   ports) cycles and several small transfers share a cycle. Bytes that live off chip pass SRAM
 *   twice (landed by the DMA, read out), as in the cost engine.
 * - the matrix array (le) or the cores (snn), the vector unit, the spike mesh (snn) and the links,
 *   at the rates ops.c derives; and, where an le design has one (lightning_unit.lanes), the
 *   lightning unit, whose decode steps take the generated RTL's exact cycle count (ops.c).
 * Residency is the cost engine's (arc_accel_plan with the trace header's footprints and the
 * largest op's activation bytes), and so are the checks (arc_accel_check).
 *
 * Each op becomes steps (ops.c: tiles, chunks); a step passes ten stages in order: DMA in (its
 * off-chip bytes), SRAM landing, load (stationary tile or chunk inputs into the unit), compute (the
 * array streams its rows while reading them from SRAM), drain (rows + cols cycles of fill and
 * drain, no unit), vector, mesh, SRAM write, SRAM read-out, DMA out. Each stage issues its steps in
 * order. Double buffering: step i's DMA waits for step i-2's load (two staging buffers, the
 * 2 x tile the plan reserves), its load waits for step i-2's compute (two operand buffers: the
 * array's active and shadow weight registers), so the next tile's weights arrive while the current
 * tile computes. A step can also wait for an earlier step's vector stage (attention's scores).
 *
 * Time: an event queue (binary heap by cycle, ties in push order) holds stage completions. Each
 * unit serves its requests first come, first served: a stage whose inputs are ready takes the unit
 * from the (fractional) cycle it frees up, so transfers follow each other without losing the rest
 * of a cycle; stages ready in the same cycle are served in pipeline order (DMA in, landing, load,
 * compute, ..., DMA out), steps in order. A tile's rows are requested from SRAM when the tile is
 * issued to the array, i.e. while the previous tile computes (the row buffer is double-buffered
 * like the weights); the array waits if they are late. The all-reduce's adds are counted on the
 * vector unit for snn designs too (accel.c leaves them out there). Completions are seen at whole cycles (a transfer ending at a
 * fraction of a cycle lets its dependents start at the next whole cycle). Ops run in trace order
 * with a barrier between them: an op starts when every stage of the previous one has ended, after
 * kernel.overhead_s of dispatch (non-link ops, as the cost engine). Simulated time is integer
 * cycles; seconds are cycles / clock_hz.
 *
 * Energy is counted per event as the steps issue: MACs issued x d.mac_pj, vector flop x
 * d.vec_flop_pj, every SRAM byte x (d.sram_pj_per_byte + d.wire_pj_per_byte), off-chip bytes x
 * d.offchip_pj_per_byte, link bytes x energy.link_pj_per_byte; snn: synaptic events x synop_pj,
 * neuron updates x neuron_pj, decay multiplies at the fp32 multiply energy, spikes x (spike_pj +
 * mean_hops x hop_pj), and the papers' E_MAC/E_AC figure beside it, as accel.c counts them; static
 * power x time through arc_result_finish. An op's bound is its busiest unit (array, cores, vector:
 * compute; SRAM, DMA: memory; links, mesh: link; the dispatch when it exceeds them all).
 * Not for: GPUs (the cost engine), or analytical shortcuts: every step is simulated. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/cycle.h"
#include "cycle_internal.h"

enum stage_ {
    ST_DMAIN,  /* off chip -> DMA */
    ST_LAND,   /* DMA -> SRAM */
    ST_LD,     /* SRAM -> unit: stationary tile, chunk inputs */
    ST_CMP,    /* the unit computes (and the array reads its rows from SRAM) */
    ST_DRAIN,  /* results leave the array: a delay, no unit */
    ST_VEC,    /* vector work on the results */
    ST_MESH,   /* spikes over the mesh */
    ST_WR,     /* results -> SRAM */
    ST_RDOUT,  /* SRAM -> DMA for results that live off chip */
    ST_DMAOUT, /* DMA -> off chip */
    ST_COUNT
};
#define ALL_DONE_ ((1u << ST_COUNT) - 1)

static const char *const le_units_[] = {
    [CYC_DMA] = "dma", [CYC_SRAM] = "sram", [CYC_ARRAY] = "array",
    [CYC_VECTOR] = "vector", [CYC_MESH] = "mesh", [CYC_LINK] = "link", [CYC_LIGHT] = "lightning",
};
static const char *const snn_units_[] = {
    [CYC_DMA] = "dma", [CYC_SRAM] = "sram", [CYC_ARRAY] = "cores",
    [CYC_VECTOR] = "vector", [CYC_MESH] = "mesh", [CYC_LINK] = "link", [CYC_LIGHT] = "lightning",
};
_Static_assert(CYC_UNIT_COUNT == 7, "update le_units_ and snn_units_");
_Static_assert(CYC_UNIT_COUNT <= ARC_RESULT_UNITS_MAX, "arc_result holds too few units");

struct unit_ {
    double free_at;            /* op-relative cycle the unit can take more work (fractional) */
    double busy;               /* cycles of work, whole step */
    double op_busy;            /* cycles of work, this op */
    double op_first, op_last;  /* this op's first start and last end, op-relative; op_first < 0 before any */
};

struct sim_ {
    const struct arc_hw *hw;
    struct cyc_rates rt;
    struct arc_accel_plan pl;
    int kv_bytes;
    uint64_t now;              /* cycle */
    uint64_t origin;           /* cycle the op being run started (after its dispatch): unit times are
                                * doubles relative to it, so they stay small and exact to the cycle */
    struct cyc_queue q;
    struct cyc_step *ring;     /* (cap, a power of two) steps head..gen-1 of the op */
    int64_t cap, head, gen;    /* head: oldest step not retired; gen: steps generated */
    int64_t next[ST_COUNT];    /* per stage: the next step to issue */
    int gen_done;
    int again;                 /* a stage ended at once that an earlier stage may wait for */
    int stages[ST_COUNT];      /* the stages this op's steps can use, in pipeline order */
    int n_stages;
    unsigned unused;           /* done bits of the others, set on every step as it is made */
    struct cyc_gen g;
    int64_t *last;             /* the generator's buffer */
    int64_t last_cap;
    struct unit_ u[CYC_UNIT_COUNT];
    /* this op's counts */
    double sram_bytes[CYC_NCLASS], dma_bytes[CYC_NCLASS];
    double macs, vflop, synops, updates, spikes, mults, link_bytes;
};

static struct cyc_step *step_(const struct sim_ *s, int64_t i) { return &s->ring[i & (s->cap - 1)]; }

/* stage st of step i has ended (steps before the op's first and retired ones have) */
static int done_(const struct sim_ *s, int64_t i, int st)
{
    return i < s->head || (step_(s, i)->done >> st) & 1u;
}

static double sum_(const double *b, int n)
{
    double t = 0;
    for (int c = 0; c < n; c++)
        t += b[c];
    return t;
}

static double sram_cycles_(const struct sim_ *s, double bytes)
{
    return bytes > 0 ? ceil(bytes / s->rt.sram_port_bytes - 1e-9) / s->rt.sram_ports : 0;
}

/* the op-relative cycle of now */
static double rel_(const struct sim_ *s) { return (double)(s->now - s->origin); }
/* the absolute cycle of the first clock edge at or after op-relative cycle c */
static uint64_t at_(const struct sim_ *s, double c) { return s->origin + (uint64_t)ceil(c - 1e-9); }

/* dur cycles of work on unit k from when it frees up; returns the end */
static double take_(struct sim_ *s, int k, double dur)
{
    struct unit_ *u = &s->u[k];
    const double now = rel_(s);
    double start = u->free_at > now ? u->free_at : now, end = start + dur;
    u->free_at = end;
    u->busy += dur;
    u->op_busy += dur;
    if (u->op_first < 0)
        u->op_first = start;
    u->op_last = end;
    return end;
}

static void grow_ring_(struct sim_ *s)
{
    int64_t cap = s->cap * 2;
    struct cyc_step *r = arc_xmalloc((size_t)cap * sizeof *r);
    for (int64_t i = s->head; i < s->gen; i++)
        r[i & (cap - 1)] = *step_(s, i);
    free(s->ring);
    s->ring = r;
    s->cap = cap;
}

static int generate_(struct sim_ *s)
{
    if (s->gen_done)
        return 0;
    if (s->gen - s->head == s->cap)
        grow_ring_(s);
    struct cyc_step *p = step_(s, s->gen);
    if (!cyc_gen_next_(&s->g, p)) {
        s->gen_done = 1;
        return 0;
    }
    p->done = s->unused;
    for (int c = 0; c < ARC_MEM_COUNT; c++)
        if (s->pl.offchip[c]) {
            p->dma_in += p->ld[c] + p->rd[c];
            p->dma_out += p->wr[c];
        }
    s->gen++;
    return 1;
}

/* bytes of b[] that live off chip (in) or all (!offchip_only), into per-class counters */
static void count_(struct sim_ *s, double *acc, const double *b, int offchip_only)
{
    for (int c = 0; c < CYC_NCLASS; c++)
        if (!offchip_only || (c < ARC_MEM_COUNT && s->pl.offchip[c]))
            acc[c] += b[c];
}

/* Issues stage st of step i on unit k (-1: a delay, no unit) for dur cycles. */
static void issue_(struct sim_ *s, int64_t i, int st, int k, double dur)
{
    struct cyc_step *p = step_(s, i);
    if (dur <= 0) {
        p->done |= 1u << st;
        s->again |= st == ST_LD || st == ST_VEC; /* DMA in waits on loads, compute on vector work */
    } else {
        double end = k >= 0 ? take_(s, k, dur) : rel_(s) + dur;
        cyc_queue_push_(&s->q, at_(s, end), i, st);
    }
}

/* The compute stage: the unit's work, and the rows it reads from SRAM meanwhile. */
static void compute_(struct sim_ *s, int64_t i, struct cyc_step *p)
{
    double rd = sum_(p->rd, CYC_NCLASS);
    double end_w = p->work > 0 ? take_(s, p->unit, p->work) : rel_(s);
    double end_r = rd > 0 ? take_(s, CYC_SRAM, sram_cycles_(s, rd)) : rel_(s);
    double end = end_w > end_r ? end_w : end_r;
    if (p->work > 0 && end > end_w) { /* the array waits for its rows */
        s->u[p->unit].free_at = end;
        s->u[p->unit].op_last = end;
    }
    if (end > rel_(s)) {
        cyc_queue_push_(&s->q, at_(s, end), i, ST_CMP);
    } else {
        p->done |= 1u << ST_CMP;
        s->again = 1; /* loads wait on computes */
    }
    count_(s, s->sram_bytes, p->rd, 0);
    count_(s, s->sram_bytes, p->own, 0);
    s->macs += p->macs;
    s->vflop += p->vflop;
    s->synops += p->synops;
    s->updates += p->updates;
    s->spikes += p->spikes;
    s->mults += p->mults;
    s->link_bytes += p->link_bytes;
}

/* Issues stage st of its next step if that step is ready for it; 0 if not. */
static int try_issue_(struct sim_ *s, int st)
{
    int64_t i = s->next[st];
    if (i == s->gen && (st != s->stages[0] || !generate_(s)))
        return 0;
    struct cyc_step *p = step_(s, i);
    /* the step's earlier stages have ended (the vector and mesh stages run side by side) */
    unsigned need = ((1u << st) - 1) & (st == ST_MESH ? ~(1u << ST_VEC) : ~0u);
    if ((p->done & need) != need)
        return 0;
    /* and the buffers it fills are free: two staging buffers, two operand buffers */
    if ((st == ST_DMAIN && !done_(s, i - 2, ST_LD)) || (st == ST_LD && !done_(s, i - 2, ST_CMP)) ||
        (st == ST_CMP && p->dep >= 0 && !done_(s, p->dep, ST_VEC)))
        return 0;
    const double dma = s->rt.dma_bytes;
    switch (st) {
    case ST_DMAIN:
        issue_(s, i, st, CYC_DMA, p->dma_in > 0 ? p->dma_in / dma : 0);
        for (int c = 0; c < ARC_MEM_COUNT; c++)
            if (s->pl.offchip[c])
                s->dma_bytes[c] += p->ld[c] + p->rd[c];
        break;
    case ST_LAND:
        issue_(s, i, st, CYC_SRAM, sram_cycles_(s, p->dma_in));
        count_(s, s->sram_bytes, p->ld, 1);
        count_(s, s->sram_bytes, p->rd, 1);
        break;
    case ST_LD:
        issue_(s, i, st, CYC_SRAM, sram_cycles_(s, sum_(p->ld, CYC_NCLASS)));
        count_(s, s->sram_bytes, p->ld, 0);
        break;
    case ST_CMP:
        compute_(s, i, p);
        break;
    case ST_DRAIN:
        issue_(s, i, st, -1, p->latency);
        break;
    case ST_VEC:
        issue_(s, i, st, CYC_VECTOR, p->vec);
        break;
    case ST_MESH:
        issue_(s, i, st, CYC_MESH, p->mesh);
        break;
    case ST_WR:
        issue_(s, i, st, CYC_SRAM, sram_cycles_(s, sum_(p->wr, CYC_NCLASS)));
        count_(s, s->sram_bytes, p->wr, 0);
        break;
    case ST_RDOUT:
        issue_(s, i, st, CYC_SRAM, sram_cycles_(s, p->dma_out));
        count_(s, s->sram_bytes, p->wr, 1);
        break;
    default: /* ST_DMAOUT */
        issue_(s, i, st, CYC_DMA, p->dma_out > 0 ? p->dma_out / dma : 0);
        count_(s, s->dma_bytes, p->wr, 1);
        break;
    }
    s->next[st]++;
    return 1;
}

/* Issues every stage that can go now, in pipeline order, until nothing more can. */
static void advance_(struct sim_ *s)
{
    do {
        s->again = 0;
        for (int k = 0; k < s->n_stages; k++)
            while (try_issue_(s, s->stages[k]))
                ;
    } while (s->again);
    while (s->head < s->gen && step_(s, s->head)->done == ALL_DONE_)
        s->head++;
}

static enum arc_bound bound_of_(int unit)
{
    switch (unit) {
    case CYC_DMA:
    case CYC_SRAM:
        return ARC_BOUND_MEMORY;
    case CYC_MESH:
    case CYC_LINK:
        return ARC_BOUND_LINK;
    default:
        return ARC_BOUND_COMPUTE;
    }
}

/* The op's figures from its counts. */
static void cost_(const struct sim_ *s, const struct arc_op_rec *o, double cycles, double dispatch,
                  struct arc_op_cost *c)
{
    const struct arc_hw *hw = s->hw;
    const struct arc_hw_derived *d = &hw->d;
    const double clk = s->rt.clock_hz;
    const struct unit_ *u = s->u;
    memset(c, 0, sizeof *c);
    (void)o;
    c->time_s = cycles / clk;
    c->overhead_s = dispatch / clk;
    c->compute_s = fmax(fmax(u[CYC_ARRAY].op_busy, u[CYC_VECTOR].op_busy), u[CYC_LIGHT].op_busy) / clk;
    c->memory_s = fmax(u[CYC_SRAM].op_busy, u[CYC_DMA].op_busy) / clk;
    c->link_s = fmax(u[CYC_LINK].op_busy, u[CYC_MESH].op_busy) / clk;
    int best = -1;
    for (int k = 0; k < CYC_UNIT_COUNT; k++)
        if (u[k].op_busy > 0 && (best < 0 || u[k].op_busy > u[best].op_busy))
            best = k;
    c->bound = best < 0 || dispatch > u[best].op_busy ? ARC_BOUND_OVERHEAD : bound_of_(best);

    double sram = sum_(s->sram_bytes, CYC_NCLASS), off = sum_(s->dma_bytes, CYC_NCLASS);
    c->energy_j[ARC_EPART_SRAM] = sram * d->sram_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_WIRE] = sram * d->wire_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_MEMORY] = off * d->offchip_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_LINK] = s->link_bytes * hw->f[ARC_HWF_E_LINK] * 1e-12;
    if (!s->rt.snn) {
        c->energy_j[ARC_EPART_COMPUTE] = (s->macs * d->mac_pj + s->vflop * d->vec_flop_pj) * 1e-12;
    } else {
        c->energy_j[ARC_EPART_COMPUTE] = (s->synops * d->synop_pj + s->updates * d->neuron_pj +
                                          s->mults * d->fp32_mult_pj + s->vflop * d->vec_flop_pj) * 1e-12;
        c->energy_j[ARC_EPART_LINK] += s->spikes * (d->spike_pj + d->mean_hops * d->hop_pj) * 1e-12;
        c->alt_energy_j = ((s->vflop / 2 + s->mults) * d->paper_mac_pj + s->synops * d->ac_pj) * 1e-12;
    }
    for (int k = 0; k < CYC_NCLASS; k++) {
        int m = k == CYC_SCRATCH ? ARC_MEM_STATE : k;
        int offc = k < ARC_MEM_COUNT && s->pl.offchip[k];
        c->mem_time_s[m] += (offc ? s->dma_bytes[k] / s->rt.dma_bytes
                                  : s->sram_bytes[k] / (s->rt.sram_ports * s->rt.sram_port_bytes)) / clk;
        c->mem_energy_j[m] += (s->sram_bytes[k] * (d->sram_pj_per_byte + d->wire_pj_per_byte) +
                               s->dma_bytes[k] * d->offchip_pj_per_byte) * 1e-12;
    }
}

/* Runs op o from the barrier at s->now to its last stage; returns its cycles, dispatch included. */
static uint64_t run_op_(struct sim_ *s, const struct arc_op_rec *o, double *dispatch)
{
    uint64_t start = s->now;
    memset(s->sram_bytes, 0, sizeof s->sram_bytes);
    memset(s->dma_bytes, 0, sizeof s->dma_bytes);
    s->macs = s->vflop = s->synops = s->updates = s->spikes = s->mults = s->link_bytes = 0;
    for (int k = 0; k < CYC_UNIT_COUNT; k++) {
        s->u[k].op_busy = 0;
        s->u[k].op_first = -1;
        s->u[k].op_last = 0;
    }
    *dispatch = arc_op_unit(o) == ARC_UNIT_LINK ? 0 : s->rt.dispatch;
    s->now += (uint64_t)*dispatch;
    /* every unit is idle at the barrier: the op's clock starts here */
    s->origin = s->now;
    for (int k = 0; k < CYC_UNIT_COUNT; k++)
        s->u[k].free_at = 0;
    cyc_gen_init_(&s->g, o, &s->rt, s->pl.offchip, s->kv_bytes, &s->last, &s->last_cap, s->hw);
    /* stages no step of this op can use are skipped (a speed-up only: they would take 0 cycles) */
    int dma = 0;
    for (int c = 0; c < ARC_MEM_COUNT; c++)
        dma |= s->pl.offchip[c] && o->bytes[c] > 0;
    s->n_stages = 0;
    s->unused = 0;
    for (int st = 0; st < ST_COUNT; st++) {
        int used = st == ST_DMAIN || st == ST_LAND || st == ST_RDOUT || st == ST_DMAOUT ? dma
                 : st == ST_DRAIN ? s->g.array
                 : st == ST_VEC   ? s->g.uses_vec
                 : st == ST_MESH  ? s->g.uses_mesh
                                  : 1;
        if (used)
            s->stages[s->n_stages++] = st;
        else
            s->unused |= 1u << st;
    }
    s->head = s->gen = 0;
    memset(s->next, 0, sizeof s->next);
    s->gen_done = 0;
    advance_(s);
    struct cyc_event e;
    while (!s->gen_done || s->head < s->gen) {
        int ok = cyc_queue_pop_(&s->q, &e);
        ARC_ASSERT(ok); /* a stage waits on something no event will bring: a bug */
        s->now = e.cycle;
        if (e.stage >= 0)
            step_(s, e.step)->done |= 1u << e.stage;
        advance_(s);
    }
    ARC_ASSERT(s->q.n == 0);
    return s->now - start;
}

static const char le_method_[] =
    "discrete-event simulation of one chip: DMA, SRAM banks, weight-stationary array tiles "
    "(double-buffered, fill and drain), vector unit and links; energy per counted event";
static const char snn_method_[] =
    "discrete-event simulation of one chip: cores (synaptic events, neuron updates), spike "
    "mesh, vector unit, SRAM, links; energy (b) per counted event, (a) the papers' E_MAC/E_AC beside it";

int arc_cycle_run(const struct arc_trace *t, const struct arc_hw *hw, const char *timeline_path,
                  struct arc_result *r, arc_op_visitor visit, void *ctx)
{
    if (hw->kind == ARC_HW_GPU)
        return arc_errorf(ARC_EINPUT, "--engine: the cycle engine models le and snn hardware; use --engine cost for %s", hw->name);
    int st = arc_accel_check(&t->wl, hw);
    if (st < 0)
        return st;
    struct sim_ *s = arc_xcalloc(1, sizeof *s);
    s->hw = hw;
    cyc_rates_init_(&s->rt, hw);
    double act = 0;
    for (int i = 0; i < t->n_ops; i++)
        if ((double)t->ops[i].bytes[ARC_MEM_ACT] > act)
            act = (double)t->ops[i].bytes[ARC_MEM_ACT];
    arc_accel_plan(hw, (double)t->mem_weight_bytes, (double)t->mem_kv_bytes, (double)t->mem_state_bytes,
                   act, &s->pl);
    s->kv_bytes = arc_dtype_bytes(t->wl.dtype);
    cyc_queue_init_(&s->q);
    s->cap = 64;
    s->ring = arc_xmalloc((size_t)s->cap * sizeof *s->ring);
    for (int k = 0; k < CYC_UNIT_COUNT; k++)
        s->u[k].op_first = -1;

    arc_result_begin(r, "cycle", hw, &t->wl, hw->f[ARC_HWF_SRAM_CAPACITY] + hw->f[ARC_HWF_OFFCHIP_CAPACITY],
                     hw->kind == ARC_HW_LE ? le_method_ : snn_method_);
    snprintf(r->regime, sizeof r->regime, "%s", s->pl.regime);
    if (hw->kind == ARC_HW_SNN)
        r->alt_energy_model = "(a) spiking papers: E_MAC x non-spiking MACs + E_AC x rate x T x MACs";
    struct cyc_timeline tl = {0};
    for (int i = 0; i < t->n_ops; i++) {
        const struct arc_op_rec *o = &t->ops[i];
        double dispatch;
        uint64_t cycles = run_op_(s, o, &dispatch);
        struct arc_op_cost c;
        cost_(s, o, (double)cycles, dispatch, &c);
        arc_result_add(r, o, 1, &c);
        if (visit)
            visit(ctx, o, 1, &c);
        if (timeline_path)
            for (int k = 0; k < CYC_UNIT_COUNT; k++)
                if (s->u[k].op_busy > 0)
                    cyc_timeline_add_(&tl, i, k, (double)s->origin + s->u[k].op_first,
                                      (double)s->origin + s->u[k].op_last, s->u[k].op_busy);
    }
    arc_result_finish(r, hw->f[ARC_HWF_STATIC_W],
                      (double)t->mem_weight_bytes + (double)t->mem_kv_bytes + (double)t->mem_state_bytes,
                      t->wl.phase);
    r->fits = s->pl.sram_need <= hw->f[ARC_HWF_SRAM_CAPACITY] &&
              s->pl.offchip_need <= hw->f[ARC_HWF_OFFCHIP_CAPACITY];
    const char *const *names = hw->kind == ARC_HW_LE ? le_units_ : snn_units_;
    r->cycles = s->now;
    r->clock_hz = s->rt.clock_hz;
    for (int k = 0; k < CYC_UNIT_COUNT; k++) {
        if ((k == CYC_DMA && s->rt.dma_bytes <= 0) || (k == CYC_MESH && !s->rt.snn) ||
            (k == CYC_LIGHT && (s->rt.snn || hw->f[ARC_HWF_LU_LANES] == 0)))
            continue; /* units the design does not have */
        int n = r->n_units++;
        r->unit_name[n] = names[k];
        r->unit_busy_cycles[n] = s->u[k].busy;
        r->unit_util[n] = s->now > 0 ? s->u[k].busy / (double)s->now : 0;
    }
    if (timeline_path)
        st = cyc_timeline_write_(&tl, timeline_path, t, hw, names);
    cyc_timeline_free_(&tl);
    cyc_queue_free_(&s->q);
    free(s->ring);
    free(s->last);
    free(s);
    return st;
}

static int run_trace_(const struct arc_trace *t, const struct arc_hw *hw, struct arc_result *r,
                      arc_op_visitor visit, void *ctx)
{
    return arc_cycle_run(t, hw, NULL, r, visit, ctx);
}

const struct arc_engine arc_engine_cycle = {
    .name = "cycle",
    .doc = "discrete-event simulation of one le or snn chip: DMA, SRAM banks, array tiles, vector "
           "unit, cores, mesh and links, event by event",
    .run_trace = run_trace_,
    .run_model = NULL,
};
