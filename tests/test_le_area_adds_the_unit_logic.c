/* Rule: an le design's area is its die_area_mm2 plus, when it carries a lightning unit, the unit's
 * logic (the Yosys fit at 45 nm x the node's logic factor) and nothing else: a design without a
 * unit (le, GPU, spiking) is its die area exactly; more lanes or a larger head dimension give more
 * area; the same unit at a smaller node is smaller by exactly the ratio of the sourced factors; the
 * state is not added (it sits in the design's SRAM); the figures are the data files' by hand; and
 * the built-in fit lies within its recorded error of every design it was fitted to or checked on.
 * Usage: test_le_area_adds_the_unit_logic DATA_DIR
 * Not for: Yosys (test_unit_logic_area_matches_yosys.c), sweeps (test_sweep_area_includes_the_unit.c)
 * or bad data files (test_area_data_rejects_damage.c). */
#include "arclight/area.h"
#include "check.h"

static void load_(const char *dir, const char *file, struct arc_hw *hw)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    REQUIRE_OK(arc_hw_load(path, hw));
}

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    const struct arc_area_table *t;
    REQUIRE_OK(arc_area_table(&t));

    /* no unit: the die area, exactly, for every kind */
    static const char *const plain[] = {"le-hbm-sram", "le-sram-lpu", "le-lpddr-edge", "h200-sxm", "8xh200", "snn-loihi"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        struct arc_hw hw;
        REQUIRE_OK(arc_hw_load(plain[i], &hw));
        struct arc_le_area a;
        double dev;
        CHECK_OK(arc_area_le(t, &hw, 128, &a));
        CHECK_OK(arc_area_device_mm2(&hw, 128, &dev));
        CHECK_MSG(a.total_mm2 == hw.f[ARC_HWF_DIE_AREA_MM2] && dev == a.total_mm2 && a.lanes == 0 &&
                      a.unit_logic_mm2 == 0,
                  "%s: %.17g %.17g vs die %.17g", plain[i], a.total_mm2, dev, hw.f[ARC_HWF_DIE_AREA_MM2]);
    }

    /* 4 and 64 lanes on le-hbm-sram (4 nm): more lanes, more area; the total is die + logic */
    struct arc_hw lu4, lu64;
    load_(argv[1], "le-hbm-sram-lu4.json", &lu4);
    load_(argv[1], "le-hbm-sram-lu64.json", &lu64);
    struct arc_le_area a4, a64, a4d16;
    REQUIRE_OK(arc_area_le(t, &lu4, 128, &a4));
    REQUIRE_OK(arc_area_le(t, &lu64, 128, &a64));
    REQUIRE_OK(arc_area_le(t, &lu4, 16, &a4d16));
    CHECK(a4.lanes == 4 && a64.lanes == 64 && a4.dim == 128);
    CHECK(a64.unit_logic_mm2 > a4.unit_logic_mm2 && a4.unit_logic_mm2 > 0);
    CHECK(a64.total_mm2 > a4.total_mm2 && a4.total_mm2 > lu4.f[ARC_HWF_DIE_AREA_MM2]);
    CHECK(a4.unit_logic_mm2 > a4d16.unit_logic_mm2); /* D 128's q, k, v buffers are larger */
    CHECK(a64.total_mm2 == a64.die_mm2 + a64.unit_logic_mm2);
    /* the state is reported, not added: D x D x 16 bits per head, in the SRAM inside the die */
    CHECK(a64.state_bits_per_head == 128.0 * 128 * 16 && a64.state_mm2_per_head > 0);
    CHECK(a64.total_mm2 < a64.die_mm2 + a64.unit_logic_mm2 + a64.state_mm2_per_head);

    /* by hand from the data files: 264 + 7603 x 64 + 404.3 x 128 um^2 at 45 nm; 4 nm's factor is
     * 0.059 / 1.84 x 0.94 (nodes.json) */
    CHECK_CLOSE(t->base_um2 + t->per_lane_um2 * 64 + t->per_dim_um2 * 128, 264 + 7603 * 64 + 404.3 * 128, 1e-12);
    CHECK_CLOSE(a64.unit_logic_45nm_mm2, (264 + 7603 * 64 + 404.3 * 128) * 1e-6, 1e-12);
    CHECK_CLOSE(a64.logic_factor, 0.03014, 1e-9);
    CHECK_CLOSE(a64.unit_logic_mm2, (264 + 7603 * 64 + 404.3 * 128) * 1e-6 * 0.03014, 1e-9);
    CHECK_CLOSE(a64.total_mm2, 800 + (264 + 7603 * 64 + 404.3 * 128) * 1e-6 * 0.03014, 1e-12);
    /* the SRAM: 256 MB x 8 bits x 0.021 um^2 / 0.7 */
    CHECK_CLOSE(a64.sram_mm2, 256e6 * 8 * 0.021 / 0.7 * 1e-6, 1e-12);

    /* a smaller node: the unit shrinks by exactly the sourced factors' ratio (7 nm 0.059 against
     * 14 nm 0.17), the die area stays the file's */
    struct arc_hw n14 = lu64, n7 = lu64;
    REQUIRE_OK(arc_hw_set(&n14, "process_nm", 14, NULL));
    REQUIRE_OK(arc_hw_set(&n7, "process_nm", 7, NULL));
    struct arc_le_area b14, b7;
    REQUIRE_OK(arc_area_le(t, &n14, 128, &b14));
    REQUIRE_OK(arc_area_le(t, &n7, 128, &b7));
    CHECK(b7.unit_logic_mm2 < b14.unit_logic_mm2);
    CHECK_CLOSE(b7.unit_logic_mm2 / b14.unit_logic_mm2, 0.059 / 0.17, 1e-12);
    CHECK_CLOSE(b14.unit_logic_45nm_mm2, b7.unit_logic_45nm_mm2, 0);
    CHECK(b7.die_mm2 == 800 && b14.die_mm2 == 800);
    /* between rows: log-log, so 12 nm's factor lies between 10 nm's and 14 nm's */
    double f = arc_area_logic_factor(t, 12);
    CHECK(f < 0.17 && f > 0.10);
    CHECK(arc_area_logic_factor(t, 3) < 0 && arc_area_logic_factor(t, 65) < 0);

    /* outside the tables (a table down to 7 nm, a 4 nm design): one line naming the file and the
     * field; the built-in tables reach 4 nm, as the energy tables do */
    struct arc_area_table *narrow = malloc(sizeof *narrow);
    char path[1024];
    snprintf(path, sizeof path, "%s/area-nodes-to-7nm.json", argv[1]);
    REQUIRE_OK(arc_area_table_load(path, NULL, narrow));
    struct arc_le_area c;
    CHECK(arc_area_le(narrow, &lu64, 128, &c) == ARC_EINPUT);
    CHECK_HAS(arc_error(), "le-hbm-sram-lu64.json:process_nm: expected 7 to 45 nm for a lightning unit's area");
    CHECK_OK(arc_area_le(narrow, &n7, 128, &c));
    CHECK_CLOSE(c.unit_logic_mm2, b7.unit_logic_mm2, 1e-12);
    free(narrow);
    CHECK(arc_area_le(t, &lu64, 0, &c) == ARC_EINPUT);
    CHECK_HAS(arc_error(), "lightning_unit.lanes: the unit's head dimension must be at least 1");

    /* the fit is within its recorded error of every design in the file, and those errors are small */
    for (int i = 0; i < t->n_designs; i++) {
        const struct arc_area_design *d = &t->designs[i];
        double fit = arc_area_unit_logic_um2(t, d->dim, d->lanes);
        double e = fabs(fit - d->logic_um2) / d->logic_um2;
        CHECK_MSG(e <= (d->fitted ? t->fit_max_rel_err : t->check_max_rel_err) + 1e-15, "design %d", i);
    }
    CHECK(t->fit_max_rel_err < 0.02 && t->check_max_rel_err < 0.05);
    char detail[160];
    snprintf(detail, sizeof detail, "(64 lanes at 4 nm: %.4f mm^2 on 800; fit within %.1f%%, checks %.1f%%)",
             a64.unit_logic_mm2, 100 * t->fit_max_rel_err, 100 * t->check_max_rel_err);
    return check_done("le_area_adds_the_unit_logic", detail);
}
