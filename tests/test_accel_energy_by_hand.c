/* Rule: the accelerator cost model counts time and energy event by event, as worked out by hand.
 * On tiny designs at 45 nm and 0.9 V (energy scale 1, tests/data/le-tiny.json, snn-tiny.json):
 * an le GEMM whose weights stream from HBM3E, and snn ops in both energy models, including the
 * lambda*S multiply floor of recurrent lightning decode. Also the energy tables' interpolation and
 * a shipped preset's derived figures.
 * Not for: residency decisions (test_state_residency_switches.c) or the cycle engine. */
#include "arclight/energy.h"
#include "arclight/engine.h"
#include "check.h"

static void le_gemm_(const char *data)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/le-tiny.json", data);
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load(path, &hw));
    /* derived: SRAM bank 8 KB -> 10 pJ per 64 bits = 1.25 pJ/B; wire 0.12 pJ/bit/mm x 8 x 1 mm =
     * 0.96 pJ/B; HBM3E 3.9 pJ/bit = 31.2 pJ/B; bf16 MAC = fp16 mult 1.1 + fp32 add 0.9 = 2.0 pJ */
    CHECK_CLOSE(hw.d.scale, 1, 1e-12);
    CHECK_CLOSE(hw.d.sram_pj_per_byte, 1.25, 1e-12);
    CHECK_CLOSE(hw.d.wire_pj_per_byte, 0.96, 1e-12);
    CHECK_CLOSE(hw.d.offchip_pj_per_byte, 31.2, 1e-12);
    CHECK_CLOSE(hw.d.mac_pj, 2.0, 1e-12);
    CHECK_CLOSE(hw.d.vec_flop_pj, 2.3, 1e-12); /* (fp32 add 0.9 + mult 3.7) / 2 */
    CHECK_CLOSE(hw.d.macs_per_s, 16e9, 1e-12);
    CHECK_CLOSE(hw.d.sram_bw_bytes_per_s, 8e9, 1e-12);

    /* GEMM 2 x 8 x 4 in bf16: 128 flop = 64 MACs; weights 8 x 4 x 2 = 64 B (off chip);
     * activations (2 x 4 + 2 x 8) x 2 = 48 B (on chip) */
    struct arc_op_rec o = {.op = ARC_OP_GEMM, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16,
                           .m = 2, .n = 8, .k = 4, .flop = 128};
    o.bytes[ARC_MEM_WEIGHT] = 64;
    o.bytes[ARC_MEM_ACT] = 48;
    struct arc_accel_plan pl;
    arc_accel_plan(&hw, 64, 0, 0, 48, &pl);
    CHECK(pl.offchip[ARC_MEM_WEIGHT] && pl.offchip[ARC_MEM_KV] && !pl.offchip[ARC_MEM_ACT]);
    struct arc_op_cost c;
    arc_accel_op(&pl, &o, &hw, &c);
    /* SRAM bytes: 2 x 64 (written in, read out) + 48 = 176 -> 22 ns; HBM 64 B at 1 GB/s = 64 ns;
     * MACs 64 / 16 per ns = 4 ns: memory-bound at 64 ns */
    CHECK_CLOSE(c.time_s, 64e-9, 1e-12);
    CHECK_EQ_I(c.bound, ARC_BOUND_MEMORY);
    CHECK_CLOSE(c.compute_s, 4e-9, 1e-12);
    CHECK_CLOSE(c.energy_j[ARC_EPART_COMPUTE], 128e-12, 1e-12);      /* 64 x 2.0 */
    CHECK_CLOSE(c.energy_j[ARC_EPART_SRAM], 220e-12, 1e-12);         /* 176 x 1.25 */
    CHECK_CLOSE(c.energy_j[ARC_EPART_WIRE], 168.96e-12, 1e-12);      /* 176 x 0.96 */
    CHECK_CLOSE(c.energy_j[ARC_EPART_MEMORY], 1996.8e-12, 1e-12);    /* 64 x 31.2 */
    CHECK_CLOSE(c.mem_energy_j[ARC_MEM_WEIGHT], 2279.68e-12, 1e-12); /* 128 x 2.21 + 64 x 31.2 */
    CHECK_CLOSE(c.mem_energy_j[ARC_MEM_ACT], 106.08e-12, 1e-12);     /* 48 x 2.21 */

    /* one step of that op: static 1 W x 64 ns = 64 nJ on top */
    struct arc_trace t;
    arc_trace_init(&t);
    t.wl = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 1, .tp = 1, .ep = 1,
                                 .pp = 1, .devices = 1, .dtype = ARC_DTYPE_BF16, .chunk = 16};
    snprintf(t.model, sizeof t.model, "tiny");
    snprintf(t.pattern, sizeof t.pattern, "L");
    t.mem_weight_bytes = 64;
    *arc_trace_push(&t) = o;
    struct arc_result r;
    REQUIRE_OK(arc_engine_cost.run_trace(&t, &hw, &r, NULL, NULL));
    CHECK_CLOSE(r.latency_s, 64e-9, 1e-12);
    CHECK_CLOSE(r.energy_j, 64e-9 + (128 + 220 + 168.96 + 1996.8) * 1e-12, 1e-12);
    CHECK(r.fits);
    arc_trace_free(&t);
}

static void snn_ops_(const char *data)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/snn-tiny.json", data);
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load(path, &hw));
    CHECK_CLOSE(hw.d.snn_scale, 1, 1e-12);
    CHECK_CLOSE(hw.d.mean_hops, 1, 1e-12); /* (1 + 2) / 3 on a 1 x 2 mesh */
    CHECK_CLOSE(hw.d.ac_pj, 0.9, 1e-12);
    CHECK_CLOSE(hw.d.paper_mac_pj, 4.6, 1e-12);
    struct arc_accel_plan pl;
    arc_accel_plan(&hw, 64, 0, 0, 48, &pl);
    CHECK(pl.state_on_chip && !pl.offchip[ARC_MEM_WEIGHT]);

    /* GEMM 2 x 8 x 4: 64 MACs. T = 2, rate 0.5: synaptic events 0.5 x 2 x 64 = 64; neuron
     * updates 16 outputs x 2 = 32; spikes 0.5 x 2 x 16 = 16, each 1 hop */
    struct arc_op_rec o = {.op = ARC_OP_GEMM, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_INT8,
                           .m = 2, .n = 8, .k = 4, .flop = 128};
    o.bytes[ARC_MEM_WEIGHT] = 32;
    o.bytes[ARC_MEM_ACT] = 48;
    struct arc_op_cost c;
    arc_accel_op(&pl, &o, &hw, &c);
    CHECK_CLOSE(c.energy_j[ARC_EPART_COMPUTE], (64 * 10 + 32 * 20) * 1e-12, 1e-12);
    CHECK_CLOSE(c.energy_j[ARC_EPART_LINK], 16 * (30 + 1 * 5) * 1e-12, 1e-12);
    /* on-chip synaptic weights cost nothing beyond their events; 48 B of activations: bank
     * 8 KB -> 1.25 pJ/B */
    CHECK_CLOSE(c.energy_j[ARC_EPART_SRAM], 48 * 1.25e-12, 1e-12);
    CHECK_CLOSE(c.alt_energy_j, 64 * 0.9e-12, 1e-12); /* (a): E_AC x rate x T x MACs */
    /* time: 64 events on 2 cores at 1 per ns = 32 ns; updates 16 ns; mesh 16 x 1 hop x 1 ns / 2 */
    CHECK_CLOSE(c.time_s, 32e-9, 1e-12);
    CHECK_EQ_I(c.bound, ARC_BOUND_COMPUTE);

    /* recurrent lightning decode, 1 sequence, 2 heads, d = 4: q S and k^T v as additions
     * 0.5 x 2 x 2 x 16 x 2 = 64 events; lambda S: 16 x 2 = 32 multiplies (the floor);
     * updates 8 outputs x 2 = 16; spikes 0.5 x 2 x 8 = 8 */
    struct arc_op_rec l = {.op = ARC_OP_LIGHTNING_ATTN, .block = ARC_BLOCK_LIGHTNING_ATTN,
                           .dtype = ARC_DTYPE_FP32, .batch = 1, .heads = 2, .head_dim = 4,
                           .seq_q = 1, .seq_kv = 9, .flop = 5 * 2 * 16};
    arc_accel_op(&pl, &l, &hw, &c);
    CHECK_CLOSE(c.energy_j[ARC_EPART_COMPUTE], (64 * 10 + 16 * 20 + 32 * 3.7) * 1e-12, 1e-12);
    CHECK_CLOSE(c.energy_j[ARC_EPART_LINK], 8 * 35e-12, 1e-12);
    CHECK_CLOSE(c.alt_energy_j, (32 * 4.6 + 64 * 0.9) * 1e-12, 1e-12);
    /* the 32 multiplies on the 1-lane vector unit (2 flop per ns) take 16 ns, the events 32 ns */
    CHECK_CLOSE(c.time_s, 32e-9, 1e-12);
}

static void tables_(void)
{
    const struct arc_energy_table *t;
    REQUIRE_OK(arc_energy_table(&t));
    CHECK_CLOSE(arc_energy_node_factor(t, 45), 1, 1e-12);
    CHECK_CLOSE(arc_energy_node_factor(t, 7), 0.0943, 1e-9);
    CHECK_CLOSE(arc_energy_node_factor(t, 5), 0.080, 1e-9);
    CHECK_CLOSE(arc_energy_node_factor(t, 4), 0.071, 1e-9);
    CHECK(arc_energy_node_factor(t, 3) < 0 && arc_energy_node_factor(t, 65) < 0);
    double prev = 1;
    for (double nm = 44; nm >= 4; nm -= 0.5) { /* energy falls with the node */
        double f = arc_energy_node_factor(t, nm);
        CHECK_MSG(f > 0 && f <= prev, "factor at %g nm: %g after %g", nm, f, prev);
        prev = f;
    }
    CHECK_CLOSE(arc_energy_sram_pj64(t, 8192), 10, 1e-12);
    CHECK_CLOSE(arc_energy_sram_pj64(t, 32768), 20, 1e-12);
    CHECK_CLOSE(arc_energy_sram_pj64(t, 1048576), 100, 1e-12);
    CHECK_CLOSE(arc_energy_sram_pj64(t, 16384), sqrt(10.0 * 20.0), 1e-12); /* log-log midpoint */

    /* a preset: le-hbm-sram at 4 nm, 0.75 V: scale 0.071 x (0.75 / 0.9)^2 */
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load("le-hbm-sram", &hw));
    double scale = 0.071 * (0.75 / 0.9) * (0.75 / 0.9);
    CHECK_CLOSE(hw.d.scale, scale, 1e-12);
    CHECK_CLOSE(hw.d.mac_pj, 2.0 * scale, 1e-12);
    CHECK_CLOSE(hw.d.offchip_pj_per_byte, 3.9 * 8, 1e-12);
    /* snn-4nm: Loihi's 14 nm, 0.75 V energies carried to 4 nm, 0.7 V */
    REQUIRE_OK(arc_hw_load("snn-4nm", &hw));
    double s14 = arc_energy_node_factor(t, 14);
    CHECK_CLOSE(hw.d.synop_pj, 35.5 * 0.071 / s14 * (0.7 / 0.75) * (0.7 / 0.75), 1e-9);
}

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    tables_();
    le_gemm_(argv[1]);
    snn_ops_(argv[1]);
    return check_done("test_accel_energy_by_hand", "");
}
