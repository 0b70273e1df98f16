/* Rule: an imported TensorList counts its elements at the size the op's kernel names. Kineto
 * writes a list's "Input type" as "TensorList", without its elements' dtype, so in
 * tests/data/torch-list-dtypes.json (four ops, each with the kernel a real capture shows for it):
 * an aten::cat of two fp32 1 x 2048 x 32 tensors (kernel CatArrayBatchedCopy<OpaqueType<4u>>)
 * counts 4 bytes an element read and written, an aten::cat of bf16 1 x 8 x 2066 x 64 and
 * 1 x 8 x 1 x 64 (CatArrayBatchedCopy_vectorized<OpaqueType<2u>>) 2, and an
 * aten::_foreach_add_ of two fp32 lists of 2 x 2^20 (multi_tensor_apply_kernel with
 * BinaryOpListAlphaFunctor<float, ...>) 4: both lists read, the first written. An
 * aten::_foreach_mul_ whose kernel name gives no type takes the dtype of the profile's most
 * elements (fp32 here, from the foreach_add_) and is counted in lists_assumed. An out-of-place
 * aten::_foreach_add of two fp32 lists of 2 x 512 writes a new list of 1024 elements (not one), and
 * an aten::cat(..., out=) of two fp32 2 x 16 tensors into a 4 x 16 one reads the list only.
 * Not for: the other mapping rules (tests/cli/torch_profile_import_counts_every_kernel.sh). */
#include <stdio.h>

#include "arclight/trace.h"
#include "arclight/trace_import.h"
#include "check.h"

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    char path[512];
    snprintf(path, sizeof path, "%s/torch-list-dtypes.json", argv[1]);
    struct arc_torch_opts opts;
    arc_torch_opts_init(&opts);
    opts.phase = ARC_PHASE_DECODE; /* no embedding, no attention: nothing to infer them from */
    opts.batch = 1;
    opts.ctx = 2066;
    struct arc_trace t;
    struct arc_torch_summary s;
    REQUIRE_OK(arc_trace_import_torch(path, &opts, &t, &s));
    REQUIRE(t.n_ops == 6);

    const double cat32 = 2.0 * 2048 * 32, cat16 = 8.0 * 2066 * 64 + 8.0 * 64, list = 2.0 * 1048576;
    const struct arc_op_rec *o = t.ops;
    CHECK_STREQ(o[0].name, "cat");
    CHECK_EQ_I(o[0].dtype, ARC_DTYPE_FP32);
    CHECK_EQ_U(o[0].bytes[ARC_MEM_ACT], (uint64_t)(cat32 * 4 + cat32 * 4)); /* in, out */
    CHECK_STREQ(o[1].name, "cat");
    CHECK_EQ_I(o[1].dtype, ARC_DTYPE_BF16);
    CHECK_EQ_U(o[1].bytes[ARC_MEM_ACT], (uint64_t)(cat16 * 2 + cat16 * 2));
    CHECK_STREQ(o[2].name, "foreach_add");
    CHECK_EQ_I(o[2].dtype, ARC_DTYPE_FP32);
    CHECK_EQ_U(o[2].bytes[ARC_MEM_ACT], (uint64_t)(2 * list * 4 + list * 4)); /* self, other in; self out */
    CHECK_STREQ(o[3].name, "foreach_mul");
    CHECK_EQ_I(o[3].dtype, ARC_DTYPE_FP32);
    CHECK_EQ_U(o[3].bytes[ARC_MEM_ACT], (uint64_t)(2 * 4096 * 4 + 2 * 4096 * 4));
    CHECK_STREQ(o[4].name, "foreach_add"); /* out of place: both lists read, a new list written */
    CHECK_EQ_I(o[4].dtype, ARC_DTYPE_FP32);
    CHECK_EQ_U(o[4].bytes[ARC_MEM_ACT], (uint64_t)(2 * 1024 * 4 + 1024 * 4));
    CHECK_EQ_U(o[4].m * o[4].n, 1024);
    CHECK_STREQ(o[5].name, "cat"); /* cat(..., out=): the out tensor is written, not read */
    CHECK_EQ_U(o[5].bytes[ARC_MEM_ACT], (uint64_t)(64 * 4 + 64 * 4));
    CHECK_EQ_I(s.lists_assumed, 1);
    CHECK_EQ_I(s.list_bytes_assumed, 4);
    arc_trace_free(&t);
    return check_done("test_torch_list_bytes_follow_the_kernel", "cat fp32 4 B, cat bf16 2 B, foreach fp32 4 B");
}
