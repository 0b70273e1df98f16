/* arclight lightning unit: the unit's cycle counts (include/arclight/lightning_unit.h says how
 * they come about). Not for: simulating anything; these are closed forms the RTL is checked
 * against cycle for cycle. */
#include "arclight/lightning_unit.h"

#include "arclight/common.h"

static int pow2_(int x) { return x > 0 && (x & (x - 1)) == 0; }

static int fits_(int D, int L, int C)
{
    return pow2_(D) && D >= 4 && pow2_(L) && L >= 2 && L <= D / 2 && (!C || (pow2_(C) && C >= 2 * L));
}

int arc_lu_check(int D, int L, int H, int C)
{
    if (fits_(D, L, C) && H >= 1)
        return ARC_OK;
    if (!pow2_(D) || D < 4)
        return arc_errorf(ARC_EINPUT, "--dim: expected a power of two of at least 4 for the verilog back end, got %d", D);
    if (!pow2_(L) || L < 2 || L > D / 2)
        return arc_errorf(ARC_EINPUT, "--lanes: expected a power of two in [2, --dim / 2 = %d], got %d", D / 2, L);
    if (C && (!pow2_(C) || C < 2 * L))
        return arc_errorf(ARC_EINPUT, "--chunk: expected a power of two of at least 2 x --lanes (%d), got %d", 2 * L, C);
    if (H < 1)
        return arc_errorf(ARC_EINPUT, "--heads: expected at least 1, got %d", H);
    return ARC_OK;
}

int64_t arc_lu_decode_cycles(int D, int L, int H)
{
    int64_t d = D, g = D / L;
    return (int64_t)H * (g + (g * d + ARC_LU_MAC_STAGES));
}

int64_t arc_lu_chunk_cycles(int D, int L, int H, int C)
{
    int64_t d = D, c = C, g = D / L, gc = C / L;
    int64_t beats = c * g;
    int64_t passes = (c * gc * d + ARC_LU_MAC_STAGES) + (c * g * d + ARC_LU_MAC_STAGES) +
                     (c * g * c + ARC_LU_MAC_STAGES) + (d * g * c + ARC_LU_MAC_STAGES);
    return (int64_t)H * (beats + passes);
}

int64_t arc_lu_op_cycles(const struct arc_hw *hw, const struct arc_op_rec *o)
{
    if (hw->kind != ARC_HW_LE || hw->f[ARC_HWF_LU_LANES] < 2 || o->op != ARC_OP_LIGHTNING_ATTN || o->seq_q != 1)
        return -1;
    int L = (int)hw->f[ARC_HWF_LU_LANES];
    if (o->head_dim > (1 << 20) || !fits_((int)o->head_dim, L, 0) || o->batch < 1 || o->heads < 1)
        return -1;
    int64_t heads = o->batch * o->heads;
    if (heads > INT32_MAX)
        return -1;
    return arc_lu_decode_cycles((int)o->head_dim, L, (int)heads);
}
