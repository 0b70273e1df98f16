/* arclight area: an le design's area figure, its die plus the lightning unit it carries, at the
 * design's process node.
 *
 * For: the area sweeps (sim/sweep.c area_mm2), the report (reports/unit_area.c) and `arclight hw
 * area` give an le design. Two sourced data files, built in (sim/area/), read once:
 * - nodes.json: standard-cell logic area at a node relative to 45 nm (a factor per node), and the
 *   SRAM bit cell per node with the arrays' efficiency (bit cells / macro area);
 * - lightning-unit.json: the generated lightning decode unit's logic (datapath, control and the
 *   q, k, v buffers, everything but the state banks) at 45 nm as base + per_lane x lanes + per_dim
 *   x D, fitted to Yosys syntheses (`arclight report --rtl-area` writes the file it came from;
 *   arc_rtl_area_keep keeps the state banks as memories), with the designs it was fitted to and
 *   checked against.
 * The model. An le design without a unit is its die_area_mm2, exactly. With lightning_unit.lanes
 * L, the unit's logic at the node (fit at (L, D) x the node's logic factor) is added: it is new
 * silicon. The unit's state (H x D x D words) is not added: the engines run the unit only while the
 * states stay resident in the design's SRAM (sim/cost/accel.c), whose capacity the die area already
 * holds, so the state banks are that SRAM's; the state's SRAM area is given for reference only. D is
 * the head dimension the unit is built for: the engines run it at the model's (lightning_unit.h), so
 * sweeps pass the model's head_dim; `hw area` takes --dim.
 * Not for: GPUs or spiking designs (their die area is their figure), wires, floorplans or yield. */
#ifndef ARCLIGHT_AREA_H
#define ARCLIGHT_AREA_H

#include <stdint.h>

#include "arclight/hw.h"

#define ARC_AREA_MAX_POINTS 16
#define ARC_AREA_MAX_DESIGNS 32
#define ARC_AREA_SOURCE_MAX 400

/* one synthesized unit design of lightning-unit.json */
struct arc_area_design {
    int dim, lanes, heads;
    int fitted;              /* 1: in "designs" (the fit's); 0: in "checks" */
    int64_t cells;           /* logic cells (kept memories not counted) */
    int64_t flip_flops;
    int64_t state_bits;      /* the kept state banks: heads x dim x dim x word bits */
    double logic_um2;        /* 45 nm */
    char verilog_fnv1a64[17];
};

struct arc_area_table {
    char nodes_file[256], unit_file[256];            /* for messages */
    /* nodes.json */
    int n_logic;
    double logic_nm[ARC_AREA_MAX_POINTS];            /* (n_logic) descending, the first 45 */
    double logic_factor[ARC_AREA_MAX_POINTS];        /* (n_logic) logic area relative to 45 nm */
    char logic_src[ARC_AREA_MAX_POINTS][ARC_AREA_SOURCE_MAX];
    int n_cell;
    double cell_nm[ARC_AREA_MAX_POINTS];             /* (n_cell) descending */
    double cell_um2[ARC_AREA_MAX_POINTS];            /* (n_cell) 6T SRAM bit cell */
    char cell_src[ARC_AREA_MAX_POINTS][ARC_AREA_SOURCE_MAX];
    double sram_efficiency;                          /* bit cells' share of an SRAM macro's area */
    char efficiency_src[ARC_AREA_SOURCE_MAX];
    /* lightning-unit.json */
    char format[16];                                 /* the designs' number format, e.g. "fixed:16.8" */
    int word_bits;                                   /* its W: bits per state word */
    char yosys[64], command[160], flow[400];         /* provenance */
    double base_um2, per_lane_um2, per_dim_um2;      /* the logic fit at 45 nm */
    char fit_src[ARC_AREA_SOURCE_MAX];
    int n_designs;
    struct arc_area_design designs[ARC_AREA_MAX_DESIGNS]; /* (n_designs) fitted, then checks */
    double fit_max_rel_err;                          /* over the fitted designs: |fit - Yosys| / Yosys */
    double check_max_rel_err;                        /* over the checks */
};

/* The built-in tables, read on first use (thread-safe). Fails only if a shipped file is bad. */
int arc_area_table(const struct arc_area_table **out);
/* Reads the tables from nodes and unit: each a built-in name under sim/area/ or a .json path;
 * NULL means the built-in ("nodes", "lightning-unit"). Bad data is ARC_EINPUT, one line naming
 * FILE:FIELD and what was expected. */
int arc_area_table_load(const char *nodes, const char *unit, struct arc_area_table *t);

/* Logic area at node_nm relative to 45 nm, log-log interpolated; -1 outside the table */
double arc_area_logic_factor(const struct arc_area_table *t, double node_nm);
/* The 6T SRAM bit cell at node_nm, um^2, log-log interpolated; -1 outside the table */
double arc_area_bitcell_um2(const struct arc_area_table *t, double node_nm);
/* mm^2 of an SRAM of `bits` at node_nm: bits x bit cell / efficiency; -1 outside the table */
double arc_area_sram_mm2(const struct arc_area_table *t, double node_nm, double bits);
/* The unit's logic at 45 nm, um^2: the fit at (dim, lanes) */
double arc_area_unit_logic_um2(const struct arc_area_table *t, int dim, int lanes);

/* An le design's area, piece by piece (mm^2, one device) */
struct arc_le_area {
    double die_mm2;               /* die_area_mm2 of the hardware file */
    int lanes, dim;               /* the unit; lanes 0 = none (then only die_mm2 and total_mm2) */
    double node_nm;
    double logic_factor;          /* 45 nm -> node */
    double unit_logic_45nm_mm2;   /* the fit */
    double unit_logic_mm2;        /* at the node: added to the die */
    double state_bits_per_head;   /* dim x dim x word bits, held in the design's SRAM */
    double state_mm2_per_head;    /* that SRAM's area at the node; inside die_mm2, not added */
    double sram_mm2;              /* the design's whole SRAM (sram.capacity_bytes) at the node;
                                   * inside die_mm2, for reference */
    double total_mm2;             /* die_mm2 + unit_logic_mm2 */
};
/* Fills a for hw (any kind: a GPU or spiking design, or an le design without a unit, is its die
 * area) with the unit built for head dimension dim. ARC_EINPUT when the unit's node is outside
 * the tables or dim < 1. */
int arc_area_le(const struct arc_area_table *t, const struct arc_hw *hw, int dim, struct arc_le_area *a);
/* One device's area with the built-in tables: arc_area_le's total_mm2 */
int arc_area_device_mm2(const struct arc_hw *hw, int dim, double *mm2);

#endif
