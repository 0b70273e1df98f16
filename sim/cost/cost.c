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

#include "arclight/calib.h"
#include "arclight/engine.h"
#include "arclight/hw.h"
#include "cost_internal.h"


/* A calibrated op (calib.h): t0 + roof x the measured inefficiency, the fitted energy terms. The
 * measured times already hold whatever the power limit did to the clocks, so no power term. */
static int calibrated_(const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_op_cost *c)
{
    struct arc_calib_cost cc;
    if (!hw->calib || !arc_calib_op(hw->calib, o, hw, &cc))
        return 0;
    const struct arc_calib_energy *e = &hw->calib->energy;
    if (e->fitted) {
        c->energy_j[ARC_EPART_COMPUTE] = cc.dyn_compute_j;
        c->energy_j[ARC_EPART_MEMORY] = cc.dyn_memory_j;
    } else {
        c->energy_j[ARC_EPART_COMPUTE] = cc.flop * hw->f[o->dtype == ARC_DTYPE_FP8 ? ARC_HWF_E_FLOP_FP8 : ARC_HWF_E_FLOP] * 1e-12;
        c->energy_j[ARC_EPART_MEMORY] = cc.bytes * hw->f[ARC_HWF_E_MEM] * 1e-12;
    }
    c->compute_s = cc.compute_s;
    c->memory_s = cc.memory_s;
    c->overhead_s = cc.overhead_s;
    for (int i = 0; i < ARC_MEM_COUNT; i++) {
        double share = cc.bytes > 0 ? (double)o->bytes[i] / cc.bytes : 0;
        c->mem_time_s[i] = share * cc.memory_s;
        c->mem_energy_j[i] = share * c->energy_j[ARC_EPART_MEMORY];
    }
    arc_op_cost_settle(c);
    return 1;
}

double arc_cost_idle_w(const struct arc_hw *hw)
{
    return hw->calib && hw->calib->energy.fitted ? hw->calib->energy.busy_w : hw->f[ARC_HWF_IDLE];
}

void arc_cost_op(const struct arc_op_rec *o, const struct arc_hw *hw, struct arc_op_cost *c)
{
    ARC_ASSERT(hw->kind == ARC_HW_GPU); /* accelerators: arc_accel_op */
    const double *f = hw->f;
    memset(c, 0, sizeof *c);
    if (calibrated_(o, hw, c))
        return;
    double bytes = 0;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        bytes += (double)o->bytes[i];
    double flop = (double)o->flop;
    enum arc_unit unit = arc_op_unit(o);
    int fp8 = o->dtype == ARC_DTYPE_FP8;

    c->memory_s = bytes / f[ARC_HWF_MEM_COPY_BW];
    for (int i = 0; i < ARC_MEM_COUNT; i++) {
        c->mem_time_s[i] = (double)o->bytes[i] / f[ARC_HWF_MEM_COPY_BW];
        c->mem_energy_j[i] = (double)o->bytes[i] * f[ARC_HWF_E_MEM] * 1e-12;
    }
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
    arc_op_cost_settle(c);
}

int arc_cost_check(const struct arc_workload *w, const struct arc_hw *hw)
{
    int st = arc_workload_check_hw(w, hw, "devices", " (arclight hw list shows the nodes)");
    if (st < 0)
        return st;
    if (w->dtype == ARC_DTYPE_FP8 && hw->f[ARC_HWF_FP8_GEMM] <= 0)
        return arc_errorf(ARC_EINPUT, "--dtype: hardware %s has no fp8 tensor cores; expected bf16", hw->name);
    if (w->dtype == ARC_DTYPE_INT8)
        return arc_errorf(ARC_EINPUT, "--dtype: hardware %s has no int8 figures; expected bf16 or fp8", hw->name);
    return ARC_OK;
}

static void gpu_op_(const void *ctx, const struct arc_op_rec *o, const struct arc_hw *hw,
                    struct arc_op_cost *c)
{
    (void)ctx;
    arc_cost_op(o, hw, c);
}

static const char gpu_method_[] =
    "roofline: achievable rates and bandwidths from the hardware file (no calibration for this hardware)";

static const char *method_(const struct arc_hw *hw)
{
    return hw->calib ? hw->calib->method : gpu_method_;
}

static int run_trace_(const struct arc_trace *t, const struct arc_hw *hw, struct arc_result *r,
                      arc_op_visitor visit, void *ctx)
{
    if (hw->kind != ARC_HW_GPU)
        return arc_accel_run_trace_(t, hw, r, visit, ctx);
    int st = arc_cost_check(&t->wl, hw);
    if (st < 0)
        return st;
    arc_result_begin(r, "cost", hw, &t->wl, hw->f[ARC_HWF_MEM_CAPACITY], method_(hw));
    arc_drive_trace(t, hw, gpu_op_, NULL, r, visit, ctx);
    arc_result_finish(r, arc_cost_idle_w(hw),
                      (double)t->mem_weight_bytes + (double)t->mem_kv_bytes + (double)t->mem_state_bytes,
                      t->wl.phase);
    return ARC_OK;
}

static int run_model_(const struct arc_model *m, const struct arc_workload *w,
                      const struct arc_hw *hw, struct arc_result *r, arc_op_visitor visit, void *ctx)
{
    int st = arc_workload_check(w, m);
    if (st < 0)
        return st;
    if (hw->kind != ARC_HW_GPU)
        return arc_accel_run_model_(m, w, hw, r, visit, ctx);
    if ((st = arc_cost_check(w, hw)) < 0)
        return st;
    arc_result_begin(r, "cost", hw, w, hw->f[ARC_HWF_MEM_CAPACITY], method_(hw));
    arc_drive_model(m, w, hw, gpu_op_, NULL, r, visit, ctx);
    struct arc_footprint fp;
    arc_footprint(m, w, &fp);
    arc_result_finish(r, arc_cost_idle_w(hw), fp.weight + fp.kv + fp.state, w->phase);
    return ARC_OK;
}

const struct arc_engine arc_engine_cost = {
    .name = "cost",
    .doc = "analytical: per-op roofline with measured ceilings, power cap and kernel overhead (GPU); "
           "arrays, SRAM, off-chip memory, spikes and counted energies (le, snn)",
    .run_trace = run_trace_,
    .run_model = run_model_,
};
