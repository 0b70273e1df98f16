/* arclight command line: argument parsing and the model/workload flags. Not for: modelling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/common.h"
#include "cli.h"

int cli_parse(int argc, char **argv, const char *cmd, const char *spec, struct cli_args *a)
{
    memset(a, 0, sizeof *a);
    ARC_ASSERT(strlen(spec) < sizeof a->spec);
    snprintf(a->spec, sizeof a->spec, "%s", spec);
    char *save = NULL;
    for (char *tok = strtok_r(a->spec, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        ARC_ASSERT(a->n_flags < CLI_MAX_FLAGS);
        struct cli_flag *f = &a->flags[a->n_flags++];
        size_t n = strlen(tok);
        f->has_value = tok[n - 1] == '=';
        if (f->has_value)
            tok[n - 1] = '\0';
        f->name = tok;
    }
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (s[0] == '-' && s[1] != '\0') {
            struct cli_flag *f = NULL;
            const char *eq = strchr(s, '=');
            size_t n = eq ? (size_t)(eq - s) : strlen(s);
            for (int k = 0; k < a->n_flags; k++)
                if (strlen(a->flags[k].name) == n && strncmp(a->flags[k].name, s, n) == 0)
                    f = &a->flags[k];
            if (!f)
                return arc_errorf(ARC_EINPUT, "%.*s: unknown option for '%s'; see 'arclight help'", (int)n, s, cmd);
            if (f->set)
                return arc_errorf(ARC_EINPUT, "%s: given twice", f->name);
            f->set = true;
            if (f->has_value) {
                if (eq)
                    f->value = eq + 1;
                else if (i + 1 < argc)
                    f->value = argv[++i];
                else
                    return arc_errorf(ARC_EINPUT, "%s: expected a value", f->name);
            } else if (eq) {
                return arc_errorf(ARC_EINPUT, "%s: takes no value", f->name);
            }
        } else {
            if (a->n_pos == CLI_MAX_POS)
                return arc_errorf(ARC_EINPUT, "%s: too many arguments for '%s'", s, cmd);
            a->pos[a->n_pos++] = s;
        }
    }
    return ARC_OK;
}

static const struct cli_flag *find_(const struct cli_args *a, const char *name)
{
    for (int k = 0; k < a->n_flags; k++)
        if (strcmp(a->flags[k].name, name) == 0)
            return &a->flags[k];
    ARC_ASSERT(!"flag not in the command's spec");
    return NULL;
}

const char *cli_get(const struct cli_args *a, const char *name) { return find_(a, name)->value; }
bool cli_has(const struct cli_args *a, const char *name) { return find_(a, name)->set; }

int cli_int(const struct cli_args *a, const char *name, long long lo, long long hi, long long *out)
{
    const struct cli_flag *f = find_(a, name);
    if (!f->set)
        return ARC_OK;
    int64_t v;
    if (arc_parse_i64(f->value, &v) || v < lo || v > hi)
        return arc_errorf(ARC_EINPUT, "%s: expected an integer in [%lld, %lld], got \"%s\"", name, lo, hi, f->value);
    *out = v;
    return ARC_OK;
}

int cli_model(const struct cli_args *a, const char *name, struct arc_model *m)
{
    int st = arc_model_load(name, m);
    if (st < 0)
        return st;
    if (cli_has(a, "--softmax-every") && cli_has(a, "--softmax-layers"))
        return arc_errorf(ARC_EINPUT, "--softmax-layers: expected either --softmax-every or --softmax-layers, not both");
    long long v = -1;
    if ((st = cli_int(a, "--softmax-every", 0, m->n_layers, &v)) < 0)
        return st;
    if (v >= 0 && (st = arc_model_set_softmax_every(m, (int)v)) < 0)
        return st;
    v = -1;
    if ((st = cli_int(a, "--softmax-layers", 0, m->n_layers, &v)) < 0)
        return st;
    if (v >= 0 && (st = arc_model_set_softmax_layers(m, (int)v)) < 0)
        return st;
    return ARC_OK;
}

int cli_workload(const struct cli_args *a, const struct arc_model *m, struct arc_workload *w)
{
    memset(w, 0, sizeof *w);
    w->phase = ARC_PHASE_DECODE;
    w->dtype = ARC_DTYPE_BF16;
    int st;
    const char *s;
    if ((s = cli_get(a, "--phase")) && arc_phase_parse(s, &w->phase))
        return arc_errorf(ARC_EINPUT, "--phase: expected prefill or decode, got \"%s\"", s);
    if ((s = cli_get(a, "--dtype")) && (arc_dtype_parse(s, &w->dtype) || w->dtype == ARC_DTYPE_FP32))
        return arc_errorf(ARC_EINPUT, "--dtype: expected bf16, fp8 or int8, got \"%s\"", s);
    long long v;
    static const struct {
        const char *flag;
        long long hi;
    } ints[] = {{"--batch", 1LL << 30}, {"--ctx", 1LL << 32}, {"--tp", 1 << 16},
                {"--ep", 1 << 16}, {"--devices", 1 << 20}, {"--chunk", 4096}, {"--pp", ARC_MAX_LAYERS}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        v = 0;
        if ((st = cli_int(a, ints[i].flag, 1, ints[i].hi, &v)) < 0)
            return st;
        switch (i) {
        case 0: w->batch = v; break;
        case 1: w->ctx = v; break;
        case 2: w->tp = (int)v; break;
        case 3: w->ep = (int)v; break;
        case 4: w->devices = (int)v; break;
        case 5: w->chunk = (int)v; break;
        case 6: w->pp = (int)v; break;
        }
    }
    arc_workload_defaults(w, m);
    return arc_workload_check(w, m);
}

int cli_fail(int st)
{
    fprintf(stderr, "arclight: %s\n", arc_error());
    return st == ARC_ETOOL || st == ARC_ENOMEM ? 1 : 2;
}

const char *cli_time(double s, char *buf, int n)
{
    if (s >= 1)
        snprintf(buf, n, "%.3f s", s);
    else if (s >= 1e-3)
        snprintf(buf, n, "%.3f ms", s * 1e3);
    else
        snprintf(buf, n, "%.2f us", s * 1e6);
    return buf;
}

const char *cli_bytes(double b, char *buf, int n)
{
    if (b >= 1e12)
        snprintf(buf, n, "%.2f TB", b / 1e12);
    else if (b >= 1e9)
        snprintf(buf, n, "%.2f GB", b / 1e9);
    else if (b >= 1e6)
        snprintf(buf, n, "%.2f MB", b / 1e6);
    else if (b >= 1e3)
        snprintf(buf, n, "%.2f kB", b / 1e3);
    else
        snprintf(buf, n, "%.0f B", b);
    return buf;
}
