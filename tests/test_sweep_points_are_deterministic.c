/* Rule: a sweep spec enumerates its points deterministically. Axis sizes are right for lists,
 * linear ranges (both ends inclusive, fractional steps too) and log ranges (ends exact, geometric
 * in between, integer fields rounded with repeats dropped); point p is the mixed-radix number of
 * its value indices with the last axis fastest; a random sample of N is N distinct grid points,
 * the same for the same seed, another for another seed, and the whole grid when N is its size;
 * the spec's hash ignores whitespace and comments but not values or the engine.
 * Not for: what a point evaluates to (test_sweep_row_equals_direct_run.c). */
#include <stdlib.h>

#include "arclight/sweep.h"
#include "check.h"

static const char base_[] =
    "{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\", \"workload\": {\"tp\": 8},"
    " \"axes\": {\"workload.ctx\": [8192, 65536, 131072],"
    "            \"hw.memory.copy_bw_bytes_per_s\": {\"from\": 1e12, \"to\": 4e12, \"step\": 1e12},"
    "            \"workload.batch\": {\"from\": 1, \"to\": 1000, \"points\": 4},"
    "            \"model.softmax_every\": [8]}";

static int parse_(const char *axes_tail, struct arc_sweep *s)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s}", base_, axes_tail);
    return arc_sweep_parse(buf, "spec.json", NULL, s);
}

static int cmp_u64_(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* n sampled grid indices, sorted; returns whether they are distinct and below the grid */
static int sample_ok_(const struct arc_sweep *s, uint64_t *g)
{
    for (uint64_t p = 0; p < s->n_points; p++)
        g[p] = arc_sweep_grid_index(s, p);
    qsort(g, s->n_points, sizeof *g, cmp_u64_);
    for (uint64_t p = 0; p < s->n_points; p++)
        if (g[p] >= s->grid || (p > 0 && g[p] == g[p - 1]))
            return 0;
    return 1;
}

int main(void)
{
    struct arc_sweep s, t;
    REQUIRE_OK(parse_("", &s));
    REQUIRE(s.n_axes == 4);
    CHECK_EQ_I(s.axes[0].n, 3);
    CHECK_EQ_I(s.axes[1].n, 4);
    CHECK_EQ_I(s.axes[2].n, 4);
    CHECK_EQ_I(s.axes[3].n, 1);
    CHECK_EQ_U(s.grid, 48);
    CHECK_EQ_U(s.n_points, 48);
    CHECK(!s.sampled);
    /* linear: 1, 2, 3, 4 TB/s; log: 1, 10, 100, 1000 with exact ends */
    for (int i = 0; i < 4; i++)
        CHECK_CLOSE(s.axes[1].num[i], (i + 1) * 1e12, 1e-15);
    CHECK(s.axes[2].num[0] == 1 && s.axes[2].num[3] == 1000);
    CHECK_CLOSE(s.axes[2].num[1], 10, 1e-12);
    CHECK_CLOSE(s.axes[2].num[2], 100, 1e-12);
    CHECK(s.axes[0].integer && s.axes[2].integer && !s.axes[1].integer);

    /* mixed radix, last axis fastest */
    int32_t vi[ARC_SWEEP_AXES_MAX];
    arc_sweep_point(&s, 0, vi);
    CHECK(vi[0] == 0 && vi[1] == 0 && vi[2] == 0 && vi[3] == 0);
    arc_sweep_point(&s, 1, vi);
    CHECK(vi[0] == 0 && vi[1] == 0 && vi[2] == 1);
    arc_sweep_point(&s, 4, vi);
    CHECK(vi[0] == 0 && vi[1] == 1 && vi[2] == 0);
    arc_sweep_point(&s, 47, vi);
    CHECK(vi[0] == 2 && vi[1] == 3 && vi[2] == 3 && vi[3] == 0);
    arc_sweep_point(&s, 16 + 2 * 4 + 3, vi); /* 1, 2, 3 */
    CHECK(vi[0] == 1 && vi[1] == 2 && vi[2] == 3);

    /* the hash: whitespace and comments do not count, values and the engine do */
    REQUIRE_OK(arc_sweep_parse("{ \"_c\": \"x\", \"model\":\"minimax-text-01\",\"hw\":\"8xh200\",\"workload\":{\"tp\":8},\n"
                               "\"axes\":{\"workload.ctx\":[8192,65536,131072],"
                               "\"hw.memory.copy_bw_bytes_per_s\":{\"from\":1e12,\"to\":4e12,\"step\":1e12},"
                               "\"workload.batch\":{\"from\":1,\"to\":1000,\"points\":4},\"model.softmax_every\":[8]}}",
                               "other.json", NULL, &t));
    CHECK_STREQ(t.hash_hex, s.hash_hex);
    CHECK_STREQ(t.canonical, s.canonical);
    arc_sweep_free(&t);
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\", \"axes\": {\"workload.ctx\": [8192]}}",
                               "a.json", "cycle", &t));
    struct arc_sweep u;
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\", \"axes\": {\"workload.ctx\": [8192]}}",
                               "a.json", "cost", &u));
    CHECK(strcmp(t.hash_hex, u.hash_hex) != 0); /* the engine is part of the identity */
    arc_sweep_free(&t);
    arc_sweep_free(&u);
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\", \"axes\": {\"workload.ctx\": [8193]}}",
                               "a.json", "cycle", &t));
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\", \"axes\": {\"workload.ctx\": [8192]}}",
                               "a.json", "cycle", &u));
    CHECK(strcmp(t.hash_hex, u.hash_hex) != 0);
    arc_sweep_free(&t);
    arc_sweep_free(&u);
    /* FNV-1a 64's published test vectors */
    CHECK_EQ_U(arc_fnv1a64("", 0), UINT64_C(0xcbf29ce484222325));
    CHECK_EQ_U(arc_fnv1a64("a", 1), UINT64_C(0xaf63dc4c8601ec8c));
    CHECK_EQ_U(arc_fnv1a64("foobar", 6), UINT64_C(0x85944171f73967e8));
    arc_sweep_free(&s);

    /* integer log ranges round and drop repeats: 1 .. 8 in 10 points -> 1 2 3 4 5 6 8 */
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\", \"axes\": {"
                               "\"workload.batch\": {\"from\": 1, \"to\": 8, \"points\": 10},"
                               "\"hw.link.latency_s\": {\"from\": 0.1, \"to\": 0.3, \"step\": 0.1}}}",
                               "r.json", NULL, &s));
    static const double want[] = {1, 2, 3, 4, 5, 6, 8};
    REQUIRE(s.axes[0].n == 7);
    for (int i = 0; i < 7; i++)
        CHECK(s.axes[0].num[i] == want[i]);
    CHECK_EQ_I(s.axes[1].n, 3); /* 0.1 0.2 0.3 despite rounding in (0.3 - 0.1) / 0.1 */
    arc_sweep_free(&s);

    /* sampling: distinct, deterministic, seeded, and the whole grid when asked for all of it */
    uint64_t *g1 = calloc(48, sizeof *g1), *g2 = calloc(48, sizeof *g2);
    REQUIRE_OK(parse_(", \"sample\": {\"random\": 20, \"seed\": 7}", &s));
    REQUIRE_OK(parse_(", \"sample\": {\"random\": 20, \"seed\": 7}", &t));
    CHECK_EQ_U(s.n_points, 20);
    CHECK_EQ_U(s.grid, 48);
    CHECK(s.sampled);
    int same = 1;
    for (uint64_t p = 0; p < 20; p++)
        same &= arc_sweep_grid_index(&s, p) == arc_sweep_grid_index(&t, p);
    CHECK_MSG(same, "the same seed gives the same sample");
    arc_sweep_free(&t);
    REQUIRE_OK(parse_(", \"sample\": {\"random\": 20, \"seed\": 8}", &t));
    int differ = 0;
    for (uint64_t p = 0; p < 20; p++)
        differ += arc_sweep_grid_index(&s, p) != arc_sweep_grid_index(&t, p);
    CHECK_MSG(differ > 0, "another seed gives another sample");
    CHECK(sample_ok_(&s, g1));
    CHECK(sample_ok_(&t, g2));
    arc_sweep_free(&s);
    arc_sweep_free(&t);
    REQUIRE_OK(parse_(", \"sample\": {\"random\": 48, \"seed\": 1}", &s));
    CHECK(sample_ok_(&s, g1));
    for (uint64_t p = 0; p < 48; p++)
        CHECK(g1[p] == p);
    arc_sweep_free(&s);
    CHECK(parse_(", \"sample\": {\"random\": 49, \"seed\": 1}", &s) == ARC_EINPUT);
    CHECK_HAS(arc_error(), "sample.random");
    free(g1);
    free(g2);

    /* a grid of 10^12 points sampled 20,000 ways: distinct and inside */
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\", \"workload\": {\"tp\": 8},"
                               " \"sample\": {\"random\": 20000, \"seed\": 3}, \"axes\": {"
                               "\"workload.batch\": {\"from\": 1, \"to\": 10000, \"step\": 1},"
                               "\"workload.ctx\": {\"from\": 1, \"to\": 10000, \"step\": 1},"
                               "\"hw.link.latency_s\": {\"from\": 1e-6, \"to\": 1e-2, \"points\": 10000}}}",
                               "big.json", NULL, &s));
    CHECK_EQ_U(s.grid, UINT64_C(1000000000000));
    uint64_t *g = calloc(s.n_points, sizeof *g);
    CHECK(sample_ok_(&s, g));
    free(g);
    arc_sweep_free(&s);

    return check_done("test_sweep_points_are_deterministic", "");
}
