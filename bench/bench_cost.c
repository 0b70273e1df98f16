/* bench_cost: full-model design points per second through the cost engine, on one core.
 *
 * A design point is one (model variant, workload, hardware) evaluation: MiniMax-Text-01 decode on
 * 8x H200 at a context from 8K to 4M, a batch from 1 to 256 and a hybrid ratio from 1/1 to pure
 * linear, all distinct, so nothing is reused between points. Target: 200,000 points/s.
 * Usage: bench_cost [seconds]   (default 2) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "arclight/engine.h"

static double now_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    if (!(seconds > 0))
        seconds = 2.0;
    static const int every[] = {1, 8, 16, 32, 0};
    enum { NV = sizeof every / sizeof every[0] };
    struct arc_model m[NV];
    struct arc_hw hw;
    for (int i = 0; i < NV; i++)
        if (arc_model_load("minimax-text-01", &m[i]) < 0 || arc_model_set_softmax_every(&m[i], every[i]) < 0) {
            fprintf(stderr, "bench_cost: %s\n", arc_error());
            return 1;
        }
    if (arc_hw_load("8xh200", &hw) < 0) {
        fprintf(stderr, "bench_cost: %s\n", arc_error());
        return 1;
    }
    struct arc_workload w = {.phase = ARC_PHASE_DECODE, .tp = 8, .ep = 1, .pp = 1, .devices = 8,
                             .dtype = ARC_DTYPE_BF16, .chunk = 256};
    long long points = 0;
    double sum = 0, t0 = now_(), t1 = t0;
    while (t1 - t0 < seconds) {
        for (int k = 0; k < 4096; k++, points++) {
            long long p = points;
            w.ctx = (int64_t)8192 << (p % 10);        /* 8K .. 4M */
            w.batch = (int64_t)1 + (p / 10) % 256;    /* 1 .. 256 */
            const struct arc_model *mv = &m[(p / 2560) % NV];
            struct arc_result r;
            if (arc_engine_run_model(&arc_engine_cost, mv, &w, &hw, &r, NULL, NULL) < 0) {
                fprintf(stderr, "bench_cost: %s\n", arc_error());
                return 1;
            }
            sum += r.latency_s;
        }
        t1 = now_();
    }
    double rate = (double)points / (t1 - t0);
    printf("cost engine, MiniMax-Text-01 decode on 8xh200, full model per point (%d layers)\n", m[0].n_layers);
    printf("%-14s %12s %12s %10s %12s\n", "points", "seconds", "points/s", "us/point", "vs 200k/s");
    printf("%-14lld %12.3f %12.0f %10.3f %11.2fx\n", points, t1 - t0, rate, 1e6 / rate, rate / 2e5);
    printf("(checksum %.6g s of simulated latency)\n", sum);
    return 0;
}
