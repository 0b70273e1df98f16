/* arclight cost engine, internal: the accelerator half of the cost engine (sim/cost/accel.c),
 * called by the engine entry points in sim/cost/cost.c. Not for use outside sim/cost/. */
#ifndef ARCLIGHT_COST_INTERNAL_H
#define ARCLIGHT_COST_INTERNAL_H

#include "arclight/engine.h"

int arc_accel_run_trace_(const struct arc_trace *t, const struct arc_hw *hw, struct arc_result *r,
                         arc_op_visitor visit, void *ctx);
int arc_accel_run_model_(const struct arc_model *m, const struct arc_workload *w,
                         const struct arc_hw *hw, struct arc_result *r, arc_op_visitor visit,
                         void *ctx);

#endif
