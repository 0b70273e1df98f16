/* Rule: the cost engine computes what sim/cost/cost.c documents, from the hardware file's figures.
 * For single-op traces built by hand, on h200-sxm (and 8xh200 for a collective):
 *   time   = max(flop / rate, bytes / copy bandwidth, link latency + link bytes / collective
 *            bandwidth, dynamic energy / (TDP - idle)) + kernel overhead (not for collectives)
 *   energy = idle x devices x latency + devices x (flop x pJ/flop + bytes x pJ/B + link bytes x pJ/B)
 * every expected value worked out here from the H200 figures written as literals. And the power
 * cap reproduces the measurement it was derived from: a 16384^3 bf16 GEMM is power-bound at an
 * achieved rate within 3% of 661 TFLOP/s (the rate measured at 692 W).
 * Not for: traces from models (test_fast_path_matches_trace.c), or the calibrated model
 * (test_calib_model_by_hand.c). */
#include "arclight/engine.h"
#include "check.h"

/* H200 SXM figures (sim/hw/h200-sxm.json), checked against the file below */
#define GEMM_BF16 815e12      /* flop/s */
#define GEMM_FP8 1630082e9    /* flop/s */
#define ATTN 580e12           /* flop/s */
#define VECTOR 66.9e12        /* flop/s */
#define COPY_BW 4.3e12        /* B/s */
#define COLL_BW 365e9         /* B/s */
#define LINK_LAT 6e-6         /* s */
#define TDP 700.0             /* W */
#define IDLE 124.0            /* W */
#define PJ_FLOP 0.8593e-12    /* J/flop */
#define PJ_FLOP_FP8 0.4297e-12
#define PJ_BYTE 83.37e-12     /* J/B */
#define PJ_LINK 44e-12        /* J/B */
#define OVERHEAD 1.8e-6       /* s */

static double max4_(double a, double b, double c, double d) { return fmax(fmax(a, b), fmax(c, d)); }

/* a one-op trace on `devices` devices, costed by the cost engine */
static void run1_(const struct arc_hw *hw, int devices, enum arc_dtype wdt, const struct arc_op_rec *op,
                  struct arc_result *r)
{
    struct arc_trace t;
    arc_trace_init(&t);
    snprintf(t.model, sizeof t.model, "hand");
    snprintf(t.pattern, sizeof t.pattern, "L");
    t.wl = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = devices, .ctx = 1, .tp = devices,
                                 .ep = 1, .pp = 1, .devices = devices, .dtype = wdt, .chunk = 256};
    *arc_trace_push(&t) = *op;
    REQUIRE_OK(arc_engine_cost.run_trace(&t, hw, r, NULL, NULL));
    arc_trace_free(&t);
}

static void expect_(const char *what, const struct arc_result *r, double latency, double dyn_flop_j,
                    double dyn_mem_j, double dyn_link_j, int devices, enum arc_bound bound)
{
    double idle = IDLE * devices * latency;
    double energy = idle + devices * (dyn_flop_j + dyn_mem_j + dyn_link_j);
    CHECK_MSG(check_close_(r->latency_s, latency, 1e-12), "%s: latency %.17g, want %.17g", what, r->latency_s, latency);
    CHECK_MSG(check_close_(r->energy_j, energy, 1e-12), "%s: energy %.17g, want %.17g", what, r->energy_j, energy);
    CHECK_MSG(check_close_(r->energy_by_j[ARC_EPART_IDLE], idle, 1e-12), "%s: idle energy %.17g, want %.17g", what,
              r->energy_by_j[ARC_EPART_IDLE], idle);
    CHECK_MSG(check_close_(r->energy_by_j[ARC_EPART_COMPUTE], devices * dyn_flop_j, 1e-12), "%s: compute energy", what);
    CHECK_MSG(check_close_(r->energy_by_j[ARC_EPART_MEMORY], devices * dyn_mem_j, 1e-12), "%s: memory energy", what);
    CHECK_MSG(check_close_(r->energy_by_j[ARC_EPART_LINK], devices * dyn_link_j, 1e-12), "%s: link energy", what);
    CHECK_MSG(r->by_bound_s[bound] == r->latency_s, "%s: not all of the time is %s-bound", what,
              arc_bound_name(bound));
    CHECK_CLOSE(r->energy_per_token_j, energy / devices, 1e-12); /* batch = devices tokens */
    CHECK_CLOSE(r->latency_per_token_s, latency, 0);              /* decode: the step */
}

static struct arc_op_rec gemm_(int64_t m, int64_t n, int64_t k, enum arc_dtype dt)
{
    int wb = dt == ARC_DTYPE_FP8 ? 1 : 2;
    struct arc_op_rec o = {.layer = 0, .op = ARC_OP_GEMM, .block = ARC_BLOCK_LIGHTNING_ATTN, .dtype = (uint8_t)dt,
                           .m = m, .n = n, .k = k};
    snprintf(o.name, sizeof o.name, "g");
    o.flop = 2 * (uint64_t)m * (uint64_t)n * (uint64_t)k;
    o.bytes[ARC_MEM_WEIGHT] = (uint64_t)n * (uint64_t)k * (uint64_t)wb;
    o.bytes[ARC_MEM_ACT] = ((uint64_t)m * (uint64_t)k + (uint64_t)m * (uint64_t)n) * 2;
    return o;
}

int main(void)
{
    struct arc_hw hw, node;
    REQUIRE_OK(arc_hw_load("h200-sxm", &hw));
    REQUIRE_OK(arc_hw_load("8xh200", &node));
    /* the documented roofline: with the shipped calibration detached (calib.h's model has its own tests) */
    REQUIRE_OK(arc_hw_set_calib(&hw, "none"));
    REQUIRE_OK(arc_hw_set_calib(&node, "none"));
    /* the literals above are the file's figures */
    CHECK_CLOSE(hw.f[ARC_HWF_BF16_GEMM], GEMM_BF16, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_FP8_GEMM], GEMM_FP8, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_BF16_ATTN], ATTN, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_FP32_VECTOR], VECTOR, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_MEM_COPY_BW], COPY_BW, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_LINK_COLL_BW], COLL_BW, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_LINK_LATENCY], LINK_LAT, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_TDP], TDP, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_IDLE], IDLE, 0);
    CHECK_CLOSE(hw.f[ARC_HWF_E_FLOP] * 1e-12, PJ_FLOP, 1e-15);
    CHECK_CLOSE(hw.f[ARC_HWF_E_FLOP_FP8] * 1e-12, PJ_FLOP_FP8, 1e-15);
    CHECK_CLOSE(hw.f[ARC_HWF_E_MEM] * 1e-12, PJ_BYTE, 1e-15);
    CHECK_CLOSE(hw.f[ARC_HWF_E_LINK] * 1e-12, PJ_LINK, 1e-15);
    CHECK_CLOSE(hw.f[ARC_HWF_KERNEL_OVERHEAD], OVERHEAD, 0);
    struct arc_result r;
    double big_rate = 0;

    /* 1. a batch-1 GEMM, 8192 x 8192 weights: memory-bound.
     * flop 2 x 8192^2 = 134217728; bytes 8192^2 x 2 + (8192 + 8192) x 2 = 134250496 */
    {
        struct arc_op_rec o = gemm_(1, 8192, 8192, ARC_DTYPE_BF16);
        CHECK_EQ_U(o.flop, 134217728ULL);
        CHECK_EQ_U(o.bytes[ARC_MEM_WEIGHT] + o.bytes[ARC_MEM_ACT], 134250496ULL);
        double fj = 134217728.0 * PJ_FLOP, mj = 134250496.0 * PJ_BYTE;
        double t = max4_(134217728.0 / GEMM_BF16, 134250496.0 / COPY_BW, 0, (fj + mj) / (TDP - IDLE));
        CHECK_CLOSE(t, 134250496.0 / COPY_BW, 0); /* the memory term wins */
        run1_(&hw, 1, ARC_DTYPE_BF16, &o, &r);
        expect_("batch-1 gemm", &r, t + OVERHEAD, fj, mj, 0, 1, ARC_BOUND_MEMORY);
        /* by memory class: 134217728 weight bytes, 32768 activation bytes */
        CHECK_CLOSE(r.mem_bytes[ARC_MEM_WEIGHT], 134217728.0, 0);
        CHECK_CLOSE(r.mem_bytes[ARC_MEM_ACT], 32768.0, 0);
        CHECK_CLOSE(r.mem_time_s[ARC_MEM_WEIGHT], 134217728.0 / COPY_BW, 1e-15);
        CHECK_CLOSE(r.mem_time_s[ARC_MEM_ACT], 32768.0 / COPY_BW, 1e-15);
        CHECK_CLOSE(r.mem_energy_j[ARC_MEM_WEIGHT], 134217728.0 * PJ_BYTE, 1e-15);
        CHECK_CLOSE(r.mem_energy_j[ARC_MEM_ACT], 32768.0 * PJ_BYTE, 1e-15);
        CHECK_CLOSE(r.mem_time_s[ARC_MEM_KV] + r.mem_time_s[ARC_MEM_STATE], 0, 0);
        CHECK_CLOSE(r.flop, 134217728.0, 0);
        struct arc_op_cost c;
        arc_cost_op(&o, &hw, &c);
        CHECK_CLOSE(c.compute_s, 134217728.0 / GEMM_BF16, 1e-15);
        CHECK_CLOSE(c.memory_s, 134250496.0 / COPY_BW, 1e-15);
        CHECK_CLOSE(c.power_s, (fj + mj) / (TDP - IDLE), 1e-12);
        CHECK_CLOSE(c.overhead_s, OVERHEAD, 0);
        CHECK_CLOSE(c.link_s, 0, 0);
    }

    /* 2. the same weights in fp8: half the weight bytes, the fp8 rate and energy per flop.
     * bytes 8192^2 + 32768 = 67141632 */
    {
        struct arc_op_rec o = gemm_(1, 8192, 8192, ARC_DTYPE_FP8);
        double fj = 134217728.0 * PJ_FLOP_FP8, mj = 67141632.0 * PJ_BYTE;
        double t = 67141632.0 / COPY_BW;
        run1_(&hw, 1, ARC_DTYPE_FP8, &o, &r);
        expect_("batch-1 fp8 gemm", &r, t + OVERHEAD, fj, mj, 0, 1, ARC_BOUND_MEMORY);
        struct arc_op_cost c;
        arc_cost_op(&o, &hw, &c);
        CHECK_CLOSE(c.compute_s, 134217728.0 / GEMM_FP8, 1e-15);
    }

    /* 3. a large bf16 GEMM, 16384^3: power-bound.
     * flop 2 x 16384^3 = 8796093022208; bytes 16384^2 x 2 + 2 x 16384^2 x 2 = 1610612736;
     * compute 10.79 ms < power (7.5585 J + 0.1343 J) / 576 W = 13.36 ms */
    {
        struct arc_op_rec o = gemm_(16384, 16384, 16384, ARC_DTYPE_BF16);
        CHECK_EQ_U(o.flop, 8796093022208ULL);
        CHECK_EQ_U(o.bytes[ARC_MEM_WEIGHT] + o.bytes[ARC_MEM_ACT], 1610612736ULL);
        double fj = 8796093022208.0 * PJ_FLOP, mj = 1610612736.0 * PJ_BYTE;
        double power_s = (fj + mj) / (TDP - IDLE);
        CHECK(power_s > 8796093022208.0 / GEMM_BF16);
        run1_(&hw, 1, ARC_DTYPE_BF16, &o, &r);
        expect_("16384^3 gemm", &r, power_s + OVERHEAD, fj, mj, 0, 1, ARC_BOUND_POWER);
        double rate = 8796093022208.0 / r.latency_s;
        big_rate = rate;
        CHECK_MSG(fabs(rate - 661e12) <= 0.03 * 661e12, "achieved %.1f TFLOP/s, want 661 within 3%%", rate / 1e12);
        /* and the board draws its TDP doing it: idle + dynamic energy over the time */
        double watts = r.energy_j / r.latency_s;
        CHECK_MSG(watts <= TDP && watts > 0.99 * TDP, "average power %.1f W", watts);
    }

    /* 4. a small elementwise op: the kernel overhead dominates.
     * 64 x 64 outputs, 2 flop each: flop 8192; bytes 64 x (128 + 64) x 2 = 24576 */
    {
        struct arc_op_rec o = {.layer = 0, .op = ARC_OP_ELEMENTWISE, .block = ARC_BLOCK_LIGHTNING_ATTN,
                               .dtype = ARC_DTYPE_BF16, .m = 64, .n = 64, .k = 128, .flop = 8192};
        snprintf(o.name, sizeof o.name, "e");
        o.bytes[ARC_MEM_ACT] = 24576;
        double fj = 8192.0 * PJ_FLOP, mj = 24576.0 * PJ_BYTE;
        double t = max4_(8192.0 / VECTOR, 24576.0 / COPY_BW, 0, (fj + mj) / (TDP - IDLE));
        CHECK(t < OVERHEAD);
        run1_(&hw, 1, ARC_DTYPE_BF16, &o, &r);
        expect_("small elementwise", &r, t + OVERHEAD, fj, mj, 0, 1, ARC_BOUND_OVERHEAD);
    }

    /* 5. recurrent lightning decode runs on the vector unit, prefill on the attention rate.
     * decode: 64 sequences x 8 heads x 5 x 128^2 = 41943040 flop; state 2 x 64 x 8 x 128^2 x 4 */
    {
        struct arc_op_rec o = {.layer = 0, .op = ARC_OP_LIGHTNING_ATTN, .block = ARC_BLOCK_LIGHTNING_ATTN,
                               .dtype = ARC_DTYPE_FP32, .batch = 64, .heads = 8, .head_dim = 128,
                               .seq_q = 1, .seq_kv = 100, .flop = 41943040};
        snprintf(o.name, sizeof o.name, "attn");
        o.bytes[ARC_MEM_STATE] = 67108864;
        struct arc_op_cost c;
        arc_cost_op(&o, &hw, &c);
        CHECK_EQ_I(arc_op_unit(&o), ARC_UNIT_VECTOR);
        CHECK_CLOSE(c.compute_s, 41943040.0 / VECTOR, 1e-15);
        CHECK_CLOSE(c.memory_s, 67108864.0 / COPY_BW, 1e-15);
        CHECK_EQ_I(c.bound, ARC_BOUND_MEMORY);
        o.seq_q = 4096;
        o.chunk = 256;
        o.dtype = ARC_DTYPE_BF16;
        arc_cost_op(&o, &hw, &c);
        CHECK_EQ_I(arc_op_unit(&o), ARC_UNIT_ATTN);
        CHECK_CLOSE(c.compute_s, 41943040.0 / ATTN, 1e-15);
    }

    /* 6. an all-reduce on 8 devices: link-bound, no kernel overhead, every device's energy.
     * buffer 64 MiB: link bytes 2 x 7/8 x 67108864 = 117440512; act 2 x buffer; 7/8 x 2^25 adds */
    {
        struct arc_op_rec o = {.layer = 0, .op = ARC_OP_ALLREDUCE, .block = ARC_BLOCK_LIGHTNING_ATTN,
                               .dtype = ARC_DTYPE_BF16, .m = 33554432, .ranks = 8, .flop = 29360128,
                               .link_bytes = 117440512};
        snprintf(o.name, sizeof o.name, "ar");
        o.bytes[ARC_MEM_ACT] = 134217728;
        double fj = 29360128.0 * PJ_FLOP, mj = 134217728.0 * PJ_BYTE, lj = 117440512.0 * PJ_LINK;
        double link_s = LINK_LAT + 117440512.0 / COLL_BW;
        CHECK(link_s > fmax(134217728.0 / COPY_BW, (fj + mj + lj) / (TDP - IDLE)));
        run1_(&node, 8, ARC_DTYPE_BF16, &o, &r);
        expect_("8-device all-reduce", &r, link_s, fj, mj, lj, 8, ARC_BOUND_LINK);
        CHECK_EQ_I(r.devices, 8);
        CHECK_CLOSE(r.link_bytes, 117440512.0, 0);
        CHECK_CLOSE(r.mem_time_s[ARC_MEM_ACT], 134217728.0 / COPY_BW, 1e-15);        /* per device */
        CHECK_CLOSE(r.mem_energy_j[ARC_MEM_ACT], 8 * 134217728.0 * PJ_BYTE, 1e-15); /* all devices */
        /* the one-GPU hardware cannot run an 8-device trace */
        struct arc_trace t;
        arc_trace_init(&t);
        t.wl = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = 8, .ctx = 1, .tp = 8, .ep = 1,
                                     .pp = 1, .devices = 8, .dtype = ARC_DTYPE_BF16, .chunk = 256};
        *arc_trace_push(&t) = o;
        CHECK_EQ_I(arc_engine_cost.run_trace(&t, &hw, &r, NULL, NULL), ARC_EINPUT);
        CHECK_HAS(arc_error(), "--devices");
        arc_trace_free(&t);
    }

    /* 7. a trace of the two GEMMs of cases 1 and 3 costs the sum of both */
    {
        struct arc_result a, b;
        struct arc_op_rec o1 = gemm_(1, 8192, 8192, ARC_DTYPE_BF16), o3 = gemm_(16384, 16384, 16384, ARC_DTYPE_BF16);
        run1_(&hw, 1, ARC_DTYPE_BF16, &o1, &a);
        run1_(&hw, 1, ARC_DTYPE_BF16, &o3, &b);
        struct arc_trace t;
        arc_trace_init(&t);
        t.wl = (struct arc_workload){.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 1, .tp = 1, .ep = 1,
                                     .pp = 1, .devices = 1, .dtype = ARC_DTYPE_BF16, .chunk = 256};
        *arc_trace_push(&t) = o1;
        *arc_trace_push(&t) = o3;
        REQUIRE_OK(arc_engine_cost.run_trace(&t, &hw, &r, NULL, NULL));
        arc_trace_free(&t);
        CHECK_CLOSE(r.latency_s, a.latency_s + b.latency_s, 1e-14);
        CHECK_CLOSE(r.energy_j, a.energy_j + b.energy_j, 1e-14);
        CHECK_CLOSE(r.by_bound_s[ARC_BOUND_MEMORY], a.latency_s, 1e-14);
        CHECK_CLOSE(r.by_bound_s[ARC_BOUND_POWER], b.latency_s, 1e-14);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "gemm_16384^3=%.1f_TFLOP/s", big_rate / 1e12);
    return check_done("test_energy_model", detail);
}
