/* arclight RTL area: a generated design through Yosys's generic synthesis, counted and priced.
 *
 * For: the area of the lightning unit the verilog back end emits. Yosys (`read_verilog; synth
 * -top; stat`, generic cells, no liberty file) maps the design to its internal gates ($_AND_,
 * $_MUX_, $_DFF_P_, ...); memories become flip-flops and multiplexers (no RAM macros), so the
 * figure is an upper bound for a design whose banks would be SRAM macros. Each cell is priced at
 * the area of its nearest NanGate FreePDK45 Open Cell Library X1 cell (rtl_area.c lists them), so
 * the estimate is in 45 nm um^2; include/arclight/area.h carries it to other processes.
 * arc_rtl_area_keep leaves chosen memories as memories instead (RAM macros: the lightning unit's
 * state banks), counts their bits, and prices only the rest: the unit's logic, which is what the
 * le designs' area model fits (sim/area/lightning-unit.json).
 * Not for: timing, power, or a real standard-cell flow (no place and route, no wires). */
#ifndef ARCLIGHT_RTL_AREA_H
#define ARCLIGHT_RTL_AREA_H

#include <stdint.h>

#define ARC_RTL_AREA_TYPES 48

struct arc_rtl_area {
    int64_t cells;                      /* all cells but kept memories */
    int64_t flip_flops;                 /* cells whose type is a flip-flop ($_DFF*, $_SDFF*, ...) */
    int64_t memories;                   /* memories left as memories (0 after synth; the kept ones) */
    int64_t mem_bits;                   /* bits of the kept memories (words x width) */
    double area_um2;                    /* sum of each priced cell's area (45 nm), kept memories not included */
    char yosys[64];                     /* the Yosys version line, e.g. "Yosys 0.23 (git sha1 7ce5011c24b)" */
    int n_types;
    char type[ARC_RTL_AREA_TYPES][32];  /* (n_types) Yosys cell type, e.g. "$_MUX_" */
    int64_t count[ARC_RTL_AREA_TYPES];  /* (n_types) cells of that type */
    double type_um2[ARC_RTL_AREA_TYPES]; /* (n_types) area of one such cell */
};

/* Runs yosys (PATH) on design (a .v file) with top module top, its log in log_path, and fills a.
 * ARC_ETOOL when yosys is missing or fails; ARC_EINPUT for a cell type with no price. */
int arc_rtl_area(const char *design, const char *top, const char *log_path, struct arc_rtl_area *a);
/* As arc_rtl_area, but the memories whose names match keep (a Yosys name pattern such as "*.sm",
 * matched against "top/lane[0].sm") stay memories: `synth`'s script runs with memory_map limited to
 * the other memories, the kept ones add their bits to mem_bits and nothing to cells or area_um2.
 * keep NULL is arc_rtl_area. */
int arc_rtl_area_keep(const char *design, const char *top, const char *keep, const char *log_path,
                      struct arc_rtl_area *a);

#endif
