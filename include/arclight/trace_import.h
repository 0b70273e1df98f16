/* arclight trace import: a measured run, as an arclight trace of the GPU kernels it ran.
 *
 * For: turning a PyTorch profiler capture (Kineto's Chrome trace JSON, as
 * torch.profiler.profile(activities=[CPU, CUDA], record_shapes=True).export_chrome_trace() writes
 * it) into the v1 trace of traces/FORMAT.md: one row per GPU kernel, memcpy and memset, in start
 * order, each with the work its CPU-side aten op's shapes give it, and the measured durations
 * beside them so a replay on any hardware can be set against what the GPU did. The mapping rules
 * are in traces/import_torch.c's opening comment and FORMAT.md's "Imported traces".
 * Not for: building traces from a model (workload.h), costing them (engine.h), or printing. */
#ifndef ARCLIGHT_TRACE_IMPORT_H
#define ARCLIGHT_TRACE_IMPORT_H

#include <stdint.h>

#include "arclight/trace.h"

/* What the header cannot learn from the profile, or overrides of what it infers. */
struct arc_torch_opts {
    const char *model;      /* [A-Za-z0-9._-], < 64 chars; NULL: the profile's base name, sanitized */
    const char *pattern;    /* layer pattern; NULL: "L", the placeholder of FORMAT.md's Imported traces */
    int phase;              /* enum arc_phase, or -1: inferred (aten::embedding's ids, else attention) */
    int64_t batch, ctx;     /* sequences, tokens; 0: inferred as phase is */
    int tp, ep, pp, devices;/* 0: 1, 1, 1, max(tp, ep) x pp */
    int chunk;              /* lightning block, tokens; 0: 256 (no imported row uses it) */
    int dtype;              /* enum arc_dtype (not fp32), or -1: the GEMM weights' dtype */
};
void arc_torch_opts_init(struct arc_torch_opts *o);

/* What was imported, and the measured time. Durations are the profile's, in seconds. */
struct arc_torch_summary {
    int kernels, memcpys, memsets; /* GPU events ("cat": "kernel", "gpu_memcpy", "gpu_memset"): one row each */
    int unattributed;              /* kernels whose External id and correlation name no CPU op */
    int aux;                       /* an op's kernels after its longest: rows without work */
    int lists_assumed;             /* rows with a TensorList no kernel name sized (FORMAT.md, Imported traces) */
    int list_bytes_assumed;        /* the element size those lists took: the profile's dominant dtype's */
    double kernel_s;               /* sum of the kernels' durations */
    double span_s;                 /* first kernel start to last kernel end */
    double memcpy_s, memset_s;     /* sums of their durations */
    int count[ARC_OP_COUNT];       /* rows per op kind (every GPU event) */
    double time_s[ARC_OP_COUNT];   /* their measured durations, summed */
    char inferred[64];             /* header fields taken from the profile: "phase batch ctx dtype" */
};

/* Reads path (plain JSON) into t (arc_trace_init'd here) and s. Bad input (not JSON, no
 * traceEvents, no kernels, a GPU event without a duration >= 0, ...) is ARC_EINPUT with one line
 * naming FILE:FIELD; t is then empty. The trace passes arc_trace_check. */
int arc_trace_import_torch(const char *path, const struct arc_torch_opts *o, struct arc_trace *t,
                           struct arc_torch_summary *s);

#endif
