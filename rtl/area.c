/* Rule: Yosys synthesizes each generated lightning design with generic cells, and the counts are
 * sane: some cells, no memory left unmapped, and at least as many flip-flops as the state the unit
 * holds (H x D x D words of W bits: generic synthesis puts the banks in flip-flops) plus one head's
 * q, k, v buffers (3 D words; a chunk buffers more). Prints one line with the cells, flip-flops and
 * the 45 nm area estimate (include/arclight/rtl_area.h says where the prices come from) and the
 * table of cell types under it.
 * With KEEP (a Yosys memory name pattern, "*.sm" for the state banks), the kept memories stay
 * memories (arc_rtl_area_keep): then they must hold exactly the H x D x D words of W bits of the
 * state, and the line gives the logic alone, as sim/area/lightning-unit.json records it (its
 * "checks" were measured this way).
 * Usage: rtl_area DESIGN.v TOP D H fixed:W.F [KEEP]
 * Not for: timing or power. */
#include <stdio.h>
#include <stdlib.h>

#include "arclight/common.h"
#include "arclight/lightning.h"
#include "arclight/rtl_area.h"

int main(int argc, char **argv)
{
    struct arc_fx f;
    if ((argc != 6 && argc != 7) || arc_fx_parse(argv[5], &f)) {
        fprintf(stderr, "usage: rtl_area DESIGN.v TOP D H fixed:W.F [KEEP]\n");
        return 2;
    }
    int D = atoi(argv[3]), H = atoi(argv[4]);
    char log[1100];
    snprintf(log, sizeof log, "%s.area.log", argv[1]);
    struct arc_rtl_area a;
    const char *keep = argc == 7 ? argv[6] : NULL;
    if (arc_rtl_area_keep(argv[1], argv[2], keep, log, &a) < 0) {
        printf("FAIL rtl_area %s: %s\n", argv[2], arc_error());
        return 1;
    }
    if (keep) {
        long long state = (long long)H * D * D * f.bits;
        int ok = a.cells > a.flip_flops && a.memories > 0 && a.mem_bits == state;
        printf("%s rtl_area %s D=%d H=%d W=%d keep=%s: logic cells=%lld flip_flops=%lld logic=%.1f um^2 at 45 nm; "
               "kept %lld memories, %lld bits (state: %lld); %s\n",
               ok ? "PASS" : "FAIL", argv[2], D, H, f.bits, keep, (long long)a.cells, (long long)a.flip_flops,
               a.area_um2, (long long)a.memories, (long long)a.mem_bits, state, a.yosys);
        return ok ? 0 : 1;
    }
    long long need = (long long)H * D * D * f.bits + 3LL * D * f.bits;
    int ok = a.cells > a.flip_flops && a.memories == 0 && a.flip_flops >= need;
    printf("%s rtl_area %s D=%d H=%d W=%d: cells=%lld flip_flops=%lld (state and q, k, v buffers: %lld bits) area=%.0f um^2 at 45 nm\n",
           ok ? "PASS" : "FAIL", argv[2], D, H, f.bits, (long long)a.cells, (long long)a.flip_flops, need, a.area_um2);
    for (int i = 0; i < a.n_types; i++)
        printf("  %-16s %8lld x %6.3f um^2\n", a.type[i], (long long)a.count[i], a.type_um2[i]);
    return ok ? 0 : 1;
}
