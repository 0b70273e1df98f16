/* arclight hw show | list: a hardware description's figures with their sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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

int cmd_hw(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "hw", "--json", &a);
    if (st >= 0) {
        if (a.n_pos == 2 && strcmp(a.pos[0], "show") == 0) {
            st = show_(a.pos[1], cli_has(&a, "--json"));
        } else if (a.n_pos == 1 && strcmp(a.pos[0], "list") == 0) {
            char names[1024];
            arc_builtin_names("sim/hw", names, sizeof names);
            printf("built-in hardware: %s\n", names);
        } else {
            st = arc_errorf(ARC_EINPUT, "hw: expected 'show HW' or 'list'");
        }
    }
    return st < 0 ? cli_fail(st) : 0;
}
