/* arclight cycle engine: a discrete-event simulation of one chip of a low-energy (le) or spiking
 * (snn) design, replaying a trace tile by tile and chunk by chunk through its DMA engine, SRAM
 * banks, matrix array or cores, vector unit, spike mesh and links (sim/cycle/cycle.c says how).
 *
 * For: `arclight sim --engine cycle`, where the analytical cost engine's max-of-terms model is in
 * doubt (fill and drain, double buffering, units waiting on each other), and the per-unit
 * utilisation and timeline that only a simulation gives. It fills the same struct arc_result as
 * the cost engine (plus cycles and per-unit utilisation), so reports and the CLI work unchanged.
 * Not for: GPUs (it refuses them with ARC_EINPUT), or sweeps of thousands of design points (the
 * cost engine is a thousand times faster). */
#ifndef ARCLIGHT_CYCLE_H
#define ARCLIGHT_CYCLE_H

#include "arclight/engine.h"

/* Simulates trace t on hw into r; visit (may be NULL) sees every op with its cost. With
 * timeline_path non-NULL also writes a Chrome/Perfetto trace-event JSON file there (atomically):
 * one complete event per op per unit it kept busy. */
int arc_cycle_run(const struct arc_trace *t, const struct arc_hw *hw, const char *timeline_path,
                  struct arc_result *r, arc_op_visitor visit, void *ctx);

/* The registry entry: run_trace is arc_cycle_run without a timeline; no fast path. */
extern const struct arc_engine arc_engine_cycle;

#endif
