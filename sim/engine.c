/* arclight engine registry and result vocabulary. Not for: any engine's model (sim/cost/, ...). */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/cycle.h"
#include "arclight/engine.h"
#include "arclight/systemc.h"

const struct arc_engine *const arc_engines[] = {
    &arc_engine_cost,
    &arc_engine_cycle,
    &arc_engine_systemc,
    NULL,
};

const struct arc_engine *arc_engine_find(const char *name)
{
    for (int i = 0; arc_engines[i]; i++)
        if (strcmp(arc_engines[i]->name, name) == 0)
            return arc_engines[i];
    return NULL;
}

static const char *const bound_names_[] = {
    [ARC_BOUND_COMPUTE] = "compute",
    [ARC_BOUND_MEMORY] = "memory",
    [ARC_BOUND_LINK] = "link",
    [ARC_BOUND_POWER] = "power",
    [ARC_BOUND_OVERHEAD] = "overhead",
};
_Static_assert(ARC_BOUND_COUNT == 5, "update bound_names_");

const char *arc_bound_name(enum arc_bound b)
{
    ARC_ASSERT(b < ARC_BOUND_COUNT);
    return bound_names_[b];
}

static const char *const epart_names_[] = {
    [ARC_EPART_IDLE] = "idle",
    [ARC_EPART_COMPUTE] = "compute",
    [ARC_EPART_MEMORY] = "memory",
    [ARC_EPART_SRAM] = "sram",
    [ARC_EPART_WIRE] = "wire",
    [ARC_EPART_LINK] = "link",
};
_Static_assert(ARC_EPART_COUNT == 6, "update epart_names_");

const char *arc_epart_name(enum arc_epart p)
{
    ARC_ASSERT(p < ARC_EPART_COUNT);
    return epart_names_[p];
}

int arc_engine_run_model(const struct arc_engine *e, const struct arc_model *m,
                         const struct arc_workload *w, const struct arc_hw *hw,
                         struct arc_result *r, arc_op_visitor visit, void *ctx)
{
    if (e->run_model)
        return e->run_model(m, w, hw, r, visit, ctx);
    struct arc_trace t;
    int st = arc_trace_build(m, w, &t);
    if (st < 0)
        return st;
    st = e->run_trace(&t, hw, r, visit, ctx);
    arc_trace_free(&t);
    return st;
}

void arc_op_table_visit(void *ctx, const struct arc_op_rec *op, double count,
                        const struct arc_op_cost *cost)
{
    struct arc_op_table *t = ctx;
    struct arc_op_sum *s = NULL;
    for (int i = 0; i < t->n && !s; i++)
        if (t->rows[i].op.block == op->block && strcmp(t->rows[i].op.name, op->name) == 0)
            s = &t->rows[i];
    if (!s && t->n == ARC_OP_TABLE_MAX) { /* a trace with more roles than rows: the last row takes the rest */
        s = &t->rows[ARC_OP_TABLE_MAX - 1];
        if (strcmp(s->op.name, "more_ops") != 0) {
            snprintf(s->op.name, sizeof s->op.name, "more_ops");
            s->op.block = ARC_BLOCK_OTHER;
        }
    }
    if (!s) {
        s = &t->rows[t->n++];
        memset(s, 0, sizeof *s);
        s->op = *op;
    }
    double bytes = 0;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        bytes += (double)op->bytes[i];
    s->count += count;
    s->time_s += count * cost->time_s;
    s->by_bound_s[cost->bound] += count * cost->time_s;
    s->flop += count * (double)op->flop;
    s->bytes += count * bytes;
    s->link_bytes += count * (double)op->link_bytes;
    for (int i = ARC_EPART_COMPUTE; i < ARC_EPART_COUNT; i++)
        s->energy_j += count * cost->energy_j[i];
}

enum arc_bound arc_op_sum_bound(const struct arc_op_sum *s)
{
    int best = 0;
    for (int i = 1; i < ARC_BOUND_COUNT; i++)
        if (s->by_bound_s[i] > s->by_bound_s[best])
            best = i;
    return (enum arc_bound)best;
}

void arc_result_json(const struct arc_result *r, cJSON *j)
{
    cJSON_AddStringToObject(j, "engine", r->engine);
    cJSON_AddStringToObject(j, "hw", r->hw);
    cJSON_AddStringToObject(j, "method", r->method);
    cJSON_AddNumberToObject(j, "devices", r->devices);
    cJSON_AddNumberToObject(j, "tokens", r->tokens);
    cJSON_AddNumberToObject(j, "latency_s", r->latency_s);
    cJSON_AddNumberToObject(j, "energy_j", r->energy_j);
    cJSON_AddNumberToObject(j, "latency_per_token_s", r->latency_per_token_s);
    cJSON_AddNumberToObject(j, "energy_per_token_j", r->energy_per_token_j);
    cJSON_AddNumberToObject(j, "flop_per_device", r->flop);
    cJSON_AddNumberToObject(j, "link_bytes_per_device", r->link_bytes);
    cJSON *b = cJSON_AddObjectToObject(j, "breakdown");
    cJSON *o = cJSON_AddObjectToObject(b, "by_layer_kind");
    for (int i = 0; i < ARC_BLOCK_COUNT; i++)
        cJSON_AddNumberToObject(o, arc_block_name((enum arc_block)i), r->by_block_s[i]);
    o = cJSON_AddObjectToObject(b, "by_op");
    for (int i = 0; i < ARC_OP_COUNT; i++)
        cJSON_AddNumberToObject(o, arc_op_info((enum arc_op)i)->name, r->by_op_s[i]);
    o = cJSON_AddObjectToObject(b, "by_bound");
    for (int i = 0; i < ARC_BOUND_COUNT; i++)
        cJSON_AddNumberToObject(o, arc_bound_name((enum arc_bound)i), r->by_bound_s[i]);
    o = cJSON_AddObjectToObject(b, "energy_j");
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        cJSON_AddNumberToObject(o, arc_epart_name((enum arc_epart)i), r->energy_by_j[i]);
    o = cJSON_AddObjectToObject(b, "energy_by_layer_kind_j");
    for (int i = 0; i < ARC_BLOCK_COUNT; i++)
        cJSON_AddNumberToObject(o, arc_block_name((enum arc_block)i), r->by_block_j[i]);
    cJSON *mc = cJSON_AddObjectToObject(b, "by_memory_class");
    for (int i = 0; i < ARC_MEM_COUNT; i++) {
        o = cJSON_AddObjectToObject(mc, arc_mem_name((enum arc_mem)i));
        cJSON_AddNumberToObject(o, "bytes_per_device", r->mem_bytes[i]);
        cJSON_AddNumberToObject(o, "time_s", r->mem_time_s[i]);
        cJSON_AddNumberToObject(o, "energy_j", r->mem_energy_j[i]);
    }
    if (r->alt_energy_model) {
        o = cJSON_AddObjectToObject(j, "alt_energy");
        cJSON_AddStringToObject(o, "model", r->alt_energy_model);
        cJSON_AddNumberToObject(o, "energy_j", r->alt_energy_j);
        cJSON_AddNumberToObject(o, "energy_per_token_j", r->alt_energy_j / r->tokens);
    }
    o = cJSON_AddObjectToObject(j, "memory");
    if (r->regime[0])
        cJSON_AddStringToObject(o, "regime", r->regime);
    cJSON_AddNumberToObject(o, "footprint_bytes_per_device", r->footprint_bytes);
    cJSON_AddNumberToObject(o, "capacity_bytes_per_device", r->capacity_bytes);
    cJSON_AddBoolToObject(o, "fits", r->fits);
    if (r->cycles > 0) {
        o = cJSON_AddObjectToObject(j, "cycle");
        cJSON_AddNumberToObject(o, "cycles", (double)r->cycles);
        cJSON_AddNumberToObject(o, "clock_hz", r->clock_hz);
        cJSON *u = cJSON_AddObjectToObject(o, "units");
        for (int i = 0; i < r->n_units; i++) {
            cJSON *x = cJSON_AddObjectToObject(u, r->unit_name[i]);
            cJSON_AddNumberToObject(x, "busy_cycles", r->unit_busy_cycles[i]);
            cJSON_AddNumberToObject(x, "utilisation", r->unit_util[i]);
        }
    }
}

/* ---- shared drivers ---- */

void arc_result_begin(struct arc_result *r, const char *engine, const struct arc_hw *hw,
                      const struct arc_workload *w, double capacity_bytes, const char *method)
{
    memset(r, 0, sizeof *r);
    snprintf(r->engine, sizeof r->engine, "%s", engine);
    snprintf(r->hw, sizeof r->hw, "%s", hw->name);
    r->devices = w->devices;
    r->active_devices = w->devices / w->pp;
    r->tokens = arc_workload_tokens(w);
    r->capacity_bytes = capacity_bytes;
    r->method = method;
}

void arc_result_add(struct arc_result *r, const struct arc_op_rec *o, double n, const struct arc_op_cost *c)
{
    double t = n * c->time_s;
    r->latency_s += t;
    r->by_block_s[o->block] += t;
    r->by_op_s[o->op] += t;
    r->by_bound_s[c->bound] += t;
    for (int i = ARC_EPART_COMPUTE; i < ARC_EPART_COUNT; i++) {
        r->energy_by_j[i] += n * c->energy_j[i];
        r->by_block_j[o->block] += n * c->energy_j[i];
    }
    for (int i = 0; i < ARC_MEM_COUNT; i++) {
        r->mem_bytes[i] += n * (double)o->bytes[i];
        r->mem_time_s[i] += n * c->mem_time_s[i];
        r->mem_energy_j[i] += n * c->mem_energy_j[i];
    }
    r->alt_energy_j += n * c->alt_energy_j;
    r->flop += n * (double)o->flop;
    r->link_bytes += n * (double)o->link_bytes;
}

void arc_result_finish(struct arc_result *r, double idle_w_per_device, double footprint_bytes,
                       enum arc_phase phase)
{
    double dev = r->active_devices; /* one pipeline stage works at a time */
    for (int i = ARC_EPART_COMPUTE; i < ARC_EPART_COUNT; i++)
        r->energy_by_j[i] *= dev;
    for (int i = 0; i < ARC_BLOCK_COUNT; i++)
        r->by_block_j[i] *= dev;
    for (int i = 0; i < ARC_MEM_COUNT; i++)
        r->mem_energy_j[i] *= dev;
    r->energy_by_j[ARC_EPART_IDLE] = r->devices * idle_w_per_device * r->latency_s;
    r->energy_j = 0;
    for (int i = 0; i < ARC_EPART_COUNT; i++)
        r->energy_j += r->energy_by_j[i];
    if (r->alt_energy_model)
        r->alt_energy_j = r->alt_energy_j * dev + r->energy_by_j[ARC_EPART_IDLE];
    r->energy_per_token_j = r->energy_j / r->tokens;
    r->latency_per_token_s = phase == ARC_PHASE_PREFILL ? r->latency_s / r->tokens : r->latency_s;
    r->footprint_bytes = footprint_bytes;
    r->fits = footprint_bytes <= r->capacity_bytes;
}

static void one_(const struct arc_op_rec *o, double n, const struct arc_hw *hw, arc_op_model f,
                 const void *fctx, struct arc_result *r, arc_op_visitor visit, void *vctx)
{
    struct arc_op_cost c;
    f(fctx, o, hw, &c);
    arc_result_add(r, o, n, &c);
    if (visit)
        visit(vctx, o, n, &c);
}

void arc_drive_trace(const struct arc_trace *t, const struct arc_hw *hw, arc_op_model f,
                     const void *fctx, struct arc_result *r, arc_op_visitor visit, void *vctx)
{
    for (int i = 0; i < t->n_ops; i++)
        one_(&t->ops[i], 1, hw, f, fctx, r, visit, vctx);
}

static void layer_(const struct arc_model *m, const struct arc_workload *w, const struct arc_plan *p,
                   int layer, double n, const struct arc_hw *hw, arc_op_model f, const void *fctx,
                   struct arc_result *r, arc_op_visitor visit, void *vctx)
{
    struct arc_op_rec ops[ARC_LAYER_OPS_MAX];
    int k = arc_layer_ops(m, w, p, layer, ops, ARC_LAYER_OPS_MAX);
    for (int i = 0; i < k; i++)
        one_(&ops[i], n, hw, f, fctx, r, visit, vctx);
}

void arc_drive_model(const struct arc_model *m, const struct arc_workload *w, const struct arc_hw *hw,
                     arc_op_model f, const void *fctx, struct arc_result *r, arc_op_visitor visit,
                     void *vctx)
{
    struct arc_plan p;
    arc_plan_make(m, w, &p);
    layer_(m, w, &p, -1, 1, hw, f, fctx, r, visit, vctx);
    /* layers of one mixer kind have identical ops: cost the first of each kind, times the count */
    for (int kind = 0; kind < ARC_MIXER_COUNT; kind++) {
        int first = -1, n = 0;
        for (int i = 0; i < m->n_layers; i++)
            if (m->mixer[i] == kind) {
                if (first < 0)
                    first = i;
                n++;
            }
        if (n)
            layer_(m, w, &p, first, n, hw, f, fctx, r, visit, vctx);
    }
    layer_(m, w, &p, m->n_layers, 1, hw, f, fctx, r, visit, vctx);
    if (w->pp > 1) {
        struct arc_op_rec send;
        arc_stage_send_op(m, w, &p, 0, &send);
        one_(&send, w->pp - 1, hw, f, fctx, r, visit, vctx);
    }
}

void arc_op_cost_settle(struct arc_op_cost *c)
{
    const double terms[] = {[ARC_BOUND_COMPUTE] = c->compute_s, [ARC_BOUND_MEMORY] = c->memory_s,
                            [ARC_BOUND_LINK] = c->link_s, [ARC_BOUND_POWER] = c->power_s};
    double t = terms[0];
    c->bound = ARC_BOUND_COMPUTE;
    for (int b = 1; b < (int)(sizeof terms / sizeof terms[0]); b++)
        if (terms[b] > t) {
            t = terms[b];
            c->bound = (enum arc_bound)b;
        }
    if (c->overhead_s > t)
        c->bound = ARC_BOUND_OVERHEAD;
    c->time_s = t + c->overhead_s;
}

int arc_workload_check_hw(const struct arc_workload *w, const struct arc_hw *hw, const char *unit,
                          const char *hint)
{
    if (w->pp < 1 || w->tp < 1 || w->ep < 1 || w->devices < w->pp)
        return arc_errorf(ARC_EINPUT, "--pp: expected pipeline stages, tp and ep of at least 1 and no more stages than devices");
    if (w->devices > hw->f[ARC_HWF_DEVICES])
        return arc_errorf(ARC_EINPUT, "--devices: the workload needs %d %s; hardware %s has %g%s", w->devices,
                          unit, hw->name, hw->f[ARC_HWF_DEVICES], hint);
    return ARC_OK;
}
