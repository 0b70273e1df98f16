/* arclight cost engine: an analytical roofline of each op on a GPU, with measured ceilings.
 *
 * An op takes max(flop / achievable rate, bytes / achievable copy bandwidth, link time, power
 * time) plus a fixed kernel cost, where the power time is the op's dynamic energy over the board's
 * headroom (TDP - idle): an op cannot draw more than the board allows, so a long GEMM slows to the
 * rate its energy per flop and the TDP permit, as measured GEMMs do. Energy is idle power x time
 * plus pJ per flop, per memory byte and per link byte. Everything is per device; the step's energy
 * is all devices'. The figures are the hardware file's, each with its source.
 * Not for: I/O or allocation. The fast path (run_model) costs one layer of each kind and
 * multiplies; it gives the same result as costing the full trace (tests pin this). */
#include <stdio.h>
#include <string.h>

#include "arclight/engine.h"


void arc_cost_op(const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_op_cost *c)
{
    const double *f = hw->f;
    memset(c, 0, sizeof *c);
    double bytes = 0;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        bytes += (double)o->bytes[i];
    double flop = (double)o->flop;
    enum arc_unit unit = arc_op_unit(o);
    int fp8 = o->dtype == ARC_DTYPE_FP8;

    c->memory_s = bytes / f[ARC_HWF_MEM_COPY_BW];
    c->energy_j[ARC_EPART_COMPUTE] = flop * f[fp8 ? ARC_HWF_E_FLOP_FP8 : ARC_HWF_E_FLOP] * 1e-12;
    c->energy_j[ARC_EPART_MEMORY] = bytes * f[ARC_HWF_E_MEM] * 1e-12;
    c->energy_j[ARC_EPART_LINK] = (double)o->link_bytes * f[ARC_HWF_E_LINK] * 1e-12;

    if (unit == ARC_UNIT_LINK) {
        c->link_s = f[ARC_HWF_LINK_LATENCY] + (double)o->link_bytes / f[ARC_HWF_LINK_COLL_BW];
    } else {
        double rate = unit == ARC_UNIT_MATRIX ? f[fp8 ? ARC_HWF_FP8_GEMM : ARC_HWF_BF16_GEMM]
                    : unit == ARC_UNIT_ATTN   ? f[ARC_HWF_BF16_ATTN]
                                              : f[ARC_HWF_FP32_VECTOR];
        c->compute_s = flop / rate;
        c->overhead_s = f[ARC_HWF_KERNEL_OVERHEAD];
    }
    double dyn = c->energy_j[ARC_EPART_COMPUTE] + c->energy_j[ARC_EPART_MEMORY] +
                 c->energy_j[ARC_EPART_LINK];
    c->power_s = dyn / (f[ARC_HWF_TDP] - f[ARC_HWF_IDLE]);

    double t = c->compute_s;
    c->bound = ARC_BOUND_COMPUTE;
    if (c->memory_s > t) {
        t = c->memory_s;
        c->bound = ARC_BOUND_MEMORY;
    }
    if (c->link_s > t) {
        t = c->link_s;
        c->bound = ARC_BOUND_LINK;
    }
    if (c->power_s > t) {
        t = c->power_s;
        c->bound = ARC_BOUND_POWER;
    }
    if (c->overhead_s > t)
        c->bound = ARC_BOUND_OVERHEAD;
    c->time_s = t + c->overhead_s;
}

int arc_cost_check(const struct arc_workload *w, const struct arc_hw *hw)
{
    if (w->pp < 1 || w->tp < 1 || w->ep < 1 || w->devices < w->pp)
        return arc_errorf(ARC_EINPUT, "--pp: expected pipeline stages, tp and ep of at least 1 and no more stages than devices");
    if (w->devices > hw->f[ARC_HWF_DEVICES])
        return arc_errorf(ARC_EINPUT, "--devices: the workload needs %d devices; hardware %s has %g (arclight hw list shows the nodes)",
                          w->devices, hw->name, hw->f[ARC_HWF_DEVICES]);
    if (w->dtype == ARC_DTYPE_FP8 && hw->f[ARC_HWF_FP8_GEMM] <= 0)
        return arc_errorf(ARC_EINPUT, "--dtype: hardware %s has no fp8 tensor cores; expected bf16", hw->name);
    if (w->dtype == ARC_DTYPE_INT8)
        return arc_errorf(ARC_EINPUT, "--dtype: hardware %s has no int8 figures; expected bf16 or fp8", hw->name);
    return ARC_OK;
}

static void begin_(struct arc_result *r, const struct arc_hw *hw, const struct arc_workload *w)
{
    memset(r, 0, sizeof *r);
    snprintf(r->engine, sizeof r->engine, "cost");
    snprintf(r->hw, sizeof r->hw, "%s", hw->name);
    r->devices = w->devices;
    r->active_devices = w->devices / w->pp;
    r->tokens = arc_workload_tokens(w);
    r->capacity_bytes = hw->f[ARC_HWF_MEM_CAPACITY];
    r->method = "roofline: achievable rates and bandwidths from the hardware file (no calibration)";
}

static void add_(struct arc_result *r, const struct arc_hw *hw, const struct arc_op_rec *o,
                 double n, const struct arc_op_cost *c)
{
    double t = n * c->time_s;
    r->latency_s += t;
    r->by_block_s[o->block] += t;
    r->by_op_s[o->op] += t;
    r->by_bound_s[c->bound] += t;
    for (int i = ARC_EPART_COMPUTE; i < ARC_EPART_COUNT; i++) {
        r->energy_by_j[i] += n * c->energy_j[i];
        r->by_block_j[o->block] += n * c->energy_j[i];
    }
    for (int i = 0; i < ARC_MEM_COUNT; i++) {
        r->mem_bytes[i] += n * (double)o->bytes[i];
        r->mem_time_s[i] += n * (double)o->bytes[i] / hw->f[ARC_HWF_MEM_COPY_BW];
        r->mem_energy_j[i] += n * (double)o->bytes[i] * hw->f[ARC_HWF_E_MEM] * 1e-12;
    }
    r->flop += n * (double)o->flop;
    r->link_bytes += n * (double)o->link_bytes;
}

static void finish_(struct arc_result *r, const struct arc_hw *hw, double footprint)
{
    double dev = r->active_devices; /* one pipeline stage works at a time */
    for (int i = ARC_EPART_COMPUTE; i < ARC_EPART_COUNT; i++)
        r->energy_by_j[i] *= dev;
    for (int i = 0; i < ARC_BLOCK_COUNT; i++)
        r->by_block_j[i] *= dev;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        r->mem_energy_j[i] *= dev;
    r->energy_by_j[ARC_EPART_IDLE] = r->devices * hw->f[ARC_HWF_IDLE] * r->latency_s;
    r->energy_j = 0;
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        r->energy_j += r->energy_by_j[i];
    r->energy_per_token_j = r->energy_j / r->tokens;
    r->latency_per_token_s = r->tokens > 0 && r->devices > 0 ? r->latency_s : 0;
    r->footprint_bytes = footprint;
    r->fits = footprint <= r->capacity_bytes;
}

static int run_trace_(const struct arc_trace *t, const struct arc_hw *hw, struct arc_result *r,
                      arc_op_visitor visit, void *ctx)
{
    int st = arc_cost_check(&t->wl, hw);
    if (st < 0)
        return st;
    begin_(r, hw, &t->wl);
    for (int i = 0; i < t->n_ops; i++) {
        struct arc_op_cost c;
        arc_cost_op(&t->ops[i], hw, &c);
        add_(r, hw, &t->ops[i], 1, &c);
        if (visit)
            visit(ctx, &t->ops[i], 1, &c);
    }
    finish_(r, hw, (double)t->mem_weight_bytes + (double)t->mem_kv_bytes + (double)t->mem_state_bytes);
    if (t->wl.phase == ARC_PHASE_PREFILL)
        r->latency_per_token_s = r->latency_s / r->tokens;
    return ARC_OK;
}

static void cost_layer_(const struct arc_model *m, const struct arc_workload *w,
                        const struct arc_plan *p, const struct arc_hw *hw, int layer, double n,
                        struct arc_result *r, arc_op_visitor visit, void *ctx)
{
    struct arc_op_rec ops[ARC_LAYER_OPS_MAX];
    int k = arc_layer_ops(m, w, p, layer, ops, ARC_LAYER_OPS_MAX);
    for (int i = 0; i < k; i++) {
        struct arc_op_cost c;
        arc_cost_op(&ops[i], hw, &c);
        add_(r, hw, &ops[i], n, &c);
        if (visit)
            visit(ctx, &ops[i], n, &c);
    }
}

static int run_model_(const struct arc_model *m, const struct arc_workload *w,
                      const struct arc_hw *hw, struct arc_result *r, arc_op_visitor visit, void *ctx)
{
    int st = arc_workload_check(w, m);
    if (st < 0 || (st = arc_cost_check(w, hw)) < 0)
        return st;
    begin_(r, hw, w);
    struct arc_plan p;
    arc_plan_make(m, w, &p);
    cost_layer_(m, w, &p, hw, -1, 1, r, visit, ctx);
    /* layers of one mixer kind have identical ops: cost the first of each kind, times the count */
    for (int kind = 0; kind < ARC_MIXER_COUNT; kind++) {
        int first = -1, n = 0;
        for (int i = 0; i < m->n_layers; i++)
            if (m->mixer[i] == kind) {
                if (first < 0)
                    first = i;
                n++;
            }
        if (n)
            cost_layer_(m, w, &p, hw, first, n, r, visit, ctx);
    }
    cost_layer_(m, w, &p, hw, m->n_layers, 1, r, visit, ctx);
    if (w->pp > 1) {
        struct arc_op_rec send;
        struct arc_op_cost c;
        arc_stage_send_op(m, w, &p, 0, &send);
        arc_cost_op(&send, hw, &c);
        add_(r, hw, &send, w->pp - 1, &c);
        if (visit)
            visit(ctx, &send, w->pp - 1, &c);
    }
    struct arc_footprint fp;
    arc_footprint(m, w, &fp);
    finish_(r, hw, fp.weight + fp.kv + fp.state);
    if (w->phase == ARC_PHASE_PREFILL)
        r->latency_per_token_s = r->latency_s / r->tokens;
    return ARC_OK;
}

const struct arc_engine arc_engine_cost = {
    .name = "cost",
    .doc = "analytical roofline per op with measured ceilings, power cap and kernel overhead",
    .run_trace = run_trace_,
    .run_model = run_model_,
};
