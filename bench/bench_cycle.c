/* bench_cycle: simulated cycles per second of the cycle engine on one core.
 *
 * A MiniMax-Text-01 decode step (ctx 8192, batch 1 and 64) on le-hbm-sram (bf16) and le-sram-lpu
 * (int8), each on the fewest chips that hold the model (arc_map_fit, with the cost engine, which
 * decides fit from the same residency plan; running the cycle engine for every candidate mapping
 * would time the search, not the engine). The trace is built once; arc_cycle_run replays it again
 * and again for the time given. Target: 20 million simulated cycles per second.
 * Usage: bench_cycle [seconds per case]   (default 2) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "arclight/cycle.h"
#include "arclight/map.h"

static double now_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int fail_(void)
{
    fprintf(stderr, "bench_cycle: %s\n", arc_error());
    return 1;
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
    const double target = 20e6;
    struct arc_model m;
    if (arc_model_load("minimax-text-01", &m) < 0)
        return fail_();
    printf("cycle engine, MiniMax-Text-01 decode step, ctx 8192, one core; target %.0f M simulated cycles/s\n",
           target / 1e6);
    printf("%-12s %5s %-16s %6s %12s %10s %6s %8s %14s %9s %9s\n", "hw", "batch", "mapping", "ops",
           "cycles/step", "latency", "runs", "seconds", "sim cycles/s", "us/op", "vs 20M/s");
    for (size_t h = 0; h < sizeof cases / sizeof cases[0]; h++) {
        struct arc_hw hw;
        if (arc_hw_load(cases[h].hw, &hw) < 0)
            return fail_();
        for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++) {
            struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = batches[b], .ctx = 8192,
                                     .dtype = cases[h].dtype};
            arc_workload_defaults(&w, &m);
            struct arc_result r;
            if (arc_map_fit(&arc_engine_cost, &m, &hw, &w, &r) < 0)
                return fail_();
            struct arc_trace t;
            if (arc_trace_build(&m, &w, &t) < 0)
                return fail_();
            long long runs = 0;
            double cycles = 0, t0 = now_(), t1 = t0;
            while (t1 - t0 < seconds) {
                if (arc_cycle_run(&t, &hw, NULL, &r, NULL, NULL) < 0)
                    return fail_();
                cycles += (double)r.cycles;
                runs++;
                t1 = now_();
            }
            char map[32];
            snprintf(map, sizeof map, "tp%d ep%d pp%d x%d", w.tp, w.ep, w.pp, w.devices);
            double rate = cycles / (t1 - t0);
            printf("%-12s %5lld %-16s %6d %12llu %8.1f us %6lld %8.3f %14.4g %9.2f %8.2fx\n", cases[h].hw,
                   (long long)w.batch, map, t.n_ops, (unsigned long long)r.cycles, r.latency_s * 1e6, runs,
                   t1 - t0, rate, (t1 - t0) / (double)runs / t.n_ops * 1e6, rate / target);
            arc_trace_free(&t);
        }
    }
    return 0;
}
