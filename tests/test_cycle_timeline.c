/* Rule: the cycle engine's timeline is a valid Chrome/Perfetto trace-event file whose events per
 * unit never overlap. For the tiny MiniMax-shaped model's prefill on le-tiny (array tiles, partial
 * and padded) and a MiniMax-Text-01 decode step on le-sram-lpu (tp 64, pp 40: collectives and
 * pipeline sends), the file written by arc_cycle_run parses (cJSON) into an object with
 * "traceEvents"; every "X" event has pid 0, a tid named by an "M" thread_name event, a block/name
 * name, ts >= 0 and dur >= 0, busy cycles no more than its span, and ends by the step's latency;
 * sorted by ts, a unit's events do not overlap (to 1 ps of rounding). A path in a missing directory
 * is an error, not a crash. Not for: the figures themselves (the other test_cycle_* tests). */
#include <unistd.h>

#include <cjson/cJSON.h>

#include "arclight/cycle.h"
#include "arclight/fsutil.h"
#include "check.h"

struct ev_ {
    double ts, dur;
    int tid;
};

static int by_tid_ts_(const void *a, const void *b)
{
    const struct ev_ *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    return x->ts < y->ts ? -1 : x->ts > y->ts ? 1 : 0;
}

static int events_;

static void check_file_(const char *path, const struct arc_result *r, const char *what)
{
    char *txt;
    size_t len;
    REQUIRE_OK(arc_file_read(path, &txt, &len));
    cJSON *root = cJSON_Parse(txt);
    free(txt);
    REQUIRE(root && cJSON_IsObject(root));
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
    REQUIRE(cJSON_IsArray(evs));
    int n = cJSON_GetArraySize(evs), nx = 0;
    struct ev_ *x = calloc((size_t)n, sizeof *x);
    const char *names[64] = {0};
    const double us_end = r->latency_s * 1e6, us_per_cycle = 1e6 / r->clock_hz;
    const cJSON *e;
    cJSON_ArrayForEach(e, evs) {
        const cJSON *ph = cJSON_GetObjectItemCaseSensitive(e, "ph");
        const cJSON *tid = cJSON_GetObjectItemCaseSensitive(e, "tid");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
        REQUIRE(cJSON_IsString(ph) && cJSON_IsString(name));
        CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "pid")) == 0);
        if (strcmp(ph->valuestring, "M") == 0) {
            if (strcmp(name->valuestring, "thread_name") == 0 && cJSON_IsNumber(tid) && tid->valueint >= 0 &&
                tid->valueint < 64) {
                const cJSON *a = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "args"), "name");
                REQUIRE(cJSON_IsString(a));
                names[tid->valueint] = a->valuestring;
            }
            continue;
        }
        CHECK_STREQ(ph->valuestring, "X");
        REQUIRE(cJSON_IsNumber(tid) && tid->valueint >= 0 && tid->valueint < 64);
        CHECK_HAS(name->valuestring, "/");
        double ts = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "ts"));
        double dur = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "dur"));
        double busy = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "args"),
                                                                            "busy_cycles"));
        CHECK_MSG(ts >= 0 && dur >= 0, "%s: %s ts %g dur %g", what, name->valuestring, ts, dur);
        CHECK_MSG(busy * us_per_cycle <= dur * (1 + 1e-9) + 1e-9, "%s: %s busy %g cycles in %g us", what,
                  name->valuestring, busy, dur);
        CHECK_MSG(ts + dur <= us_end + 1e-6, "%s: %s ends at %.6f us after the step's %.6f us", what,
                  name->valuestring, ts + dur, us_end);
        x[nx++] = (struct ev_){ts, dur, tid->valueint};
    }
    CHECK_MSG(nx > 0, "%s: no X events", what);
    qsort(x, (size_t)nx, sizeof *x, by_tid_ts_);
    int overlaps = 0, units = 0;
    for (int i = 0; i < nx; i++) {
        CHECK_MSG(names[x[i].tid] != NULL, "%s: tid %d has no thread_name", what, x[i].tid);
        if (i == 0 || x[i].tid != x[i - 1].tid)
            units++;
        else if (x[i].ts < x[i - 1].ts + x[i - 1].dur - 1e-6)
            overlaps++;
    }
    CHECK_MSG(overlaps == 0, "%s: %d events overlap the one before on their unit", what, overlaps);
    printf("%-40s %d X events on %d units, %d overlapping\n", what, nx, units, overlaps);
    events_ += nx;
    free(x);
    cJSON_Delete(root);
}

static void run_(const struct arc_trace *t, const struct arc_hw *hw, const char *dir, const char *what)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/timeline.json", dir);
    struct arc_result r;
    REQUIRE_OK(arc_cycle_run(t, hw, path, &r, NULL, NULL));
    check_file_(path, &r, what);
    unlink(path);
}

int main(int argc, char **argv)
{
    REQUIRE(argc > 1);
    char dir[] = "/tmp/arclight-timeline-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);

    char path[4096];
    struct arc_model m;
    struct arc_hw hw;
    struct arc_trace t;
    snprintf(path, sizeof path, "%s/tiny-hybrid.json", argv[1]);
    REQUIRE_OK(arc_model_load(path, &m));
    snprintf(path, sizeof path, "%s/le-tiny.json", argv[1]);
    REQUIRE_OK(arc_hw_load(path, &hw));
    struct arc_workload w = {.phase = ARC_PHASE_PREFILL, .batch = 2, .ctx = 40, .dtype = ARC_DTYPE_BF16};
    arc_workload_defaults(&w, &m);
    REQUIRE_OK(arc_trace_build(&m, &w, &t));
    run_(&t, &hw, dir, "tiny-hybrid prefill on le-tiny");
    /* a path whose directory does not exist: an error, the run otherwise complete */
    snprintf(path, sizeof path, "%s/no-such-dir/timeline.json", dir);
    struct arc_result r;
    CHECK(arc_cycle_run(&t, &hw, path, &r, NULL, NULL) < 0);
    CHECK(r.cycles > 0);
    arc_trace_free(&t);

    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    REQUIRE_OK(arc_hw_load("le-sram-lpu", &hw));
    w = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 8192, .tp = 64, .pp = 40,
                              .devices = 2560, .dtype = ARC_DTYPE_INT8};
    arc_workload_defaults(&w, &m);
    REQUIRE_OK(arc_trace_build(&m, &w, &t));
    run_(&t, &hw, dir, "minimax-text-01 decode on le-sram-lpu");
    arc_trace_free(&t);
    rmdir(dir);
    char detail[32];
    snprintf(detail, sizeof detail, "events=%d", events_);
    return check_done("test_cycle_timeline", detail);
}
