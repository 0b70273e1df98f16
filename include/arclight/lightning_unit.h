/* arclight lightning unit: the timing model of the generated lightning RTL (codegen/verilog/),
 * shared by the Verilator benches (rtl/) and the cycle engine (sim/cycle/), so that the simulator
 * and the RTL agree by construction (STYLE #16).
 *
 * The unit (codegen/verilog/verilog.c documents it) works head after head. Per head it takes the
 * head's inputs in beats of L words per vector (q, k and v side by side, one beat a cycle), then
 * runs passes: a pass of R rows x G column groups x K inner steps issues one multiply-accumulate
 * per lane per cycle for R x G x K cycles, and the results of its last issue are written
 * ARC_LU_MAC_STAGES cycles later (the RAM read register; the multiply, add, round and saturate are
 * one stage after it), before the next pass may start.
 *   decode (one token): beats D/L; one pass R 1, G D/L, K D (S updated and q S accumulated in the
 *     same pass).
 *   chunk (one block of C tokens): beats C D/L; four passes: P = Q K^T (C, C/L, D), I = Q S
 *     (C, D/L, D), O = Pm V + lambda^(i+1) I (C, D/L, C), S = lambda^C S + Kd^T V (D, D/L, C).
 *     The masked (upper) half of P and Pm V is computed and discarded: a design choice that keeps
 *     one address pattern per pass.
 * Cycles are counted from the rising edge that samples `start` high (not counted) to the edge after
 * which `done` is high (counted): H x (beats + sum over passes of (R G K + ARC_LU_MAC_STAGES)).
 * The cycle engine (sim/cycle/ops.c) and the cost engine (sim/cost/accel.c) run a recurrent
 * lightning decode op on an le design's unit (hardware field lightning_unit.lanes) for
 * arc_lu_op_cycles, when its states stay on chip.
 * Not for: energy or area (the cycle engine and Yosys give those). */
#ifndef ARCLIGHT_LIGHTNING_UNIT_H
#define ARCLIGHT_LIGHTNING_UNIT_H

#include <stdint.h>

#include "arclight/hw.h"
#include "arclight/trace.h"

/* pipeline stages between a pass's last issue and its last write-back (design choice, see above) */
#define ARC_LU_MAC_STAGES 1

/* Checks a unit's shape: D, L, C powers of two, 2 <= L <= D / 2 (and L <= C / 2 for a chunk;
 * C 0 means the decode unit), H >= 1. Returns 0, or -1 with the one-line error set naming the
 * option (--dim, --lanes, --chunk, --heads). */
int arc_lu_check(int D, int L, int H, int C);
/* Cycles of one decode step over H heads (D head dimension, L lanes) */
int64_t arc_lu_decode_cycles(int D, int L, int H);
/* Cycles of one block of C tokens over H heads */
int64_t arc_lu_chunk_cycles(int D, int L, int H, int C);
/* Cycles of trace op o on hw's lightning unit: a recurrent lightning decode op (seq_q 1) on an le
 * design with lightning_unit.lanes > 0 and a head dimension the unit takes (arc_lu_check), as
 * batch x heads head-steps in one call: arc_lu_decode_cycles(head_dim, lanes, batch x heads).
 * -1 when the op does not run on the unit (then it stays on the vector unit). */
int64_t arc_lu_op_cycles(const struct arc_hw *hw, const struct arc_op_rec *o);

#endif
