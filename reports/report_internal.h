/* arclight report, internal: what the report's files share (reports/ only).
 * Not for: use outside reports/. */
#ifndef ARCLIGHT_REPORT_INTERNAL_H
#define ARCLIGHT_REPORT_INTERNAL_H

#include "arclight/fsutil.h"
#include "arclight/report.h"

#define REP_MAX_FILES 96

/* The temporary directory a report is written into before its files move into place. */
struct rep_outdir {
    char tmp[1024];
    char names[REP_MAX_FILES][64]; /* files written into tmp */
    int n;
};

/* Writes b (then frees it) as tmp/name. */
int rep_put(struct rep_outdir *o, const char *name, struct arc_buf *b);
/* Runs gnuplot on tmp/stem.gp and records stem.png. */
int rep_render(struct rep_outdir *o, const char *stem);
/* A plot with one data file: writes stem.dat and stem.gp (freeing both buffers), then draws it. */
int rep_plot(struct rep_outdir *o, const char *stem, struct arc_buf *dat, struct arc_buf *gp);

/* The hardware comparison (reports/compare.c): compare.csv and its plots, and its section of
 * report.md. */
int rep_compare_write(struct rep_outdir *o, const struct arc_study *s);
void rep_compare_md(const struct arc_study *s, struct arc_buf *b);

/* The lightning unit's area (reports/unit_area.c): its section of report.md, from the cache that
 * arc_report_unit_area writes into dir, and the area model on the study's le designs. */
void rep_unit_area_md(const struct arc_study *s, const char *dir, struct arc_buf *b);

/* GPU fidelity (reports/calib_report.c): the H200 calibration, its validation on the held-out set,
 * and the replay of Hugging Face's MiniMax against its measured run. */
void rep_calib_md(struct arc_buf *b);

#endif
