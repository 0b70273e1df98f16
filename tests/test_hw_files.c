/* Rule: every hardware figure says where it comes from. Every built-in hardware file (sim/hw/NAME.json)
 * loads, is named after its file, and gives every figure a non-empty source that is not an
 * anonymous override; a node file (8xh200) keeps its preset's figures and sources. A user file
 * naming a preset and overriding one figure with a plain number keeps every other figure and
 * source and marks the overridden one as an override from that file; presets that loop or name
 * nothing are refused. arc_hw_set refuses values out of range and unknown paths, and leaves the
 * figure as it was.
 * Not for: what the figures are (test_energy_model.c). */
#include <stdlib.h>
#include <unistd.h>

#include "arclight/hw.h"
#include "check.h"

static void write_(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    REQUIRE(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

/* Presets that loop back (a -> b -> a) or name nothing are refused, not followed forever. */
static void check_bad_presets_(void)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256], a[320], b[320], text[1024];
    snprintf(dir, sizeof dir, "%s/arclight-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    REQUIRE(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(text, sizeof text, "{\"preset\": \"%s\", \"name\": \"a\"}\n", b);
    write_(a, text);
    snprintf(text, sizeof text, "{\"preset\": \"%s\", \"name\": \"b\"}\n", a);
    write_(b, text);
    struct arc_hw hw;
    CHECK_EQ_I(arc_hw_load(a, &hw), ARC_EINPUT);
    CHECK_HAS(arc_error(), "preset");
    write_(b, "{\"preset\": \"no-such-gpu\", \"name\": \"b\"}\n");
    CHECK_EQ_I(arc_hw_load(a, &hw), ARC_EINPUT);
    CHECK_HAS(arc_error(), "no-such-gpu");
    write_(b, "{\"preset\": 7, \"name\": \"b\"}\n");
    CHECK_EQ_I(arc_hw_load(b, &hw), ARC_EINPUT);
    CHECK_HAS(arc_error(), "preset");
    unlink(a);
    unlink(b);
    CHECK(rmdir(dir) == 0);
}

static void same_figures_but_(const struct arc_hw *a, const struct arc_hw *b, int except)
{
    for (int i = 0; i < ARC_HWF_COUNT; i++) {
        if (i == except)
            continue;
        const char *path = arc_hw_field_info((enum arc_hw_field)i)->path;
        CHECK_MSG(a->f[i] == b->f[i], "%s vs %s: %s %g vs %g", a->name, b->name, path, a->f[i], b->f[i]);
        CHECK_MSG(strcmp(a->source[i], b->source[i]) == 0, "%s vs %s: %s source differs", a->name,
                  b->name, path);
    }
}

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    int files = 0;
    for (const struct arc_builtin *b = arc_builtins; b->path; b++) {
        if (strncmp(b->path, "sim/hw/", 7) != 0)
            continue;
        char name[64];
        const char *base = b->path + 7;
        size_t n = strlen(base);
        REQUIRE(n > 5 && strcmp(base + n - 5, ".json") == 0 && n - 5 < sizeof name);
        snprintf(name, sizeof name, "%.*s", (int)(n - 5), base);
        struct arc_hw hw;
        int st = arc_hw_load(name, &hw);
        if (!CHECK_MSG(st == ARC_OK, "%s: %s", b->path, arc_error()))
            continue;
        files++;
        CHECK_STREQ(hw.name, name);
        CHECK_MSG(hw.description[0], "%s: no description", name);
        CHECK_MSG(hw.kind < ARC_HW_KIND_COUNT, "%s: kind %d", name, (int)hw.kind);
        for (int i = 0; i < ARC_HWF_COUNT; i++) {
            const struct arc_hw_field_info *fi = arc_hw_field_info((enum arc_hw_field)i);
            if (!arc_hw_has(&hw, (enum arc_hw_field)i))
                continue; /* another kind's figure */
            CHECK_MSG(hw.source[i][0] != '\0', "%s: %s has no source", name, fi->path);
            CHECK_MSG(strncmp(hw.source[i], "override", 8) != 0, "%s: %s source is \"%s\"", name,
                      fi->path, hw.source[i]);
            CHECK_MSG(hw.f[i] >= fi->lo && hw.f[i] <= fi->hi, "%s: %s = %g outside [%g, %g]", name,
                      fi->path, hw.f[i], fi->lo, fi->hi);
            CHECK_MSG(arc_hw_field_find(fi->path) == i, "%s: path %s does not find itself", name, fi->path);
        }
    }
    CHECK_MSG(files >= 7, "only %d built-in hardware files", files); /* a100, b200, h100, h200, 3 nodes */

    /* a node is its GPU times 8 */
    struct arc_hw gpu, node, ov;
    REQUIRE_OK(arc_hw_load("h200-sxm", &gpu));
    REQUIRE_OK(arc_hw_load("8xh200", &node));
    CHECK_CLOSE(gpu.f[ARC_HWF_DEVICES], 1, 0);
    CHECK_CLOSE(node.f[ARC_HWF_DEVICES], 8, 0);
    same_figures_but_(&node, &gpu, ARC_HWF_DEVICES);

    /* a user's override of one figure */
    char path[4096];
    snprintf(path, sizeof path, "%s/h200-override.json", argv[1]);
    REQUIRE_OK(arc_hw_load(path, &ov));
    CHECK_STREQ(ov.name, "h200-test");
    CHECK_STREQ(ov.description, gpu.description);
    CHECK_CLOSE(ov.f[ARC_HWF_MEM_COPY_BW], 4.0e12, 0);
    CHECK_MSG(strncmp(ov.source[ARC_HWF_MEM_COPY_BW], "override", 8) == 0, "source \"%s\"",
              ov.source[ARC_HWF_MEM_COPY_BW]);
    CHECK_HAS(ov.source[ARC_HWF_MEM_COPY_BW], "h200-override.json");
    same_figures_but_(&ov, &gpu, ARC_HWF_MEM_COPY_BW);

    check_bad_presets_();

    /* arc_hw_set */
    struct arc_hw h = gpu;
    static const struct {
        const char *path;
        double v;
    } bad[] = {
        {"devices", 0},
        {"devices", 1.5},
        {"devices", -8},
        {"memory.copy_bw_bytes_per_s", -1e12},
        {"memory.copy_bw_bytes_per_s", 0},
        {"memory.copy_bw_bytes_per_s", 1e20},
        {"memory.copy_bw_bytes_per_s", NAN},
        {"memory.copy_bw_bytes_per_s", INFINITY},
        {"compute.bf16.gemm_flops_per_s", 1e3},
        {"power.tdp_w", -700},
        {"energy.pj_per_flop", -0.5},
        {"kernel.overhead_s", 2},
        {"link.latency_s", -1e-6},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int f = arc_hw_field_find(bad[i].path);
        REQUIRE(f >= 0);
        double before = h.f[f];
        CHECK_MSG(arc_hw_set(&h, bad[i].path, bad[i].v, "test") == ARC_EINPUT, "%s = %g accepted",
                  bad[i].path, bad[i].v);
        CHECK_HAS(arc_error(), bad[i].path);
        CHECK_MSG(h.f[f] == before, "%s changed by a refused set", bad[i].path);
        CHECK_STREQ(h.source[f], gpu.source[f]);
    }
    static const char *const unknown[] = {"memory.nope", "", "memory", "compute.bf16", "Devices",
                                          "memory.copy_bw_bytes_per_s.value", "name"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK_MSG(arc_hw_set(&h, unknown[i], 1, "test") == ARC_EINPUT, "path \"%s\" accepted", unknown[i]);
    same_figures_but_(&h, &gpu, -1);
    /* in range: set, with the source given or a default */
    CHECK_OK(arc_hw_set(&h, "memory.copy_bw_bytes_per_s", 3.9e12, "sweep point 3"));
    CHECK_CLOSE(h.f[ARC_HWF_MEM_COPY_BW], 3.9e12, 0);
    CHECK_STREQ(h.source[ARC_HWF_MEM_COPY_BW], "sweep point 3");
    CHECK_OK(arc_hw_set(&h, "devices", 4, NULL));
    CHECK_CLOSE(h.f[ARC_HWF_DEVICES], 4, 0);
    CHECK_MSG(h.source[ARC_HWF_DEVICES][0] != '\0', "default source is empty");

    char detail[32];
    snprintf(detail, sizeof detail, "files=%d", files);
    return check_done("test_hw_files", detail);
}
