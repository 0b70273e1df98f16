/* arclight hardware: a machine's figures, each with its source.
 *
 * For: loading sim/hw/NAME.json (built in) or a user's file, where a file may name a "preset" and
 * override any figure (STYLE #6); reading and setting figures by their JSON path (sweeps); the
 * source of every figure. A figure is a number, or {"value": x, "source": "..."}; the shipped
 * files give every figure a source. Every field is required after presets are applied, but for the
 * optional ones (a part a design may lack, such as the lightning unit), which are then 0.
 * Not for: costing (engine.h). */
#ifndef ARCLIGHT_HW_H
#define ARCLIGHT_HW_H

#include "arclight/common.h"

struct arc_calib;

enum arc_hw_kind {
    ARC_HW_GPU, /* GPUs and GPU nodes: measured ceilings, board power (sim/cost/cost.c) */
    ARC_HW_LE,  /* low-energy accelerators: matrix array, SRAM, optional off-chip memory */
    ARC_HW_SNN, /* spiking-style accelerators: cores, synapses, a spike mesh */
    ARC_HW_KIND_COUNT
};
const char *arc_hw_kind_name(enum arc_hw_kind k);

/* ORDER HWF: hw.c fields_. Each field applies to some kinds; a file of one kind must give every
 * field of that kind (after presets) and none of another's. */
enum arc_hw_field {
    /* every kind */
    ARC_HWF_DEVICES,            /* devices (GPUs, chips) in the machine */
    ARC_HWF_PROCESS_NM,         /* process node, nm (foundry marketing name) */
    ARC_HWF_DIE_AREA_MM2,       /* one device's die area */
    ARC_HWF_LINK_BW,            /* chip-to-chip link, per direction, bytes/s */
    ARC_HWF_LINK_LATENCY,       /* fixed cost of one collective or send, s */
    ARC_HWF_E_LINK,             /* dynamic energy per link byte sent, pJ */
    ARC_HWF_KERNEL_OVERHEAD,    /* fixed cost of one kernel or op dispatch, s */
    /* gpu */
    ARC_HWF_BF16_PEAK,          /* dense bf16 tensor peak, flop/s (datasheet) */
    ARC_HWF_BF16_GEMM,          /* achievable bf16 GEMM, flop/s */
    ARC_HWF_BF16_ATTN,          /* achievable fused attention, flop/s */
    ARC_HWF_FP8_PEAK,           /* dense fp8 tensor peak, flop/s; 0 = no fp8 */
    ARC_HWF_FP8_GEMM,           /* achievable fp8 GEMM, flop/s; 0 = no fp8 */
    ARC_HWF_FP32_VECTOR,        /* fp32 non-tensor peak, flop/s */
    ARC_HWF_MEM_CAPACITY,       /* device memory, bytes */
    ARC_HWF_MEM_BW,             /* device memory bandwidth, bytes/s (datasheet) */
    ARC_HWF_MEM_COPY_BW,        /* achievable copy bandwidth, read + write counted, bytes/s */
    ARC_HWF_LINK_COLL_BW,       /* achieved collective bus bandwidth, bytes/s */
    ARC_HWF_TDP,                /* board power limit, W */
    ARC_HWF_IDLE,               /* board power when idle, W */
    ARC_HWF_E_FLOP,             /* dynamic energy per bf16/fp32 flop, pJ */
    ARC_HWF_E_FLOP_FP8,         /* dynamic energy per fp8 flop, pJ */
    ARC_HWF_E_MEM,              /* dynamic energy per device-memory byte, pJ */
    /* le and snn */
    ARC_HWF_CLOCK_HZ,           /* core clock */
    ARC_HWF_VDD_V,              /* supply; energies scale as (Vdd / table Vdd)^2 */
    ARC_HWF_STATIC_W,           /* power drawn whether or not the chip works (leakage, clocks, I/O), W per chip */
    ARC_HWF_VECTOR_LANES,       /* fp32 FMA lanes of the vector unit (2 flop each per cycle) */
    ARC_HWF_SRAM_CAPACITY,      /* on-chip SRAM, bytes per chip */
    ARC_HWF_SRAM_BANKS,         /* independent banks */
    ARC_HWF_SRAM_PORTS,         /* ports per bank */
    ARC_HWF_SRAM_PORT_BYTES,    /* bytes per port per cycle */
    ARC_HWF_SRAM_WIRE_MM,       /* mean wire length between SRAM and the compute units, mm */
    ARC_HWF_OFFCHIP_KIND,       /* none | hbm3e | lpddr5x (energy from sim/energy/offchip.json) */
    ARC_HWF_OFFCHIP_CAPACITY,   /* bytes per chip; 0 with none */
    ARC_HWF_OFFCHIP_BW,         /* bytes/s per chip; 0 with none */
    /* le */
    ARC_HWF_MATRIX_ROWS,        /* systolic array rows (the reduction dimension) */
    ARC_HWF_MATRIX_COLS,        /* systolic array columns */
    ARC_HWF_MATRIX_DTYPE,       /* int8 | bf16 (bf16 accumulates in fp32) */
    ARC_HWF_LU_LANES,           /* optional: lanes of a lightning unit (the generated RTL,
                                 * lightning_unit.h) that runs recurrent lightning decode; 0 = none */
    /* snn */
    ARC_HWF_SNN_CORES,          /* neuromorphic cores per chip */
    ARC_HWF_SNN_TIMESTEPS,      /* T: timesteps an activation is spread over */
    ARC_HWF_SNN_RATE_MATRIX,    /* firing rate of the inputs of linear layers, spikes per neuron per timestep */
    ARC_HWF_SNN_RATE_ATTN,      /* firing rate of q and k in attention */
    ARC_HWF_SNN_SYNOP_S,        /* synaptic operations per second per core */
    ARC_HWF_SNN_UPDATE_S,       /* neuron updates per second per core */
    ARC_HWF_SNN_MESH_W,         /* cores across the chip's mesh (the mesh is W x cores / W) */
    ARC_HWF_SNN_E_SYNOP,        /* pJ per synaptic operation at snn.energy_node_nm */
    ARC_HWF_SNN_E_NEURON,       /* pJ per neuron update */
    ARC_HWF_SNN_E_SPIKE,        /* pJ per spike sent out of a core */
    ARC_HWF_SNN_E_HOP,          /* pJ per spike per mesh hop */
    ARC_HWF_SNN_HOP_S,          /* time a router takes to pass one spike one hop, s */
    ARC_HWF_SNN_ENERGY_NODE,    /* node the snn energies were measured at, nm */
    ARC_HWF_SNN_ENERGY_VDD,     /* supply they were measured at, V */
    ARC_HWF_COUNT
};

enum arc_offchip { ARC_OFFCHIP_NONE, ARC_OFFCHIP_HBM3E, ARC_OFFCHIP_LPDDR5X, ARC_OFFCHIP_COUNT };

#define ARC_HW_SOURCE_MAX 320

/* le and snn: rates and energies derived from the figures and the energy tables (energy.h) */
struct arc_hw_derived {
    double scale;               /* node factor x (Vdd / table Vdd)^2: energy relative to 45 nm */
    double macs_per_s;          /* matrix array: rows x cols x clock */
    double vector_flops_per_s;  /* 2 x lanes x clock */
    double sram_bw_bytes_per_s; /* banks x ports x port bytes x clock */
    double sram_bank_bytes;     /* capacity / banks */
    double mac_pj;              /* one MAC of the matrix dtype: mult + fp32/int32 accumulate */
    double vec_flop_pj;         /* one fp32 flop: mean of add and mult */
    double fp32_mult_pj;        /* one fp32 multiply (snn: the decay floor's lambda S) */
    double sram_pj_per_byte;    /* one byte read or written, bank of sram_bank_bytes */
    double wire_pj_per_byte;    /* one byte over sram.wire_mm of wire */
    double offchip_pj_per_byte; /* one byte to or from off-chip memory (0 with none) */
    /* snn */
    double snn_scale;           /* energy at the process relative to snn.energy_node_nm */
    double synop_pj, neuron_pj, spike_pj, hop_pj; /* scaled to the process */
    double ac_pj, paper_mac_pj; /* the papers' E_AC and E_MAC, scaled to the process */
    double mean_hops;           /* mean hops of a spike on the W x H mesh: (W + H) / 3 */
};

struct arc_hw {
    char name[64];
    char description[128];
    char file[256];                                /* the file loaded last, for messages */
    uint64_t files_fnv;                            /* FNV-1a 64 over the FNV-1a 64 of each file's
                                                    * bytes (json.h), in load order: the file named,
                                                    * its preset, the preset's preset, ... */
    enum arc_hw_kind kind;
    double f[ARC_HWF_COUNT];                       /* figures, units as in enum arc_hw_field; a
                                                    * choice field holds its choice's index */
    char source[ARC_HWF_COUNT][ARC_HW_SOURCE_MAX]; /* where each figure comes from */
    struct arc_hw_derived d;                       /* le and snn only */
    /* gpu: the CUDA device name ("NVIDIA H200"), which calibrate checks the GPU against; "" if not given */
    char cuda_name[64];
    /* gpu: the file's "calibration" (a built-in name under sim/calib/ or a path; "none" or absent:
     * none), and that calibration once loaded (calib.h; shared and never freed), or NULL */
    char calib_name[256];
    const struct arc_calib *calib;
};

struct arc_hw_field_info {
    const char *path;    /* JSON path, e.g. "memory.copy_bw_bytes_per_s" */
    const char *unit;
    double lo, hi;       /* accepted range */
    int integer;         /* must be a whole number */
    unsigned kinds;      /* 1 << enum arc_hw_kind for each kind the field applies to */
    const char *choices; /* "a|b|c": the field is a string naming one; NULL for numbers */
    int optional;        /* may be left out: then 0, meaning the part is absent */
};
const struct arc_hw_field_info *arc_hw_field_info(enum arc_hw_field f);
/* Returns the field for a JSON path, or -1 */
int arc_hw_field_find(const char *path);
/* Whether field f applies to hw's kind */
int arc_hw_has(const struct arc_hw *hw, enum arc_hw_field f);
/* The name of a choice field's current value, e.g. "hbm3e" */
const char *arc_hw_choice(const struct arc_hw *hw, enum arc_hw_field f);
/* The index of name among choices "a|b|c", or -1 (a choice field's value, as the file names it) */
int arc_hw_choice_index(const char *choices, const char *name);

/* Loads a built-in by name or a file by path; presets are followed (at most 8 deep). */
int arc_hw_load(const char *name_or_path, struct arc_hw *hw);
/* Attaches the calibration name_or_path (calib.h) to a GPU, or detaches it with "none" or "";
 * a calibration measured on another GPU than hw's cuda_name is refused. */
int arc_hw_set_calib(struct arc_hw *hw, const char *name_or_path);
/* Sets a figure by JSON path, checking its range; source may be NULL ("set by caller"). */
int arc_hw_set(struct arc_hw *hw, const char *path, double value, const char *source);

#endif
