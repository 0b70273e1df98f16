/* Rule: a sweep point's row is what running the engine directly on that point's model variant,
 * workload and hardware gives, bit for bit; hardware axes that are only consistent together (a
 * smaller array and a smaller SRAM) are valid whatever their order; an invalid point is kept with
 * the library's one-line reason; evaluating points in any order or grouping gives the same rows.
 * Not for: the enumeration (test_sweep_points_are_deterministic.c) or the database (cli tests). */
#include "arclight/sweep.h"
#include "check.h"

static void direct_(const char *hw_name, const char *const *paths, const double *vals, int n_hw,
                    int every, const struct arc_workload *w0, struct arc_result *r, int *st)
{
    struct arc_model m;
    struct arc_hw hw;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    REQUIRE_OK(arc_model_set_softmax_every(&m, every));
    REQUIRE_OK(arc_hw_load(hw_name, &hw));
    for (int i = 0; i < n_hw; i++)
        REQUIRE_OK(arc_hw_set(&hw, paths[i], vals[i], NULL));
    struct arc_workload w = *w0;
    arc_workload_defaults(&w, &m);
    *st = arc_workload_check(&w, &m);
    if (*st >= 0)
        *st = arc_engine_run_model(&arc_engine_cost, &m, &w, &hw, r, NULL, NULL);
}

static void same_row_(const struct arc_sweep_row *row, const struct arc_result *r)
{
    CHECK(row->valid == 1);
    CHECK(row->latency_s == r->latency_s);
    CHECK(row->energy_j == r->energy_j);
    CHECK(row->latency_per_token_s == r->latency_per_token_s);
    CHECK(row->energy_per_token_j == r->energy_per_token_j);
    CHECK(row->footprint_bytes == r->footprint_bytes);
    CHECK(row->fits == r->fits);
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        CHECK(row->energy_by_j[i] == r->energy_by_j[i]);
}

int main(void)
{
    /* GPU node: a model variant, a workload field and a hardware figure */
    struct arc_sweep s;
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"8xh200\","
                               " \"workload\": {\"tp\": 8, \"ctx\": 131072},"
                               " \"axes\": {\"model.softmax_every\": [1, 8, 0],"
                               "            \"workload.batch\": [1, 16],"
                               "            \"hw.memory.copy_bw_bytes_per_s\": [3e12, 4e12],"
                               "            \"workload.tp\": [8, 16]}}",
                               "gpu.json", NULL, &s));
    REQUIRE(s.n_points == 24);
    uint64_t pts[24];
    struct arc_sweep_row rows[24], again[24];
    for (int i = 0; i < 24; i++)
        pts[i] = (uint64_t)(23 - i); /* backwards: the order must not matter */
    CHECK_OK(arc_sweep_eval(&s, pts, 24, rows));
    for (int i = 0; i < 24; i++) {
        const struct arc_sweep_row *row = &rows[i];
        CHECK(row->point == pts[i]);
        static const int every[] = {1, 8, 0};
        struct arc_workload w = {.phase = ARC_PHASE_DECODE, .dtype = ARC_DTYPE_BF16, .ctx = 131072,
                                 .batch = row->vi[1] ? 16 : 1, .tp = row->vi[3] ? 16 : 8};
        const char *path = "memory.copy_bw_bytes_per_s";
        double bw = row->vi[2] ? 4e12 : 3e12;
        struct arc_result r;
        int st;
        direct_("8xh200", &path, &bw, 1, every[row->vi[0]], &w, &r, &st);
        if (st < 0) { /* tp 16 on an 8-GPU node */
            CHECK(row->valid == 0);
            CHECK_STREQ(row->error, arc_error());
            CHECK(row->vi[3] == 1);
        } else {
            same_row_(row, &r);
        }
    }
    /* one point at a time, in order: the same rows */
    for (int i = 0; i < 24; i++)
        CHECK_OK(arc_sweep_eval(&s, &pts[i], 1, &again[i]));
    for (int i = 0; i < 24; i++)
        CHECK(memcmp(&rows[i], &again[i], sizeof rows[i]) == 0);
    arc_sweep_free(&s);

    /* le: the SRAM is set before the array shrinks, and is too small for the base array */
    REQUIRE_OK(arc_sweep_parse("{\"model\": \"minimax-text-01\", \"hw\": \"le-hbm-sram\","
                               " \"workload\": {\"tp\": 8},"
                               " \"axes\": {\"hw.sram.capacity_bytes\": [600000, 256e6],"
                               "            \"hw.matrix.rows\": [512, 128]}}",
                               "le.json", NULL, &s));
    REQUIRE(s.n_points == 4);
    uint64_t p4[4] = {0, 1, 2, 3};
    CHECK_OK(arc_sweep_eval(&s, p4, 4, rows));
    /* point 0: 600 KB with 512 rows is below two weight tiles */
    CHECK(rows[0].valid == 0);
    CHECK_HAS(rows[0].error, "sram.capacity_bytes");
    CHECK_HAS(rows[0].error, "two weight tiles");
    /* point 1: 600 KB with 128 rows is fine, whatever the order the axes are applied in */
    static const char *const paths[] = {"matrix.rows", "sram.capacity_bytes"};
    struct arc_workload w = {.phase = ARC_PHASE_DECODE, .dtype = ARC_DTYPE_BF16, .tp = 8};
    struct arc_result r;
    int st;
    direct_("le-hbm-sram", paths, (const double[]){128, 600000}, 2, 8, &w, &r, &st);
    REQUIRE_OK(st);
    same_row_(&rows[1], &r);
    CHECK(rows[1].area_mm2 > 0);
    direct_("le-hbm-sram", paths, (const double[]){512, 256e6}, 2, 8, &w, &r, &st);
    REQUIRE_OK(st);
    same_row_(&rows[2], &r);
    arc_sweep_free(&s);

    return check_done("test_sweep_row_equals_direct_run", "");
}
