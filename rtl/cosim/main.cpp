// arclight-cosim: the co-simulation of the lightning unit. One decode trace runs through the SystemC
// TLM model of an le chip (sim/systemc/le_model.h) twice, side by side in one SystemC simulation:
// chip "systemc" with the unit's timing model (a call takes arc_lu_op_cycles) and chip "cosim" with
// the Verilated RTL of the unit as that target (rtl_unit.h: it drives the RTL with random
// bf16-range data quantised to the RTL's format and checks every o against the fixed-point
// reference). Passes when every o matched, the two chips' total cycles, every op's cycles and every
// unit's busy cycles are identical, and each RTL call took the timing model's cycles.
//
// Usage: arclight-cosim --model CONFIG --hw HW.json --dim D --lanes L --heads H --format fixed:W.F
//        [--tp T] [--batch B] [--ctx N] [--steps S] [--seed X] [--skew N]
// --dim/--lanes/--heads/--format: the parameters the RTL was generated with (rtl/bench/CMakeLists.txt
// passes them); the trace's lightning decode ops must have batch x heads per device = H and
// head_dim = D, and the hardware lightning_unit.lanes = L. --steps repeats the decode step's ops S
// times (the unit's state carries from one step to the next). --skew N adds N cycles to each RTL
// call's count before it is annotated, so that a test can see the comparison fail. Prints one PASS or FAIL line with
// both cycle counts; exit 0 on PASS, 1 on FAIL, 2 on bad input (one line "arclight-cosim: ...").
// Not for: timing figures of a design (arclight sim --engine systemc), or speed
// (bench/bench_lightning_unit.cpp).
#include "rtl_unit.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <unistd.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#include "arclight/lightning_unit.h"
#include "arclight/model.h"
#include "arclight/workload.h"
}
#pragma GCC diagnostic pop

static int bad_(const char *msg)
{
    std::fprintf(stderr, "arclight-cosim: %s\n", msg);
    return 2;
}

int sc_main(int argc, char **argv)
{
    const char *model = nullptr, *hwpath = nullptr;
    int D = 0, L = 0, H = 0, steps = 3;
    struct arc_fx f = {0, 0};
    struct arc_workload w = {};
    w.phase = ARC_PHASE_DECODE;
    w.ctx = 64;
    w.dtype = ARC_DTYPE_BF16;
    uint64_t seed = 0;
    int64_t skew = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (!v)
            return bad_("an option lacks its value");
        if (!std::strcmp(a, "--model")) model = v;
        else if (!std::strcmp(a, "--hw")) hwpath = v;
        else if (!std::strcmp(a, "--dim")) D = std::atoi(v);
        else if (!std::strcmp(a, "--lanes")) L = std::atoi(v);
        else if (!std::strcmp(a, "--heads")) H = std::atoi(v);
        else if (!std::strcmp(a, "--tp")) w.tp = std::atoi(v);
        else if (!std::strcmp(a, "--batch")) w.batch = std::atoll(v);
        else if (!std::strcmp(a, "--ctx")) w.ctx = std::atoll(v);
        else if (!std::strcmp(a, "--steps")) steps = std::atoi(v);
        else if (!std::strcmp(a, "--seed")) seed = std::strtoull(v, nullptr, 0);
        else if (!std::strcmp(a, "--skew")) skew = std::atoll(v);
        else if (!std::strcmp(a, "--format")) { if (arc_fx_parse(v, &f)) return bad_("--format: expected fixed:W.F"); }
        else return bad_("usage: arclight-cosim --model CONFIG --hw HW.json --dim D --lanes L --heads H --format fixed:W.F [--tp T] [--batch B] [--ctx N] [--steps S] [--seed X] [--skew N]");
        i++;
    }
    if (arc_lu_check(D, L, H, 0) < 0)
        return bad_(arc_error());
    if (!model || !hwpath || !arc_fx_valid(f) || steps < 1)
        return bad_("--model, --hw, --format, --steps: expected a model, a hardware file, fixed:W.F and --steps >= 1");
    if (!seed) {
        uint64_t z = ((uint64_t)std::time(nullptr) << 20) ^ ((uint64_t)getpid() << 40) ^ (uint64_t)std::clock();
        z += 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        seed = z ^ (z >> 27);
    }
    sc_core::sc_set_time_resolution(1, sc_core::SC_FS);
    struct arc_model m;
    struct arc_hw hw;
    struct arc_trace t;
    if (arc_model_load(model, &m) < 0 || arc_hw_load(hwpath, &hw) < 0)
        return bad_(arc_error());
    arc_workload_defaults(&w, &m);
    if (arc_workload_check(&w, &m) < 0 || arc_trace_build(&m, &w, &t) < 0)
        return bad_(arc_error());
    if (hw.kind != ARC_HW_LE || (int)hw.f[ARC_HWF_LU_LANES] != L) {
        char msg[512];
        std::snprintf(msg, sizeof msg, "%s:lightning_unit.lanes: expected an le design with %d lanes (--lanes), got %g",
                      hw.file, L, hw.f[ARC_HWF_LU_LANES]);
        arc_trace_free(&t);
        return bad_(msg);
    }
    if (arc_accel_check(&t.wl, &hw) < 0) {
        arc_trace_free(&t);
        return bad_(arc_error());
    }
    const int n1 = t.n_ops;
    int64_t unit_ops = 0, model_cycles = 0;
    for (int s = 1; s < steps; s++)
        for (int i = 0; i < n1; i++) {
            struct arc_op_rec o = t.ops[i];
            *arc_trace_push(&t) = o;
        }
    for (int i = 0; i < t.n_ops; i++) {
        int64_t c = arc_lu_op_cycles(&hw, &t.ops[i]);
        if (c > 0) {
            unit_ops++;
            model_cycles += c;
        }
    }

    int rc = 0;
    {
        arcsc::RtlLightningUnit rtl("rtl_unit", D, L, H, f, seed);
        rtl.skew = skew;
        arcsc::LeChip ref("systemc", &t, &hw), co("cosim", &t, &hw, &rtl);
        sc_core::sc_start();
        bool ops_same = ref.ops.size() == co.ops.size() && (int)ref.ops.size() == t.n_ops;
        int first_op = -1;
        for (size_t i = 0; ops_same && i < ref.ops.size(); i++)
            if (ref.ops[i].cycles != co.ops[i].cycles) {
                ops_same = false;
                first_op = (int)i;
            }
        bool units_same = true;
        for (int u = 0; u < CYC_UNIT_COUNT; u++)
            units_same = units_same && ref.unit_busy[u] == co.unit_busy[u];
        const double lb_ref = ref.unit_busy[CYC_LIGHT], lb_co = co.unit_busy[CYC_LIGHT];
        bool pass = unit_ops > 0 && rtl.calls == unit_ops && rtl.mismatches == 0 && rtl.shape_errors == 0 &&
                    rtl.model_diffs == 0 && 2 * rtl.live >= rtl.words && ref.cycles == co.cycles && ops_same &&
                    units_same && lb_co == (double)(rtl.cycles + skew * rtl.calls) && lb_ref == (double)model_cycles;
        std::printf("%s cosim lightning_decode D=%d L=%d H=%d W=%d F=%d: %s, %d ops x %d steps; cycles systemc %.0f %s "
                    "cosim %.0f; lightning unit busy systemc %.0f %s cosim %.0f (rtl %" PRId64 " calls, %" PRId64
                    " cycles; arc_lu_op_cycles %" PRId64 "); o words %" PRId64 ", %" PRId64 " differ from the "
                    "fixed-point reference, %" PRId64 " live; seed=%" PRIu64 "\n",
                    pass ? "PASS" : "FAIL", D, L, H, f.bits, f.frac, m.name, n1, steps, ref.cycles,
                    ref.cycles == co.cycles ? "==" : "!=", co.cycles, lb_ref, lb_ref == lb_co ? "==" : "!=", lb_co,
                    rtl.calls, rtl.cycles, model_cycles, rtl.words, rtl.mismatches, rtl.live, seed);
        if (!pass) {
            if (unit_ops == 0)
                std::printf("  no op of the trace runs on the lightning unit (states off chip, or a head_dim the unit does not take)\n");
            if (rtl.first_error[0])
                std::printf("  first error: %s\n", rtl.first_error);
            if (rtl.model_diffs)
                std::printf("  %" PRId64 " calls took other cycles than the timing model's\n", rtl.model_diffs);
            if (first_op >= 0)
                std::printf("  op %d (%s): systemc %.0f cycles, cosim %.0f\n", first_op, t.ops[first_op].name,
                            ref.ops[first_op].cycles, co.ops[first_op].cycles);
            if (2 * rtl.live < rtl.words)
                std::printf("  most outputs are 0 or saturated: the check would prove little\n");
            rc = 1;
        }
    }
    arc_trace_free(&t);
    return rc;
}
