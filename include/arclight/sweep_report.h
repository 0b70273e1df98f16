/* arclight sweep reports: the Pareto fronts of a sweep database, as gnuplot plots (PNG with their
 * .gp and .dat files) and a Markdown table.
 *
 * For: `arclight report --sweep FILE.sqlite [--out DIR]`, and the front computation itself.
 * The front (arc_pareto_front): both axes are minimised. Point a dominates b when a.x <= b.x and
 * a.y <= b.y and a is strictly smaller in one of them; the front is the set of points nothing
 * dominates. Points equal in both values tie: the front keeps one of them (the lowest id, i.e.
 * the lowest point index) and counts the others as its ties. Points with a value that is not
 * finite take no part. Two fronts are drawn from the valid rows: energy per token against latency
 * per token, and energy per token against area_mm2 over the rows whose area is known (> 0); the
 * second is left out, and front.md says so, when no row has an area.
 * Not for: writing sweeps (sweep_db.h) or the built-in study's report (report.h). */
#ifndef ARCLIGHT_SWEEP_REPORT_H
#define ARCLIGHT_SWEEP_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* One candidate of a front. */
struct arc_pareto_point {
    double x, y;  /* both minimised */
    uint64_t id;  /* breaks ties: the lowest id represents its equals */
};

/* Sorts pts[0..n) in place by (x, y, id) and moves the front to pts[0..k), by x ascending (so y
 * descending); returns k. ties (may be NULL; n entries) gets, for front point i, how many other
 * points have exactly its (x, y). Points whose x or y is not finite are dropped. O(n log n). */
size_t arc_pareto_front(struct arc_pareto_point *pts, size_t n, uint64_t *ties);

/* What a sweep report found. */
struct arc_sweep_report_info {
    uint64_t rows, valid;        /* rows in the database, valid ones */
    size_t front_latency;        /* points on the energy-latency front */
    size_t front_area;           /* points on the energy-area front; 0 when no row has an area */
};

/* Reads the sweep database db_path (read-only) and writes into dir (created if missing):
 * front.md, front_latency.{dat,gp,png} and points_latency.dat (every valid row, thinned to at most
 * 20,000 for the plot), and front_area.{dat,gp,png} with points_area.dat when some row has an area.
 * A front's .dat has one line per front point: point, x, y. Files are written into a temporary
 * directory and moved in only when all exist. ARC_EINPUT (one line naming the file) for a missing
 * file, a file that is not an arclight sweep database, or one with no valid row; ARC_ETOOL when
 * gnuplot fails. */
int arc_sweep_report_write(const char *db_path, const char *dir, struct arc_sweep_report_info *info);

#endif
