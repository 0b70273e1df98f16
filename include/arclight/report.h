/* arclight report: the built-in study and its outputs.
 *
 * For: running the study (MiniMax-Text-01 at hybrid ratios 1/1, 1/8, 1/16, 1/32 and pure linear,
 * and the dense baseline, on a GPU node, prefill and decode, contexts 8K to 4M), setting the
 * claims about such models beside the model's own figures, and writing report.md, the numbers as
 * CSV and JSON, and gnuplot plots (PNG with their .gp and .dat files).
 * Not for: the engines (engine.h). Outputs are written whole or not at all. */
#ifndef ARCLIGHT_REPORT_H
#define ARCLIGHT_REPORT_H

#include "arclight/engine.h"

/* One point of the study. */
struct arc_study_point {
    int variant;              /* index into the study's variants */
    struct arc_workload wl;
    struct arc_result r;
    double attn_core_s;       /* softmax_attn + lightning_attn ops (the mixers, no projections) */
    double softmax_core_s, lightning_core_s;
    double ffn_s;             /* moe_ffn + dense_ffn blocks */
};

struct arc_study_variant {
    char label[48];           /* e.g. "hybrid 1/8" */
    char model[64];           /* built-in model name */
    int softmax_every;        /* -1 = the model's own pattern */
    struct arc_model m;
};

#define ARC_STUDY_MAX_VARIANTS 8
#define ARC_STUDY_MAX_CTX 16

/* The hardware comparison: MiniMax-Text-01 on the GPU node and on the le-* and snn-* presets,
 * each mapped onto the fewest of its devices that hold the model (arc_map_fit). */
#define ARC_COMPARE_MAX_HW 8
struct arc_compare_point {
    int hw;                   /* index into the comparison's hardware */
    int fits;                 /* a mapping within the hardware's devices holds the model */
    struct arc_workload wl;   /* the mapping found */
    struct arc_result r;
};

struct arc_study {
    char hw_name[64];
    struct arc_hw hw;
    int tp, ep, devices;
    int64_t batch_decode, batch_prefill;
    struct arc_study_variant variants[ARC_STUDY_MAX_VARIANTS];
    int n_variants;
    int64_t ctx[ARC_STUDY_MAX_CTX];
    int n_ctx;
    struct arc_study_point *points; /* (n_variants x ARC_PHASE_COUNT x n_ctx) */
    int n_points;
    /* the hardware comparison */
    struct arc_hw cmp_hw[ARC_COMPARE_MAX_HW];
    enum arc_dtype cmp_dtype[ARC_COMPARE_MAX_HW]; /* the weight dtype each design computes in */
    int n_cmp_hw;
    struct arc_compare_point *cmp;  /* (n_cmp_hw x ARC_PHASE_COUNT x n_ctx) */
    struct arc_compare_point cmp_batch[ARC_COMPARE_MAX_HW]; /* decode at 8K with batch cmp_batch_size */
    struct arc_result cmp_cycle[ARC_COMPARE_MAX_HW]; /* the cycle engine on the 8K decode point (accelerators) */
    int cmp_cycle_ok[ARC_COMPARE_MAX_HW];
    int64_t cmp_batch_size;
};
const struct arc_compare_point *arc_compare_at(const struct arc_study *s, int hw, enum arc_phase ph,
                                               int ctx_index);

/* Sets up the built-in study on hw_name and runs every point through the cost engine. */
int arc_study_run_builtin(const char *hw_name, struct arc_study *s);
void arc_study_free(struct arc_study *s);
const struct arc_study_point *arc_study_at(const struct arc_study *s, int variant,
                                           enum arc_phase ph, int ctx_index);

/* Writes the whole report into dir (created if missing): report.md, study.csv, study.json,
 * claims.csv, and the plots with their .gp and .dat files. gnuplot draws the PNGs. */
int arc_report_write(const struct arc_study *s, const char *dir);
/* Generates the lightning unit's designs into dir/rtl-area/ and synthesizes each with Yosys, the
 * state banks kept as memories (arc_rtl_area_keep; seconds of CPU each), writing
 * dir/rtl-area/area.csv, which arc_report_write shows while the designs are unchanged, and the
 * logic-area fit over them as dir/rtl-area/lightning-unit.json, the form of the built-in
 * sim/area/lightning-unit.json (reports/unit_area.c). ARC_ETOOL when yosys fails. */
int arc_report_unit_area(const char *dir);

/* A claim from the seed interview, with the model's figure beside it. */
struct arc_claim {
    const char *statement;  /* as said */
    char figure[160];       /* what the model gives */
    char assumptions[400];  /* how the figure was computed */
    int agrees;             /* 1 agrees, 0 disagrees */
    char why[400];          /* the reason where it disagrees, or the margin where it agrees */
};
#define ARC_CLAIMS_MAX 8
int arc_claims_eval(const struct arc_study *s, struct arc_claim *c, int max);

#endif
