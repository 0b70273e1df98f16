/* arclight plots: gnuplot scripts and their runs, for the report module only.
 * Not for: deciding what to plot (reports/report.c). gnuplot is started with an argument list in
 * the output directory; the .gp and .dat files stay beside the PNG so a reader can redraw them. */
#ifndef ARCLIGHT_REPORTS_PLOT_H
#define ARCLIGHT_REPORTS_PLOT_H

#include "arclight/fsutil.h"

/* Writes the common head of a script: PNG terminal of w x h pixels to stem.png, grid, key. */
void plot_begin(struct arc_buf *gp, const char *stem, int w, int h);
/* set xtics for powers of two from lo to hi tokens, labelled 8K, 16K, ..., 4M */
void plot_ctx_axis(struct arc_buf *gp, long long lo, long long hi);
/* Runs gnuplot on dir/stem.gp; gnuplot's own messages go to dir/stem.log, removed on success. */
int plot_render(const char *dir, const char *stem);
/* A number for a .dat file: %.9g, or NaN (gnuplot skips it) when x is not finite. */
void plot_num(struct arc_buf *b, double x);

#endif
