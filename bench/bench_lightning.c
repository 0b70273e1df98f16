/* bench_lightning: the generated lightning kernels on this machine's NVIDIA GPU, with the napkin
 * math beside each time (STYLE #10). Checks every kernel against the C reference first, then times
 * prefill B 1, H 64, D 128 at T = 4K, 16K, 64K, 256K and decode B = 1, 32, 128 (decode B 1 also
 * replayed from a CUDA graph), and prints a Markdown table ready for bench/RESULTS.md.
 *
 * floor: q, k, v read once and o written once (decode: and the fp32 state read and written), at the
 * hardware file's measured copy ceiling (h200-sxm: 4.30 TB/s). TFLOP/s counts the cost model's flop
 * (arc_lightning_prefill_flop: the full C x C intra-block product; decode 5 B H D^2).
 *
 * usage: bench_lightning [--json FILE] [--reps N] [--chunk C] [--split S] [--warps W] [--decode-warps W]
 *                        [--cuda-only] [--decode-only] [--decode-batches B,B,...] [--decode-entry auto|wide|narrow]
 *        (a thin program over verify.h; --chunk, --split, --warps: the prefill kernel's spec;
 *        --decode-batches: the decode's timed batches, at most 16; --decode-entry: which decode entry
 *        runs, lightning_decode (wide) or lightning_decode_narrow, or the launch's choice) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/codegen.h"
#include "arclight/common.h"
#include "arclight/verify.h"

static void progress_(void *ctx, const struct arc_verify_report *r, const struct arc_verify_row *w)
{
    (void)ctx;
    (void)r;
    if (w->kind == ARC_VERIFY_CHECK)
        fprintf(stderr, "check %s %s (%s) B %d T %d: rel err o %.2e state %.2e %s\n", w->backend,
                arc_kernel_name(w->kernel), w->entry, w->batch, w->seq, w->err_o, w->err_state, w->pass ? "ok" : "FAIL");
    else
        fprintf(stderr, "time  %s %s B %d T %d: %.4f ms\n", w->backend, arc_kernel_name(w->kernel), w->batch, w->seq,
                w->ms_median);
}

int main(int argc, char **argv)
{
    struct arc_verify_opts o = {.hw = "h200-sxm", .bench = 1, .reps = 50};
    const char *json = NULL;
    int batches[16], nb = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            json = argv[++i];
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            o.reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--warps") == 0 && i + 1 < argc)
            o.warps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--decode-warps") == 0 && i + 1 < argc)
            o.decode_warps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--chunk") == 0 && i + 1 < argc)
            o.chunk = atoi(argv[++i]);
        else if (strcmp(argv[i], "--split") == 0 && i + 1 < argc)
            o.split = atoi(argv[++i]);
        else if (strcmp(argv[i], "--mma") == 0 && i + 1 < argc) {
            enum arc_mma m;
            if (arc_mma_parse(argv[++i], &m)) {
                fprintf(stderr, "bench_lightning: --mma: expected auto, wgmma or sync\n");
                return 2;
            }
            o.mma = m;
        } else if (strcmp(argv[i], "--cuda-only") == 0)
            o.skip_ptx = 1;
        else if (strcmp(argv[i], "--decode-only") == 0)
            o.kernels = 1u << ARC_KERNEL_DECODE;
        else if (strcmp(argv[i], "--decode-entry") == 0 && i + 1 < argc) {
            const char *e = argv[++i];
            o.decode_entry = strcmp(e, "wide") == 0 ? 1 : strcmp(e, "narrow") == 0 ? 2 : strcmp(e, "auto") == 0 ? 0 : -1;
            if (o.decode_entry < 0) {
                fprintf(stderr, "bench_lightning: --decode-entry: expected auto, wide or narrow\n");
                return 2;
            }
        }
        else if (strcmp(argv[i], "--decode-batches") == 0 && i + 1 < argc) {
            for (char *p = argv[++i], *end; *p && nb < 16; p = *end == ',' ? end + 1 : end) {
                long b = strtol(p, &end, 10);
                if (end == p || b < 1 || b > 4096 || (*end && *end != ',')) {
                    fprintf(stderr, "bench_lightning: --decode-batches: expected up to 16 batches 1..4096, comma-separated\n");
                    return 2;
                }
                batches[nb++] = (int)b;
            }
            o.time_batches = batches, o.n_time_batches = nb;
        } else {
            fprintf(stderr, "usage: bench_lightning [--json FILE] [--reps N] [--chunk C] [--split S] [--warps W] [--decode-warps W] [--mma auto|wgmma|sync] [--cuda-only] [--decode-only] [--decode-batches B,B,...] [--decode-entry auto|wide|narrow]\n");
            return 2;
        }
    }
    struct arc_verify_report r;
    int st = arc_verify_gpu(&o, &r, progress_, NULL);
    if (st < 0) {
        fprintf(stderr, "bench_lightning: %s\n", arc_error());
        arc_verify_report_free(&r);
        return st == ARC_ETOOL ? 1 : 2;
    }
    printf("%s, driver CUDA %d.%d, nvcc %s; floor at %.2f TB/s (%s copy ceiling); ptx: %s\n\n", r.gpu,
           r.driver_version / 1000, r.driver_version % 1000 / 10, r.nvcc, r.copy_bw_bytes_per_s / 1e12, r.hw, r.ptx);
    printf("| kernel | back end | shape | ms (median) | TFLOP/s | GB/s | floor ms | of floor | graph us/step | %s ms |\n", r.hw);
    printf("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < r.n; i++) {
        const struct arc_verify_row *w = &r.rows[i];
        if (w->kind != ARC_VERIFY_TIME)
            continue;
        double s = w->ms_median * 1e-3;
        char shape[64], graph[32] = "";
        if (w->kernel == ARC_KERNEL_PREFILL)
            snprintf(shape, sizeof shape, "B %d, T %d", w->batch, w->seq);
        else
            snprintf(shape, sizeof shape, "B %d%s", w->batch, strcmp(w->entry, "lightning_decode_narrow") == 0 ? " narrow" : "");
        if (w->graph_us > 0)
            snprintf(graph, sizeof graph, "%.2f", w->graph_us);
        printf("| %s | %s | %s | %.4f | %.1f | %.0f | %.4f | %.0f%% | %s | %.4f |\n", arc_kernel_name(w->kernel),
               w->backend, shape, w->ms_median, w->flop / s / 1e12, w->floor_bytes / s / 1e9, w->floor_ms,
               100 * w->floor_ms / w->ms_median, graph, w->pred_ms);
    }
    printf("\nchecks: %d failed (relative error of o and of the state against the C reference, tolerance %.0e)\n",
           r.failures, ARC_VERIFY_TOL);
    if (json && (st = arc_verify_report_json(&r, json)) < 0)
        fprintf(stderr, "bench_lightning: %s\n", arc_error());
    int failures = r.failures;
    arc_verify_report_free(&r);
    return st < 0 || failures ? 1 : 0;
}
