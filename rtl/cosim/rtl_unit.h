// arclight co-simulation: the lightning unit of the SystemC le model (sim/systemc/le_model.h,
// LightningUnit) played by the generated RTL itself, verilated with `verilator --sc` (the SystemC
// module Vlu, prefix set by rtl/bench/CMakeLists.txt).
//
// For: arclight-cosim (rtl/cosim/main.cpp). RtlLightningUnit takes the same TLM command as the
// timing model (ComputeCmd LIGHTNING, on the same target socket), and for each one drives the RTL's
// pins (clk, rst, start, clear, in_valid with q_in/k_in/v_in, out_valid with o_out;
// codegen/verilog/verilog.c documents the protocol, rtl/lightning_bench.cpp drives it from C++)
// with real data: random values in bf16 (magnitude < 0.5, rounded to bf16) quantised to the RTL's
// fixed-point format, never 0. It checks every o word against the fixed-point reference
// (arc_fx_lightning_decode, bit for bit), counts the cycles from the edge that samples start to the
// edge after which done is high, and returns that count, which LightningUnit annotates as the
// call's delay (the unit's queue included). The RTL keeps its state between calls, so successive
// calls are successive decode steps of one set of H heads (the first call clears it); the
// reference carries its state alike. The trace's layers all feed this one unit: the data are the
// adapter's own, only the call's shape (batch x heads = H, head_dim = D) comes from the trace.
// The RTL's clock is a signal the adapter toggles in delta cycles inside b_transport, so SystemC
// time stands still while the RTL runs and the time is the annotated delay, as for every target.
// Not for: the chunk kernel (no trace op maps to it), or formats wider than 64 bits a beat.
#ifndef ARCLIGHT_RTL_COSIM_RTL_UNIT_H
#define ARCLIGHT_RTL_COSIM_RTL_UNIT_H

#include "le_model.h"

#include <cstdint>
#include <type_traits>
#include <vector>

#include "Vlu.h"

extern "C" {
#include "arclight/lightning.h"
}

namespace arcsc {

struct RtlLightningUnit : LightningUnit {
    RtlLightningUnit(sc_core::sc_module_name n, int D, int L, int H, struct arc_fx f, uint64_t seed);
    // after the run
    int64_t calls = 0;           // commands served
    int64_t cycles = 0;          // RTL cycles, all calls
    int64_t mismatches = 0;      // o words that differ from the reference
    int64_t model_diffs = 0;     // calls whose RTL cycles differ from the command's (the timing model)
    int64_t live = 0, words = 0; // o words neither 0 nor saturated, and all o words checked
    int64_t shape_errors = 0;    // commands whose batch x heads or head_dim is not the RTL's
    char first_error[256] = "";
    int64_t skew = 0;            // cycles added to each call's count (arclight-cosim --skew: proves the check can fail)
protected:
    double run(const ComputeCmd &c) override;
private:
    typedef std::remove_reference<decltype(Vlu::q_in)>::type::data_type word_t;
    Vlu rtl_;
    sc_core::sc_signal<bool> clk_, rst_, start_, clear_, in_valid_, busy_, done_, in_ready_, out_valid_;
    sc_core::sc_signal<word_t> q_, k_, v_, o_;
    const int D_, L_, H_;
    const struct arc_fx f_;
    uint64_t rng_;
    bool reset_done_ = false;
    std::vector<int32_t> q, k, v, o_ref, o_rtl, S, lam;
    void settle();
    void tick();
    int32_t rand_raw();
};

} // namespace arcsc

#endif
