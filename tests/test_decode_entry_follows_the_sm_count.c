/* Rule: the decode launch runs lightning_decode_narrow only where the whole-row grid would put more
 * than two and at most three blocks on each SM of the GPU it runs on (the band where it measured
 * faster on an H200, bench/RESULTS.md), and either entry when asked. At 64 heads and D 128 on 132
 * SMs that is B 5 and 6; on 148 SMs (a B200) B 5 and 6 too, B 7 (448 blocks) not; on 80 SMs B 3.
 * The narrow grid splits each state's 32 float4 columns over 4 blocks of 8; the wide one a block
 * per state. Not for: what the kernels compute (verify gpu) or their speed (bench_lightning). */
#include "arclight/codegen.h"
#include "check.h"
#include "../codegen/cuda/cuda.h"

static int narrow_(const struct arc_kernel_spec *s, int B, int sms, int entry, unsigned *grid)
{
    struct arc_cuda_target t = {.sms = sms, .decode_entry = entry};
    struct arc_cuda_launch l;
    if (arc_cuda_launch_for(s, B, &t, &l) < 0)
        return -1;
    *grid = l.grid[0];
    return strcmp(l.entry, "lightning_decode_narrow") == 0;
}

int main(void)
{
    struct arc_kernel_spec s;
    arc_kernel_spec_defaults(&s, ARC_KERNEL_DECODE);
    REQUIRE(s.heads == 64 && s.dim == 128);
    unsigned grid;
    for (int B = 1; B <= 16; B++) {
        int want = B == 5 || B == 6;
        CHECK_MSG(narrow_(&s, B, 132, ARC_DECODE_AUTO, &grid) == want, "132 SMs, B %d: narrow should be %d", B, want);
        CHECK_EQ_U(grid, (unsigned)(64 * B * (want ? 4 : 1)));
        want = B == 5 || B == 6;
        CHECK_MSG(narrow_(&s, B, 148, ARC_DECODE_AUTO, &grid) == want, "148 SMs, B %d: narrow should be %d", B, want);
        want = B == 3;
        CHECK_MSG(narrow_(&s, B, 80, ARC_DECODE_AUTO, &grid) == want, "80 SMs, B %d: narrow should be %d", B, want);
    }
    CHECK(narrow_(&s, 5, 0, ARC_DECODE_AUTO, &grid) == 1); /* unknown GPU: 132 SMs */
    CHECK(narrow_(&s, 1, 132, ARC_DECODE_NARROW, &grid) == 1 && grid == 256);
    CHECK(narrow_(&s, 5, 132, ARC_DECODE_WIDE, &grid) == 0 && grid == 320);
    CHECK(arc_cuda_decode_narrow(264, 132) == 0 && arc_cuda_decode_narrow(265, 132) == 1);
    CHECK(arc_cuda_decode_narrow(396, 132) == 1 && arc_cuda_decode_narrow(397, 132) == 0);
    return check_done("test_decode_entry_follows_the_sm_count", "");
}
