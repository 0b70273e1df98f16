/* arclight sim: run an engine on a trace file or a model, print latency, energy and breakdowns;
 * with --engine cycle or systemc, also the cycles and unit utilisation; with cycle, --timeline FILE.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/cycle.h"
#include "arclight/engine.h"
#include "arclight/json.h"
#include "arclight/map.h"
#include "arclight/systemc.h"
#include "cli.h"

static int is_trace_path_(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && strcmp(s + n - 4, ".csv") == 0;
}

static int by_time_desc_(const void *a, const void *b)
{
    double x = ((const struct arc_op_sum *)a)->time_s, y = ((const struct arc_op_sum *)b)->time_s;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void print_text_(const char *what, const struct arc_workload *w, const struct arc_hw *hw,
                        const struct arc_result *r, struct arc_op_table *tab)
{
    char b1[32], b2[32], b3[32];
    printf("%s: %s batch %lld ctx %lld on %s (%d of %g devices: tp %d, ep %d, pp %d), %s\n", what,
           arc_phase_name(w->phase), (long long)w->batch, (long long)w->ctx, hw->name, w->devices,
           hw->f[ARC_HWF_DEVICES], w->tp, w->ep, w->pp, arc_dtype_name(w->dtype));
    printf("engine     %s: %s\n", r->engine, r->method);
    printf("latency    %s per step; %s per token%s\n", cli_time(r->latency_s, b1, sizeof b1),
           cli_time(r->latency_per_token_s, b2, sizeof b2),
           w->phase == ARC_PHASE_DECODE ? " (each sequence gets one token per step)" : " (step / prompt tokens)");
    printf("energy     %.4g J per step; %.4g J per token  [", r->energy_j, r->energy_per_token_j);
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        printf("%s%s %.1f%%", i ? ", " : "", arc_epart_name((enum arc_epart)i),
               100 * r->energy_by_j[i] / r->energy_j);
    printf("]\n");
    printf("memory     %s held per device of %s: %s\n", cli_bytes(r->footprint_bytes, b1, sizeof b1),
           cli_bytes(r->capacity_bytes, b2, sizeof b2),
           r->fits ? "fits" : "DOES NOT FIT (the figures assume it did)");
    if (r->regime[0])
        printf("regime     %s\n", r->regime);
    if (r->cycles > 0) {
        printf("cycles     %llu at %.4g GHz; units busy:", (unsigned long long)r->cycles, r->clock_hz / 1e9);
        for (int i = 0; i < r->n_units; i++)
            printf("%s %s %.1f%%", i ? "," : "", r->unit_name[i], 100 * r->unit_util[i]);
        printf("\n");
    }
    if (r->alt_energy_model)
        printf("energy (a) %.4g J per step, %.4g J per token: %s\n", r->alt_energy_j,
               r->alt_energy_j / r->tokens, r->alt_energy_model);
    printf("moved      per device along the step, by memory class (bytes, their time where they live, their energy on the active devices):\n");
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        printf("             %-7s %10s %11s %10.4g J\n", arc_mem_name((enum arc_mem)i),
               cli_bytes(r->mem_bytes[i], b1, sizeof b1), cli_time(r->mem_time_s[i], b2, sizeof b2),
               r->mem_energy_j[i]);
    printf("             links   %10s\n", cli_bytes(r->link_bytes, b3, sizeof b3));
    printf("by kind   ");
    for (int i = 0; i < ARC_BLOCK_COUNT; i++)
        if (r->by_block_s[i] > 0)
            printf(" %s %s (%.1f%%)", arc_block_name((enum arc_block)i),
                   cli_time(r->by_block_s[i], b1, sizeof b1), 100 * r->by_block_s[i] / r->latency_s);
    printf("\nby bound  ");
    for (int i = 0; i < ARC_BOUND_COUNT; i++)
        if (r->by_bound_s[i] > 0)
            printf(" %s %.1f%%", arc_bound_name((enum arc_bound)i), 100 * r->by_bound_s[i] / r->latency_s);
    printf("\n\nops on one device, identical layers folded (x = runs per step):\n");
    printf("%-15s %-18s %-14s %5s %11s %11s %6s %-8s %10s %10s %9s\n", "block", "name", "op", "x",
           "each", "total", "share", "bound", "flop", "bytes", "flop/B");
    qsort(tab->rows, (size_t)tab->n, sizeof tab->rows[0], by_time_desc_);
    for (int i = 0; i < tab->n; i++) {
        const struct arc_op_sum *s = &tab->rows[i];
        printf("%-15s %-18s %-14s %5.0f %11s %11s %5.1f%% %-8s %10.3g %10.3g %9.2f\n",
               arc_block_name((enum arc_block)s->op.block), s->op.name,
               arc_op_info((enum arc_op)s->op.op)->name, s->count,
               cli_time(s->time_s / s->count, b1, sizeof b1), cli_time(s->time_s, b2, sizeof b2),
               100 * s->time_s / r->latency_s, arc_bound_name(arc_op_sum_bound(s)), s->flop,
               s->bytes, s->bytes > 0 ? s->flop / s->bytes : 0.0);
    }
}

static void print_json_(const char *model, const char *pattern, const struct arc_workload *w,
                        const struct arc_result *r, const struct arc_op_table *tab)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "model", model);
    cJSON_AddStringToObject(j, "pattern", pattern);
    cJSON *wl = cJSON_AddObjectToObject(j, "workload");
    cJSON_AddStringToObject(wl, "phase", arc_phase_name(w->phase));
    cJSON_AddNumberToObject(wl, "batch", (double)w->batch);
    cJSON_AddNumberToObject(wl, "ctx", (double)w->ctx);
    cJSON_AddNumberToObject(wl, "tp", w->tp);
    cJSON_AddNumberToObject(wl, "ep", w->ep);
    cJSON_AddNumberToObject(wl, "devices", w->devices);
    cJSON_AddStringToObject(wl, "dtype", arc_dtype_name(w->dtype));
    cJSON_AddNumberToObject(wl, "chunk", w->chunk);
    arc_result_json(r, j);
    cJSON *ops = cJSON_AddArrayToObject(j, "ops");
    for (int i = 0; i < tab->n; i++) {
        const struct arc_op_sum *s = &tab->rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "block", arc_block_name((enum arc_block)s->op.block));
        cJSON_AddStringToObject(o, "name", s->op.name);
        cJSON_AddStringToObject(o, "op", arc_op_info((enum arc_op)s->op.op)->name);
        cJSON_AddNumberToObject(o, "count", s->count);
        cJSON_AddNumberToObject(o, "time_s", s->time_s);
        cJSON_AddStringToObject(o, "bound", arc_bound_name(arc_op_sum_bound(s)));
        cJSON_AddNumberToObject(o, "flop", s->flop);
        cJSON_AddNumberToObject(o, "bytes", s->bytes);
        cJSON_AddNumberToObject(o, "link_bytes", s->link_bytes);
        cJSON_AddNumberToObject(o, "energy_j", s->energy_j);
        cJSON_AddItemToArray(ops, o);
    }
    char *txt = arc_json_text(j, true, NULL);
    fputs(txt, stdout);
    free(txt);
}

int cmd_sim(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "sim", "--hw= --engine= --json --fit --timeline= " CLI_WORKLOAD_FLAGS, &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos != 1)
        return cli_fail(arc_errorf(ARC_EINPUT, "sim: expected one TRACE.csv or MODEL"));
    if (!cli_has(&a, "--hw"))
        return cli_fail(arc_errorf(ARC_EINPUT, "--hw: missing; expected a hardware name (arclight hw list) or a .json file"));
    const char *ename = cli_has(&a, "--engine") ? cli_get(&a, "--engine") : "cost";
    const struct arc_engine *e = arc_engine_find(ename);
    if (!e) {
        char names[128] = "";
        for (int i = 0; arc_engines[i]; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? (arc_engines[i + 1] ? ", " : " or ") : "",
                     arc_engines[i]->name);
        return cli_fail(arc_errorf(ARC_EINPUT, "--engine: unknown engine \"%s\"; expected %s", ename, names));
    }
    /* the cycle engine alone simulates a timeline */
    const char *timeline = cli_has(&a, "--timeline") ? cli_get(&a, "--timeline") : NULL;
    if (timeline && e != &arc_engine_cycle)
        return cli_fail(arc_errorf(ARC_EINPUT, "--timeline: only the cycle engine writes a timeline; expected --engine cycle"));
    struct arc_hw hw;
    if ((st = arc_hw_load(cli_get(&a, "--hw"), &hw)) < 0)
        return cli_fail(st);

    struct arc_result r;
    struct arc_op_table *tab = calloc(1, sizeof *tab);
    struct arc_workload w;
    char model[64], pattern[ARC_MAX_LAYERS + 1];
    if (is_trace_path_(a.pos[0])) {
        static const char *const wflags[] = {"--phase", "--batch", "--ctx", "--tp", "--ep", "--pp", "--devices",
                                             "--dtype", "--chunk", "--softmax-every", "--softmax-layers"};
        for (size_t i = 0; i < sizeof wflags / sizeof wflags[0]; i++)
            if (cli_has(&a, wflags[i])) {
                free(tab);
                return cli_fail(arc_errorf(ARC_EINPUT, "%s: a trace fixes its workload; expected no workload flags with %s", wflags[i], a.pos[0]));
            }
        struct arc_trace t;
        if ((st = arc_trace_read(a.pos[0], &t)) < 0) {
            free(tab);
            return cli_fail(st);
        }
        w = t.wl;
        snprintf(model, sizeof model, "%s", t.model);
        snprintf(pattern, sizeof pattern, "%s", t.pattern);
        st = timeline ? arc_cycle_run(&t, &hw, timeline, &r, arc_op_table_visit, tab)
                      : e->run_trace(&t, &hw, &r, arc_op_table_visit, tab);
        arc_trace_free(&t);
    } else {
        struct arc_model m;
        if (cli_has(&a, "--fit"))
            for (const char *const *f = (const char *const[]){"--tp", "--ep", "--pp", "--devices", NULL}; *f; f++)
                if (cli_has(&a, *f)) {
                    free(tab);
                    return cli_fail(arc_errorf(ARC_EINPUT, "%s: --fit chooses it; expected one or the other", *f));
                }
        if ((st = cli_model(&a, a.pos[0], &m)) >= 0 && (st = cli_workload(&a, &m, &w)) >= 0) {
            snprintf(model, sizeof model, "%s", m.name);
            arc_model_pattern(&m, pattern, sizeof pattern);
            /* the cycle and systemc engines take the cost engine's mapping: fit is the same
             * residency plan, and simulating every candidate would take minutes */
            if (cli_has(&a, "--fit"))
                st = arc_map_fit(e == &arc_engine_cycle || e == &arc_engine_systemc ? &arc_engine_cost : e,
                                 &m, &hw, &w, &r);
            if (st >= 0 && timeline) {
                struct arc_trace t;
                if ((st = arc_trace_build(&m, &w, &t)) >= 0) {
                    st = arc_cycle_run(&t, &hw, timeline, &r, arc_op_table_visit, tab);
                    arc_trace_free(&t);
                }
            } else if (st >= 0) {
                st = arc_engine_run_model(e, &m, &w, &hw, &r, arc_op_table_visit, tab);
            }
        }
    }
    if (st >= 0) {
        if (cli_has(&a, "--json"))
            print_json_(model, pattern, &w, &r, tab);
        else
            print_text_(model, &w, &hw, &r, tab);
    }
    free(tab);
    return st < 0 ? cli_fail(st) : 0;
}
