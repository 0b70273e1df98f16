/* Rule: a sweep row's area_mm2 is one device's area (include/arclight/area.h) x devices: the die
 * area alone for a design without a lightning unit, the die plus the unit's logic at the node for
 * one with it, built for the model's head dimension; so an energy-area front sees the unit. An axis
 * over lightning_unit.lanes and one over process_nm move the area as the area model says.
 * Usage: test_sweep_area_includes_the_unit DATA_DIR
 * Not for: the area model's figures (test_le_area_adds_the_unit_logic.c). */
#include "arclight/area.h"
#include "arclight/sweep.h"
#include "check.h"

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    char spec[2048];
    snprintf(spec, sizeof spec,
             "{\"model\": \"minimax-text-01\", \"hw\": \"%s/le-hbm-sram-lu4.json\","
             " \"workload\": {\"tp\": 8, \"batch\": 4},"
             " \"axes\": {\"hw.lightning_unit.lanes\": [0, 4, 64], \"hw.process_nm\": [4, 7]}}",
             argv[1]);
    struct arc_sweep s;
    REQUIRE_OK(arc_sweep_parse(spec, "area.json", NULL, &s));
    REQUIRE(s.n_points == 6);
    uint64_t pts[6] = {0, 1, 2, 3, 4, 5};
    struct arc_sweep_row rows[6];
    REQUIRE_OK(arc_sweep_eval(&s, pts, 6, rows));
    const struct arc_area_table *t;
    REQUIRE_OK(arc_area_table(&t));
    int head_dim = s.model.head_dim;
    CHECK(head_dim == 128);
    double by[3][2] = {{0}};
    for (int i = 0; i < 6; i++) {
        const struct arc_sweep_row *r = &rows[i];
        REQUIRE(r->valid);
        static const int lanes[3] = {0, 4, 64};
        static const double nm[2] = {4, 7};
        int l = r->vi[0], n = r->vi[1];
        struct arc_hw hw = s.hw;
        REQUIRE_OK(arc_hw_set(&hw, "lightning_unit.lanes", lanes[l], NULL));
        REQUIRE_OK(arc_hw_set(&hw, "process_nm", nm[n], NULL));
        struct arc_le_area a;
        REQUIRE_OK(arc_area_le(t, &hw, head_dim, &a));
        CHECK(r->devices == 8);
        CHECK_CLOSE(r->area_mm2, a.total_mm2 * r->devices, 1e-15);
        if (l == 0)
            CHECK(r->area_mm2 == 800.0 * r->devices); /* no unit: the die area, exactly */
        else
            CHECK_CLOSE(r->area_mm2, (800 + arc_area_unit_logic_um2(t, 128, lanes[l]) * 1e-6 *
                                                arc_area_logic_factor(t, nm[n])) * 8, 1e-15);
        by[l][n] = r->area_mm2;
    }
    for (int n = 0; n < 2; n++)
        CHECK(by[0][n] < by[1][n] && by[1][n] < by[2][n]);
    CHECK(by[2][1] > by[2][0]); /* the same unit is larger at 7 nm than at 4 */
    arc_sweep_free(&s);
    char detail[128];
    snprintf(detail, sizeof detail, "(8 chips: %.4f, %.4f, %.4f mm^2 with 0, 4, 64 lanes at 4 nm)", by[0][0], by[1][0],
             by[2][0]);
    return check_done("sweep_area_includes_the_unit", detail);
}
