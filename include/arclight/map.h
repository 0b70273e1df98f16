/* arclight mapping: choosing how a workload is spread over a machine's devices.
 *
 * For: "the fewest devices that hold the model", for designs whose chips are small (SRAM-only,
 * spiking) and for the report's comparison. Searches tensor, expert and pipeline degrees and
 * data-parallel replicas; among the mappings whose per-device footprint fits, takes the fewest
 * devices, then the lowest latency. Not for: costing (engine.h). */
#ifndef ARCLIGHT_MAP_H
#define ARCLIGHT_MAP_H

#include "arclight/engine.h"

/* w gives phase, batch, ctx, dtype and chunk; its tp, ep, pp and devices are replaced. Fails
 * with ARC_EINPUT when no mapping within the hardware's devices fits. r receives the chosen
 * mapping's result. */
int arc_map_fit(const struct arc_engine *e, const struct arc_model *m, const struct arc_hw *hw,
                struct arc_workload *w, struct arc_result *r);

#endif
