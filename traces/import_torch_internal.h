/* arclight trace import, internal: what a PyTorch aten op's recorded inputs imply
 * (import_torch_ops.c), for the Kineto reader that links kernels to their ops (import_torch.c).
 * Not for: use outside traces/ (the interface is include/arclight/trace_import.h). */
#ifndef ARCLIGHT_IMPORT_TORCH_INTERNAL_H
#define ARCLIGHT_IMPORT_TORCH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "arclight/trace.h"

#define ARC_TORCH_DIMS 8                         /* dims kept per tensor (the last; leading ones fold into the first) */
#define ARC_TORCH_INPUTS 16                      /* tensor inputs kept per op */
#define ARC_TORCH_SHAPE_MAX (INT64_C(1) << 40)   /* the trace reader's bound on shape fields */

/* An element type: what one element of a tensor takes and computes in. */
struct arc_torch_elem {
    int bytes;                    /* per element; 0: unknown */
    uint8_t dt;                   /* enum arc_dtype a row on it computes in */
};

/* One tensor input of an op, from args "Input Dims" and "Input type". */
struct arc_torch_ten {
    int arg;                      /* argument position */
    int rank;                     /* dims kept, <= ARC_TORCH_DIMS */
    int64_t dim[ARC_TORCH_DIMS];  /* elements */
    double elems;                 /* all elements (TensorList: of all its tensors) */
    int tensors;                  /* TensorList: how many; a tensor: 1 */
    int bytes;                    /* per element (TensorList: as arc_torch_op_read_ was told) */
    uint8_t dt;                   /* enum arc_dtype a row on it computes in */
    bool list, integer;           /* a TensorList; an integer or bool dtype */
};

/* A cpu_op event: its name without "aten::", its tensor inputs, its concrete (scalar) inputs. */
struct arc_torch_op {
    const char *name;
    struct arc_torch_ten in[ARC_TORCH_INPUTS]; /* (n) in argument order */
    int n;
    const cJSON *concrete;        /* args "Concrete Inputs": strings, "" for tensors */
};

/* Reads cpu_op event e (traceEvents[ev] of path); its TensorLists' elements are list (Kineto
 * records a list's shapes, not its dtype: see import_torch_ops.c). Sizes out of [0, 2^40] are
 * ARC_EINPUT. */
int arc_torch_op_read_(const char *path, int ev, const cJSON *e, struct arc_torch_elem list,
                       struct arc_torch_op *c);
/* The element of the TensorLists of the op that ran kernel, when its name gives it (ATen's cat
 * and foreach kernels); else bytes 0. */
struct arc_torch_elem arc_torch_kernel_elem_(const char *kernel);
/* The tensor input at argument position a, or NULL. */
const struct arc_torch_ten *arc_torch_op_arg_(const struct arc_torch_op *c, int a);
/* Sets o's op kind, dtype, shapes, flop and bytes: what c implies (import_torch_ops.c). */
void arc_torch_op_work_(const struct arc_torch_op *c, struct arc_op_rec *o);

#endif
