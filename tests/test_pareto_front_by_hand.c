/* Rule: the Pareto front keeps exactly the points nothing dominates, both axes minimised. On a
 * hand-made set with dominated points, points equal in one axis, exact duplicates (the lowest id
 * stands for them and the others count as its ties) and non-finite values (dropped), the front
 * is the one worked out by hand, in x order; it agrees with a brute-force O(n^2) check on random
 * sets with many ties; a single point is its own front and an empty set has none.
 * Not for: reading a database or the files (tests/cli/report_sweep_pareto_front.sh). */
#include <stdint.h>
#include <stdlib.h>

#include "arclight/sweep_report.h"
#include "check.h"

/* a dominates b: at most as large in both, smaller in one */
static int dominates_(const struct arc_pareto_point *a, const struct arc_pareto_point *b)
{
    return a->x <= b->x && a->y <= b->y && (a->x < b->x || a->y < b->y);
}

static void by_hand_(void)
{
    struct arc_pareto_point p[] = {
        {4, 4, 0},        /* dominated by (2, 3) */
        {1, 9, 1},        /* front: least x */
        {2, 3, 2},        /* front */
        {2, 3, 7},        /* duplicate of id 2: a tie, not on the front */
        {2, 5, 3},        /* same x as (2, 3), larger y: dominated */
        {6, 1, 4},        /* front: least y */
        {7, 1, 5},        /* same y as (6, 1), larger x: dominated */
        {1, 9, 9},        /* duplicate of id 1 */
        {1, 9, 8},        /* and another */
        {NAN, 0.5, 10},   /* not finite: dropped, though its y would be least */
        {0.5, INFINITY, 11},
        {3, 2, 6},        /* front */
    };
    size_t n = sizeof p / sizeof p[0];
    uint64_t ties[sizeof p / sizeof p[0]];
    size_t k = arc_pareto_front(p, n, ties);
    static const struct {
        double x, y;
        uint64_t id, ties;
    } want[] = {{1, 9, 1, 2}, {2, 3, 2, 1}, {3, 2, 6, 0}, {6, 1, 4, 0}};
    REQUIRE(k == sizeof want / sizeof want[0]);
    for (size_t i = 0; i < k; i++) {
        CHECK_MSG(p[i].x == want[i].x && p[i].y == want[i].y && p[i].id == want[i].id,
                  "front[%zu] = (%g, %g, id %llu), want (%g, %g, id %llu)", i, p[i].x, p[i].y,
                  (unsigned long long)p[i].id, want[i].x, want[i].y, (unsigned long long)want[i].id);
        CHECK_EQ_U(ties[i], want[i].ties);
    }
}

static void brute_force_(void)
{
    srand(6);
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + (size_t)(rand() % 60);
        struct arc_pareto_point *p = malloc(n * sizeof *p), *orig = malloc(n * sizeof *p);
        uint64_t *ties = malloc(n * sizeof *ties);
        for (size_t i = 0; i < n; i++) /* a 6 x 6 lattice: many duplicates and equal coordinates */
            orig[i] = p[i] = (struct arc_pareto_point){rand() % 6, rand() % 6, i};
        size_t k = arc_pareto_front(p, n, ties);
        /* every front point: nothing dominates it, it is the lowest id of its equals, ties right */
        for (size_t i = 0; i < k; i++) {
            uint64_t eq = 0;
            for (size_t j = 0; j < n; j++) {
                CHECK(!dominates_(&orig[j], &p[i]));
                if (orig[j].x == p[i].x && orig[j].y == p[i].y && orig[j].id != p[i].id) {
                    eq++;
                    CHECK(orig[j].id > p[i].id);
                }
            }
            CHECK_EQ_U(ties[i], eq);
            if (i > 0)
                CHECK(p[i - 1].x < p[i].x && p[i - 1].y > p[i].y);
        }
        /* every point is on the front, tied with a front point, or dominated by one */
        for (size_t j = 0; j < n; j++) {
            int covered = 0;
            for (size_t i = 0; i < k; i++)
                covered |= dominates_(&p[i], &orig[j]) || (p[i].x == orig[j].x && p[i].y == orig[j].y);
            CHECK_MSG(covered, "trial %d: point (%g, %g) is neither on the front nor dominated", trial, orig[j].x, orig[j].y);
        }
        free(p);
        free(orig);
        free(ties);
    }
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    by_hand_();
    brute_force_();
    struct arc_pareto_point one = {3, 4, 42};
    uint64_t t = 99;
    CHECK_EQ_U(arc_pareto_front(&one, 1, &t), 1);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(arc_pareto_front(NULL, 0, NULL), 0);
    return check_done("test_pareto_front_by_hand", "");
}
