/* arclight hardware: a machine's figures, each with its source.
 *
 * For: loading sim/hw/NAME.json (built in) or a user's file, where a file may name a "preset" and
 * override any figure (STYLE #6); reading and setting figures by their JSON path (sweeps); the
 * source of every figure. A figure is a number, or {"value": x, "source": "..."}; the shipped
 * files give every figure a source. Every field is required after presets are applied.
 * Not for: costing (engine.h). */
#ifndef ARCLIGHT_HW_H
#define ARCLIGHT_HW_H

#include "arclight/common.h"

enum arc_hw_kind {
    ARC_HW_GPU, /* GPUs and GPU nodes */
    ARC_HW_KIND_COUNT
};

/* ORDER HWF: hw.c fields_ */
enum arc_hw_field {
    ARC_HWF_DEVICES,            /* devices in the machine */
    ARC_HWF_PROCESS_NM,         /* process node, nm (foundry marketing name) */
    ARC_HWF_DIE_AREA_MM2,       /* one device's die area */
    ARC_HWF_BF16_PEAK,          /* dense bf16 tensor peak, flop/s (datasheet) */
    ARC_HWF_BF16_GEMM,          /* achievable bf16 GEMM, flop/s */
    ARC_HWF_BF16_ATTN,          /* achievable fused attention, flop/s */
    ARC_HWF_FP8_PEAK,           /* dense fp8 tensor peak, flop/s; 0 = no fp8 */
    ARC_HWF_FP8_GEMM,           /* achievable fp8 GEMM, flop/s; 0 = no fp8 */
    ARC_HWF_FP32_VECTOR,        /* fp32 non-tensor peak, flop/s */
    ARC_HWF_MEM_CAPACITY,       /* device memory, bytes */
    ARC_HWF_MEM_BW,             /* device memory bandwidth, bytes/s (datasheet) */
    ARC_HWF_MEM_COPY_BW,        /* achievable copy bandwidth, read + write counted, bytes/s */
    ARC_HWF_LINK_BW,            /* chip-to-chip link, per direction, bytes/s (datasheet) */
    ARC_HWF_LINK_COLL_BW,       /* achieved collective bus bandwidth, bytes/s */
    ARC_HWF_LINK_LATENCY,       /* fixed cost of one collective, s */
    ARC_HWF_TDP,                /* board power limit, W */
    ARC_HWF_IDLE,               /* board power when idle, W */
    ARC_HWF_E_FLOP,             /* dynamic energy per bf16/fp32 flop, pJ */
    ARC_HWF_E_FLOP_FP8,         /* dynamic energy per fp8 flop, pJ */
    ARC_HWF_E_MEM,              /* dynamic energy per device-memory byte, pJ */
    ARC_HWF_E_LINK,             /* dynamic energy per link byte sent, pJ */
    ARC_HWF_KERNEL_OVERHEAD,    /* fixed cost of one kernel, s */
    ARC_HWF_COUNT
};

#define ARC_HW_SOURCE_MAX 320

struct arc_hw {
    char name[64];
    char description[128];
    char file[256];                                /* the file loaded last, for messages */
    enum arc_hw_kind kind;
    double f[ARC_HWF_COUNT];                       /* figures, units as in enum arc_hw_field */
    char source[ARC_HWF_COUNT][ARC_HW_SOURCE_MAX]; /* where each figure comes from */
};

struct arc_hw_field_info {
    const char *path; /* JSON path, e.g. "memory.copy_bw_bytes_per_s" */
    const char *unit;
    double lo, hi;    /* accepted range */
    int integer;      /* must be a whole number */
};
const struct arc_hw_field_info *arc_hw_field_info(enum arc_hw_field f);
/* Returns the field for a JSON path, or -1 */
int arc_hw_field_find(const char *path);

/* Loads a built-in by name or a file by path; presets are followed (at most 8 deep). */
int arc_hw_load(const char *name_or_path, struct arc_hw *hw);
/* Sets a figure by JSON path, checking its range; source may be NULL ("set by caller"). */
int arc_hw_set(struct arc_hw *hw, const char *path, double value, const char *source);

#endif
