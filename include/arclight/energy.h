/* arclight energy tables: energy per operation, per SRAM and DRAM access, per wire millimetre and
 * per off-chip bit, with the node scaling that carries them from 45 nm to a design's process.
 *
 * For: the low-energy and spiking accelerators' energy model. The figures live in
 * sim/energy/NAME.json, each with its source; this module reads them once (built in) and offers
 * lookups. Not for: GPUs, whose energies are measured at board level (sim/hw/). */
#ifndef ARCLIGHT_ENERGY_H
#define ARCLIGHT_ENERGY_H

#include "arclight/hw.h"

/* ORDER EOP: energy.c eop_names_ */
enum arc_eop {
    ARC_EOP_INT8_ADD,
    ARC_EOP_INT32_ADD,
    ARC_EOP_INT8_MULT,
    ARC_EOP_INT32_MULT,
    ARC_EOP_FP16_ADD,
    ARC_EOP_FP32_ADD,
    ARC_EOP_FP16_MULT,
    ARC_EOP_FP32_MULT,
    ARC_EOP_COUNT
};
const char *arc_eop_name(enum arc_eop op);

#define ARC_ENERGY_MAX_POINTS 16
#define ARC_ENERGY_SOURCE_MAX 400

struct arc_energy_table {
    double op_pj[ARC_EOP_COUNT];                 /* 45 nm, table Vdd */
    int n_sram;
    double sram_bytes[ARC_ENERGY_MAX_POINTS];    /* (n_sram) array size, ascending */
    double sram_pj64[ARC_ENERGY_MAX_POINTS];     /* (n_sram) pJ per 64-bit access at 45 nm */
    double dram_pj64_lo, dram_pj64_hi;           /* 45 nm DDR reference, pJ per 64 bits */
    double vdd_ref_v;                            /* the Vdd of the 45 nm figures */
    int n_nodes;
    double node_nm[ARC_ENERGY_MAX_POINTS];       /* (n_nodes) descending */
    double node_factor[ARC_ENERGY_MAX_POINTS];   /* (n_nodes) energy relative to 45 nm */
    double wire_pj_per_bit_mm;
    double offchip_pj_per_bit[ARC_OFFCHIP_COUNT]; /* none = 0 */
    double snn_ac_pj, snn_mac_pj;                /* 45 nm, the spiking papers' convention */
    /* sources, for reports */
    char op_src[ARC_EOP_COUNT][ARC_ENERGY_SOURCE_MAX];
    char sram_src[ARC_ENERGY_SOURCE_MAX], node_src[ARC_ENERGY_SOURCE_MAX];
    char wire_src[ARC_ENERGY_SOURCE_MAX], snn_src[ARC_ENERGY_SOURCE_MAX];
    char offchip_src[ARC_OFFCHIP_COUNT][ARC_ENERGY_SOURCE_MAX];
};

/* The built-in tables, read on first use (thread-safe). Fails only if a shipped file is bad. */
int arc_energy_table(const struct arc_energy_table **out);
/* Energy at node_nm relative to 45 nm, log-log interpolated between table nodes; -1 outside the
 * table's range. */
double arc_energy_node_factor(const struct arc_energy_table *t, double node_nm);
/* pJ per 64-bit access of an SRAM array of `bytes` at 45 nm, log-log interpolated (extrapolated
 * beyond the ends along the nearest segment). */
double arc_energy_sram_pj64(const struct arc_energy_table *t, double bytes);

/* Fills hw->d from the tables for an le or snn design (called by arc_hw_load and arc_hw_set). */
int arc_energy_derive(struct arc_hw *hw);

#endif
