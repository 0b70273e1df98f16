/* Rule: the cycle engine's pipeline of tiles and chunks matches a count by hand, cycle for cycle.
 * On tests/data/le-tiny.json (1 GHz, 4 x 4 bf16 array, one 8-byte SRAM port, HBM3E at 1 byte per
 * cycle, link 1 byte per cycle with 1000 cycles of latency, no dispatch cost):
 * - GEMM 2 x 8 x 4 in bf16, weights (64 B) off chip, activations on chip: two 4 x 4 tiles of
 *   32 B. DMA of tile 0 [0, 32), of tile 1 [32, 64) (two staging buffers); tile 0 lands in SRAM
 *   [32, 36), loads into the array [36, 40), streams its 2 rows [40, 42) (reading 2 x 4 x 2 = 16 B
 *   of rows in the same 2 cycles), drains rows + cols = 8 cycles, writes its 2 x 4 results (16 B)
 *   [50, 52); tile 1 lands [64, 68), loads [68, 72), streams [72, 74), drains to 82, writes
 *   [82, 84): 84 cycles. Energy: 64 MACs x 2.0 pJ; SRAM 64 landed + 64 loaded + 32 of rows (read
 *   once per N tile) + 32 written = 192 B x (1.25 + 0.96) pJ; HBM 64 B x 31.2 pJ; static 1 W x 84 ns.
 * - a pipeline send of 32 B: two chunks of 16 B (a chunk is one tile's 32 B of staging, and the op
 *   moves 64 B: read and sent); chunk 0 is read from SRAM [0, 2) and sent [2, 1018) (1000 cycles of
 *   latency + 16), chunk 1 read [2, 4) and sent [1018, 1034): 1034 cycles.
 * Not for: the real designs (test_cycle_agrees_with_cost_when_bound.c). */
#include "arclight/cycle.h"
#include "check.h"

static void trace_(struct arc_trace *t, const struct arc_op_rec *o, uint64_t weight)
{
    arc_trace_init(t);
    t->wl = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 1, .tp = 1, .ep = 1,
                                  .pp = 1, .devices = 1, .dtype = ARC_DTYPE_BF16, .chunk = 16};
    snprintf(t->model, sizeof t->model, "tiny");
    snprintf(t->pattern, sizeof t->pattern, "L");
    t->mem_weight_bytes = weight;
    *arc_trace_push(t) = *o;
}

int main(int argc, char **argv)
{
    REQUIRE(argc > 1);
    char path[4096];
    snprintf(path, sizeof path, "%s/le-tiny.json", argv[1]);
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load(path, &hw));

    struct arc_op_rec g = {.layer = -1, .op = ARC_OP_GEMM, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16,
                           .name = "gemm", .m = 2, .n = 8, .k = 4, .flop = 128};
    g.bytes[ARC_MEM_WEIGHT] = 64;
    g.bytes[ARC_MEM_ACT] = 48;
    struct arc_trace t;
    trace_(&t, &g, 64);
    struct arc_result r;
    REQUIRE_OK(arc_cycle_run(&t, &hw, NULL, &r, NULL, NULL));
    CHECK_EQ_U(r.cycles, 84);
    CHECK_CLOSE(r.latency_s, 84e-9, 1e-12);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_COMPUTE], 128e-12, 1e-12);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_SRAM], 192 * 1.25e-12, 1e-12);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_WIRE], 192 * 0.96e-12, 1e-12);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_MEMORY], 64 * 31.2e-12, 1e-12);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_IDLE], 84e-9, 1e-12);
    /* weights: 64 B landed and 64 B loaded in SRAM, 64 B from HBM; activations: 64 B in SRAM */
    CHECK_CLOSE(r.mem_energy_j[ARC_MEM_WEIGHT], (128 * 2.21 + 64 * 31.2) * 1e-12, 1e-12);
    CHECK_CLOSE(r.mem_energy_j[ARC_MEM_ACT], 64 * 2.21e-12, 1e-12);
    /* busy: DMA 64, SRAM 4 + 4 + 2 + 2 per tile, array 2 per tile */
    for (int i = 0; i < r.n_units; i++) {
        double want = strcmp(r.unit_name[i], "dma") == 0 ? 64 : strcmp(r.unit_name[i], "sram") == 0 ? 24
                    : strcmp(r.unit_name[i], "array") == 0 ? 4 : 0;
        CHECK_MSG(r.unit_busy_cycles[i] == want, "%s busy %g cycles, want %g", r.unit_name[i],
                  r.unit_busy_cycles[i], want);
    }
    arc_trace_free(&t);

    struct arc_op_rec s = {.layer = -1, .op = ARC_OP_SEND, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16,
                           .name = "pp_send", .m = 16, .ranks = 2, .link_bytes = 32};
    s.bytes[ARC_MEM_ACT] = 32;
    trace_(&t, &s, 0);
    REQUIRE_OK(arc_cycle_run(&t, &hw, NULL, &r, NULL, NULL));
    CHECK_EQ_U(r.cycles, 1034);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_LINK], 32 * 10e-12, 1e-12);
    CHECK_CLOSE(r.energy_by_j[ARC_EPART_SRAM], 32 * 1.25e-12, 1e-12);
    arc_trace_free(&t);
    return check_done("test_cycle_pipeline_by_hand", "gemm=84 send=1034 cycles");
}
