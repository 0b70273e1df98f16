/* arclight trace: the ordered list of ops one device runs for one step of a workload.
 *
 * For: the in-memory trace, and its on-disk form, a versioned CSV specified in traces/FORMAT.md
 * (write -> read -> write is byte-identical; a truncated or edited file is refused). Every op
 * carries its shapes, dtype, FLOPs and the bytes it moves per memory class.
 * Not for: building traces from a model (workload.h) or costing them (engine.h). */
#ifndef ARCLIGHT_TRACE_H
#define ARCLIGHT_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "arclight/common.h"
#include "arclight/workload.h"

/* ORDER OP: trace.c op_info_ */
enum arc_op {
    ARC_OP_EMBED,          /* token embedding gather */
    ARC_OP_NORM,           /* RMSNorm */
    ARC_OP_GEMM,           /* dense matmul: m x k times k x n */
    ARC_OP_GROUPED_GEMM,   /* MoE experts: m token-expert rows over `groups` experts */
    ARC_OP_ROPE,           /* rotary embedding on q and k */
    ARC_OP_SOFTMAX_ATTN,   /* fused softmax attention (flash prefill, flash-decoding) */
    ARC_OP_LIGHTNING_ATTN, /* fused lightning attention (chunked prefill, recurrent decode) */
    ARC_OP_ELEMENTWISE,    /* activations, gates, residual adds, routing top-k */
    ARC_OP_ALLREDUCE,      /* collective over `ranks` devices */
    ARC_OP_ALLTOALL,
    ARC_OP_ALLGATHER,
    ARC_OP_SEND,           /* point-to-point: activations to the next pipeline stage */
    ARC_OP_ELEMENTWISE_STRIDED, /* elementwise over broadcast or strided operands, by a generic
                                 * (not vectorized) kernel; imported traces (PyTorch's elementwise_kernel) */
    ARC_OP_COUNT
};

/* Which part of the model an op belongs to. ORDER BLOCK: trace.c block_names_ */
enum arc_block {
    ARC_BLOCK_SOFTMAX_ATTN,   /* a softmax layer's attention block, projections included */
    ARC_BLOCK_LIGHTNING_ATTN, /* a lightning layer's attention block, projections included */
    ARC_BLOCK_MOE_FFN,
    ARC_BLOCK_DENSE_FFN,
    ARC_BLOCK_OTHER,          /* embedding, final norm, LM head, pipeline sends */
    ARC_BLOCK_COUNT
};

/* Memory classes an op's bytes belong to. ORDER MEM: trace.c mem_names_ */
enum arc_mem {
    ARC_MEM_WEIGHT,
    ARC_MEM_ACT,   /* activations */
    ARC_MEM_KV,    /* softmax layers' KV cache */
    ARC_MEM_STATE, /* lightning layers' recurrent state (fp32) */
    ARC_MEM_COUNT
};

/* How an op uses the machine, for the engines. */
enum arc_unit {
    ARC_UNIT_MATRIX, /* tensor cores / matrix array: GEMMs */
    ARC_UNIT_ATTN,   /* fused attention kernels */
    ARC_UNIT_VECTOR, /* vector / CUDA cores: norms, elementwise, recurrent decode update */
    ARC_UNIT_LINK,   /* chip-to-chip links: collectives */
    ARC_UNIT_COUNT
};

struct arc_op_info {
    const char *name; /* as written in the trace's op column */
    enum arc_unit unit;
};
const struct arc_op_info *arc_op_info(enum arc_op op);
const char *arc_block_name(enum arc_block b);
const char *arc_mem_name(enum arc_mem m);
const char *arc_unit_name(enum arc_unit u);

#define ARC_OP_NAME_MAX 24

/* One op, one row of the CSV. Shape fields an op does not use are 0. */
struct arc_op_rec {
    int32_t layer;               /* model layer, -1 before the first, n_layers after the last */
    uint8_t op;                  /* enum arc_op */
    uint8_t block;               /* enum arc_block */
    uint8_t dtype;               /* enum arc_dtype the op computes in */
    char name[ARC_OP_NAME_MAX];  /* e.g. "qkv_proj"; [a-z0-9_] */
    int64_t m, n, k;             /* GEMM: (m x k) x (k x n); grouped: m rows over all groups */
    int64_t groups;              /* grouped GEMM: experts holding rows on this device */
    int64_t batch;               /* attention: sequences */
    int64_t heads, kv_heads;     /* attention: heads on this device */
    int64_t head_dim;
    int64_t seq_q, seq_kv;       /* attention: query tokens per sequence, keys attended */
    int64_t chunk;               /* lightning prefill block size */
    int64_t ranks;               /* collectives: devices in the group */
    uint64_t flop;               /* floating-point operations (an FMA is 2) */
    uint64_t bytes[ARC_MEM_COUNT]; /* bytes read + written per memory class */
    uint64_t link_bytes;         /* collectives: bytes this device sends */
};

/* The unit an op runs on: the op's own, except recurrent (decode) lightning attention, which is
 * elementwise work on the state (seq_q == 1) and so runs on the vector unit. */
enum arc_unit arc_op_unit(const struct arc_op_rec *o);

struct arc_trace {
    /* header: what produced the ops */
    char model[64];
    char pattern[ARC_MAX_LAYERS + 1]; /* 'S' / 'L' per layer */
    struct arc_workload wl;
    /* per-device memory footprint, so a replay can check capacity */
    uint64_t mem_weight_bytes, mem_kv_bytes, mem_state_bytes;
    struct arc_op_rec *ops; /* (n_ops) */
    int n_ops, cap_ops;
};

void arc_trace_init(struct arc_trace *t);
void arc_trace_free(struct arc_trace *t);
struct arc_op_rec *arc_trace_push(struct arc_trace *t);

/* Writes the CSV (FORMAT.md) to a memory buffer (malloc'd, *len bytes). */
int arc_trace_format(const struct arc_trace *t, char **out, size_t *len);
/* Writes the CSV to path atomically, or to stdout when path is "-". */
int arc_trace_write(const struct arc_trace *t, const char *path);
/* Reads and checks a trace file. Any damage is an error naming FILE:LINE:FIELD. */
int arc_trace_read(const char *path, struct arc_trace *t);
/* Checks an in-memory trace's internal consistency (FLOPs match shapes, fields in range). */
int arc_trace_check(const struct arc_trace *t, const char *file);

#endif
