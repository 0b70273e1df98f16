/* bench_sweep: a 1,000,000-point cost-engine sweep of MiniMax-Text-01 decode on 8x H200 into a
 * SQLite database in a temporary directory, through the same library calls as `arclight sweep`
 * (threads, batched WAL transactions). Prints points per second and the whole sweep's seconds.
 *
 * Axes (1,000,000 points, hardware outermost): hw.memory.copy_bw_bytes_per_s, 10 log-spaced from
 * 3.0 to 4.5 TB/s; model.softmax_every, 10 ratios; workload.batch 1..100; workload.ctx, 100
 * log-spaced from 8K to 4M. Target: the whole sweep in at most 60 s on 2 cores.
 * Usage: bench_sweep [jobs]   (default: the number of cores) */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arclight/sweep_db.h"

static const char spec_[] =
    "{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\","
    " \"workload\": {\"phase\": \"decode\", \"tp\": 8, \"dtype\": \"bf16\"},"
    " \"axes\": {"
    "  \"hw.memory.copy_bw_bytes_per_s\": {\"from\": 3.0e12, \"to\": 4.5e12, \"points\": 10},"
    "  \"model.softmax_every\": [0, 1, 2, 4, 8, 10, 16, 20, 40, 80],"
    "  \"workload.batch\": {\"from\": 1, \"to\": 100, \"step\": 1},"
    "  \"workload.ctx\": {\"from\": 8192, \"to\": 4194304, \"points\": 100}}}";

int main(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = argc > 1 ? atoi(argv[1]) : (int)(cores > 0 ? cores : 1);
    if (jobs < 1)
        jobs = 1;
    struct arc_sweep s;
    if (arc_sweep_parse(spec_, "bench_sweep", "cost", &s) < 0) {
        fprintf(stderr, "bench_sweep: %s\n", arc_error());
        return 1;
    }
    char dir[] = "/tmp/bench_sweep-XXXXXX", db[64], wal[80], shm[80];
    if (!mkdtemp(dir)) {
        perror("bench_sweep: mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s/sweep.sqlite", dir);
    struct arc_sweep_opts o = {.jobs = jobs};
    struct arc_sweep_stats st;
    int rc = arc_sweep_db_run(&s, db, 0, &o, NULL, NULL, &st);
    struct stat sb;
    double mb = stat(db, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(db);
    unlink(wal);
    unlink(shm);
    rmdir(dir);
    if (rc < 0) {
        fprintf(stderr, "bench_sweep: %s\n", arc_error());
        arc_sweep_free(&s);
        return 1;
    }
    printf("sweep: MiniMax-Text-01 decode on 8xh200, cost engine, %d jobs, into SQLite (WAL)\n", jobs);
    printf("%-10s %8s %10s %12s %10s %10s %12s\n", "points", "valid", "seconds", "points/s", "us/point", "db MB", "vs 60 s");
    printf("%-10llu %8llu %10.2f %12.0f %10.3f %10.1f %11.1fx\n", (unsigned long long)st.written,
           (unsigned long long)st.valid, st.seconds, (double)st.written / st.seconds,
           1e6 * st.seconds / (double)st.written, mb, 60 / st.seconds);
    arc_sweep_free(&s);
    return 0;
}
