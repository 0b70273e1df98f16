/* Rule: the per-op table never overflows: a trace with more distinct roles (block, name) than
 * ARC_OP_TABLE_MAX (an imported PyTorch profile has one per aten op) keeps the first
 * ARC_OP_TABLE_MAX - 1 roles and folds every further op into a last row named more_ops, and no op
 * is lost: the counts and times sum to the whole trace's.
 * Not for: how ops are costed (test_energy_model.c). */
#include <stdio.h>

#include "arclight/engine.h"
#include "arclight/hw.h"
#include "check.h"

int main(void)
{
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load("h200-sxm", &hw));
    struct arc_op_table *tab = arc_xcalloc(1, sizeof *tab);
    struct arc_op_cost c;
    double total_s = 0;
    enum { N = 3 * ARC_OP_TABLE_MAX };
    for (int i = 0; i < N; i++) {
        struct arc_op_rec o = {.op = ARC_OP_ELEMENTWISE, .block = ARC_BLOCK_OTHER, .dtype = ARC_DTYPE_BF16,
                               .m = 1 + i, .n = 1024, .k = 1024};
        snprintf(o.name, sizeof o.name, "role_%d", i % (2 * ARC_OP_TABLE_MAX));
        o.flop = (uint64_t)o.m * 1024;
        o.bytes[ARC_MEM_ACT] = (uint64_t)o.m * 1024 * 4;
        arc_cost_op(&o, &hw, &c);
        arc_op_table_visit(tab, &o, 1, &c);
        total_s += c.time_s;
    }
    CHECK_EQ_I(tab->n, ARC_OP_TABLE_MAX);
    CHECK(strcmp(tab->rows[ARC_OP_TABLE_MAX - 1].op.name, "more_ops") == 0);
    CHECK(strcmp(tab->rows[0].op.name, "role_0") == 0);
    double count = 0, time_s = 0;
    for (int i = 0; i < tab->n; i++)
        count += tab->rows[i].count, time_s += tab->rows[i].time_s;
    CHECK_CLOSE(count, N, 0);
    CHECK_CLOSE(time_s, total_s, 1e-12);
    CHECK_CLOSE(tab->rows[0].count, 2, 0); /* role_0 at i = 0 and i = 128 */
    free(tab);
    return check_done("test_op_table_folds_extra_roles", "");
}
