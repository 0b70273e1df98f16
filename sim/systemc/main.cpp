/* arclight-systemc: runs the SystemC TLM-2.0 model of one le chip (le_model.h) on a trace and a
 * hardware file and writes its figures as JSON, for the "systemc" engine (sim/systemc/systemc.c),
 * which starts it once per run: a SystemC kernel elaborates and runs only once per process.
 *
 * Usage: arclight-systemc TRACE.csv HW.json RESULT.json
 * RESULT.json (written atomically): {"format": "arclight-systemc 1", "cycles", "clock_hz",
 * "units": {name: busy_cycles}, "ops": [one object per trace op, in order: time_s, compute_s,
 * memory_s, link_s, overhead_s, bound, energy_j[ARC_EPART_COUNT], mem_time_s[ARC_MEM_COUNT],
 * mem_energy_j[ARC_MEM_COUNT]]}. The engine turns these into a struct arc_result with the
 * library's own drivers (arc_result_add, arc_result_finish).
 * Exit status: 0; 2 on bad input (one line "arclight-systemc: FILE:FIELD: ..." on stderr); 1 else.
 * Not for: users (they run `arclight sim --engine systemc`). */
#include "le_model.h"

#include <cstdio>
#include <cstdlib>

/* the C headers name some structs and functions alike (arc_accel_plan), which C++ calls shadowing */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#include <cjson/cJSON.h>

#include "arclight/fsutil.h"
#include "arclight/json.h"
}
#pragma GCC diagnostic pop

static int fail_(int st)
{
    std::fprintf(stderr, "arclight-systemc: %s\n", arc_error());
    return st == ARC_EINPUT ? 2 : 1;
}

static void numbers_(cJSON *o, const char *key, const double *v, int n)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
}

static const char *const unit_names_[] = {"dma", "sram", "array", "vector", "mesh", "link", "lightning"};
static_assert(CYC_UNIT_COUNT == 7, "update unit_names_");

int sc_main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: arclight-systemc TRACE.csv HW.json RESULT.json\n");
        return 2;
    }
    sc_core::sc_set_time_resolution(1, sc_core::SC_FS);
    struct arc_hw hw;
    struct arc_trace t;
    int st = arc_hw_load(argv[2], &hw);
    if (st < 0)
        return fail_(st);
    if (hw.kind != ARC_HW_LE)
        return fail_(arc_errorf(ARC_EINPUT, "%s:kind: expected \"le\"; the SystemC model is of one le chip", hw.file));
    if ((st = arc_trace_read(argv[1], &t)) < 0)
        return fail_(st);
    if ((st = arc_accel_check(&t.wl, &hw)) < 0) {
        arc_trace_free(&t);
        return fail_(st);
    }
    cJSON *j = cJSON_CreateObject();
    {
        arcsc::LeChip chip("chip", &t, &hw);
        sc_core::sc_start();
        cJSON_AddStringToObject(j, "format", "arclight-systemc 1");
        cJSON_AddNumberToObject(j, "cycles", chip.cycles);
        cJSON_AddNumberToObject(j, "clock_hz", chip.clk.hz);
        cJSON *u = cJSON_AddObjectToObject(j, "units");
        for (int k = 0; k < CYC_UNIT_COUNT; k++)
            if (k != CYC_MESH && (k != CYC_DMA || hw.f[ARC_HWF_OFFCHIP_BW] > 0) &&
                (k != CYC_LIGHT || hw.f[ARC_HWF_LU_LANES] > 0)) /* units the design has */
                cJSON_AddNumberToObject(u, unit_names_[k], chip.unit_busy[k]);
        cJSON *ops = cJSON_AddArrayToObject(j, "ops");
        for (const arcsc::OpFigures &f : chip.ops) {
            const struct arc_op_cost &c = f.c;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "time_s", c.time_s);
            cJSON_AddNumberToObject(o, "compute_s", c.compute_s);
            cJSON_AddNumberToObject(o, "memory_s", c.memory_s);
            cJSON_AddNumberToObject(o, "link_s", c.link_s);
            cJSON_AddNumberToObject(o, "overhead_s", c.overhead_s);
            cJSON_AddStringToObject(o, "bound", arc_bound_name(c.bound));
            numbers_(o, "energy_j", c.energy_j, ARC_EPART_COUNT);
            numbers_(o, "mem_time_s", c.mem_time_s, ARC_MEM_COUNT);
            numbers_(o, "mem_energy_j", c.mem_energy_j, ARC_MEM_COUNT);
            cJSON_AddItemToArray(ops, o);
        }
        if ((int)chip.ops.size() != t.n_ops) {
            cJSON_Delete(j);
            arc_trace_free(&t);
            std::fprintf(stderr, "arclight-systemc: the simulation stopped after %zu of %d ops\n",
                         chip.ops.size(), t.n_ops);
            return 1;
        }
    }
    arc_trace_free(&t);
    size_t len;
    char *txt = arc_json_text(j, false, &len);
    st = arc_file_write_atomic(argv[3], txt, len);
    free(txt);
    return st < 0 ? fail_(st) : 0;
}
