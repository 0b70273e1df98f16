/* Rule: hardware must leave power headroom. The cost engine divides an op's dynamic energy by
 * (TDP - idle) to get its power-bound time, so a hardware file whose idle power reaches its TDP is
 * refused when loaded (as one above it is), rather than giving infinite or NaN latencies; every
 * built-in file leaves headroom and costs a real op to a finite time.
 * Not for: the other figures' ranges (test_hw_files.c). */
#include "arclight/engine.h"
#include "check.h"

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    char path[4096];
    snprintf(path, sizeof path, "%s/hw-idle-at-tdp.json", argv[1]);
    struct arc_hw hw;
    int st = arc_hw_load(path, &hw);
    CHECK_MSG(st == ARC_EINPUT, "idle 700 W = TDP 700 W accepted (status %d)", st);
    if (st == ARC_EINPUT)
        CHECK_HAS(arc_error(), "idle_w");
    if (st == ARC_OK) {
        /* what accepting it leads to */
        struct arc_op_rec o = {.op = ARC_OP_GEMM, .dtype = ARC_DTYPE_BF16, .m = 1, .n = 1024, .k = 1024,
                               .flop = 2 * 1024 * 1024};
        o.bytes[ARC_MEM_WEIGHT] = 2 * 1024 * 1024;
        struct arc_op_cost c;
        arc_cost_op(&o, &hw, &c);
        CHECK_MSG(isfinite(c.time_s), "a 1x1024x1024 GEMM takes %g s", c.time_s);
    }

    for (const struct arc_builtin *b = arc_builtins; b->path; b++) {
        if (strncmp(b->path, "sim/hw/", 7) != 0)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(strlen(b->path) - 12), b->path + 7);
        REQUIRE_OK(arc_hw_load(name, &hw));
        if (hw.kind != ARC_HW_GPU)
            continue; /* the power cap is the GPU model's; accelerators draw static power instead */
        REQUIRE_OK(arc_hw_set_calib(&hw, "none")); /* the roofline's rule; a calibration has its own t0 */
        CHECK_MSG(hw.f[ARC_HWF_TDP] > hw.f[ARC_HWF_IDLE], "%s: TDP %g W, idle %g W", name,
                  hw.f[ARC_HWF_TDP], hw.f[ARC_HWF_IDLE]);
        struct arc_op_rec o = {.op = ARC_OP_ELEMENTWISE, .dtype = ARC_DTYPE_BF16, .m = 1, .n = 1, .k = 1};
        struct arc_op_cost c;
        arc_cost_op(&o, &hw, &c); /* no flop, no bytes: only the kernel overhead */
        CHECK_MSG(isfinite(c.time_s) && c.time_s == hw.f[ARC_HWF_KERNEL_OVERHEAD], "%s: empty op %g s", name, c.time_s);
    }
    return check_done("test_hw_needs_power_headroom", "");
}
