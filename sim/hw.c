/* arclight hardware: loading sim/hw/NAME.json with presets and overrides, figures by JSON path.
 * Not for: costing (sim/cost/cost.c). */
#include "arclight/hw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arclight/calib.h"
#include "arclight/energy.h"
#include "arclight/json.h"

#define ALL ((1u << ARC_HW_GPU) | (1u << ARC_HW_LE) | (1u << ARC_HW_SNN))
#define GPU (1u << ARC_HW_GPU)
#define ACC ((1u << ARC_HW_LE) | (1u << ARC_HW_SNN))
#define LE (1u << ARC_HW_LE)
#define SNN (1u << ARC_HW_SNN)

static const struct arc_hw_field_info fields_[] = {
    [ARC_HWF_DEVICES] = {"devices", "devices", 1, 1 << 24, 1, ALL, NULL},
    [ARC_HWF_PROCESS_NM] = {"process_nm", "nm", 1, 1000, 0, ALL, NULL},
    [ARC_HWF_DIE_AREA_MM2] = {"die_area_mm2", "mm^2", 1, 1e5, 0, ALL, NULL},
    [ARC_HWF_LINK_BW] = {"link.bw_bytes_per_s", "B/s", 1e6, 1e15, 0, ALL, NULL},
    [ARC_HWF_LINK_LATENCY] = {"link.latency_s", "s", 0, 1, 0, ALL, NULL},
    [ARC_HWF_E_LINK] = {"energy.link_pj_per_byte", "pJ/B", 0, 1e5, 0, ALL, NULL},
    [ARC_HWF_KERNEL_OVERHEAD] = {"kernel.overhead_s", "s", 0, 1, 0, ALL, NULL},
    [ARC_HWF_BF16_PEAK] = {"compute.bf16.peak_flops_per_s", "flop/s", 1e9, 1e18, 0, GPU, NULL},
    [ARC_HWF_BF16_GEMM] = {"compute.bf16.gemm_flops_per_s", "flop/s", 1e9, 1e18, 0, GPU, NULL},
    [ARC_HWF_BF16_ATTN] = {"compute.bf16.attn_flops_per_s", "flop/s", 1e9, 1e18, 0, GPU, NULL},
    [ARC_HWF_FP8_PEAK] = {"compute.fp8.peak_flops_per_s", "flop/s", 0, 1e18, 0, GPU, NULL},
    [ARC_HWF_FP8_GEMM] = {"compute.fp8.gemm_flops_per_s", "flop/s", 0, 1e18, 0, GPU, NULL},
    [ARC_HWF_FP32_VECTOR] = {"compute.fp32.vector_flops_per_s", "flop/s", 1e9, 1e18, 0, GPU, NULL},
    [ARC_HWF_MEM_CAPACITY] = {"memory.capacity_bytes", "B", 1e6, 1e15, 0, GPU, NULL},
    [ARC_HWF_MEM_BW] = {"memory.bw_bytes_per_s", "B/s", 1e9, 1e16, 0, GPU, NULL},
    [ARC_HWF_MEM_COPY_BW] = {"memory.copy_bw_bytes_per_s", "B/s", 1e9, 1e16, 0, GPU, NULL},
    [ARC_HWF_LINK_COLL_BW] = {"link.collective_bw_bytes_per_s", "B/s", 1e6, 1e15, 0, GPU, NULL},
    [ARC_HWF_TDP] = {"power.tdp_w", "W", 1, 1e5, 0, GPU, NULL},
    [ARC_HWF_IDLE] = {"power.idle_w", "W", 0, 1e5, 0, GPU, NULL},
    [ARC_HWF_E_FLOP] = {"energy.pj_per_flop", "pJ", 0, 1e3, 0, GPU, NULL},
    [ARC_HWF_E_FLOP_FP8] = {"energy.fp8_pj_per_flop", "pJ", 0, 1e3, 0, GPU, NULL},
    [ARC_HWF_E_MEM] = {"energy.mem_pj_per_byte", "pJ/B", 0, 1e5, 0, GPU, NULL},
    [ARC_HWF_CLOCK_HZ] = {"clock_hz", "Hz", 1e6, 1e11, 0, ACC, NULL},
    [ARC_HWF_VDD_V] = {"vdd_v", "V", 0.3, 2.0, 0, ACC, NULL},
    [ARC_HWF_STATIC_W] = {"power.static_w", "W", 0, 1e5, 0, ACC, NULL},
    [ARC_HWF_VECTOR_LANES] = {"vector.lanes", "lanes", 1, 1 << 24, 1, ACC, NULL},
    [ARC_HWF_SRAM_CAPACITY] = {"sram.capacity_bytes", "B", 1024, 1e13, 0, ACC, NULL},
    [ARC_HWF_SRAM_BANKS] = {"sram.banks", "banks", 1, 1 << 24, 1, ACC, NULL},
    [ARC_HWF_SRAM_PORTS] = {"sram.ports", "ports", 1, 64, 1, ACC, NULL},
    [ARC_HWF_SRAM_PORT_BYTES] = {"sram.port_bytes", "B", 1, 1 << 16, 1, ACC, NULL},
    [ARC_HWF_SRAM_WIRE_MM] = {"sram.wire_mm", "mm", 0, 100, 0, ACC, NULL},
    [ARC_HWF_OFFCHIP_KIND] = {"offchip.kind", "", 0, ARC_OFFCHIP_COUNT - 1, 1, ACC, "none|hbm3e|lpddr5x"},
    [ARC_HWF_OFFCHIP_CAPACITY] = {"offchip.capacity_bytes", "B", 0, 1e15, 0, ACC, NULL},
    [ARC_HWF_OFFCHIP_BW] = {"offchip.bw_bytes_per_s", "B/s", 0, 1e16, 0, ACC, NULL},
    [ARC_HWF_MATRIX_ROWS] = {"matrix.rows", "PEs", 1, 1 << 16, 1, LE, NULL},
    [ARC_HWF_MATRIX_COLS] = {"matrix.cols", "PEs", 1, 1 << 16, 1, LE, NULL},
    [ARC_HWF_MATRIX_DTYPE] = {"matrix.dtype", "", 0, 1, 1, LE, "int8|bf16"},
    [ARC_HWF_LU_LANES] = {"lightning_unit.lanes", "lanes", 0, 4096, 1, LE, NULL, 1},
    [ARC_HWF_SNN_CORES] = {"snn.cores", "cores", 1, 1 << 20, 1, SNN, NULL},
    [ARC_HWF_SNN_TIMESTEPS] = {"snn.timesteps", "steps", 1, 1 << 16, 1, SNN, NULL},
    [ARC_HWF_SNN_RATE_MATRIX] = {"snn.rate_matrix", "spikes/step", 0, 1, 0, SNN, NULL},
    [ARC_HWF_SNN_RATE_ATTN] = {"snn.rate_attn", "spikes/step", 0, 1, 0, SNN, NULL},
    [ARC_HWF_SNN_SYNOP_S] = {"snn.synops_per_core_per_s", "1/s", 1, 1e15, 0, SNN, NULL},
    [ARC_HWF_SNN_UPDATE_S] = {"snn.updates_per_core_per_s", "1/s", 1, 1e15, 0, SNN, NULL},
    [ARC_HWF_SNN_MESH_W] = {"snn.mesh_width", "cores", 1, 1 << 12, 1, SNN, NULL},
    [ARC_HWF_SNN_E_SYNOP] = {"snn.synop_pj", "pJ", 0, 1e6, 0, SNN, NULL},
    [ARC_HWF_SNN_E_NEURON] = {"snn.neuron_update_pj", "pJ", 0, 1e6, 0, SNN, NULL},
    [ARC_HWF_SNN_E_SPIKE] = {"snn.spike_out_pj", "pJ", 0, 1e6, 0, SNN, NULL},
    [ARC_HWF_SNN_E_HOP] = {"snn.hop_pj", "pJ", 0, 1e6, 0, SNN, NULL},
    [ARC_HWF_SNN_HOP_S] = {"snn.hop_latency_s", "s", 1e-12, 1e-3, 0, SNN, NULL},
    [ARC_HWF_SNN_ENERGY_NODE] = {"snn.energy_node_nm", "nm", 1, 1000, 0, SNN, NULL},
    [ARC_HWF_SNN_ENERGY_VDD] = {"snn.energy_vdd_v", "V", 0.3, 2.0, 0, SNN, NULL},
};
_Static_assert(ARC_HWF_COUNT == 52, "update fields_");
_Static_assert(sizeof fields_ / sizeof fields_[0] == ARC_HWF_COUNT, "a field lacks its entry");

static const char *const kind_names_[] = {
    [ARC_HW_GPU] = "gpu",
    [ARC_HW_LE] = "le",
    [ARC_HW_SNN] = "snn",
};
_Static_assert(ARC_HW_KIND_COUNT == 3, "update kind_names_");

const char *arc_hw_kind_name(enum arc_hw_kind k)
{
    ARC_ASSERT(k < ARC_HW_KIND_COUNT);
    return kind_names_[k];
}

const struct arc_hw_field_info *arc_hw_field_info(enum arc_hw_field f)
{
    ARC_ASSERT(f < ARC_HWF_COUNT);
    return &fields_[f];
}

int arc_hw_field_find(const char *path)
{
    for (int i = 0; i < ARC_HWF_COUNT; i++)
        if (strcmp(fields_[i].path, path) == 0)
            return i;
    return -1;
}

int arc_hw_has(const struct arc_hw *hw, enum arc_hw_field f)
{
    return (fields_[f].kinds >> hw->kind) & 1u;
}

int arc_hw_choice_index(const char *choices, const char *name)
{
    size_t n = strlen(name);
    int i = 0;
    for (const char *p = choices;; i++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return i;
        if (!bar)
            return -1;
        p = bar + 1;
    }
}

const char *arc_hw_choice(const struct arc_hw *hw, enum arc_hw_field f)
{
    static _Thread_local char buf[32];
    const char *p = fields_[f].choices;
    ARC_ASSERT(p);
    for (int i = 0; i < (int)hw->f[f]; i++)
        p = strchr(p, '|') + 1;
    const char *bar = strchr(p, '|');
    snprintf(buf, sizeof buf, "%.*s", bar ? (int)(bar - p) : (int)strlen(p), p);
    return buf;
}

static int set_checked_(struct arc_hw *hw, int i, double v, const char *src, const char *file)
{
    const struct arc_hw_field_info *fi = &fields_[i];
    if (!isfinite(v) || v < fi->lo || v > fi->hi || (fi->integer && v != floor(v)))
        return arc_errorf(ARC_EINPUT, "%s:%s: expected %s in [%g, %g] %s", file, fi->path,
                          fi->integer ? "an integer" : "a number", fi->lo, fi->hi, fi->unit);
    if (strlen(src) >= ARC_HW_SOURCE_MAX)
        return arc_errorf(ARC_EINPUT, "%s:%s.source: expected at most %d characters", file,
                          fi->path, ARC_HW_SOURCE_MAX - 1);
    hw->f[i] = v;
    snprintf(hw->source[i], ARC_HW_SOURCE_MAX, "%s", src);
    return ARC_OK;
}

static int check_gpu_(const struct arc_hw *hw);
static int check_accel_(const struct arc_hw *hw);

int arc_hw_set(struct arc_hw *hw, const char *path, double value, const char *source)
{
    int i = arc_hw_field_find(path);
    if (i < 0)
        return arc_errorf(ARC_EINPUT, "%s: unknown hardware field", path);
    if (!arc_hw_has(hw, (enum arc_hw_field)i))
        return arc_errorf(ARC_EINPUT, "%s: not a figure of %s hardware", path, kind_names_[hw->kind]);
    struct arc_hw keep = *hw;
    int st = set_checked_(hw, i, value, source ? source : "set by caller", hw->name);
    if (st >= 0)
        st = hw->kind == ARC_HW_GPU ? check_gpu_(hw) : check_accel_(hw);
    if (st >= 0)
        st = arc_energy_derive(hw);
    if (st < 0)
        *hw = keep; /* a refused value leaves the design as it was */
    return st;
}

/* Walks obj (at dotted prefix) and applies every leaf figure. */
static int apply_(struct arc_hw *hw, const cJSON *obj, const char *prefix, const char *file,
                  unsigned char *seen)
{
    int st = arc_json_no_duplicates(obj, file, prefix);
    if (st < 0)
        return st;
    for (const cJSON *c = obj->child; c; c = c->next) {
        char path[256];
        snprintf(path, sizeof path, "%s%s", prefix, c->string);
        if (!*prefix && (c->string[0] == '_' || strcmp(c->string, "name") == 0 ||
                         strcmp(c->string, "kind") == 0 || strcmp(c->string, "description") == 0 ||
                         strcmp(c->string, "preset") == 0 || strcmp(c->string, "cuda_name") == 0 ||
                         strcmp(c->string, "calibration") == 0))
            continue;
        int i = arc_hw_field_find(path);
        if (i < 0 && cJSON_IsObject(c) && !cJSON_GetObjectItemCaseSensitive(c, "value")) {
            char sub[300];
            snprintf(sub, sizeof sub, "%s.", path);
            if ((st = apply_(hw, c, sub, file, seen)) < 0)
                return st;
            continue;
        }
        if (i < 0)
            return arc_errorf(ARC_EINPUT, "%s:%s: unknown hardware field", file, path);
        if (!arc_hw_has(hw, (enum arc_hw_field)i))
            return arc_errorf(ARC_EINPUT, "%s:%s: not a figure of %s hardware", file, path,
                              kind_names_[hw->kind]);
        const char *choices = fields_[i].choices;
        double v;
        char src[ARC_HW_SOURCE_MAX + 64];
        const cJSON *val = cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, "value") : c;
        if (choices) {
            int k = cJSON_IsString(val) ? arc_hw_choice_index(choices, val->valuestring) : -1;
            if (k < 0)
                return arc_errorf(ARC_EINPUT, "%s:%s: expected one of %s", file, path, choices);
            v = k;
        } else if (!cJSON_IsNumber(val)) {
            return arc_errorf(ARC_EINPUT, "%s:%s: expected a number or {\"value\": n, \"source\": \"...\"}", file, path);
        } else {
            v = val->valuedouble;
        }
        if (!cJSON_IsObject(c)) {
            snprintf(src, sizeof src, "override in %s", file);
        } else {
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(c, "source");
            if (!cJSON_IsString(s) || !s->valuestring[0])
                return arc_errorf(ARC_EINPUT, "%s:%s.source: expected a non-empty string naming where the figure comes from", file, path);
            for (const cJSON *k = c->child; k; k = k->next)
                if (strcmp(k->string, "value") && strcmp(k->string, "source") && k->string[0] != '_')
                    return arc_errorf(ARC_EINPUT, "%s:%s.%s: unknown key; expected value and source", file, path, k->string);
            if (strlen(s->valuestring) >= ARC_HW_SOURCE_MAX)
                return arc_errorf(ARC_EINPUT, "%s:%s.source: expected at most %d characters", file,
                                  path, ARC_HW_SOURCE_MAX - 1);
            snprintf(src, sizeof src, "%s", s->valuestring);
        }
        if ((st = set_checked_(hw, i, v, src, file)) < 0)
            return st;
        seen[i] = 1;
    }
    return ARC_OK;
}

static int load_(const char *name_or_path, struct arc_hw *hw, unsigned char *seen, int depth)
{
    if (depth > 8)
        return arc_errorf(ARC_EINPUT, "%s:preset: presets nest more than 8 deep (a cycle?)", name_or_path);
    cJSON *j = NULL;
    char file[256];
    uint64_t fnv;
    int st = arc_json_load("sim/hw", "hardware", name_or_path, &j, file, sizeof file, &fnv);
    if (st < 0)
        return st;
    hw->files_fnv = arc_fnv1a64_u64(hw->files_fnv, fnv);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return arc_errorf(ARC_EINPUT, "%s: expected a JSON object", file);
    }
    const cJSON *preset = cJSON_GetObjectItemCaseSensitive(j, "preset");
    if (preset) {
        if (!cJSON_IsString(preset)) {
            cJSON_Delete(j);
            return arc_errorf(ARC_EINPUT, "%s:preset: expected a hardware name", file);
        }
        if ((st = load_(preset->valuestring, hw, seen, depth + 1)) < 0) {
            cJSON_Delete(j);
            return st;
        }
    }
    const char *s;
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "name"))) {
        if ((st = arc_json_str(j, file, "name", "name", &s)) < 0 || strlen(s) >= sizeof hw->name)
            goto out_bad_name;
        snprintf(hw->name, sizeof hw->name, "%s", s);
    } else if (!preset) {
        st = arc_errorf(ARC_EINPUT, "%s:name: missing; expected a string", file);
        goto out;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "description"))) {
        if ((st = arc_json_str(j, file, "description", "description", &s)) < 0)
            goto out;
        snprintf(hw->description, sizeof hw->description, "%s", s);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "kind")) || !preset) {
        if ((st = arc_json_str(j, file, "kind", "kind", &s)) < 0)
            goto out;
        int k = -1;
        for (int i = 0; i < ARC_HW_KIND_COUNT; i++)
            if (strcmp(s, kind_names_[i]) == 0)
                k = i;
        if (k < 0 || (preset && k != (int)hw->kind)) {
            st = k < 0 ? arc_errorf(ARC_EINPUT, "%s:kind: expected \"gpu\", \"le\" or \"snn\"", file)
                       : arc_errorf(ARC_EINPUT, "%s:kind: expected \"%s\", the kind of its preset", file,
                                    kind_names_[hw->kind]);
            goto out;
        }
        hw->kind = (enum arc_hw_kind)k;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "cuda_name"))) {
        if ((st = arc_json_str(j, file, "cuda_name", "cuda_name", &s)) < 0)
            goto out;
        if (strcmp(s, hw->cuda_name))
            hw->calib_name[0] = '\0'; /* another GPU does not inherit its preset's calibration */
        snprintf(hw->cuda_name, sizeof hw->cuda_name, "%s", s);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "calibration"))) {
        if ((st = arc_json_str(j, file, "calibration", "calibration", &s)) < 0)
            goto out;
        if (strlen(s) >= sizeof hw->calib_name) {
            st = arc_errorf(ARC_EINPUT, "%s:calibration: expected a name or path of at most %zu characters", file,
                            sizeof hw->calib_name - 1);
            goto out;
        }
        snprintf(hw->calib_name, sizeof hw->calib_name, "%s", s);
    }
    snprintf(hw->file, sizeof hw->file, "%s", file);
    st = apply_(hw, j, "", file, seen);
out:
    cJSON_Delete(j);
    return st;
out_bad_name:
    cJSON_Delete(j);
    return st < 0 ? st : arc_errorf(ARC_EINPUT, "%s:name: expected at most 63 characters", file);
}

int arc_hw_load(const char *name_or_path, struct arc_hw *hw)
{
    memset(hw, 0, sizeof *hw);
    hw->files_fnv = ARC_FNV1A64_BASIS;
    unsigned char seen[ARC_HWF_COUNT] = {0};
    int st = load_(name_or_path, hw, seen, 0);
    if (st < 0)
        return st;
    for (int i = 0; i < ARC_HWF_COUNT; i++)
        if (arc_hw_has(hw, (enum arc_hw_field)i) && !seen[i] && fields_[i].optional)
            snprintf(hw->source[i], ARC_HW_SOURCE_MAX, "not in this design (optional figure; 0 = absent)");
        else if (arc_hw_has(hw, (enum arc_hw_field)i) && !seen[i])
            return arc_errorf(ARC_EINPUT, "%s:%s: missing; expected a figure in %s with its source",
                              hw->file, fields_[i].path, fields_[i].unit);
    if ((st = hw->kind == ARC_HW_GPU ? check_gpu_(hw) : check_accel_(hw)) < 0)
        return st;
    if ((st = arc_hw_set_calib(hw, hw->calib_name)) < 0)
        return st;
    return arc_energy_derive(hw);
}

int arc_hw_set_calib(struct arc_hw *hw, const char *name_or_path)
{
    if (!name_or_path || !*name_or_path || strcmp(name_or_path, "none") == 0) {
        hw->calib = NULL;
        snprintf(hw->calib_name, sizeof hw->calib_name, "none");
        return ARC_OK;
    }
    if (hw->kind != ARC_HW_GPU)
        return arc_errorf(ARC_EINPUT, "%s:calibration: only GPUs are calibrated; %s is %s hardware", hw->file, hw->name,
                          kind_names_[hw->kind]);
    const struct arc_calib *c;
    int st = arc_calib_get(name_or_path, hw->name, hw->cuda_name[0] ? hw->cuda_name : NULL, &c);
    if (st < 0)
        return st;
    hw->calib = c;
    if (hw->calib_name != name_or_path)
        snprintf(hw->calib_name, sizeof hw->calib_name, "%s", name_or_path);
    return ARC_OK;
}

static int check_gpu_(const struct arc_hw *hw)
{
    /* achievable rates cannot beat the peaks they are fractions of */
    const struct {
        enum arc_hw_field got, peak;
    } le[] = {{ARC_HWF_BF16_GEMM, ARC_HWF_BF16_PEAK}, {ARC_HWF_BF16_ATTN, ARC_HWF_BF16_PEAK},
              {ARC_HWF_FP8_GEMM, ARC_HWF_FP8_PEAK}, {ARC_HWF_MEM_COPY_BW, ARC_HWF_MEM_BW},
             };
    for (size_t i = 0; i < sizeof le / sizeof le[0]; i++)
        if (hw->f[le[i].got] > hw->f[le[i].peak])
            return arc_errorf(ARC_EINPUT, "%s:%s: expected at most %s (%g)", hw->file,
                              fields_[le[i].got].path, fields_[le[i].peak].path, hw->f[le[i].peak]);
    /* the cost engine divides dynamic energy by the headroom above idle */
    if (hw->f[ARC_HWF_IDLE] >= hw->f[ARC_HWF_TDP])
        return arc_errorf(ARC_EINPUT, "%s:power.idle_w: expected less than power.tdp_w (%g W)", hw->file,
                          hw->f[ARC_HWF_TDP]);
    if ((hw->f[ARC_HWF_FP8_PEAK] > 0) != (hw->f[ARC_HWF_FP8_GEMM] > 0))
        return arc_errorf(ARC_EINPUT, "%s:compute.fp8.gemm_flops_per_s: expected 0 exactly when compute.fp8.peak_flops_per_s is 0", hw->file);
    return ARC_OK;
}

static int check_accel_(const struct arc_hw *hw)
{
    const double *f = hw->f;
    int none = f[ARC_HWF_OFFCHIP_KIND] == ARC_OFFCHIP_NONE;
    if (none != (f[ARC_HWF_OFFCHIP_CAPACITY] == 0) || none != (f[ARC_HWF_OFFCHIP_BW] == 0))
        return arc_errorf(ARC_EINPUT, "%s:%s: expected 0 exactly when offchip.kind is none",
                          hw->file, f[ARC_HWF_OFFCHIP_CAPACITY] == 0 ? "offchip.capacity_bytes" : "offchip.bw_bytes_per_s");
    if (hw->kind == ARC_HW_LE) {
        /* the array's weights, double-buffered, must fit on chip */
        double tile = 2 * f[ARC_HWF_MATRIX_ROWS] * f[ARC_HWF_MATRIX_COLS] *
                      (f[ARC_HWF_MATRIX_DTYPE] == 0 ? 1 : 2);
        if (f[ARC_HWF_SRAM_CAPACITY] < tile)
            return arc_errorf(ARC_EINPUT, "%s:sram.capacity_bytes: expected at least two weight tiles of the matrix array (%.0f bytes)", hw->file, tile);
        int lanes = (int)f[ARC_HWF_LU_LANES];
        if (lanes == 1 || (lanes & (lanes - 1)))
            return arc_errorf(ARC_EINPUT, "%s:lightning_unit.lanes: expected 0 (no unit) or a power of two in [2, 4096], got %d", hw->file, lanes);
    } else {
        double cores = f[ARC_HWF_SNN_CORES], w = f[ARC_HWF_SNN_MESH_W];
        if (fmod(cores, w) != 0)
            return arc_errorf(ARC_EINPUT, "%s:snn.mesh_width: expected a divisor of snn.cores (%g)", hw->file, cores);
    }
    if (f[ARC_HWF_SRAM_CAPACITY] < f[ARC_HWF_SRAM_BANKS])
        return arc_errorf(ARC_EINPUT, "%s:sram.banks: expected at most one bank per byte of sram.capacity_bytes", hw->file);
    return ARC_OK;
}
