/* Rule: lightning states stay resident in SRAM across decode steps exactly while they fit, and
 * spill to off-chip memory past the capacity edge. On le-hbm-sram (256 MB SRAM, HBM3E), MiniMax-
 * Text-01 decode at tp 8: as the batch grows, the states (batch x 70 layers x 8 heads x 128^2 x 4 B
 * per chip) plus the largest op's activations plus two 512 x 512 bf16 weight tiles reach the SRAM;
 * the switch happens at that batch and no other, and the states' traffic moves from SRAM
 * bandwidth to HBM bandwidth. With no off-chip memory, nothing spills: the design stops fitting.
 * Not for: the energy arithmetic (test_accel_energy_by_hand.c). */
#include <string.h>

#include "arclight/engine.h"
#include "check.h"

int main(void)
{
    struct arc_model m;
    struct arc_hw hw;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    REQUIRE_OK(arc_hw_load("le-hbm-sram", &hw));
    const double sram = 256e6, tile = 2.0 * 512 * 512 * 2;
    CHECK_CLOSE(hw.f[ARC_HWF_SRAM_CAPACITY], sram, 0);
    int last_resident = 0, first_spill = 0;
    for (int b = 1; b <= 16; b++) {
        struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = b, .ctx = 8192, .tp = 8, .ep = 1,
                                 .pp = 1, .devices = 8, .dtype = ARC_DTYPE_BF16, .chunk = 256};
        struct arc_trace t;
        REQUIRE_OK(arc_trace_build(&m, &w, &t));
        double act = 0;
        for (int i = 0; i < t.n_ops; i++)
            if ((double)t.ops[i].bytes[ARC_MEM_ACT] > act)
                act = (double)t.ops[i].bytes[ARC_MEM_ACT];
        double state = (double)t.mem_state_bytes;
        CHECK_CLOSE(state, b * 70.0 * 8 * 128 * 128 * 4, 0);
        int fits = state + act + tile <= sram;
        struct arc_result r;
        REQUIRE_OK(arc_engine_cost.run_trace(&t, &hw, &r, NULL, NULL));
        int resident = strstr(r.regime, "states resident in SRAM") != NULL;
        CHECK_MSG(resident == fits, "batch %d: states %.4g B + act %.4g B + tiles %.4g B vs SRAM %.4g B: regime \"%s\"",
                  b, state, act, tile, sram, r.regime);
        /* where the state bytes go shows in their time: SRAM or HBM bandwidth */
        double bw = r.mem_bytes[ARC_MEM_STATE] / r.mem_time_s[ARC_MEM_STATE];
        double want = resident ? hw.d.sram_bw_bytes_per_s : hw.f[ARC_HWF_OFFCHIP_BW];
        CHECK_MSG(check_close_(bw, want, 1e-9), "batch %d: state bandwidth %.4g, want %.4g", b, bw, want);
        if (resident)
            last_resident = b;
        else if (!first_spill)
            first_spill = b;
        arc_trace_free(&t);
    }
    CHECK_MSG(last_resident >= 1 && first_spill == last_resident + 1,
              "one switch expected: last resident batch %d, first spill %d", last_resident, first_spill);
    printf("states resident up to batch %d, spill from batch %d\n", last_resident, first_spill);

    /* no off-chip memory: nothing can spill, so the same growth stops fitting instead */
    REQUIRE_OK(arc_hw_load("le-sram-lpu", &hw));
    struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 8192, .tp = 64, .ep = 1,
                             .pp = 40, .devices = 2560, .dtype = ARC_DTYPE_INT8, .chunk = 256};
    struct arc_result r;
    REQUIRE_OK(arc_engine_run_model(&arc_engine_cost, &m, &w, &hw, &r, NULL, NULL));
    CHECK_MSG(r.fits && strstr(r.regime, "all on chip"), "le-sram-lpu at batch 1: fits %d, \"%s\"", r.fits, r.regime);
    w.batch = 64;
    REQUIRE_OK(arc_engine_run_model(&arc_engine_cost, &m, &w, &hw, &r, NULL, NULL));
    CHECK_MSG(!r.fits, "le-sram-lpu at batch 64 on 2,560 chips should not fit");
    return check_done("test_state_residency_switches", "");
}
