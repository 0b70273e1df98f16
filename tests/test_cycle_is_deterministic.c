/* Rule: the cycle engine is a deterministic function of (trace, hardware), and a real trace gives
 * sane figures. The same trace run twice gives identical cycles, latencies, energies and unit
 * figures (compared exactly), for the tiny MiniMax-shaped model (tests/data/tiny-hybrid.json:
 * prefill with padded lightning blocks and partial array tiles, and decode) on the tiny le and snn
 * designs, and for a full MiniMax-Text-01 decode step on le-hbm-sram (tp 8) and snn-4nm. On every
 * run: latency, energy and cycles positive and finite, latency = cycles / clock, the op-table
 * visitor sees the whole step, every unit's utilisation in [0, 1]; the cost engine leaves the
 * cycle fields 0.
 * Not for: agreement with the cost engine (test_cycle_agrees_with_cost_when_bound.c). */
#include "arclight/cycle.h"
#include "check.h"

static int runs_;

static void same_(const struct arc_result *a, const struct arc_result *b, const char *what)
{
    CHECK_MSG(a->cycles == b->cycles, "%s: cycles %llu then %llu", what, (unsigned long long)a->cycles,
              (unsigned long long)b->cycles);
    CHECK_MSG(a->latency_s == b->latency_s && a->energy_j == b->energy_j && a->alt_energy_j == b->alt_energy_j,
              "%s: latency %.17g / %.17g, energy %.17g / %.17g", what, a->latency_s, b->latency_s, a->energy_j,
              b->energy_j);
    CHECK(memcmp(a->energy_by_j, b->energy_by_j, sizeof a->energy_by_j) == 0);
    CHECK(memcmp(a->by_block_s, b->by_block_s, sizeof a->by_block_s) == 0);
    CHECK(memcmp(a->by_bound_s, b->by_bound_s, sizeof a->by_bound_s) == 0);
    CHECK(memcmp(a->mem_time_s, b->mem_time_s, sizeof a->mem_time_s) == 0);
    CHECK(memcmp(a->mem_energy_j, b->mem_energy_j, sizeof a->mem_energy_j) == 0);
    CHECK_EQ_I(a->n_units, b->n_units);
    CHECK(memcmp(a->unit_busy_cycles, b->unit_busy_cycles, sizeof a->unit_busy_cycles) == 0);
}

static void sane_(const struct arc_result *r, const struct arc_op_table *tab, const char *what)
{
    CHECK_MSG(r->cycles > 0 && isfinite(r->latency_s) && r->latency_s > 0, "%s: latency %g s, %llu cycles", what,
              r->latency_s, (unsigned long long)r->cycles);
    CHECK_MSG(isfinite(r->energy_j) && r->energy_j > 0, "%s: energy %g J", what, r->energy_j);
    CHECK_CLOSE(r->latency_s, (double)r->cycles / r->clock_hz, 1e-9);
    double t = 0;
    for (int i = 0; i < tab->n; i++)
        t += tab->rows[i].time_s;
    CHECK_CLOSE(t, r->latency_s, 1e-9);
    CHECK_MSG(r->n_units >= 4 && r->n_units <= ARC_RESULT_UNITS_MAX, "%s: %d units", what, r->n_units);
    for (int i = 0; i < r->n_units; i++) {
        CHECK_MSG(r->unit_name[i] && r->unit_name[i][0], "%s: unit %d has no name", what, i);
        CHECK_MSG(r->unit_util[i] >= 0 && r->unit_util[i] <= 1, "%s: %s utilisation %g", what, r->unit_name[i],
                  r->unit_util[i]);
    }
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        CHECK_MSG(isfinite(r->energy_by_j[i]) && r->energy_by_j[i] >= 0, "%s: energy part %s %g", what,
                  arc_epart_name((enum arc_epart)i), r->energy_by_j[i]);
}

static void twice_(const struct arc_trace *t, const struct arc_hw *hw, const char *what, int print)
{
    struct arc_result a, b;
    struct arc_op_table *ta = calloc(1, sizeof *ta), *tb = calloc(1, sizeof *tb);
    REQUIRE_OK(arc_cycle_run(t, hw, NULL, &a, arc_op_table_visit, ta));
    REQUIRE_OK(arc_engine_cycle.run_trace(t, hw, &b, arc_op_table_visit, tb));
    same_(&a, &b, what);
    sane_(&a, ta, what);
    runs_ += 2;
    if (print) {
        printf("%-40s %12llu cycles %10.3f us %10.4g J:", what, (unsigned long long)a.cycles, a.latency_s * 1e6,
               a.energy_j);
        for (int i = 0; i < a.n_units; i++)
            printf(" %s %.1f%%", a.unit_name[i], 100 * a.unit_util[i]);
        printf("\n");
    }
    free(ta);
    free(tb);
}

static void tiny_(const char *data, const char *hwfile, enum arc_dtype dt)
{
    char path[4096];
    struct arc_model m;
    struct arc_hw hw;
    snprintf(path, sizeof path, "%s/tiny-hybrid.json", data);
    REQUIRE_OK(arc_model_load(path, &m));
    snprintf(path, sizeof path, "%s/%s", data, hwfile);
    REQUIRE_OK(arc_hw_load(path, &hw));
    struct arc_workload ws[] = {
        {.phase = ARC_PHASE_PREFILL, .batch = 2, .ctx = 40, .dtype = dt},
        {.phase = ARC_PHASE_DECODE, .batch = 3, .ctx = 37, .dtype = dt},
    };
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
        arc_workload_defaults(&ws[i], &m);
        struct arc_trace t;
        REQUIRE_OK(arc_trace_build(&m, &ws[i], &t));
        char what[96];
        snprintf(what, sizeof what, "tiny-hybrid %s on %s", arc_phase_name(ws[i].phase), hw.name);
        twice_(&t, &hw, what, 1);
        arc_trace_free(&t);
    }
}

int main(int argc, char **argv)
{
    REQUIRE(argc > 1);
    tiny_(argv[1], "le-tiny.json", ARC_DTYPE_BF16);
    tiny_(argv[1], "snn-tiny.json", ARC_DTYPE_INT8);

    struct arc_model m;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    static const struct {
        const char *hw;
        enum arc_dtype dt;
        int tp, pp, devices;
    } full[] = {{"le-hbm-sram", ARC_DTYPE_BF16, 8, 1, 8}, {"snn-4nm", ARC_DTYPE_INT8, 64, 80, 5120}};
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        struct arc_hw hw;
        REQUIRE_OK(arc_hw_load(full[i].hw, &hw));
        struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 8192, .tp = full[i].tp,
                                 .pp = full[i].pp, .devices = full[i].devices, .dtype = full[i].dt};
        arc_workload_defaults(&w, &m);
        struct arc_trace t;
        REQUIRE_OK(arc_trace_build(&m, &w, &t));
        char what[96];
        snprintf(what, sizeof what, "minimax-text-01 decode on %s", hw.name);
        twice_(&t, &hw, what, 1);
        struct arc_result c;
        REQUIRE_OK(arc_engine_cost.run_trace(&t, &hw, &c, NULL, NULL));
        CHECK(c.cycles == 0 && c.n_units == 0); /* the cost engine leaves them */
        arc_trace_free(&t);
    }
    char detail[32];
    snprintf(detail, sizeof detail, "runs=%d", runs_);
    return check_done("test_cycle_is_deterministic", detail);
}
