/* arclight energy tables: reads sim/energy/NAME.json (built in) once, interpolates, and derives an
 * accelerator's per-event energies at its node and supply.
 * Not for: GPUs (board-level measurements in sim/hw/) or costing (sim/cost/). */
#include "arclight/energy.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "arclight/json.h"

static const char *const eop_names_[] = {
    [ARC_EOP_INT8_ADD] = "int8_add",   [ARC_EOP_INT32_ADD] = "int32_add",
    [ARC_EOP_INT8_MULT] = "int8_mult", [ARC_EOP_INT32_MULT] = "int32_mult",
    [ARC_EOP_FP16_ADD] = "fp16_add",   [ARC_EOP_FP32_ADD] = "fp32_add",
    [ARC_EOP_FP16_MULT] = "fp16_mult", [ARC_EOP_FP32_MULT] = "fp32_mult",
};
_Static_assert(ARC_EOP_COUNT == 8, "update eop_names_");

const char *arc_eop_name(enum arc_eop op)
{
    ARC_ASSERT(op < ARC_EOP_COUNT);
    return eop_names_[op];
}

/* A figure {"value": x, "source": "..."} under obj.key, value in (lo, hi]. */
static int figure_(const cJSON *obj, const char *file, const char *path, const char *key, double lo,
                   double hi, double *out, char *src)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, key);
    const cJSON *v = f ? cJSON_GetObjectItemCaseSensitive(f, "value") : NULL;
    const cJSON *s = f ? cJSON_GetObjectItemCaseSensitive(f, "source") : NULL;
    if (!cJSON_IsNumber(v) || !(v->valuedouble > lo) || v->valuedouble > hi)
        return arc_errorf(ARC_EINPUT, "%s:%s.value: expected a number in (%g, %g]", file, path, lo, hi);
    if (!cJSON_IsString(s) || !s->valuestring[0] || strlen(s->valuestring) >= ARC_ENERGY_SOURCE_MAX)
        return arc_errorf(ARC_EINPUT, "%s:%s.source: expected a source of under %d characters", file,
                          path, ARC_ENERGY_SOURCE_MAX);
    *out = v->valuedouble;
    if (src)
        snprintf(src, ARC_ENERGY_SOURCE_MAX, "%s", s->valuestring);
    return ARC_OK;
}

static int open_(const char *name, cJSON **j, char *file)
{
    const struct arc_builtin *b = arc_builtin_find("sim/energy", name);
    ARC_ASSERT(b);
    snprintf(file, 256, "%s", b->path);
    return arc_json_parse(b->data, file, j);
}

static int read_horowitz_(struct arc_energy_table *t)
{
    cJSON *j;
    char file[256], path[64];
    int st = open_("horowitz-45nm", &j, file);
    if (st < 0)
        return st;
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(j, "ops_pj");
    for (int i = 0; i < ARC_EOP_COUNT && st >= 0; i++) {
        snprintf(path, sizeof path, "ops_pj.%s", eop_names_[i]);
        st = figure_(ops, file, path, eop_names_[i], 0, 1e4, &t->op_pj[i], t->op_src[i]);
    }
    if (st >= 0)
        st = figure_(j, file, "vdd_v", "vdd_v", 0, 5, &t->vdd_ref_v, NULL);
    const cJSON *sram = cJSON_GetObjectItemCaseSensitive(j, "sram_pj_per_64b");
    if (st >= 0 && (!cJSON_IsArray(sram) || cJSON_GetArraySize(sram) < 2 ||
                    cJSON_GetArraySize(sram) > ARC_ENERGY_MAX_POINTS))
        st = arc_errorf(ARC_EINPUT, "%s:sram_pj_per_64b: expected 2 to %d points", file, ARC_ENERGY_MAX_POINTS);
    for (const cJSON *p = st >= 0 ? sram->child : NULL; p && st >= 0; p = p->next) {
        int k = t->n_sram++;
        const cJSON *bytes = cJSON_GetObjectItemCaseSensitive(p, "bytes");
        snprintf(path, sizeof path, "sram_pj_per_64b[%d]", k);
        if (!cJSON_IsNumber(bytes) || bytes->valuedouble < 1 || (k && bytes->valuedouble <= t->sram_bytes[k - 1]))
            st = arc_errorf(ARC_EINPUT, "%s:%s.bytes: expected ascending sizes", file, path);
        else
            t->sram_bytes[k] = bytes->valuedouble;
        if (st >= 0)
            st = figure_(p, file, path, "pj", 0, 1e5, &t->sram_pj64[k], t->sram_src);
    }
    const cJSON *dram = cJSON_GetObjectItemCaseSensitive(j, "dram_pj_per_64b");
    if (st >= 0)
        st = figure_(dram, file, "dram_pj_per_64b.lo", "lo", 0, 1e6, &t->dram_pj64_lo, NULL);
    if (st >= 0)
        st = figure_(dram, file, "dram_pj_per_64b.hi", "hi", 0, 1e6, &t->dram_pj64_hi, NULL);
    cJSON_Delete(j);
    return st;
}

static int read_scaling_(struct arc_energy_table *t)
{
    cJSON *j;
    char file[256], path[64];
    int st = open_("scaling", &j, file);
    if (st < 0)
        return st;
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(j, "node_factor");
    if (!cJSON_IsArray(nodes) || cJSON_GetArraySize(nodes) < 2 || cJSON_GetArraySize(nodes) > ARC_ENERGY_MAX_POINTS)
        st = arc_errorf(ARC_EINPUT, "%s:node_factor: expected 2 to %d nodes", file, ARC_ENERGY_MAX_POINTS);
    for (const cJSON *p = st >= 0 ? nodes->child : NULL; p && st >= 0; p = p->next) {
        int k = t->n_nodes++;
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(p, "nm");
        snprintf(path, sizeof path, "node_factor[%d]", k);
        if (!cJSON_IsNumber(nm) || nm->valuedouble <= 0 || (k && nm->valuedouble >= t->node_nm[k - 1]))
            st = arc_errorf(ARC_EINPUT, "%s:%s.nm: expected descending nodes", file, path);
        else
            t->node_nm[k] = nm->valuedouble;
        if (st >= 0)
            st = figure_(p, file, path, "factor", 0, 100, &t->node_factor[k], t->node_src);
    }
    if (st >= 0 && (t->node_nm[0] != 45 || t->node_factor[0] != 1))
        st = arc_errorf(ARC_EINPUT, "%s:node_factor[0]: expected 45 nm with factor 1", file);
    double vref;
    if (st >= 0)
        st = figure_(j, file, "vdd_ref_v", "vdd_ref_v", 0, 5, &vref, NULL);
    if (st >= 0 && vref != t->vdd_ref_v)
        st = arc_errorf(ARC_EINPUT, "%s:vdd_ref_v: expected the 45 nm table's Vdd (%g V)", file, t->vdd_ref_v);
    if (st >= 0)
        st = figure_(j, file, "wire_pj_per_bit_mm", "wire_pj_per_bit_mm", 0, 100, &t->wire_pj_per_bit_mm, t->wire_src);
    cJSON_Delete(j);
    return st;
}

static int read_offchip_snn_(struct arc_energy_table *t)
{
    cJSON *j;
    char file[256];
    int st = open_("offchip", &j, file);
    if (st < 0)
        return st;
    const cJSON *pj = cJSON_GetObjectItemCaseSensitive(j, "pj_per_bit");
    st = figure_(pj, file, "pj_per_bit.hbm3e", "hbm3e", 0, 1e3, &t->offchip_pj_per_bit[ARC_OFFCHIP_HBM3E],
                 t->offchip_src[ARC_OFFCHIP_HBM3E]);
    if (st >= 0)
        st = figure_(pj, file, "pj_per_bit.lpddr5x", "lpddr5x", 0, 1e3,
                     &t->offchip_pj_per_bit[ARC_OFFCHIP_LPDDR5X], t->offchip_src[ARC_OFFCHIP_LPDDR5X]);
    cJSON_Delete(j);
    if (st < 0 || (st = open_("snn", &j, file)) < 0)
        return st;
    st = figure_(j, file, "ac_pj", "ac_pj", 0, 1e3, &t->snn_ac_pj, t->snn_src);
    if (st >= 0)
        st = figure_(j, file, "mac_pj", "mac_pj", 0, 1e3, &t->snn_mac_pj, NULL);
    cJSON_Delete(j);
    return st;
}

static struct arc_energy_table table_;
static int table_status_;
static char table_error_[1024];
static pthread_once_t table_once_ = PTHREAD_ONCE_INIT;

static void load_once_(void)
{
    int st = read_horowitz_(&table_);
    if (st >= 0)
        st = read_scaling_(&table_);
    if (st >= 0)
        st = read_offchip_snn_(&table_);
    table_status_ = st;
    if (st < 0)
        snprintf(table_error_, sizeof table_error_, "%s", arc_error());
}

int arc_energy_table(const struct arc_energy_table **out)
{
    pthread_once(&table_once_, load_once_);
    if (table_status_ < 0)
        return arc_errorf(table_status_, "%s", table_error_);
    *out = &table_;
    return ARC_OK;
}

/* log-log interpolation through (x[i], y[i]); x ascending; extrapolates along the end segments */
static double loglog_(const double *x, const double *y, int n, double at)
{
    int i = 0;
    while (i < n - 2 && at > x[i + 1])
        i++;
    double t = (log(at) - log(x[i])) / (log(x[i + 1]) - log(x[i]));
    return exp(log(y[i]) + t * (log(y[i + 1]) - log(y[i])));
}

double arc_energy_node_factor(const struct arc_energy_table *t, double node_nm)
{
    if (node_nm > t->node_nm[0] || node_nm < t->node_nm[t->n_nodes - 1])
        return -1;
    double x[ARC_ENERGY_MAX_POINTS], y[ARC_ENERGY_MAX_POINTS];
    for (int i = 0; i < t->n_nodes; i++) { /* ascending for loglog_ */
        x[i] = t->node_nm[t->n_nodes - 1 - i];
        y[i] = t->node_factor[t->n_nodes - 1 - i];
    }
    return loglog_(x, y, t->n_nodes, node_nm);
}

double arc_energy_sram_pj64(const struct arc_energy_table *t, double bytes)
{
    return loglog_(t->sram_bytes, t->sram_pj64, t->n_sram, bytes);
}

int arc_energy_derive(struct arc_hw *hw)
{
    if (hw->kind == ARC_HW_GPU)
        return ARC_OK;
    const struct arc_energy_table *t;
    int st = arc_energy_table(&t);
    if (st < 0)
        return st;
    const double *f = hw->f;
    struct arc_hw_derived *d = &hw->d;
    memset(d, 0, sizeof *d);
    double node = arc_energy_node_factor(t, f[ARC_HWF_PROCESS_NM]);
    if (node < 0)
        return arc_errorf(ARC_EINPUT, "%s:process_nm: expected %g to %g nm, the energy table's range",
                          hw->file, t->node_nm[t->n_nodes - 1], t->node_nm[0]);
    double v = f[ARC_HWF_VDD_V] / t->vdd_ref_v;
    d->scale = node * v * v;
    double clock = f[ARC_HWF_CLOCK_HZ];
    d->vector_flops_per_s = 2 * f[ARC_HWF_VECTOR_LANES] * clock;
    d->sram_bw_bytes_per_s = f[ARC_HWF_SRAM_BANKS] * f[ARC_HWF_SRAM_PORTS] * f[ARC_HWF_SRAM_PORT_BYTES] * clock;
    d->sram_bank_bytes = f[ARC_HWF_SRAM_CAPACITY] / f[ARC_HWF_SRAM_BANKS];
    const double *op = t->op_pj;
    d->vec_flop_pj = 0.5 * (op[ARC_EOP_FP32_ADD] + op[ARC_EOP_FP32_MULT]) * d->scale;
    d->fp32_mult_pj = op[ARC_EOP_FP32_MULT] * d->scale;
    d->sram_pj_per_byte = arc_energy_sram_pj64(t, d->sram_bank_bytes) / 8 * d->scale;
    d->wire_pj_per_byte = t->wire_pj_per_bit_mm * 8 * f[ARC_HWF_SRAM_WIRE_MM];
    d->offchip_pj_per_byte = t->offchip_pj_per_bit[(int)f[ARC_HWF_OFFCHIP_KIND]] * 8;
    if (hw->kind == ARC_HW_LE) {
        d->macs_per_s = f[ARC_HWF_MATRIX_ROWS] * f[ARC_HWF_MATRIX_COLS] * clock;
        int int8 = f[ARC_HWF_MATRIX_DTYPE] == 0;
        /* int8 x int8 into an int32 accumulator; bf16 (fp16 figures) into fp32 */
        d->mac_pj = (int8 ? op[ARC_EOP_INT8_MULT] + op[ARC_EOP_INT32_ADD]
                          : op[ARC_EOP_FP16_MULT] + op[ARC_EOP_FP32_ADD]) * d->scale;
    } else {
        double at = arc_energy_node_factor(t, f[ARC_HWF_SNN_ENERGY_NODE]);
        if (at < 0)
            return arc_errorf(ARC_EINPUT, "%s:snn.energy_node_nm: expected %g to %g nm, the energy table's range",
                              hw->file, t->node_nm[t->n_nodes - 1], t->node_nm[0]);
        double vs = f[ARC_HWF_VDD_V] / f[ARC_HWF_SNN_ENERGY_VDD];
        d->snn_scale = node / at * vs * vs;
        d->synop_pj = f[ARC_HWF_SNN_E_SYNOP] * d->snn_scale;
        d->neuron_pj = f[ARC_HWF_SNN_E_NEURON] * d->snn_scale;
        d->spike_pj = f[ARC_HWF_SNN_E_SPIKE] * d->snn_scale;
        d->hop_pj = f[ARC_HWF_SNN_E_HOP] * d->snn_scale;
        d->ac_pj = t->snn_ac_pj * d->scale;
        d->paper_mac_pj = t->snn_mac_pj * d->scale;
        d->mac_pj = d->paper_mac_pj;
        double w = f[ARC_HWF_SNN_MESH_W], h = f[ARC_HWF_SNN_CORES] / w;
        d->mean_hops = (w + h) / 3; /* uniform random source and sink on a W x H mesh */
    }
    return ARC_OK;
}
