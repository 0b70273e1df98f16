/* Rule: the calibrated cost model is what calib.h documents, on grids whose answers are known.
 *   - arc_calib_interp is exact on a function log-multilinear in log axes (a power law), at the
 *     nodes and between them, and holds the edge value beyond the grid;
 *   - below the grid along a parallel axis a kernel is charged as the smallest measured along it, and
 *     still grows along the others;
 *   - a synthetic calibration (times made as t0 + roof x g with g a power law) predicts its own
 *     measured times at the nodes and the power law between them, through the cost engine's op
 *     (arc_cost_op); a hardware file with twice the memory bandwidth halves the memory-bound roof;
 *     a grouped GEMM is one kernel at its whole m, moving every group's weights; an elementwise op
 *     over broadcast operands (elementwise_strided) reads its own table, not the vectorized kernel's;
 *   - energies made from known busy power and per-class terms (attention's prefill and decode each
 *     with its own, the generic elementwise kernel with its own) are fitted back exactly, and a
 *     kernel that would pass the power limit is charged the limit x its time;
 *   - damaged files are refused with FILE:FIELD (a hole in a grid, a missing provenance field, a
 *     calibration of another GPU, a holdout used as a calibration, a validation sharing shapes);
 *   - the shipped H200 calibration loads with every kind of kernel and a fitted energy model, and
 *     its holdout set shares no shape with it.
 * Not for: the measurements themselves (arclight calibrate gpu on a GPU). */
#include <stdio.h>
#include <unistd.h>

#include "arclight/calib.h"
#include "arclight/engine.h"
#include "arclight/fsutil.h"
#include "arclight/hw.h"
#include "check.h"

#define T0 6e-7
#define BUSY 150.0
#define PJ_FLOP 1.0  /* gemm bf16 */
#define PJ_BYTE 90.0 /* gemm bf16 */
#define PJ_STREAM 80.0
#define PJ_AP_FLOP 1.5 /* attention prefill */
#define PJ_AP_BYTE 20.0
#define PJ_AD_BYTE 150.0 /* attention decode: bytes only */
#define PJ_STRIDED 210.0 /* the generic elementwise kernel, per byte */

static const double bf16_peak = 989.4e12, bw = 4.8e12;

/* g of the synthetic GEMM: 2 m^0.1 n^-0.05 k^0.02, a power law (log-multilinear in log axes) */
static double g_gemm_(double m, double n, double k) { return 2 * pow(m, 0.1) * pow(n, -0.05) * pow(k, 0.02); }
static double g_stream_(double bytes) { return 3 * pow(bytes, -0.05); }
static double g_strided_(double bytes) { return 7 * pow(bytes, -0.03); } /* the generic kernel: slower */

static double gemm_roof_(double m, double n, double k, double mem_bw)
{
    double f = 2 * m * n * k / bf16_peak, b = (n * k * 2 + m * k * 2 + m * n * 2) / mem_bw;
    return f > b ? f : b;
}

static const char *head_ =
    "{\"arclight_calibration\": 1, \"hw\": \"h200-sxm\", \"set\": \"%s\",\n"
    " \"provenance\": {\"gpu\": \"%s\", \"driver\": \"580\", \"cuda\": \"13.0\", \"cublaslt\": \"130100\",\n"
    "   \"date\": \"2026-11-29T00:00:00Z\", \"arclight\": \"test\", \"sm_clock_mhz_min\": 1980,\n"
    "   \"sm_clock_mhz_max\": 1980, \"mem_clock_mhz\": 3201, \"power_limit_w\": 700},\n"
    " \"launch\": {\"graph_kernel_s\": 6e-7, \"stream_kernel_s\": 4e-6}, \"idle_w\": 120,\n"
    " \"roof\": {\"bf16_flops_per_s\": 989.4e12, \"fp8_flops_per_s\": 1978.9e12, \"fp32_flops_per_s\": 66.9e12,\n"
    "   \"mem_bw_bytes_per_s\": 4.8e12},\n \"points\": [\n";

static const double ms_[] = {1, 4, 16, 256}, ns_[] = {256, 1024, 4096}, ks_[] = {256, 1024}, bytes_[] = {1e6, 1e7, 1e8};

/* A synthetic calibration: every GEMM of the grid (but m skip_m, n 256, k 256) and the stream sizes, with
 * energies at some; gpu names the GPU. */
static void write_cal_(const char *path, const char *set, const char *gpu, double skip_m, int drop_gpu)
{
    struct arc_buf b = {0};
    char head[2048];
    snprintf(head, sizeof head, head_, set, gpu);
    if (drop_gpu) {
        char *p = strstr(head, "\"gpu\"");
        memmove(p, p + 8 + strlen(gpu) + 2, strlen(p + 8 + strlen(gpu) + 2) + 1);
    }
    arc_buf_printf(&b, "%s", head);
    int first = 1;
    for (int a = 0; a < 4; a++)
        for (int c = 0; c < 3; c++)
            for (int d = 0; d < 2; d++) {
                double m = ms_[a], n = ns_[c], k = ks_[d];
                if (m == skip_m && n == 256 && k == 256)
                    continue;
                double t = T0 + gemm_roof_(m, n, k, bw) * g_gemm_(m, n, k);
                arc_buf_printf(&b, "%s  {\"kind\": \"gemm\", \"dtype\": \"bf16\", \"m\": %.0f, \"n\": %.0f, \"k\": %.0f, "
                               "\"time_s\": %.17g, \"time_min_s\": %.17g, \"time_max_s\": %.17g, \"reps\": 15",
                               first ? "" : ",\n", m, n, k, t, t, t);
                first = 0;
                if (d == 0 || a == 3) { /* an energy: busy power, then the GEMM class's flop and byte terms */
                    double flop = 2 * m * n * k, bytes = n * k * 2 + m * k * 2 + m * n * 2;
                    double e = BUSY * t + (flop * PJ_FLOP + bytes * PJ_BYTE) * 1e-12;
                    arc_buf_printf(&b, ", \"energy_j\": %.17g, \"power_w\": %.17g", e, e / t);
                }
                arc_buf_printf(&b, "}");
            }
    for (int i = 0; i < 3; i++) {
        double t = T0 + bytes_[i] / bw * g_stream_(bytes_[i]), e = BUSY * t + bytes_[i] * PJ_STREAM * 1e-12;
        arc_buf_printf(&b, ",\n  {\"kind\": \"copy\", \"bytes\": %.0f, \"time_s\": %.17g, \"time_min_s\": %.17g, "
                       "\"time_max_s\": %.17g, \"reps\": 15, \"energy_j\": %.17g, \"power_w\": %.17g}",
                       bytes_[i], t, t, t, e, e / t);
        t = T0 + bytes_[i] / bw * g_strided_(bytes_[i]), e = BUSY * t + bytes_[i] * PJ_STRIDED * 1e-12;
        arc_buf_printf(&b, ",\n  {\"kind\": \"elementwise_strided\", \"bytes\": %.0f, \"time_s\": %.17g, "
                       "\"time_min_s\": %.17g, \"time_max_s\": %.17g, \"reps\": 15, \"energy_j\": %.17g, "
                       "\"power_w\": %.17g}", bytes_[i], t, t, t, e, e / t);
    }
    /* attention, prefill and decode over 8 and 32 heads of 64, each with an energy from its own class's
     * terms, at times that keep it at 450 W (below the limit) */
    for (int dec = 0; dec < 2; dec++)
        for (int hi = 0; hi < 2; hi++)
            for (int si = 0; si < 2; si++) {
                struct arc_calib_point pt = {.kind = dec ? ARC_CAL_ATTN_DECODE : ARC_CAL_ATTN_PREFILL, .head_dim = 64};
                pt.batch = dec ? (hi ? 4 : 1) : 1, pt.heads = dec ? 8 : (hi ? 32 : 8), pt.kv_heads = pt.heads;
                pt.seq = dec ? 0 : (si ? 4096 : 1024), pt.seq_kv = dec ? (si ? 8192 : 1024) : 0;
                struct arc_op_rec o;
                arc_calib_point_op(&pt, &o);
                double bytes = 0;
                for (int i = 0; i < ARC_MEM_COUNT; i++)
                    bytes += (double)o.bytes[i];
                double dyn = dec ? bytes * PJ_AD_BYTE * 1e-12 : ((double)o.flop * PJ_AP_FLOP + bytes * PJ_AP_BYTE) * 1e-12;
                double t = dyn / 300, e = BUSY * t + dyn;
                arc_buf_printf(&b, ",\n  {\"kind\": \"%s\", \"batch\": %lld, \"heads\": %lld, \"kv_heads\": %lld, "
                               "\"head_dim\": 64, \"%s\": %lld, \"time_s\": %.17g, \"time_min_s\": %.17g, \"time_max_s\": %.17g, "
                               "\"reps\": 15, \"energy_j\": %.17g, \"power_w\": %.17g}",
                               dec ? "attn_decode" : "attn_prefill", (long long)pt.batch, (long long)pt.heads,
                               (long long)pt.kv_heads, dec ? "seq_kv" : "seq", (long long)(dec ? pt.seq_kv : pt.seq), t, t,
                               t, e, e / t);
            }
    arc_buf_printf(&b, "\n ]\n}\n");
    REQUIRE_OK(arc_file_write_atomic(path, b.data, b.len));
    arc_buf_free(&b);
}

static struct arc_op_rec gemm_op_(int64_t m, int64_t n, int64_t k)
{
    struct arc_op_rec o = {.op = ARC_OP_GEMM, .dtype = ARC_DTYPE_BF16, .m = m, .n = n, .k = k};
    o.flop = 2 * (uint64_t)(m * n * k);
    o.bytes[ARC_MEM_WEIGHT] = (uint64_t)(n * k * 2);
    o.bytes[ARC_MEM_ACT] = (uint64_t)(m * k * 2 + m * n * 2);
    return o;
}

static void refused_(const char *path, const char *want)
{
    struct arc_calib c;
    int st = arc_calib_load(path, &c);
    CHECK_MSG(st == ARC_EINPUT && strstr(arc_error(), want), "%s: got %d, \"%s\"; want \"%s\"", path, st,
              arc_error(), want);
    if (st >= 0)
        arc_calib_free(&c);
}

int main(void)
{
    /* interpolation on a 2-D grid of v = 5 x^0.3 y^-0.7 */
    {
        const double x0[] = {1, 2, 8}, x1[] = {10, 100};
        double l0[3], l1[2];
        for (int i = 0; i < 3; i++)
            l0[i] = log(x0[i]);
        for (int j = 0; j < 2; j++)
            l1[j] = log(x1[j]);
        const double *xs[] = {l0, l1};
        int len[] = {3, 2};
        double v[6], lv[6];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++) {
                v[i * 2 + j] = 5 * pow(x0[i], 0.3) * pow(x1[j], -0.7);
                lv[i * 2 + j] = log(v[i * 2 + j]);
            }
        const double q[][2] = {{1, 10}, {8, 100}, {3, 31}, {5.5, 77}, {1.5, 10}};
        for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
            CHECK_CLOSE(arc_calib_interp(2, len, xs, lv, q[i]), 5 * pow(q[i][0], 0.3) * pow(q[i][1], -0.7), 1e-12);
        const double out[2] = {100, 1}; /* beyond both ends: the corner's value */
        CHECK_CLOSE(arc_calib_interp(2, len, xs, lv, out), v[2 * 2 + 0], 1e-12);
    }

    char dir[] = "/tmp/arclight-calib-test-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char good[128], path[128];
    snprintf(good, sizeof good, "%s/good.json", dir);
    write_cal_(good, "grid", "NVIDIA H200", 0, 0);
    struct arc_calib c;
    REQUIRE_OK(arc_calib_load(good, &c));
    CHECK_EQ_I(c.n_tables, 5);
    CHECK_EQ_I(c.n_points, 38);
    /* the energy fit: the generating terms back */
    CHECK(c.energy.fitted);
    CHECK_CLOSE(c.energy.busy_w, BUSY, 1e-6);
    CHECK_CLOSE(c.energy.pj_per_flop[ARC_ECL_GEMM_BF16], PJ_FLOP, 1e-6);
    CHECK_CLOSE(c.energy.pj_per_byte[ARC_ECL_GEMM_BF16], PJ_BYTE, 1e-6);
    CHECK_CLOSE(c.energy.pj_per_byte[ARC_ECL_STREAM], PJ_STREAM, 1e-6);
    CHECK_CLOSE(c.energy.pj_per_flop[ARC_ECL_ATTN_PREFILL], PJ_AP_FLOP, 1e-6); /* prefill and decode apart */
    CHECK_CLOSE(c.energy.pj_per_byte[ARC_ECL_ATTN_PREFILL], PJ_AP_BYTE, 1e-6);
    CHECK_CLOSE(c.energy.pj_per_flop[ARC_ECL_ATTN_DECODE], 0, 1e-6);
    CHECK_CLOSE(c.energy.pj_per_byte[ARC_ECL_ATTN_DECODE], PJ_AD_BYTE, 1e-6);
    CHECK_CLOSE(c.energy.pj_per_flop[ARC_ECL_STRIDED], 0, 1e-6); /* flop in fixed ratio to bytes: bytes only */
    CHECK_CLOSE(c.energy.pj_per_byte[ARC_ECL_STRIDED], PJ_STRIDED, 1e-6);
    CHECK(c.energy.median_rel_err < 1e-9);

    /* through the cost engine: a hardware file whose peaks are the calibration's roof */
    struct arc_hw hw;
    REQUIRE_OK(arc_hw_load("h200-sxm", &hw));
    REQUIRE_OK(arc_hw_set_calib(&hw, good));
    struct arc_op_cost cost;
    for (int a = 0; a < 4; a++)
        for (int i = 0; i < 3; i++) { /* the nodes */
            struct arc_op_rec o = gemm_op_((int64_t)ms_[a], (int64_t)ns_[i], 1024);
            arc_cost_op(&o, &hw, &cost);
            double want = T0 + gemm_roof_(ms_[a], ns_[i], 1024, bw) * g_gemm_(ms_[a], ns_[i], 1024);
            CHECK_MSG(check_close_(cost.time_s, want, 1e-9), "node m %g n %g: %g s, want %g", ms_[a], ns_[i], cost.time_s, want);
        }
    const int64_t off[][3] = {{2, 512, 512}, {10, 3000, 300}, {100, 2048, 700}};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) { /* between: the power law */
        struct arc_op_rec o = gemm_op_(off[i][0], off[i][1], off[i][2]);
        arc_cost_op(&o, &hw, &cost);
        double m = (double)off[i][0], n = (double)off[i][1], k = (double)off[i][2];
        double want = T0 + gemm_roof_(m, n, k, bw) * g_gemm_(m, n, k);
        CHECK_MSG(check_close_(cost.time_s, want, 1e-9), "m %g n %g k %g: %g s, want %g", m, n, k, cost.time_s, want);
        /* energy: busy power is per step (idle), the op carries the class's terms */
        double flop = 2 * m * n * k, bytes = n * k * 2 + m * k * 2 + m * n * 2;
        CHECK_CLOSE(cost.energy_j[ARC_EPART_COMPUTE] + cost.energy_j[ARC_EPART_MEMORY],
                    fmin((flop * PJ_FLOP + bytes * PJ_BYTE) * 1e-12, (700 - BUSY) * cost.time_s), 1e-6);
    }
    CHECK_CLOSE(arc_cost_idle_w(&hw), BUSY, 1e-6);
    { /* beyond the grid: g held at the edge */
        struct arc_op_rec o = gemm_op_(1024, 4096, 1024);
        arc_cost_op(&o, &hw, &cost);
        CHECK_CLOSE(cost.time_s, T0 + gemm_roof_(1024, 4096, 1024, bw) * g_gemm_(256, 4096, 1024), 1e-9);
    }
    { /* below the grid: n (parallel) is raised to the smallest measured n, k (a reduction) keeps its share */
        struct arc_op_rec o = gemm_op_(1, 16, 32);
        arc_cost_op(&o, &hw, &cost);
        CHECK_CLOSE(cost.time_s, T0 + gemm_roof_(1, 256, 32, bw) * g_gemm_(1, 256, 256), 1e-9);
        o = gemm_op_(1, 16, 1024); /* and it still grows along k */
        struct arc_op_cost c2;
        arc_cost_op(&o, &hw, &c2);
        CHECK(c2.time_s > cost.time_s);
    }
    { /* twice the memory bandwidth: a memory-bound GEMM's roof halves */
        struct arc_hw fast = hw;
        fast.f[ARC_HWF_MEM_BW] = 2 * bw;
        struct arc_op_rec o = gemm_op_(1, 4096, 1024);
        arc_cost_op(&o, &fast, &cost);
        CHECK_CLOSE(cost.time_s, T0 + gemm_roof_(1, 4096, 1024, 2 * bw) * g_gemm_(1, 4096, 1024), 1e-9);
        CHECK(cost.bound == ARC_BOUND_MEMORY);
    }
    { /* a grouped GEMM: one kernel, as efficient as a GEMM of all its rows, moving every group's weights */
        struct arc_op_rec o = {.op = ARC_OP_GROUPED_GEMM, .dtype = ARC_DTYPE_BF16, .m = 64, .n = 1024, .k = 1024, .groups = 4};
        o.flop = 2 * 64 * 1024 * 1024;
        o.bytes[ARC_MEM_WEIGHT] = 4 * 1024 * 1024 * 2;
        o.bytes[ARC_MEM_ACT] = 64 * 1024 * 2 * 2;
        arc_cost_op(&o, &hw, &cost);
        double roof = fmax(o.flop / bf16_peak, (4.0 * 1024 * 1024 * 2 + 64 * 1024 * 4) / bw);
        CHECK_CLOSE(cost.time_s, T0 + roof * g_gemm_(64, 1024, 1024), 1e-9);
    }
    { /* a copy: the stream table */
        struct arc_op_rec o = {.op = ARC_OP_ELEMENTWISE, .dtype = ARC_DTYPE_BF16, .m = 1, .n = 1, .k = 1};
        snprintf(o.name, sizeof o.name, "copy");
        o.bytes[ARC_MEM_ACT] = 3000000;
        arc_cost_op(&o, &hw, &cost);
        CHECK_CLOSE(cost.time_s, T0 + 3e6 / bw * g_stream_(3e6), 1e-9);
        o.op = ARC_OP_ELEMENTWISE_STRIDED; /* the same bytes over broadcast operands: its own table */
        o.flop = 3000000 / 4;               /* and its own energy class (flop in fixed ratio to bytes) */
        arc_cost_op(&o, &hw, &cost);
        CHECK_CLOSE(cost.time_s, T0 + 3e6 / bw * g_strided_(3e6), 1e-9);
        CHECK_CLOSE(cost.energy_j[ARC_EPART_COMPUTE] + cost.energy_j[ARC_EPART_MEMORY], 3e6 * PJ_STRIDED * 1e-12, 1e-6);
    }
    { /* no table: a collective stays on the roofline */
        struct arc_op_rec o = {.op = ARC_OP_ALLREDUCE, .dtype = ARC_DTYPE_BF16, .m = 1000, .ranks = 8, .link_bytes = 1750};
        struct arc_calib_cost cc;
        CHECK(!arc_calib_op(&c, &o, &hw, &cc));
    }

    /* a validation set: a holdout of off-grid shapes validates; the grid itself is refused */
    struct arc_calib_validation v;
    CHECK(arc_calib_validate(&c, &hw, &v) == ARC_EINPUT && strstr(arc_error(), "held-out"));

    /* damage */
    snprintf(path, sizeof path, "%s/hole.json", dir);
    write_cal_(path, "grid", "NVIDIA H200", 16, 0);
    refused_(path, "not a full grid: no point at m 16, n 256, k 256");
    snprintf(path, sizeof path, "%s/nogpu.json", dir);
    write_cal_(path, "grid", "NVIDIA H200", 0, 1);
    refused_(path, "provenance.gpu");
    snprintf(path, sizeof path, "%s/h100.json", dir);
    write_cal_(path, "grid", "NVIDIA H100 80GB HBM3", 0, 0);
    const struct arc_calib *got;
    CHECK(arc_calib_get(path, "h200-sxm", "NVIDIA H200", &got) == ARC_EINPUT &&
          strstr(arc_error(), "provenance.gpu: expected a calibration measured on NVIDIA H200"));
    snprintf(path, sizeof path, "%s/hold.json", dir);
    write_cal_(path, "holdout", "NVIDIA H200", 0, 0);
    CHECK(arc_calib_get(path, "h200-sxm", "NVIDIA H200", &got) == ARC_EINPUT && strstr(arc_error(), ":set:"));

    /* the shipped calibration and its holdout */
    struct arc_hw h200;
    REQUIRE_OK(arc_hw_load("h200-sxm", &h200));
    REQUIRE(h200.calib != NULL);
    const struct arc_calib *s = h200.calib;
    CHECK(strcmp(s->gpu, "NVIDIA H200") == 0);
    CHECK(s->energy.fitted);
    int kinds[ARC_CAL_KIND_COUNT] = {0};
    for (int i = 0; i < s->n_points; i++)
        kinds[s->points[i].kind]++;
    for (int k = 0; k < ARC_CAL_KIND_COUNT; k++)
        CHECK_MSG(kinds[k] > 0, "the shipped calibration has no %s", arc_calib_kind_name((enum arc_calib_kind)k));
    struct arc_calib hold;
    REQUIRE_OK(arc_calib_load("h200-sxm.holdout", &hold));
    REQUIRE_OK(arc_calib_validate(&hold, &h200, &v));
    CHECK_EQ_I(v.overlapping, 0);
    CHECK_EQ_I(v.rows[v.n_rows - 1].n, hold.n_points);
    printf("shipped holdout: %d kernels, median latency error %.1f%%, p90 %.1f%%\n", v.points,
           100 * v.rows[v.n_rows - 1].med_err, 100 * v.rows[v.n_rows - 1].p90_err);
    arc_calib_free(&hold);
    arc_calib_free(&c);
    char *rm[] = {"rm", "-rf", dir, NULL};
    arc_run_tool(rm, NULL, NULL);
    return check_done("test_calib_model_by_hand", "");
}
