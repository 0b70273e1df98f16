/* arclight calibrate gpu: measures this machine's GPU into a calibration file (calib_run.h), with a
 * progress bar on a terminal (a line per kind of kernel elsewhere), then loads the file back and
 * prints what the cost engine will take from it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arclight/calib.h"
#include "arclight/calib_run.h"
#include "cli.h"

struct bar_ {
    int tty;
    char last[24]; /* the kind of kernel last announced (no terminal) */
};

static void progress_(void *ctx, int done, int total, const char *what)
{
    struct bar_ *b = ctx;
    if (b->tty) {
        char bar[31];
        double frac = total ? (double)done / total : 1;
        if (frac > 1)
            frac = 1;
        int fill = (int)(frac * 30);
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %d/%d %-44.44s", bar, done, total, what);
        fflush(stderr);
        return;
    }
    char kind[24];
    snprintf(kind, sizeof kind, "%.*s", (int)strcspn(what, " "), what);
    if (strcmp(kind, b->last)) {
        fprintf(stderr, "calibrate: %d/%d: %s\n", done, total, what);
        snprintf(b->last, sizeof b->last, "%s", kind);
    }
}

int cmd_calibrate(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "calibrate", "--hw= --out= --set= --python= --no-energy", &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos != 1 || strcmp(a.pos[0], "gpu") != 0)
        return cli_fail(arc_errorf(ARC_EINPUT, "calibrate: expected 'gpu' (arclight calibrate gpu [--hw HW] [--out FILE] [--set grid|holdout|quick])"));
    const char *set = cli_has(&a, "--set") ? cli_get(&a, "--set") : "grid";
    struct arc_calib_run_opts o = {.hw = cli_has(&a, "--hw") ? cli_get(&a, "--hw") : "h200-sxm",
                                   .python = cli_has(&a, "--python") ? cli_get(&a, "--python") : NULL,
                                   .no_energy = cli_has(&a, "--no-energy")};
    if (strcmp(set, "grid") == 0)
        o.set = ARC_CALSET_GRID;
    else if (strcmp(set, "holdout") == 0)
        o.set = ARC_CALSET_HOLDOUT;
    else if (strcmp(set, "quick") == 0)
        o.set = ARC_CALSET_QUICK;
    else
        return cli_fail(arc_errorf(ARC_EINPUT, "--set: %s: expected grid, holdout or quick", set));
    char out[300], cmd[600];
    if (cli_has(&a, "--out"))
        snprintf(out, sizeof out, "%s", cli_get(&a, "--out"));
    else
        snprintf(out, sizeof out, "%s%s.json", o.hw, o.set == ARC_CALSET_HOLDOUT ? ".holdout" : "");
    o.out = out;
    snprintf(cmd, sizeof cmd, "arclight calibrate gpu --hw %s --set %s%s", o.hw, set, o.no_energy ? " --no-energy" : "");
    o.command = cmd;
    struct bar_ bar = {.tty = isatty(STDERR_FILENO)};
    o.progress = progress_;
    o.ctx = &bar;
    st = arc_calib_run(&o);
    if (bar.tty)
        fprintf(stderr, "\n");
    if (st < 0)
        return cli_fail(st);
    struct arc_calib c;
    if ((st = arc_calib_load(out, &c)) < 0)
        return cli_fail(st);
    printf("%s: %d kernels measured, %d tables; %s\n", out, c.n_points, c.n_tables, c.provenance);
    printf("fixed cost per kernel: %.2f us from a graph, %.2f us launched from the host; idle board %.0f W\n",
           c.t0_s * 1e6, c.launch_stream_s * 1e6, c.idle_w);
    if (c.energy.fitted) {
        printf("energy fit over %d kernels below 90%% of the %.0f W limit (%d at the limit: limit x time): busy %.0f W;",
               c.energy.points, c.power_limit_w, c.energy.capped, c.energy.busy_w);
        for (int k = 0; k < ARC_ECL_COUNT; k++)
            printf(" %s %.3f pJ/flop + %.1f pJ/B%s%s", arc_calib_eclass_name((enum arc_calib_eclass)k),
                   c.energy.pj_per_flop[k], c.energy.pj_per_byte[k], c.energy.class_points[k] ? "" : " (no energies: gemm bf16's)",
                   k + 1 < ARC_ECL_COUNT ? ";" : "");
        printf("\nenergy model error over all %d measured: median %.1f%%, p90 %.1f%%\n", c.energy.points + c.energy.capped,
               100 * c.energy.median_rel_err, 100 * c.energy.p90_rel_err);
    }
    arc_calib_free(&c);
    return 0;
}
