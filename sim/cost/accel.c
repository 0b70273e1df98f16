/* arclight cost engine, accelerator half: low-energy (le) and spiking-style (snn) designs.
 *
 * Residency first: per run, each memory class is placed on chip (SRAM) or off chip. With no
 * off-chip memory everything must fit in SRAM; otherwise weights and the KV cache stream from
 * off-chip memory, activations stay on chip when they fit, and lightning states stay resident in
 * SRAM across decode steps when they fit after that, else they spill.
 *
 * le, per op: the matrix array does GEMMs and attention kernels at rows x cols MACs per cycle, the
 * vector unit the rest (and the recurrent lightning update) at 2 flop per lane per cycle, except
 * that a design with a lightning unit (lightning_unit.lanes) runs recurrent lightning decode on it
 * for its exact cycle count (lightning_unit.h, as the cycle engine does) with 3 d^2 MACs per head,
 * its states held in the unit's banks (SRAM energy, no SRAM port time) when they stay on chip; time is
 * the largest of compute, SRAM traffic (every byte passes through SRAM once, off-chip bytes twice:
 * written in, read out), off-chip traffic and links, plus the dispatch overhead. Energy is counted
 * per event from the energy tables at the design's node and Vdd: MACs, vector flops, SRAM bytes,
 * wire bytes, off-chip bytes, link bytes, and static power x time.
 *
 * snn, per op: linear layers and attention take spiking inputs over T timesteps: synaptic events
 * = rate x T x MACs, neuron updates = outputs x T, spikes out = rate x T x outputs, each crossing
 * the mesh's mean hops. Non-spiking ops (norms, elementwise, softmax's exponentials) run on the
 * vector unit. Recurrent lightning decode with binary q and k turns q S and k^T v into
 * rate x T x d^2 additions each, but the decay lambda S stays d^2 multiplies per head per token
 * (MiniMax's lambda is not a power of two): that floor is counted. Two energy models, side by side:
 * (b) the hardware model above, the engine's energy; (a) the papers' E_MAC x non-spiking MACs +
 * E_AC x rate x T x MACs, reported as the alternative figure.
 * Not for: GPUs (sim/cost/cost.c). */
#include <stdio.h>
#include <string.h>

#include "arclight/lightning_unit.h"
#include "cost_internal.h"

int arc_accel_check(const struct arc_workload *w, const struct arc_hw *hw)
{
    int st = arc_workload_check_hw(w, hw, "chips", "");
    if (st < 0)
        return st;
    if (hw->kind == ARC_HW_LE) {
        enum arc_dtype want = hw->f[ARC_HWF_MATRIX_DTYPE] == 0 ? ARC_DTYPE_INT8 : ARC_DTYPE_BF16;
        if (w->dtype != want)
            return arc_errorf(ARC_EINPUT, "--dtype: %s's matrix array computes in %s; expected --dtype %s",
                              hw->name, arc_dtype_name(want), arc_dtype_name(want));
    } else if (w->dtype != ARC_DTYPE_INT8) {
        return arc_errorf(ARC_EINPUT, "--dtype: %s keeps 8-bit synaptic weights; expected --dtype int8", hw->name);
    }
    return ARC_OK;
}

void arc_accel_plan(const struct arc_hw *hw, double weight, double kv, double state,
                    double act_working, struct arc_accel_plan *p)
{
    memset(p, 0, sizeof *p);
    char *regime = p->regime;
    const size_t rn = sizeof p->regime;
    const double *f = hw->f;
    double tile = hw->kind == ARC_HW_LE
                      ? 2 * f[ARC_HWF_MATRIX_ROWS] * f[ARC_HWF_MATRIX_COLS] * (f[ARC_HWF_MATRIX_DTYPE] == 0 ? 1 : 2)
                      : 0;
    if (f[ARC_HWF_OFFCHIP_KIND] == ARC_OFFCHIP_NONE) {
        p->state_on_chip = 1;
        p->sram_need = weight + kv + state + act_working + tile;
        snprintf(regime, rn, "all on chip: weights, KV cache and states in SRAM (no off-chip memory)");
    } else {
        const char *kind = arc_hw_choice(hw, ARC_HWF_OFFCHIP_KIND);
        double free = f[ARC_HWF_SRAM_CAPACITY] - tile;
        int act_on = act_working <= free;
        if (act_on)
            free -= act_working;
        p->state_on_chip = state <= free;
        p->offchip[ARC_MEM_WEIGHT] = p->offchip[ARC_MEM_KV] = 1;
        p->offchip[ARC_MEM_ACT] = !act_on;
        p->offchip[ARC_MEM_STATE] = !p->state_on_chip;
        p->sram_need = tile + (act_on ? act_working : 0) + (p->state_on_chip ? state : 0);
        p->offchip_need = weight + kv + (act_on ? 0 : act_working) + (p->state_on_chip ? 0 : state);
        snprintf(regime, rn, "weights and KV cache stream from %s; lightning states %s%s", kind,
                 state == 0 ? "(none) " : p->state_on_chip ? "resident in SRAM" : "spill to ",
                 state == 0 || p->state_on_chip ? "" : kind);
        if (!act_on)
            snprintf(regime + strlen(regime), rn - strlen(regime), "; activations spill to %s", kind);
    }
}

/* memory traffic of one op: per class, where it lives */
static void memory_(const struct arc_accel_plan *pl, const struct arc_op_rec *o, const struct arc_hw *hw,
                    int weights_in_synapses, struct arc_op_cost *c, double *sram_s, double *off_s)
{
    const struct arc_hw_derived *d = &hw->d;
    double sram_bytes = 0, off_bytes = 0;
    for (int i = 0; i < ARC_MEM_COUNT; i++) {
        double b = (double)o->bytes[i];
        if (i == ARC_MEM_WEIGHT && weights_in_synapses && !pl->offchip[i])
            b = 0; /* on-chip synaptic weights are read by the synaptic events themselves */
        double s = pl->offchip[i] ? 2 * b : b;
        double e = s * (d->sram_pj_per_byte + d->wire_pj_per_byte) + (pl->offchip[i] ? b * d->offchip_pj_per_byte : 0);
        sram_bytes += s;
        if (pl->offchip[i]) {
            off_bytes += b;
            c->mem_time_s[i] = b / hw->f[ARC_HWF_OFFCHIP_BW];
        } else {
            c->mem_time_s[i] = b / d->sram_bw_bytes_per_s;
        }
        c->mem_energy_j[i] = e * 1e-12;
    }
    *sram_s = sram_bytes / d->sram_bw_bytes_per_s;
    *off_s = off_bytes > 0 ? off_bytes / hw->f[ARC_HWF_OFFCHIP_BW] : 0;
    c->energy_j[ARC_EPART_SRAM] = sram_bytes * d->sram_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_WIRE] = sram_bytes * d->wire_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_MEMORY] = off_bytes * d->offchip_pj_per_byte * 1e-12;
}

static void finish_op_(struct arc_op_cost *c, const struct arc_op_rec *o, const struct arc_hw *hw,
                       double compute_s, double sram_s, double off_s)
{
    c->compute_s = compute_s;
    c->memory_s = sram_s > off_s ? sram_s : off_s;
    if (arc_op_unit(o) == ARC_UNIT_LINK) {
        c->link_s = hw->f[ARC_HWF_LINK_LATENCY] + (double)o->link_bytes / hw->f[ARC_HWF_LINK_BW];
        c->energy_j[ARC_EPART_LINK] += (double)o->link_bytes * hw->f[ARC_HWF_E_LINK] * 1e-12;
    } else {
        c->overhead_s = hw->f[ARC_HWF_KERNEL_OVERHEAD];
    }
    arc_op_cost_settle(c);
}

static void le_op_(const struct arc_accel_plan *pl, const struct arc_op_rec *o, const struct arc_hw *hw,
                   struct arc_op_cost *c)
{
    const struct arc_hw_derived *d = &hw->d;
    double sram_s, off_s, flop = (double)o->flop, compute_s;
    memory_(pl, o, hw, 0, c, &sram_s, &off_s);
    enum arc_unit u = arc_op_unit(o);
    int64_t lu = pl->offchip[ARC_MEM_STATE] ? -1 : arc_lu_op_cycles(hw, o);
    if (lu >= 0) { /* the lightning unit: its exact cycles; the state stays in its banks */
        double dd = (double)o->head_dim * (double)o->head_dim;
        compute_s = (double)lu / hw->f[ARC_HWF_CLOCK_HZ];
        c->energy_j[ARC_EPART_COMPUTE] = 3 * dd * (double)o->batch * (double)o->heads * d->mac_pj * 1e-12;
        sram_s -= (double)o->bytes[ARC_MEM_STATE] / d->sram_bw_bytes_per_s;
    } else if (u == ARC_UNIT_MATRIX || u == ARC_UNIT_ATTN) {
        compute_s = flop / 2 / d->macs_per_s;
        c->energy_j[ARC_EPART_COMPUTE] = flop / 2 * d->mac_pj * 1e-12;
    } else {
        compute_s = flop / d->vector_flops_per_s;
        c->energy_j[ARC_EPART_COMPUTE] = flop * d->vec_flop_pj * 1e-12;
    }
    finish_op_(c, o, hw, compute_s, sram_s, off_s);
}

/* Spiking counts of one op (see the file comment). */
void arc_snn_counts(const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_snn_counts *s)
{
    const double *f = hw->f;
    double T = f[ARC_HWF_SNN_TIMESTEPS], flop = (double)o->flop;
    memset(s, 0, sizeof *s);
    switch ((enum arc_op)o->op) {
    case ARC_OP_GEMM:
    case ARC_OP_GROUPED_GEMM: {
        double r = f[ARC_HWF_SNN_RATE_MATRIX], outs = (double)o->m * (double)o->n;
        s->synops = r * T * flop / 2;
        s->updates = outs * T;
        s->spikes = r * T * outs;
        break;
    }
    case ARC_OP_SOFTMAX_ATTN: {
        double r = f[ARC_HWF_SNN_RATE_ATTN];
        double pairs = o->head_dim > 0 ? flop / (4.0 * (double)o->head_dim) : 0; /* query-key pairs */
        double outs = (double)o->batch * (double)o->heads * (double)o->seq_q * (double)o->head_dim;
        s->synops = r * T * flop / 2;
        s->updates = outs * T;
        s->spikes = r * T * outs;
        s->vec_flop = 5 * pairs; /* softmax: exponent, sum, scale per score */
        break;
    }
    case ARC_OP_LIGHTNING_ATTN: {
        double r = f[ARC_HWF_SNN_RATE_ATTN], D = (double)o->head_dim;
        double bh = (double)o->batch * (double)o->heads;
        double outs = bh * (double)o->seq_q * D;
        if (o->seq_q == 1) {
            s->synops = r * T * 2 * D * D * bh; /* q S and k^T v as additions */
            s->mults = D * D * bh;              /* lambda S: the multiply floor */
        } else {
            s->synops = r * T * flop / 2;
            /* per block: lambda^C S and the decay of each key row: d^2 + C d multiplies */
            int64_t C = o->chunk > 0 ? o->chunk : 1;
            double blocks = (double)((o->seq_q + C - 1) / C);
            s->mults = bh * blocks * (D * D + (double)o->chunk * D);
        }
        s->updates = outs * T;
        s->spikes = r * T * outs;
        break;
    }
    case ARC_OP_NORM:
    case ARC_OP_ROPE:
    case ARC_OP_ELEMENTWISE:
    case ARC_OP_ELEMENTWISE_STRIDED:
    case ARC_OP_EMBED:
        s->vec_flop = flop;
        break;
    case ARC_OP_ALLREDUCE: /* the reduction's adds, on the vector unit as on le designs */
        s->vec_flop = flop;
        break;
    default: /* other collectives, sends */
        break;
    }
}

static void snn_op_(const struct arc_accel_plan *pl, const struct arc_op_rec *o, const struct arc_hw *hw,
                    struct arc_op_cost *c)
{
    const struct arc_hw_derived *d = &hw->d;
    const double *f = hw->f;
    double sram_s, off_s, cores = f[ARC_HWF_SNN_CORES];
    memory_(pl, o, hw, 1, c, &sram_s, &off_s);
    struct arc_snn_counts s;
    arc_snn_counts(o, hw, &s);
    double vec = s.vec_flop + s.mults;
    double compute_s = s.synops / (cores * f[ARC_HWF_SNN_SYNOP_S]);
    double t = s.updates / (cores * f[ARC_HWF_SNN_UPDATE_S]);
    if (t > compute_s)
        compute_s = t;
    t = vec / d->vector_flops_per_s;
    if (t > compute_s)
        compute_s = t;
    /* the mesh: every spike crosses mean_hops routers, each router passing one spike per hop time */
    double mesh_s = s.spikes * d->mean_hops * f[ARC_HWF_SNN_HOP_S] / cores;
    if (mesh_s > compute_s)
        compute_s = mesh_s;
    c->energy_j[ARC_EPART_COMPUTE] = (s.synops * d->synop_pj + s.updates * d->neuron_pj +
                                      s.mults * d->fp32_mult_pj + s.vec_flop * d->vec_flop_pj) * 1e-12;
    c->energy_j[ARC_EPART_LINK] = s.spikes * (d->spike_pj + d->mean_hops * d->hop_pj) * 1e-12;
    /* (a) the papers' model: MACs of non-spiking work at E_MAC, spiking work at E_AC */
    c->alt_energy_j = ((s.vec_flop / 2 + s.mults) * d->paper_mac_pj + s.synops * d->ac_pj) * 1e-12;
    finish_op_(c, o, hw, compute_s, sram_s, off_s);
    if (c->bound == ARC_BOUND_COMPUTE && mesh_s >= compute_s && mesh_s > 0)
        c->bound = ARC_BOUND_LINK;
}

void arc_accel_op(const void *ctx, const struct arc_op_rec *o, const struct arc_hw *hw,
                  struct arc_op_cost *c)
{
    memset(c, 0, sizeof *c);
    if (hw->kind == ARC_HW_LE)
        le_op_(ctx, o, hw, c);
    else
        snn_op_(ctx, o, hw, c);
}

static const char le_method_[] =
    "analytical: matrix array, vector unit, SRAM banks and off-chip memory at their peak rates; "
    "energy per event from sim/energy tables at the design's node and Vdd";
static const char snn_method_[] =
    "analytical: synaptic events, neuron updates and mesh hops per core at their rates; "
    "energy (b) per hardware event, (a) the papers' E_MAC/E_AC model beside it";

static double act_of_(const struct arc_op_rec *o, double act)
{
    return (double)o->bytes[ARC_MEM_ACT] > act ? (double)o->bytes[ARC_MEM_ACT] : act;
}

static void begin_(struct arc_result *r, const struct arc_hw *hw, const struct arc_workload *w,
                   struct arc_accel_plan *pl, double weight, double kv, double state, double act)
{
    arc_accel_plan(hw, weight, kv, state, act, pl);
    arc_result_begin(r, "cost", hw, w, hw->f[ARC_HWF_SRAM_CAPACITY] + hw->f[ARC_HWF_OFFCHIP_CAPACITY],
                     hw->kind == ARC_HW_LE ? le_method_ : snn_method_);
    snprintf(r->regime, sizeof r->regime, "%s", pl->regime);
    if (hw->kind == ARC_HW_SNN)
        r->alt_energy_model = "(a) spiking papers: E_MAC x non-spiking MACs + E_AC x rate x T x MACs";
}

static void end_(struct arc_result *r, const struct arc_hw *hw, const struct arc_accel_plan *pl,
                 double footprint, enum arc_phase ph)
{
    arc_result_finish(r, hw->f[ARC_HWF_STATIC_W], footprint, ph);
    r->fits = pl->sram_need <= hw->f[ARC_HWF_SRAM_CAPACITY] &&
              pl->offchip_need <= hw->f[ARC_HWF_OFFCHIP_CAPACITY];
}

int arc_accel_run_trace_(const struct arc_trace *t, const struct arc_hw *hw, struct arc_result *r,
                         arc_op_visitor visit, void *ctx)
{
    int st = arc_accel_check(&t->wl, hw);
    if (st < 0)
        return st;
    double act = 0;
    for (int i = 0; i < t->n_ops; i++)
        act = act_of_(&t->ops[i], act);
    struct arc_accel_plan pl;
    begin_(r, hw, &t->wl, &pl, (double)t->mem_weight_bytes, (double)t->mem_kv_bytes,
           (double)t->mem_state_bytes, act);
    arc_drive_trace(t, hw, arc_accel_op, &pl, r, visit, ctx);
    end_(r, hw, &pl, (double)t->mem_weight_bytes + (double)t->mem_kv_bytes + (double)t->mem_state_bytes,
         t->wl.phase);
    return ARC_OK;
}

int arc_accel_run_model_(const struct arc_model *m, const struct arc_workload *w,
                         const struct arc_hw *hw, struct arc_result *r, arc_op_visitor visit,
                         void *ctx)
{
    int st = arc_accel_check(w, hw);
    if (st < 0)
        return st;
    struct arc_plan p;
    arc_plan_make(m, w, &p);
    /* the working set: the largest op's activations, over the distinct layers */
    double act = 0;
    struct arc_op_rec ops[ARC_LAYER_OPS_MAX];
    int seen[ARC_MIXER_COUNT] = {0};
    for (int layer = -1; layer <= m->n_layers; layer++) {
        if (layer >= 0 && layer < m->n_layers) {
            if (seen[m->mixer[layer]]++)
                continue;
        }
        int k = arc_layer_ops(m, w, &p, layer, ops, ARC_LAYER_OPS_MAX);
        for (int i = 0; i < k; i++)
            act = act_of_(&ops[i], act);
    }
    struct arc_footprint fp;
    arc_footprint(m, w, &fp);
    struct arc_accel_plan pl;
    begin_(r, hw, w, &pl, fp.weight, fp.kv, fp.state, act);
    arc_drive_model(m, w, hw, arc_accel_op, &pl, r, visit, ctx);
    end_(r, hw, &pl, fp.weight + fp.kv + fp.state, w->phase);
    return ARC_OK;
}
