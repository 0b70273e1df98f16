/* arclight verify gpu: the generated kernels on this machine's NVIDIA GPU, checked and timed
 * (verify.h). Prints one line per check and per timed shape as they finish. */
#include <stdio.h>
#include <string.h>

#include "arclight/codegen.h"
#include "arclight/verify.h"
#include "cli.h"

static void line_(void *ctx, const struct arc_verify_report *r, const struct arc_verify_row *w)
{
    (void)ctx;
    char shape[64];
    if (w->kernel == ARC_KERNEL_PREFILL)
        snprintf(shape, sizeof shape, "B %d H %d D %d T %d", w->batch, w->heads, w->dim, w->seq);
    else
        snprintf(shape, sizeof shape, "B %d H %d D %d%s", w->batch, w->heads, w->dim,
                 strcmp(w->entry, "lightning_decode_narrow") == 0 ? " narrow" : "");
    if (w->kind == ARC_VERIFY_CHECK) {
        printf("check %-4s %-17s %-26s rel err o %.2e, state %.2e (tolerance %.0e)", w->backend,
               arc_kernel_name(w->kernel), shape, w->err_o, w->err_state, ARC_VERIFY_TOL);
        if (w->unwritten)
            printf(", %lld outputs unwritten", (long long)w->unwritten);
        printf("  %s\n", w->pass ? "ok" : "FAIL");
    } else {
        double s = w->ms_median * 1e-3;
        printf("time  %-4s %-17s %-26s %.4f ms (median of %d, %.4f-%.4f%s) | %.1f TFLOP/s | %.0f GB/s | "
               "floor %.4f ms = %.0f%% | %s %.4f ms (%+.0f%%)",
               w->backend, arc_kernel_name(w->kernel), shape, w->ms_median, w->reps, w->ms_min, w->ms_max,
               w->sets > 1 ? ", rotating inputs" : "", w->flop / s / 1e12, w->floor_bytes / s / 1e9, w->floor_ms,
               100 * w->floor_ms / w->ms_median, r->hw, w->pred_ms, 100 * (w->pred_ms - w->ms_median) / w->ms_median);
        if (w->graph_us > 0)
            printf(" | CUDA graph %.2f us/step (%s %+.0f%%)", w->graph_us, r->hw,
                   100 * (w->pred_ms * 1e3 - w->graph_us) / w->graph_us);
        printf("\n");
    }
    fflush(stdout);
}

int cmd_verify(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "verify", "--kernel= --json= --hw= --bench --reps= --keep= --check-only --chunk= --split= --warps= --decode-warps= --backend= --ptx-dir= --mma=", &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos != 1 || strcmp(a.pos[0], "gpu") != 0)
        return cli_fail(arc_errorf(ARC_EINPUT, "verify: expected 'gpu' (arclight verify gpu [--kernel K|all] [--json FILE] [--hw HW])"));
    struct arc_verify_opts o = {.hw = cli_has(&a, "--hw") ? cli_get(&a, "--hw") : "h200-sxm",
                                .bench = cli_has(&a, "--bench"),
                                .keep_dir = cli_has(&a, "--keep") ? cli_get(&a, "--keep") : NULL,
                                .ptx_dir = cli_has(&a, "--ptx-dir") ? cli_get(&a, "--ptx-dir") : NULL};
    const char *k = cli_has(&a, "--kernel") ? cli_get(&a, "--kernel") : "all";
    enum arc_kernel kk;
    if (strcmp(k, "all") == 0)
        o.kernels = 0;
    else if (arc_kernel_parse(k, &kk) == 0)
        o.kernels = 1u << kk;
    else
        return cli_fail(arc_errorf(ARC_EINPUT, "--kernel: %s: expected lightning-prefill, lightning-decode or all", k));
    long long reps = 50;
    if ((st = cli_int(&a, "--reps", 50, 100000, &reps)) < 0)
        return cli_fail(st);
    o.reps = (int)reps;
    o.check_only = cli_has(&a, "--check-only");
    const char *be = cli_has(&a, "--backend") ? cli_get(&a, "--backend") : "all";
    if (strcmp(be, "cuda") == 0)
        o.skip_ptx = 1;
    else if (strcmp(be, "all") != 0)
        return cli_fail(arc_errorf(ARC_EINPUT, "--backend: %s: expected cuda or all (all adds the ptx back end where this build has it)", be));
    if (cli_has(&a, "--mma")) {
        enum arc_mma m;
        if (arc_mma_parse(cli_get(&a, "--mma"), &m))
            return cli_fail(arc_errorf(ARC_EINPUT, "--mma: expected auto, wgmma or sync, got \"%s\"", cli_get(&a, "--mma")));
        o.mma = m;
    }
    static const char *const flags[] = {"--chunk", "--split", "--warps", "--decode-warps"};
    int *fields[] = {&o.chunk, &o.split, &o.warps, &o.decode_warps};
    for (int i = 0; i < 4; i++) {
        long long v = 0;
        if ((st = cli_int(&a, flags[i], 1, 1 << 20, &v)) < 0)
            return cli_fail(st);
        *fields[i] = (int)v;
    }
    struct arc_verify_report r;
    st = arc_verify_gpu(&o, &r, line_, NULL);
    if (st >= 0) {
        char drv[32];
        snprintf(drv, sizeof drv, "%d.%d", r.driver_version / 1000, r.driver_version % 1000 / 10);
        printf("gpu: %s (compute capability %d.%d, %d SMs, %.0f MB L2), driver CUDA %s, nvcc %s; ptx: %s\n", r.gpu,
               r.cc_major, r.cc_minor, r.sms, r.l2_bytes / 1048576, drv, r.nvcc, r.ptx);
        if (cli_has(&a, "--json"))
            st = arc_verify_report_json(&r, cli_get(&a, "--json"));
    }
    int failures = r.failures;
    char kept[sizeof r.kept_dir];
    snprintf(kept, sizeof kept, "%s", r.kept_dir);
    arc_verify_report_free(&r);
    if (st < 0)
        return cli_fail(st);
    if (failures) {
        fprintf(stderr, "arclight: verify: %d check%s failed%s%s\n", failures, failures == 1 ? "" : "s",
                kept[0] ? "; the generated kernels are in " : "", kept);
        return 1;
    }
    return 0;
}
