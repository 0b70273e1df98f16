/* bench_systemc: simulated cycles per second of the systemc engine (the SystemC TLM-2.0 model of
 * one le chip, run as arclight-systemc) next to the cycle engine's, on the same traces.
 *
 * A MiniMax-Text-01 decode step (ctx 8192, batch 1 and 64) on le-hbm-sram (bf16) and le-sram-lpu
 * (int8), each on the fewest chips that hold the model (arc_map_fit with the cost engine, as
 * bench_cycle does). Each engine replays the trace again and again for the time given. The
 * systemc figure includes what every run pays besides the simulation (writing the trace and the
 * hardware file, starting the program, reading its result back); that fixed cost is measured
 * alone on a one-op trace and printed beside it, with the rate without it.
 * Usage: bench_systemc [seconds per case]   (default 2) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "arclight/cycle.h"
#include "arclight/map.h"
#include "arclight/systemc.h"

static double now_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int fail_(void)
{
    fprintf(stderr, "bench_systemc: %s\n", arc_error());
    return 1;
}

/* runs e on t for about `seconds` (at least once); *per_run: seconds per run */
static int rate_(const struct arc_engine *e, const struct arc_trace *t, const struct arc_hw *hw,
                 double seconds, struct arc_result *r, double *per_run, long long *runs)
{
    double t0 = now_(), t1 = t0;
    *runs = 0;
    while (*runs == 0 || t1 - t0 < seconds) {
        int st = e->run_trace(t, hw, r, NULL, NULL);
        if (st < 0)
            return st;
        ++*runs;
        t1 = now_();
    }
    *per_run = (t1 - t0) / (double)*runs;
    return ARC_OK;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    if (!(seconds > 0))
        seconds = 2.0;
    static const struct {
        const char *hw;
        enum arc_dtype dtype;
    } cases[] = {{"le-hbm-sram", ARC_DTYPE_BF16}, {"le-sram-lpu", ARC_DTYPE_INT8}};
    static const int64_t batches[] = {1, 64};
    struct arc_model m;
    if (arc_model_load("minimax-text-01", &m) < 0)
        return fail_();
    char tool[4096];
    if (arc_systemc_tool(tool, sizeof tool) < 0)
        return fail_();

    /* the fixed cost of one systemc run: a one-op trace (a 1 x 128 x 128 GEMM, a handful of cycles) */
    struct arc_hw hw0;
    if (arc_hw_load("le-hbm-sram", &hw0) < 0)
        return fail_();
    struct arc_trace t0;
    arc_trace_init(&t0);
    t0.wl = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 1, .tp = 1, .ep = 1, .pp = 1,
                                  .devices = 1, .dtype = ARC_DTYPE_BF16, .chunk = 256};
    snprintf(t0.model, sizeof t0.model, "micro");
    snprintf(t0.pattern, sizeof t0.pattern, "L");
    struct arc_op_rec *o = arc_trace_push(&t0);
    *o = (struct arc_op_rec){.layer = -1, .op = ARC_OP_GEMM, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16,
                             .m = 1, .n = 128, .k = 128, .flop = 2 * 128 * 128};
    snprintf(o->name, sizeof o->name, "gemm");
    o->bytes[ARC_MEM_WEIGHT] = 128 * 128 * 2;
    o->bytes[ARC_MEM_ACT] = (128 + 128) * 2;
    t0.mem_weight_bytes = o->bytes[ARC_MEM_WEIGHT];
    struct arc_result r0;
    double fixed;
    long long runs0;
    if (rate_(&arc_engine_systemc, &t0, &hw0, seconds / 2, &r0, &fixed, &runs0) < 0)
        return fail_();
    arc_trace_free(&t0);

    printf("systemc engine (%s) vs cycle engine, MiniMax-Text-01 decode step, ctx 8192, one core\n", tool);
    printf("fixed cost per systemc run (trace and hardware files, process start, result): %.1f ms (%lld runs)\n",
           fixed * 1e3, runs0);
    printf("%-12s %5s %-22s %6s %12s %12s %8s %12s %12s %12s %7s\n", "hw", "batch", "mapping", "ops",
           "cycles", "systemc", "diff", "cycle cyc/s", "systemc cyc/s", "sc w/o fixed", "cyc/sc");
    for (size_t h = 0; h < sizeof cases / sizeof cases[0]; h++) {
        struct arc_hw hw;
        if (arc_hw_load(cases[h].hw, &hw) < 0)
            return fail_();
        for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++) {
            struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = batches[b], .ctx = 8192,
                                     .dtype = cases[h].dtype};
            arc_workload_defaults(&w, &m);
            struct arc_result rc, rs;
            if (arc_map_fit(&arc_engine_cost, &m, &hw, &w, &rc) < 0)
                return fail_();
            struct arc_trace t;
            if (arc_trace_build(&m, &w, &t) < 0)
                return fail_();
            double pc, ps;
            long long nc, ns;
            if (rate_(&arc_engine_cycle, &t, &hw, seconds, &rc, &pc, &nc) < 0 ||
                rate_(&arc_engine_systemc, &t, &hw, seconds, &rs, &ps, &ns) < 0)
                return fail_();
            char map[32];
            snprintf(map, sizeof map, "tp%d ep%d pp%d x%d", w.tp, w.ep, w.pp, w.devices);
            double rate_c = (double)rc.cycles / pc, rate_s = (double)rs.cycles / ps;
            double rate_sim = ps > fixed ? (double)rs.cycles / (ps - fixed) : 0;
            printf("%-12s %5lld %-22s %6d %12llu %12llu %+7.4f%% %12.4g %12.4g %12.4g %6.1fx\n", cases[h].hw,
                   (long long)w.batch, map, t.n_ops, (unsigned long long)rc.cycles,
                   (unsigned long long)rs.cycles, 100 * ((double)rs.cycles / (double)rc.cycles - 1), rate_c,
                   rate_s, rate_sim, rate_c / rate_s);
            arc_trace_free(&t);
        }
    }
    return 0;
}
