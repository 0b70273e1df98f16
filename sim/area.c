/* arclight area: reads sim/area/nodes.json and sim/area/lightning-unit.json (built in, or files a
 * user names), interpolates the node tables, and adds an le design's lightning unit to its die
 * area (include/arclight/area.h says what is counted and why).
 * Not for: running Yosys (codegen/verilog/area.c, reports/unit_area.c) or costing. */
#include "arclight/area.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "arclight/json.h"

/* A figure {"value": x, "source": "..."} under obj.key, value in (lo, hi]; path names it. */
static int figure_(const cJSON *obj, const char *file, const char *path, const char *key, double lo,
                   double hi, double *out, char *src)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, key);
    const cJSON *v = cJSON_IsObject(f) ? cJSON_GetObjectItemCaseSensitive(f, "value") : NULL;
    const cJSON *s = cJSON_IsObject(f) ? cJSON_GetObjectItemCaseSensitive(f, "source") : NULL;
    if (!cJSON_IsObject(f))
        return arc_errorf(ARC_EINPUT, "%s:%s: expected {\"value\": number, \"source\": text}", file, path);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || !(v->valuedouble > lo) || v->valuedouble > hi)
        return arc_errorf(ARC_EINPUT, "%s:%s.value: expected a number in (%g, %g]", file, path, lo, hi);
    if (!cJSON_IsString(s) || !s->valuestring[0] || strlen(s->valuestring) >= ARC_AREA_SOURCE_MAX)
        return arc_errorf(ARC_EINPUT, "%s:%s.source: expected where the figure comes from, under %d characters",
                          file, path, ARC_AREA_SOURCE_MAX);
    *out = v->valuedouble;
    if (src)
        snprintf(src, ARC_AREA_SOURCE_MAX, "%s", s->valuestring);
    return ARC_OK;
}

/* A node table: [{"nm": N, key: figure}, ...], nodes descending from 45 nm (first) */
static int nodes_(const cJSON *j, const char *file, const char *name, const char *key, double hi,
                  int *n, double *nm, double *val, char (*src)[ARC_AREA_SOURCE_MAX])
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, name);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) < 2 || cJSON_GetArraySize(a) > ARC_AREA_MAX_POINTS)
        return arc_errorf(ARC_EINPUT, "%s:%s: expected a list of 2 to %d nodes", file, name, ARC_AREA_MAX_POINTS);
    *n = 0;
    char path[96];
    for (const cJSON *p = a->child; p; p = p->next) {
        int k = (*n)++;
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(p, "nm");
        snprintf(path, sizeof path, "%s[%d].nm", name, k);
        if (!cJSON_IsNumber(x) || !(x->valuedouble > 0) || (k == 0 && x->valuedouble != 45) ||
            (k > 0 && !(x->valuedouble < nm[k - 1])))
            return arc_errorf(ARC_EINPUT, "%s:%s: expected nodes in nm, descending from 45", file, path);
        nm[k] = x->valuedouble;
        snprintf(path, sizeof path, "%s[%d].%s", name, k, key);
        int st = figure_(p, file, path, key, 0, hi, &val[k], src[k]);
        if (st < 0)
            return st;
        if (k > 0 && val[k] > val[k - 1])
            return arc_errorf(ARC_EINPUT, "%s:%s.value: expected no more than the larger node's %g", file, path,
                              val[k - 1]);
    }
    return ARC_OK;
}

static int read_nodes_(const char *name, struct arc_area_table *t)
{
    cJSON *j;
    int st = arc_json_load("sim/area", "area data", name ? name : "nodes", &j, t->nodes_file, sizeof t->nodes_file, NULL);
    if (st < 0)
        return st;
    const char *f = t->nodes_file;
    st = nodes_(j, f, "logic_factor", "factor", 1, &t->n_logic, t->logic_nm, t->logic_factor, t->logic_src);
    if (st >= 0 && t->logic_factor[0] != 1)
        st = arc_errorf(ARC_EINPUT, "%s:logic_factor[0].factor.value: expected 1 at 45 nm", f);
    if (st >= 0)
        st = nodes_(j, f, "sram_bitcell_um2", "um2", 10, &t->n_cell, t->cell_nm, t->cell_um2, t->cell_src);
    if (st >= 0)
        st = figure_(j, f, "sram_array_efficiency", "sram_array_efficiency", 0, 1, &t->sram_efficiency,
                     t->efficiency_src);
    cJSON_Delete(j);
    return st;
}

/* a whole number member of o in [lo, hi] */
static int int_(const cJSON *o, const char *file, const char *path, const char *key, int64_t lo, int64_t hi,
                int64_t *out)
{
    char field[128];
    snprintf(field, sizeof field, "%s.%s", path, key);
    return arc_json_int(o, file, field, key, lo, hi, out);
}

static int design_(const cJSON *p, const char *file, const char *path, int fitted, int word_bits,
                   struct arc_area_design *d)
{
    int64_t v[6];
    static const char *const keys[6] = {"dim", "lanes", "heads", "cells", "flip_flops", "state_bits"};
    static const int64_t hi[6] = {1 << 12, 1 << 11, 1 << 10, INT64_C(1) << 40, INT64_C(1) << 40, INT64_C(1) << 40};
    for (int i = 0; i < 6; i++) {
        int st = int_(p, file, path, keys[i], i < 3 ? 1 : 0, hi[i], &v[i]);
        if (st < 0)
            return st;
    }
    d->dim = (int)v[0], d->lanes = (int)v[1], d->heads = (int)v[2];
    d->cells = v[3], d->flip_flops = v[4], d->state_bits = v[5];
    d->fitted = fitted;
    if (d->state_bits != (int64_t)d->heads * d->dim * d->dim * word_bits)
        return arc_errorf(ARC_EINPUT, "%s:%s.state_bits: expected heads x dim x dim x %d = %lld", file, path,
                          word_bits, (long long)d->heads * d->dim * d->dim * word_bits);
    char field[128];
    snprintf(field, sizeof field, "%s.logic_um2", path);
    int st = arc_json_num(p, file, field, "logic_um2", 1, 1e12, &d->logic_um2);
    const char *h = NULL;
    snprintf(field, sizeof field, "%s.verilog_fnv1a64", path);
    if (st >= 0 && (st = arc_json_str(p, file, field, "verilog_fnv1a64", &h)) >= 0 && strlen(h) != 16)
        st = arc_errorf(ARC_EINPUT, "%s:%s: expected 16 hex digits", file, field);
    if (st >= 0)
        snprintf(d->verilog_fnv1a64, sizeof d->verilog_fnv1a64, "%s", h);
    return st;
}

static int read_unit_(const char *name, struct arc_area_table *t)
{
    cJSON *j;
    int st = arc_json_load("sim/area", "area data", name ? name : "lightning-unit", &j, t->unit_file,
                           sizeof t->unit_file, NULL);
    if (st < 0)
        return st;
    const char *f = t->unit_file, *s = NULL;
    int bits = 0, frac = 0;
    if ((st = arc_json_str(j, f, "format", "format", &s)) >= 0 &&
        (sscanf(s, "fixed:%d.%d", &bits, &frac) != 2 || bits < 4 || bits > 24 || strlen(s) >= sizeof t->format))
        st = arc_errorf(ARC_EINPUT, "%s:format: expected fixed:W.F, the designs' number format", f);
    if (st >= 0) {
        snprintf(t->format, sizeof t->format, "%s", s);
        t->word_bits = bits;
    }
    static const struct { const char *key; size_t off, n; } texts[] = {
        {"yosys", offsetof(struct arc_area_table, yosys), sizeof t->yosys},
        {"command", offsetof(struct arc_area_table, command), sizeof t->command},
        {"flow", offsetof(struct arc_area_table, flow), sizeof t->flow},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0] && st >= 0; i++) {
        if ((st = arc_json_str(j, f, texts[i].key, texts[i].key, &s)) < 0)
            break;
        if (!s[0] || strlen(s) >= texts[i].n)
            st = arc_errorf(ARC_EINPUT, "%s:%s: expected text of 1 to %zu characters", f, texts[i].key,
                            texts[i].n - 1);
        else
            snprintf((char *)t + texts[i].off, texts[i].n, "%s", s);
    }
    const cJSON *fit = cJSON_GetObjectItemCaseSensitive(j, "logic_um2_45nm");
    if (st >= 0 && !cJSON_IsObject(fit))
        st = arc_errorf(ARC_EINPUT, "%s:logic_um2_45nm: expected the fit {\"base\", \"per_lane\", \"per_dim\"}", f);
    if (st >= 0)
        st = figure_(fit, f, "logic_um2_45nm.base", "base", -1e9, 1e9, &t->base_um2, t->fit_src);
    if (st >= 0)
        st = figure_(fit, f, "logic_um2_45nm.per_lane", "per_lane", 0, 1e9, &t->per_lane_um2, NULL);
    if (st >= 0)
        st = figure_(fit, f, "logic_um2_45nm.per_dim", "per_dim", 0, 1e9, &t->per_dim_um2, NULL);
    t->n_designs = 0;
    for (int list = 0; list < 2 && st >= 0; list++) {
        const char *key = list == 0 ? "designs" : "checks";
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, key);
        if (!cJSON_IsArray(a) || (list == 0 && cJSON_GetArraySize(a) < 3) ||
            t->n_designs + cJSON_GetArraySize(a) > ARC_AREA_MAX_DESIGNS) {
            st = arc_errorf(ARC_EINPUT, "%s:%s: expected a list of %s designs (at most %d in all)", f, key,
                            list == 0 ? "at least 3 fitted" : "checked", ARC_AREA_MAX_DESIGNS);
            break;
        }
        int k = 0;
        for (const cJSON *p = a->child; p && st >= 0; p = p->next, k++) {
            char path[48];
            snprintf(path, sizeof path, "%s[%d]", key, k);
            st = design_(p, f, path, list == 0, t->word_bits, &t->designs[t->n_designs++]);
        }
    }
    cJSON_Delete(j);
    if (st < 0)
        return st;
    for (int i = 0; i < t->n_designs; i++) {
        const struct arc_area_design *d = &t->designs[i];
        double e = fabs(arc_area_unit_logic_um2(t, d->dim, d->lanes) - d->logic_um2) / d->logic_um2;
        double *m = d->fitted ? &t->fit_max_rel_err : &t->check_max_rel_err;
        *m = e > *m ? e : *m;
    }
    return ARC_OK;
}

int arc_area_table_load(const char *nodes, const char *unit, struct arc_area_table *t)
{
    memset(t, 0, sizeof *t);
    int st = read_nodes_(nodes, t);
    return st < 0 ? st : read_unit_(unit, t);
}

static struct arc_area_table table_;
static int table_status_;
static char table_error_[1024];
static pthread_once_t table_once_ = PTHREAD_ONCE_INIT;

static void load_once_(void)
{
    table_status_ = arc_area_table_load(NULL, NULL, &table_);
    if (table_status_ < 0)
        snprintf(table_error_, sizeof table_error_, "%s", arc_error());
}

int arc_area_table(const struct arc_area_table **out)
{
    pthread_once(&table_once_, load_once_);
    if (table_status_ < 0)
        return arc_errorf(table_status_, "%s", table_error_);
    *out = &table_;
    return ARC_OK;
}

/* log-log interpolation over a table whose nodes descend; -1 outside it */
static double at_node_(const double *nm, const double *y, int n, double node)
{
    if (!(node <= nm[0] && node >= nm[n - 1]))
        return -1;
    int i = 0;
    while (i < n - 2 && node < nm[i + 1])
        i++;
    double u = (log(node) - log(nm[i])) / (log(nm[i + 1]) - log(nm[i]));
    return exp(log(y[i]) + u * (log(y[i + 1]) - log(y[i])));
}

double arc_area_logic_factor(const struct arc_area_table *t, double node_nm)
{
    return at_node_(t->logic_nm, t->logic_factor, t->n_logic, node_nm);
}

double arc_area_bitcell_um2(const struct arc_area_table *t, double node_nm)
{
    return at_node_(t->cell_nm, t->cell_um2, t->n_cell, node_nm);
}

double arc_area_sram_mm2(const struct arc_area_table *t, double node_nm, double bits)
{
    double c = arc_area_bitcell_um2(t, node_nm);
    return c < 0 ? -1 : bits * c / t->sram_efficiency * 1e-6;
}

double arc_area_unit_logic_um2(const struct arc_area_table *t, int dim, int lanes)
{
    return t->base_um2 + t->per_lane_um2 * lanes + t->per_dim_um2 * dim;
}

int arc_area_le(const struct arc_area_table *t, const struct arc_hw *hw, int dim, struct arc_le_area *a)
{
    memset(a, 0, sizeof *a);
    a->die_mm2 = a->total_mm2 = hw->f[ARC_HWF_DIE_AREA_MM2];
    a->node_nm = hw->f[ARC_HWF_PROCESS_NM];
    if (hw->kind != ARC_HW_LE)
        return ARC_OK;
    a->sram_mm2 = arc_area_sram_mm2(t, a->node_nm, hw->f[ARC_HWF_SRAM_CAPACITY] * 8);
    if (hw->f[ARC_HWF_LU_LANES] < 1)
        return ARC_OK;
    if (dim < 1)
        return arc_errorf(ARC_EINPUT, "%s:lightning_unit.lanes: the unit's head dimension must be at least 1, got %d",
                          hw->file, dim);
    a->lanes = (int)hw->f[ARC_HWF_LU_LANES];
    a->dim = dim;
    a->logic_factor = arc_area_logic_factor(t, a->node_nm);
    if (a->logic_factor < 0 || a->sram_mm2 < 0)
        return arc_errorf(ARC_EINPUT, "%s:process_nm: expected %g to %g nm for a lightning unit's area, the range of %s",
                          hw->file, fmax(t->logic_nm[t->n_logic - 1], t->cell_nm[t->n_cell - 1]),
                          fmin(t->logic_nm[0], t->cell_nm[0]), t->nodes_file);
    a->unit_logic_45nm_mm2 = arc_area_unit_logic_um2(t, dim, a->lanes) * 1e-6;
    a->unit_logic_mm2 = a->unit_logic_45nm_mm2 * a->logic_factor;
    a->state_bits_per_head = (double)dim * dim * t->word_bits;
    a->state_mm2_per_head = arc_area_sram_mm2(t, a->node_nm, a->state_bits_per_head);
    a->total_mm2 = a->die_mm2 + a->unit_logic_mm2;
    return ARC_OK;
}

int arc_area_device_mm2(const struct arc_hw *hw, int dim, double *mm2)
{
    *mm2 = hw->f[ARC_HWF_DIE_AREA_MM2];
    if (hw->kind != ARC_HW_LE || hw->f[ARC_HWF_LU_LANES] < 1)
        return ARC_OK; /* no unit: the die area, exactly, and no table read */
    const struct arc_area_table *t;
    struct arc_le_area a;
    int st = arc_area_table(&t);
    if (st >= 0 && (st = arc_area_le(t, hw, dim, &a)) >= 0)
        *mm2 = a.total_mm2;
    return st;
}
