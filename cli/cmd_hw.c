/* arclight hw show | area | list: a hardware description's figures with their sources, and its area
 * piece by piece (include/arclight/area.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/area.h"
#include "arclight/calib.h"
#include "arclight/hw.h"
#include "arclight/json.h"
#include "cli.h"

static int show_(const char *name, int json)
{
    struct arc_hw hw;
    int st = arc_hw_load(name, &hw);
    if (st < 0)
        return st;
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", hw.name);
        cJSON_AddStringToObject(j, "description", hw.description);
        cJSON_AddStringToObject(j, "file", hw.file);
        cJSON_AddStringToObject(j, "kind", arc_hw_kind_name(hw.kind));
        if (hw.calib)
            cJSON_AddStringToObject(j, "calibration", hw.calib->file);
        cJSON *f = cJSON_AddObjectToObject(j, "figures");
        for (int i = 0; i < ARC_HWF_COUNT; i++) {
            if (!arc_hw_has(&hw, (enum arc_hw_field)i))
                continue;
            const struct arc_hw_field_info *fi = arc_hw_field_info((enum arc_hw_field)i);
            cJSON *o = cJSON_AddObjectToObject(f, fi->path);
            if (fi->choices)
                cJSON_AddStringToObject(o, "value", arc_hw_choice(&hw, (enum arc_hw_field)i));
            else
                cJSON_AddNumberToObject(o, "value", hw.f[i]);
            cJSON_AddStringToObject(o, "unit", arc_hw_field_info((enum arc_hw_field)i)->unit);
            cJSON_AddStringToObject(o, "source", hw.source[i]);
        }
        char *txt = arc_json_text(j, true, NULL);
        fputs(txt, stdout);
        free(txt);
        return ARC_OK;
    }
    printf("%s: %s hardware, %s (%s)\n", hw.name, arc_hw_kind_name(hw.kind), hw.description, hw.file);
    if (hw.calib)
        printf("  calibration: %s (%s); the cost engine takes time and energy from it and uses the figures\n"
               "  below for the roofline it scales and for what it does not cover (calib.h)\n",
               hw.calib->file, hw.calib->provenance);
    for (int i = 0; i < ARC_HWF_COUNT; i++) {
        if (!arc_hw_has(&hw, (enum arc_hw_field)i))
            continue;
        const struct arc_hw_field_info *fi = arc_hw_field_info((enum arc_hw_field)i);
        if (fi->choices)
            printf("  %-34s %12s %-7s %s\n", fi->path, arc_hw_choice(&hw, (enum arc_hw_field)i), "", hw.source[i]);
        else
            printf("  %-34s %12.6g %-7s %s\n", fi->path, hw.f[i], fi->unit, hw.source[i]);
    }
    return ARC_OK;
}

/* hw area: die, the lightning unit at 45 nm and at the node, the state's SRAM, the total */
static int area_(const char *name, const struct cli_args *a)
{
    long long dim = 128;
    int st = cli_int(a, "--dim", 1, 1 << 12, &dim);
    struct arc_area_table *t = arc_xmalloc(sizeof *t);
    struct arc_hw hw;
    struct arc_le_area r;
    if (st >= 0)
        st = arc_hw_load(name, &hw);
    if (st >= 0)
        st = arc_area_table_load(cli_get(a, "--area-nodes"), cli_get(a, "--area-unit"), t);
    if (st >= 0)
        st = arc_area_le(t, &hw, (int)dim, &r);
    if (st < 0) {
        free(t);
        return st;
    }
    const char *die_src = hw.source[ARC_HWF_DIE_AREA_MM2];
    printf("%s: %s hardware at %g nm (%s)\n", hw.name, arc_hw_kind_name(hw.kind), r.node_nm, hw.file);
    printf("  %-30s %12.4f mm^2  %s\n", "die_area_mm2", r.die_mm2, die_src);
    if (hw.kind != ARC_HW_LE) {
        printf("  %-30s %12.4f mm^2  the die area (no area model beyond it for %s designs)\n", "area per device",
               r.total_mm2, arc_hw_kind_name(hw.kind));
        free(t);
        return ARC_OK;
    }
    if (!r.lanes) {
        printf("  %-30s %12s       no lightning_unit.lanes\n", "lightning unit", "none");
    } else {
        char what[64];
        snprintf(what, sizeof what, "%d lanes, D %d", r.lanes, r.dim);
        printf("  %-30s %12s       D: --dim (default 128, MiniMax-Text-01's head dimension)\n", "lightning unit", what);
        printf("  %-30s %12.4f mm^2  %.1f + %.1f x lanes + %.2f x D um^2 (%s, %s; within %.1f%% of its "
               "fitted designs, %.1f%% of its checks)\n",
               "  logic at 45 nm", r.unit_logic_45nm_mm2, t->base_um2, t->per_lane_um2, t->per_dim_um2, t->unit_file,
               t->yosys, 100 * t->fit_max_rel_err, 100 * t->check_max_rel_err);
        printf("  %-30s %12.4f       logic area at %g nm relative to 45 nm (%s)\n", "  node factor", r.logic_factor,
               r.node_nm, t->nodes_file);
        printf("  %-30s %12.4f mm^2  added to the die\n", "  logic at the node", r.unit_logic_mm2);
        printf("  %-30s %12.4f mm^2  per head (%.0f bits, D x D x %d); in the design's SRAM, inside the die, not "
               "added\n",
               "  state banks", r.state_mm2_per_head, r.state_bits_per_head, t->word_bits);
    }
    printf("  %-30s %12.4f mm^2  %.4g bytes x 8 x %.4f um^2 bit cell / %.2f efficiency (%s); inside the die\n",
           "SRAM at the node", r.sram_mm2, hw.f[ARC_HWF_SRAM_CAPACITY], arc_area_bitcell_um2(t, r.node_nm),
           t->sram_efficiency, t->nodes_file);
    printf("  %-30s %12.4f mm^2  die + unit logic; sweeps' area_mm2 is this x devices\n", "area per device",
           r.total_mm2);
    free(t);
    return ARC_OK;
}

int cmd_hw(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "hw", "--json --dim= --area-nodes= --area-unit=", &a);
    if (st >= 0) {
        const char *area_only = cli_has(&a, "--dim") ? "--dim" : cli_has(&a, "--area-nodes") ? "--area-nodes"
                              : cli_has(&a, "--area-unit") ? "--area-unit" : NULL;
        if (area_only && !(a.n_pos >= 1 && strcmp(a.pos[0], "area") == 0)) {
            st = arc_errorf(ARC_EINPUT, "%s: only 'hw area' takes it", area_only);
        } else if (a.n_pos == 2 && strcmp(a.pos[0], "show") == 0) {
            st = show_(a.pos[1], cli_has(&a, "--json"));
        } else if (a.n_pos == 2 && strcmp(a.pos[0], "area") == 0) {
            st = cli_has(&a, "--json") ? arc_errorf(ARC_EINPUT, "--json: 'hw area' prints text only") : area_(a.pos[1], &a);
        } else if (a.n_pos == 1 && strcmp(a.pos[0], "list") == 0) {
            char names[1024];
            arc_builtin_names("sim/hw", names, sizeof names);
            printf("built-in hardware: %s\n", names);
        } else {
            st = arc_errorf(ARC_EINPUT, "hw: expected 'show HW', 'area HW' or 'list'");
        }
    }
    return st < 0 ? cli_fail(st) : 0;
}
