/* arclight SystemC engine (--engine systemc): a SystemC 2.3 TLM-2.0 model of one le chip, run as
 * a separate program (arclight-systemc, sim/systemc/) because a SystemC kernel elaborates and
 * runs only once per process and the library is called many times per process.
 *
 * For: an independent timing model of the le chip in TLM, checked against the cycle engine. It
 * fills the same struct arc_result (with cycles and unit utilisation) as the cycle engine.
 * Not for: gpu or snn hardware (refused with ARC_EINPUT naming HWFILE:kind), or sweeps (each run
 * starts a process and writes two temporary files). */
#ifndef ARCLIGHT_SYSTEMC_H
#define ARCLIGHT_SYSTEMC_H

#include "arclight/engine.h"

/* The program the engine runs: $ARCLIGHT_SYSTEMC when set (and then only it), else
 * arclight-systemc next to the running executable, else the one this build made. Copies its
 * path into buf (n bytes); ARC_EINPUT with a one-line message when there is none. */
int arc_systemc_tool(char *buf, size_t n);

/* The registry entry; run_trace writes t and hw to a temporary directory, runs the program and
 * reads its result back (the directory is removed on every path). No fast path. */
extern const struct arc_engine arc_engine_systemc;

#endif
