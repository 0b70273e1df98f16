/* arclight SystemC engine, the library side (include/arclight/systemc.h): checks the hardware,
 * writes the trace (traces/FORMAT.md) and the hardware (a flat JSON file of every figure with its
 * source, which arc_hw_load reads back exactly) into a temporary directory, runs arclight-systemc
 * through arc_run_tool, and turns its JSON (sim/systemc/main.cpp) into a struct arc_result with
 * the shared drivers, calling the visitor once per op as the cycle engine does.
 * Not for: the model (sim/systemc/le_model.cpp). */
#include "arclight/systemc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "arclight/fsutil.h"
#include "arclight/json.h"

static int executable_(const char *p) { return access(p, X_OK) == 0; }

int arc_systemc_tool(char *buf, size_t n)
{
    const char *env = getenv("ARCLIGHT_SYSTEMC");
    if (env && *env) {
        if (!executable_(env))
            return arc_errorf(ARC_EINPUT, "ARCLIGHT_SYSTEMC: %s is not an executable program; expected the path of arclight-systemc", env);
        snprintf(buf, n, "%s", env);
        return ARC_OK;
    }
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = 0;
        char *slash = strrchr(self, '/');
        if (slash) {
            snprintf(buf, n, "%.*s/arclight-systemc", (int)(slash - self), self);
            if (executable_(buf))
                return ARC_OK;
        }
    }
#ifdef ARC_SYSTEMC_TOOL
    if (executable_(ARC_SYSTEMC_TOOL)) {
        snprintf(buf, n, "%s", ARC_SYSTEMC_TOOL);
        return ARC_OK;
    }
#endif
    return arc_errorf(ARC_EINPUT, "--engine: the systemc engine's program arclight-systemc was not found next to this program%s; build it (needs libsystemc-dev, scripts/install-deps.sh) or set ARCLIGHT_SYSTEMC",
#ifdef ARC_SYSTEMC_TOOL
                      " or at " ARC_SYSTEMC_TOOL
#else
                      " (this build has no SystemC)"
#endif
    );
}

/* hw as a hardware file: name, kind, description and every figure of its kind with its source */
static int write_hw_(const struct arc_hw *hw, const char *path)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "name", hw->name);
    cJSON_AddStringToObject(j, "kind", arc_hw_kind_name(hw->kind));
    cJSON_AddStringToObject(j, "description", hw->description);
    for (int i = 0; i < ARC_HWF_COUNT; i++) {
        const struct arc_hw_field_info *fi = arc_hw_field_info((enum arc_hw_field)i);
        if (!arc_hw_has(hw, (enum arc_hw_field)i) || (fi->optional && hw->f[i] == 0))
            continue; /* another kind's, or a part the design lacks */
        cJSON *o = cJSON_AddObjectToObject(j, fi->path);
        if (fi->choices)
            cJSON_AddStringToObject(o, "value", arc_hw_choice(hw, (enum arc_hw_field)i));
        else
            cJSON_AddNumberToObject(o, "value", hw->f[i]);
        cJSON_AddStringToObject(o, "source", hw->source[i][0] ? hw->source[i] : "set by caller");
    }
    size_t len;
    char *txt = arc_json_text(j, true, &len);
    int st = arc_file_write_atomic(path, txt, len);
    free(txt);
    return st;
}

/* a number array member of n entries */
static int numbers_(const cJSON *o, const char *file, const char *key, double *out, int n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return arc_errorf(ARC_ETOOL, "%s:%s: expected an array of %d numbers", file, key, n);
    int i = 0;
    for (const cJSON *x = a->child; x; x = x->next, i++) {
        if (!cJSON_IsNumber(x))
            return arc_errorf(ARC_ETOOL, "%s:%s: expected numbers", file, key);
        out[i] = x->valuedouble;
    }
    return ARC_OK;
}

static const char method_[] =
    "SystemC TLM-2.0 model of one chip (loosely timed, b_transport with delay annotation): DMA "
    "engine, SRAM banks, off-chip memory, compute unit (array tiles with fill and drain, vector "
    "unit) and links; the cycle engine's steps and energy per counted event";

/* the tool's result (file) into r; every failure is the tool's (ARC_ETOOL) */
static int read_result_(const char *file, const struct arc_trace *t, const struct arc_hw *hw,
                        struct arc_result *r, arc_op_visitor visit, void *ctx)
{
    char *text;
    size_t len;
    int st = arc_file_read(file, &text, &len);
    if (st < 0)
        return arc_errorf(ARC_ETOOL, "arclight-systemc: wrote no result (%s)", arc_error());
    cJSON *j;
    st = arc_json_parse(text, file, &j);
    free(text);
    if (st < 0)
        return arc_errorf(ARC_ETOOL, "arclight-systemc: %s", arc_error());
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(j, "ops");
    const cJSON *units = cJSON_GetObjectItemCaseSensitive(j, "units");
    double cycles = 0, clock_hz = 0;
    if (!cJSON_IsArray(ops) || cJSON_GetArraySize(ops) != t->n_ops || !cJSON_IsObject(units) ||
        arc_json_num(j, file, "cycles", "cycles", 0, 1e18, &cycles) < 0 ||
        arc_json_num(j, file, "clock_hz", "clock_hz", 1, 1e12, &clock_hz) < 0) {
        cJSON_Delete(j);
        return arc_errorf(ARC_ETOOL, "%s: expected ops (one per trace op), units, cycles and clock_hz", file);
    }
    arc_result_begin(r, "systemc", hw, &t->wl, hw->f[ARC_HWF_SRAM_CAPACITY] + hw->f[ARC_HWF_OFFCHIP_CAPACITY], method_);
    struct arc_accel_plan pl;
    double act = 0;
    for (int i = 0; i < t->n_ops; i++)
        if ((double)t->ops[i].bytes[ARC_MEM_ACT] > act)
            act = (double)t->ops[i].bytes[ARC_MEM_ACT];
    arc_accel_plan(hw, (double)t->mem_weight_bytes, (double)t->mem_kv_bytes, (double)t->mem_state_bytes, act, &pl);
    snprintf(r->regime, sizeof r->regime, "%s", pl.regime);
    int i = 0;
    for (const cJSON *o = ops->child; o && st >= 0; o = o->next, i++) {
        struct arc_op_cost c;
        memset(&c, 0, sizeof c);
        const char *bound = NULL;
        if ((st = arc_json_num(o, file, "time_s", "time_s", 0, 1e9, &c.time_s)) < 0 ||
            (st = arc_json_num(o, file, "compute_s", "compute_s", 0, 1e9, &c.compute_s)) < 0 ||
            (st = arc_json_num(o, file, "memory_s", "memory_s", 0, 1e9, &c.memory_s)) < 0 ||
            (st = arc_json_num(o, file, "link_s", "link_s", 0, 1e9, &c.link_s)) < 0 ||
            (st = arc_json_num(o, file, "overhead_s", "overhead_s", 0, 1e9, &c.overhead_s)) < 0 ||
            (st = arc_json_str(o, file, "bound", "bound", &bound)) < 0 ||
            (st = numbers_(o, file, "energy_j", c.energy_j, ARC_EPART_COUNT)) < 0 ||
            (st = numbers_(o, file, "mem_time_s", c.mem_time_s, ARC_MEM_COUNT)) < 0 ||
            (st = numbers_(o, file, "mem_energy_j", c.mem_energy_j, ARC_MEM_COUNT)) < 0)
            break;
        int b = -1;
        for (int k = 0; k < ARC_BOUND_COUNT; k++)
            if (strcmp(bound, arc_bound_name((enum arc_bound)k)) == 0)
                b = k;
        if (b < 0) {
            st = arc_errorf(ARC_ETOOL, "%s:bound: unknown bound \"%s\"", file, bound);
            break;
        }
        c.bound = (enum arc_bound)b;
        arc_result_add(r, &t->ops[i], 1, &c);
        if (visit)
            visit(ctx, &t->ops[i], 1, &c);
    }
    if (st < 0) {
        st = arc_errorf(ARC_ETOOL, "arclight-systemc: bad result: %s", arc_error());
        cJSON_Delete(j);
        return st;
    }
    arc_result_finish(r, hw->f[ARC_HWF_STATIC_W],
                      (double)t->mem_weight_bytes + (double)t->mem_kv_bytes + (double)t->mem_state_bytes,
                      t->wl.phase);
    r->fits = pl.sram_need <= hw->f[ARC_HWF_SRAM_CAPACITY] && pl.offchip_need <= hw->f[ARC_HWF_OFFCHIP_CAPACITY];
    r->cycles = (uint64_t)cycles;
    r->clock_hz = clock_hz;
    /* unit names as static strings (arc_result holds pointers) */
    static const char *const names[] = {"dma", "sram", "array", "vector", "link", "lightning"};
    for (size_t k = 0; k < sizeof names / sizeof names[0] && r->n_units < ARC_RESULT_UNITS_MAX; k++) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(units, names[k]);
        if (!cJSON_IsNumber(u))
            continue;
        int n = r->n_units++;
        r->unit_name[n] = names[k];
        r->unit_busy_cycles[n] = u->valuedouble;
        r->unit_util[n] = cycles > 0 ? u->valuedouble / cycles : 0;
    }
    cJSON_Delete(j);
    return ARC_OK;
}

/* the last non-empty line of the tool's log, for the error message */
static void last_line_(const char *log, char *buf, size_t n)
{
    char *text;
    size_t len;
    buf[0] = 0;
    if (arc_file_read(log, &text, &len) < 0)
        return;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = 0;
    char *nl = strrchr(text, '\n');
    snprintf(buf, n, "%s", nl ? nl + 1 : text);
    free(text);
}

static int run_trace_(const struct arc_trace *t, const struct arc_hw *hw, struct arc_result *r,
                      arc_op_visitor visit, void *ctx)
{
    if (hw->kind != ARC_HW_LE)
        return arc_errorf(ARC_EINPUT, "%s:kind: expected \"le\"; the systemc engine models one le chip (use --engine cost%s for %s)",
                          hw->file, hw->kind == ARC_HW_SNN ? " or cycle" : "", hw->name);
    int st = arc_accel_check(&t->wl, hw);
    if (st < 0)
        return st;
    char tool[4096];
    if ((st = arc_systemc_tool(tool, sizeof tool)) < 0)
        return st;
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/arclight-systemc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return arc_errorf(ARC_EIO, "%s: cannot make a temporary directory: %s", dir, strerror(errno));
    char trace_p[4200], hw_p[4200], res_p[4200], log_p[4200];
    snprintf(trace_p, sizeof trace_p, "%s/trace.csv", dir);
    snprintf(hw_p, sizeof hw_p, "%s/hw.json", dir);
    snprintf(res_p, sizeof res_p, "%s/result.json", dir);
    snprintf(log_p, sizeof log_p, "%s/log.txt", dir);
    if ((st = arc_trace_write(t, trace_p)) >= 0 && (st = write_hw_(hw, hw_p)) >= 0) {
        char *argv[] = {tool, trace_p, hw_p, res_p, NULL};
        st = arc_run_tool(argv, NULL, log_p);
        if (st < 0) {
            char line[512];
            last_line_(log_p, line, sizeof line);
            st = arc_errorf(ARC_ETOOL, "%s: failed%s%s", tool, line[0] ? ": " : "", line);
        } else {
            st = read_result_(res_p, t, hw, r, visit, ctx);
        }
    }
    unlink(trace_p);
    unlink(hw_p);
    unlink(res_p);
    unlink(log_p);
    rmdir(dir);
    return st;
}

const struct arc_engine arc_engine_systemc = {
    .name = "systemc",
    .doc = "SystemC TLM-2.0 model of one le chip (arclight-systemc): DMA, SRAM, off-chip memory, "
           "compute unit and links as initiators and targets",
    .run_trace = run_trace_,
    .run_model = NULL,
};
