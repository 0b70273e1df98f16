/* arclight cycle engine: the timeline of a run, as a Chrome/Perfetto trace-event file.
 *
 * One complete event ("ph": "X", "ts" and "dur" in microseconds, "pid" 0) per op per unit it
 * kept busy, from the unit's first start in the op to its last end, named by the op's
 * block/name; "tid" is the unit, named by "M" thread_name metadata events. Ops are separated by
 * barriers, so a unit's events never overlap. Open the file in ui.perfetto.dev or
 * chrome://tracing. Not for: anything the engine computes (cycle.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/fsutil.h"
#include "arclight/json.h"
#include "cycle_internal.h"

void cyc_timeline_add_(struct cyc_timeline *tl, int op, int unit, double start, double end, double busy)
{
    if (tl->n == tl->cap) {
        tl->cap = tl->cap ? 2 * tl->cap : 1024;
        tl->s = arc_xrealloc(tl->s, (size_t)tl->cap * sizeof *tl->s);
    }
    tl->s[tl->n++] = (struct cyc_span){.op = op, .unit = unit, .start = start, .end = end, .busy = busy};
}

void cyc_timeline_free_(struct cyc_timeline *tl)
{
    free(tl->s);
    memset(tl, 0, sizeof *tl);
}

int cyc_timeline_write_(const struct cyc_timeline *tl, const char *path, const struct arc_trace *t,
                        const struct arc_hw *hw, const char *const *unit_names)
{
    const double us = 1e6 / hw->f[ARC_HWF_CLOCK_HZ]; /* microseconds per cycle */
    cJSON *root = cJSON_CreateObject();
    cJSON *ev = cJSON_AddArrayToObject(root, "traceEvents");
    cJSON_AddStringToObject(root, "displayTimeUnit", "ns");
    cJSON *meta = cJSON_AddObjectToObject(root, "otherData");
    cJSON_AddStringToObject(meta, "engine", "cycle");
    cJSON_AddStringToObject(meta, "hw", hw->name);
    cJSON_AddStringToObject(meta, "model", t->model);
    cJSON_AddStringToObject(meta, "phase", arc_phase_name(t->wl.phase));
    cJSON_AddNumberToObject(meta, "clock_hz", hw->f[ARC_HWF_CLOCK_HZ]);

    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "name", "process_name");
    cJSON_AddStringToObject(e, "ph", "M");
    cJSON_AddNumberToObject(e, "pid", 0);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "args"), "name", hw->name);
    cJSON_AddItemToArray(ev, e);
    int used[CYC_UNIT_COUNT] = {0};
    for (int64_t i = 0; i < tl->n; i++)
        used[tl->s[i].unit] = 1;
    for (int k = 0; k < CYC_UNIT_COUNT; k++) {
        if (!used[k])
            continue;
        e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", "thread_name");
        cJSON_AddStringToObject(e, "ph", "M");
        cJSON_AddNumberToObject(e, "pid", 0);
        cJSON_AddNumberToObject(e, "tid", k);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "args"), "name", unit_names[k]);
        cJSON_AddItemToArray(ev, e);
    }
    for (int64_t i = 0; i < tl->n; i++) {
        const struct cyc_span *s = &tl->s[i];
        const struct arc_op_rec *o = &t->ops[s->op];
        char name[64];
        snprintf(name, sizeof name, "%s/%s", arc_block_name((enum arc_block)o->block), o->name);
        e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", name);
        cJSON_AddStringToObject(e, "cat", arc_op_info((enum arc_op)o->op)->name);
        cJSON_AddStringToObject(e, "ph", "X");
        cJSON_AddNumberToObject(e, "ts", s->start * us);
        cJSON_AddNumberToObject(e, "dur", (s->end - s->start) * us);
        cJSON_AddNumberToObject(e, "pid", 0);
        cJSON_AddNumberToObject(e, "tid", s->unit);
        cJSON *a = cJSON_AddObjectToObject(e, "args");
        cJSON_AddNumberToObject(a, "op", s->op);
        cJSON_AddNumberToObject(a, "layer", o->layer);
        cJSON_AddNumberToObject(a, "busy_cycles", s->busy);
        cJSON_AddItemToArray(ev, e);
    }
    size_t n;
    char *txt = arc_json_text(root, false, &n);
    int st = arc_file_write_atomic(path, txt, n);
    free(txt);
    return st;
}
