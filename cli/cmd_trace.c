/* arclight trace: write a model's trace, check a trace file, or import a PyTorch profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/fsutil.h"
#include "arclight/json.h"
#include "arclight/trace.h"
#include "arclight/trace_import.h"
#include "cli.h"

static int check_(const char *path)
{
    struct arc_trace t;
    int st = arc_trace_read(path, &t);
    if (st < 0)
        return st;
    printf("%s: ok: %d ops; model %s (%zu layers); %s batch %lld ctx %lld; tp %d ep %d devices %d; %s\n",
           path, t.n_ops, t.model, strlen(t.pattern), arc_phase_name(t.wl.phase),
           (long long)t.wl.batch, (long long)t.wl.ctx, t.wl.tp, t.wl.ep, t.wl.devices,
           arc_dtype_name(t.wl.dtype));
    arc_trace_free(&t);
    return ARC_OK;
}

static void summary_text_(const char *prof, const char *out, const struct arc_trace *t,
                          const struct arc_torch_summary *s)
{
    char b1[32], b2[32];
    double all = s->kernel_s + s->memcpy_s + s->memset_s;
    printf("%s -> %s: %d rows: %d kernels, %d memcpy, %d memset; %d unattributed, %d without work (an op's later kernels)\n",
           prof, out, t->n_ops, s->kernels, s->memcpys, s->memsets, s->unattributed, s->aux);
    printf("header   model %s, %s batch %lld ctx %lld, %s, pattern %s%s%s%s\n", t->model,
           arc_phase_name(t->wl.phase), (long long)t->wl.batch, (long long)t->wl.ctx,
           arc_dtype_name(t->wl.dtype), t->pattern, s->inferred[0] ? " (from the profile: " : "",
           s->inferred, s->inferred[0] ? ")" : "");
    if (s->lists_assumed)
        printf("lists    %d row%s with a TensorList no kernel name sized: %d bytes an element, the profile's dominant dtype\n",
               s->lists_assumed, s->lists_assumed == 1 ? "" : "s", s->list_bytes_assumed);
    printf("kernels  %s measured (sum of durations); span %s (first kernel start to last kernel end)\n",
           cli_time(s->kernel_s, b1, sizeof b1), cli_time(s->span_s, b2, sizeof b2));
    printf("copies   memcpy %s, memset %s\n", cli_time(s->memcpy_s, b1, sizeof b1),
           cli_time(s->memset_s, b2, sizeof b2));
    printf("by op kind (every GPU event)  count   measured   share\n");
    for (int i = 0; i < ARC_OP_COUNT; i++)
        if (s->count[i])
            printf("  %-26s %7d %10s  %5.1f%%\n", arc_op_info((enum arc_op)i)->name, s->count[i],
                   cli_time(s->time_s[i], b1, sizeof b1), all > 0 ? 100 * s->time_s[i] / all : 0.0);
}

static int summary_json_(const char *path, const char *prof, const char *out,
                         const struct arc_trace *t, const struct arc_torch_summary *s)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "profile", prof);
    cJSON_AddStringToObject(j, "trace", out);
    cJSON_AddStringToObject(j, "model", t->model);
    cJSON_AddStringToObject(j, "phase", arc_phase_name(t->wl.phase));
    cJSON_AddNumberToObject(j, "batch", (double)t->wl.batch);
    cJSON_AddNumberToObject(j, "ctx", (double)t->wl.ctx);
    cJSON_AddStringToObject(j, "dtype", arc_dtype_name(t->wl.dtype));
    cJSON_AddStringToObject(j, "inferred", s->inferred);
    cJSON_AddNumberToObject(j, "rows", t->n_ops);
    cJSON_AddNumberToObject(j, "kernels", s->kernels);
    cJSON_AddNumberToObject(j, "memcpy", s->memcpys);
    cJSON_AddNumberToObject(j, "memset", s->memsets);
    cJSON_AddNumberToObject(j, "unattributed", s->unattributed);
    cJSON_AddNumberToObject(j, "without_work", s->aux);
    cJSON_AddNumberToObject(j, "lists_assumed", s->lists_assumed);
    cJSON_AddNumberToObject(j, "list_bytes_assumed", s->list_bytes_assumed);
    cJSON_AddNumberToObject(j, "kernel_time_s", s->kernel_s);
    cJSON_AddNumberToObject(j, "kernel_span_s", s->span_s);
    cJSON_AddNumberToObject(j, "memcpy_time_s", s->memcpy_s);
    cJSON_AddNumberToObject(j, "memset_time_s", s->memset_s);
    cJSON *by = cJSON_AddObjectToObject(j, "by_op"); /* the names of arclight sim --json's breakdown.by_op */
    for (int i = 0; i < ARC_OP_COUNT; i++) {
        cJSON *o = cJSON_AddObjectToObject(by, arc_op_info((enum arc_op)i)->name);
        cJSON_AddNumberToObject(o, "count", s->count[i]);
        cJSON_AddNumberToObject(o, "measured_s", s->time_s[i]);
    }
    size_t len;
    char *txt = arc_json_text(j, true, &len);
    int st = arc_file_write_atomic(path, txt, len);
    free(txt);
    return st;
}

/* trace --import-torch-profile FILE.json [MODEL] -o OUT.csv [--json FILE] [--model NAME] [flags] */
static int import_(const struct cli_args *a)
{
    const char *prof = cli_get(a, "--import-torch-profile"), *out = cli_get(a, "-o"), *s;
    if (a->n_pos > 1 || cli_has(a, "--check"))
        return arc_errorf(ARC_EINPUT, "--import-torch-profile: expected one profile, at most one MODEL, and no --check");
    if (!out || strcmp(out, "-") == 0)
        return arc_errorf(ARC_EINPUT, "-o: expected -o OUT.csv with --import-torch-profile (the summary goes to stdout)");
    struct arc_torch_opts o;
    arc_torch_opts_init(&o);
    o.model = cli_get(a, "--model");
    enum arc_phase ph;
    enum arc_dtype dt;
    if ((s = cli_get(a, "--phase")) && arc_phase_parse(s, &ph))
        return arc_errorf(ARC_EINPUT, "--phase: expected prefill or decode, got \"%s\"", s);
    if (s)
        o.phase = (int)ph;
    if ((s = cli_get(a, "--dtype")) && (arc_dtype_parse(s, &dt) || dt == ARC_DTYPE_FP32))
        return arc_errorf(ARC_EINPUT, "--dtype: expected bf16, fp8 or int8, got \"%s\"", s);
    if (s)
        o.dtype = (int)dt;
    long long v[7] = {0};
    static const char *const flags[] = {"--batch", "--ctx", "--tp", "--ep", "--pp", "--devices", "--chunk"};
    static const long long hi[] = {1LL << 30, 1LL << 32, 1 << 16, 1 << 16, ARC_MAX_LAYERS, 1 << 20, 4096};
    int st;
    for (int i = 0; i < 7; i++)
        if ((st = cli_int(a, flags[i], 1, hi[i], &v[i])) < 0)
            return st;
    o.batch = v[0];
    o.ctx = v[1];
    o.tp = (int)v[2];
    o.ep = (int)v[3];
    o.pp = (int)v[4];
    o.devices = (int)v[5];
    o.chunk = (int)v[6];
    /* a MODEL gives the header its layer pattern, lightning block and memory footprint */
    struct arc_model m;
    char pattern[ARC_MAX_LAYERS + 1];
    if (a->n_pos == 1) {
        if ((st = cli_model(a, a->pos[0], &m)) < 0)
            return st;
        arc_model_pattern(&m, pattern, sizeof pattern);
        o.pattern = pattern;
        o.chunk = o.chunk ? o.chunk : m.block_size;
    } else if (cli_has(a, "--softmax-every") || cli_has(a, "--softmax-layers")) {
        return arc_errorf(ARC_EINPUT, "%s: changes a model's layers; expected a MODEL after the profile",
                          cli_has(a, "--softmax-every") ? "--softmax-every" : "--softmax-layers");
    }
    struct arc_trace t;
    struct arc_torch_summary sum;
    if ((st = arc_trace_import_torch(prof, &o, &t, &sum)) < 0)
        return st;
    if (a->n_pos == 1) {
        struct arc_footprint fp;
        if ((st = arc_workload_check(&t.wl, &m)) < 0) {
            arc_trace_free(&t);
            return st;
        }
        arc_footprint(&m, &t.wl, &fp);
        t.mem_weight_bytes = (uint64_t)fp.weight;
        t.mem_kv_bytes = (uint64_t)fp.kv;
        t.mem_state_bytes = (uint64_t)fp.state;
    }
    if ((st = arc_trace_write(&t, out)) >= 0 && cli_has(a, "--json"))
        st = summary_json_(cli_get(a, "--json"), prof, out, &t, &sum);
    if (st >= 0)
        summary_text_(prof, out, &t, &sum);
    arc_trace_free(&t);
    return st;
}

int cmd_trace(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "trace", "--check= -o= --import-torch-profile= --json= --model= " CLI_WORKLOAD_FLAGS, &a);
    if (st < 0)
        return cli_fail(st);
    if (cli_has(&a, "--import-torch-profile")) {
        st = import_(&a);
        return st < 0 ? cli_fail(st) : 0;
    }
    if (cli_has(&a, "--json") || cli_has(&a, "--model"))
        return cli_fail(arc_errorf(ARC_EINPUT, "%s: only with --import-torch-profile", cli_has(&a, "--json") ? "--json" : "--model"));
    if (cli_has(&a, "--check")) {
        if (a.n_pos || cli_has(&a, "-o"))
            return cli_fail(arc_errorf(ARC_EINPUT, "--check: expected only a trace file"));
        st = check_(cli_get(&a, "--check"));
        return st < 0 ? cli_fail(st) : 0;
    }
    if (a.n_pos != 1)
        return cli_fail(arc_errorf(ARC_EINPUT, "trace: expected one MODEL (a built-in name or a config.json), or --check FILE"));
    struct arc_model m;
    struct arc_workload w;
    if ((st = cli_model(&a, a.pos[0], &m)) < 0 || (st = cli_workload(&a, &m, &w)) < 0)
        return cli_fail(st);
    struct arc_trace t;
    if ((st = arc_trace_build(&m, &w, &t)) < 0)
        return cli_fail(st);
    const char *out = cli_get(&a, "-o");
    st = arc_trace_write(&t, out ? out : "-");
    arc_trace_free(&t);
    return st < 0 ? cli_fail(st) : 0;
}
