/* arclight trace: write a model's trace, or check a trace file. */
#include <stdio.h>
#include <string.h>

#include "arclight/trace.h"
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

int cmd_trace(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "trace", "--check= -o= " CLI_WORKLOAD_FLAGS, &a);
    if (st < 0)
        return cli_fail(st);
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
