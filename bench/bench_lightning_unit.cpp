// bench_lightning_unit: the lightning unit (the generated RTL of codegen/verilog/) simulated three
// ways, in simulated cycles per second of wall time, with the cycle counts checked identical:
//   - the cycle engine (arc_cycle_run) on a trace of N one-head-group recurrent decode ops on
//     le-hbm-sram with lightning_unit.lanes = L: each op is one call of the unit (a step of the
//     cycle engine's lightning unit taking arc_lu_op_cycles), among the engine's other work
//     (dispatch, SRAM reads of q, k, v); the chunk kernel has no trace op, so its row is the
//     closed form arc_lu_chunk_cycles alone;
//   - the SystemC engine (arc_engine_systemc: the program arclight-systemc, the TLM model with the
//     unit's timing model as a target), the same trace, its ~30 ms process start included;
//   - Verilator: the RTL itself (plain C++ model, no SystemC), driven call after call with random
//     inputs; the first call's o is checked against the fixed-point reference.
// Simulated cycles are the unit's busy cycles (the same figure in all three; the engines' whole
// step adds dispatch cycles around them). Prints one Markdown table; exit 1 if any count differs.
// Built by rtl/bench/CMakeLists.txt (it needs two generated designs verilated): the binary is
// BUILD/rtl/bench/bench_lightning_unit. Usage: bench_lightning_unit [ops] (default 2000).
// Not for: pass/fail on speed (timings never gate a test), or the co-simulation (rtl/cosim/).
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include <verilated.h>

#include "Vchunk.h"
#include "Vdec.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#include "arclight/cycle.h"
#include "arclight/lightning.h"
#include "arclight/lightning_unit.h"
#include "arclight/systemc.h"
}
#pragma GCC diagnostic pop

#ifndef ARC_DEC_D
#error "build with the designs' parameters: ARC_DEC_D/L/H/W/F and ARC_CHK_D/L/H/C/W/F (rtl/bench/CMakeLists.txt)"
#endif

static double now_s()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <typename T> static void put_bits(T &sig, int lo, int w, uint32_t val)
{
    for (int b = 0; b < w; b++) {
        int pos = lo + b;
        uint32_t bit = (val >> b) & 1u;
        if constexpr (std::is_integral<T>::value)
            sig = (T)((sig & ~((T)1 << pos)) | ((T)bit << pos));
        else
            sig[pos / 32] = (sig[pos / 32] & ~(1u << (pos % 32))) | (bit << (pos % 32));
    }
}

template <typename T> static int32_t get_word(const T &sig, int lo, int w)
{
    uint32_t v = 0;
    for (int b = 0; b < w; b++) {
        int pos = lo + b;
        uint32_t bit;
        if constexpr (std::is_integral<T>::value)
            bit = (uint32_t)((sig >> pos) & 1u);
        else
            bit = (sig[pos / 32] >> (pos % 32)) & 1u;
        v |= bit << b;
    }
    if (v >> (w - 1) & 1u)
        v |= ~0u << w;
    return (int32_t)v;
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static int32_t rand_raw(const arc_fx &f)
{
    int32_t r = (int32_t)1 << (f.frac - 1);
    for (;;) {
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        int32_t v = (int32_t)((rng * 0x2545F4914F6CDD1DULL) % (uint64_t)(2 * r + 1)) - r;
        if (v)
            return v;
    }
}

struct rtl_run {
    int64_t cycles = 0, bad_cycles = 0, bad_words = 0;
    double wall_s = 0;
};

// `calls` calls of the unit (decode when C is 0, else one chunk of C); the first call's o against
// the reference (not timed), every call's cycles against the model
template <typename V> static rtl_run run_rtl(int D, int L, int H, int C, arc_fx f, int calls)
{
    const bool chunk = C > 0;
    const int G = D / L, T = chunk ? C : 1, CG = chunk ? C / L : 0, per_head = T * D, beats = chunk ? C * G : G;
    const int64_t model = chunk ? arc_lu_chunk_cycles(D, L, H, C) : arc_lu_decode_cycles(D, L, H);
    std::vector<int32_t> q(H * per_head), k(H * per_head), v(H * per_head), o_ref(H * per_head), o_rtl;
    std::vector<int32_t> S((size_t)H * D * D, 0), lamp((size_t)H * (T + 1)), lam(H);
    arc_fx_lambda_powers(f, H, T, lamp.data());
    for (int h = 0; h < H; h++)
        lam[h] = lamp[(size_t)h * (T + 1) + 1];
    VerilatedContext ctx;
    V top{&ctx, "top"};
    auto tick = [&]() {
        top.clk = 1;
        top.eval();
        top.clk = 0;
        top.eval();
    };
    top.rst = 1;
    top.start = top.clear = top.in_valid = 0;
    tick();
    tick();
    top.rst = 0;
    tick();
    rtl_run r;
    for (int call = 0; call < calls; call++) {
        for (auto *x : {&q, &k, &v})
            for (auto &w : *x)
                w = rand_raw(f);
        if (call == 0) {
            if (chunk)
                arc_fx_lightning_chunk(f, H, D, C, lamp.data(), q.data(), k.data(), v.data(), o_ref.data(), S.data());
            else
                arc_fx_lightning_decode(f, H, D, lam.data(), q.data(), k.data(), v.data(), o_ref.data(), S.data());
        }
        double t0 = now_s();
        o_rtl.clear();
        top.start = 1;
        top.clear = call == 0;
        tick();
        top.start = top.clear = 0;
        int64_t n = 0, t = 0;
        while (!top.done && n < 2 * model + 100) {
            top.in_valid = 0;
            if (top.in_ready && t < (int64_t)H * beats) {
                int h = (int)(t / beats), b = (int)(t % beats);
                const int32_t *qh = &q[(size_t)h * per_head], *kh = &k[(size_t)h * per_head], *vh = &v[(size_t)h * per_head];
                for (int l = 0; l < L; l++) {
                    int32_t qw, kw, vw;
                    if (chunk) {
                        int i = b / G, g = b % G, x = b / CG, gj = b % CG;
                        qw = qh[i * D + g * L + l];
                        vw = vh[i * D + g * L + l];
                        kw = kh[(gj * L + l) * D + x];
                    } else {
                        qw = qh[b * L + l];
                        kw = kh[b * L + l];
                        vw = vh[b * L + l];
                    }
                    put_bits(top.q_in, l * f.bits, f.bits, (uint32_t)qw);
                    put_bits(top.k_in, l * f.bits, f.bits, (uint32_t)kw);
                    put_bits(top.v_in, l * f.bits, f.bits, (uint32_t)vw);
                }
                top.in_valid = 1;
                t++;
            }
            tick();
            n++;
            if (call == 0 && top.out_valid)
                for (int l = 0; l < L; l++)
                    o_rtl.push_back(get_word(top.o_out, l * f.bits, f.bits));
        }
        top.in_valid = 0;
        tick();
        r.wall_s += now_s() - t0;
        r.cycles += n;
        r.bad_cycles += n != model;
        if (call == 0)
            for (size_t i = 0; i < o_ref.size(); i++)
                r.bad_words += i >= o_rtl.size() || o_rtl[i] != o_ref[i];
    }
    top.final();
    return r;
}

static double busy_(const struct arc_result *r, const char *unit)
{
    for (int i = 0; i < r->n_units; i++)
        if (std::strcmp(r->unit_name[i], unit) == 0)
            return r->unit_busy_cycles[i];
    return -1;
}

// a trace of n recurrent lightning decode ops of H heads (batch 1) of D, states on chip
static void decode_trace(struct arc_trace *t, int D, int H, int n)
{
    arc_trace_init(t);
    t->wl = {};
    t->wl.phase = ARC_PHASE_DECODE;
    t->wl.batch = 1;
    t->wl.ctx = 64;
    t->wl.tp = t->wl.ep = t->wl.pp = t->wl.devices = 1;
    t->wl.dtype = ARC_DTYPE_BF16;
    t->wl.chunk = 16;
    std::snprintf(t->model, sizeof t->model, "bench");
    std::snprintf(t->pattern, sizeof t->pattern, "L");
    uint64_t state = (uint64_t)H * D * D * 4;
    t->mem_state_bytes = state;
    for (int i = 0; i < n; i++) {
        struct arc_op_rec o = {};
        o.layer = 0;
        o.op = ARC_OP_LIGHTNING_ATTN;
        o.block = ARC_BLOCK_LIGHTNING_ATTN;
        o.dtype = ARC_DTYPE_FP32;
        std::snprintf(o.name, sizeof o.name, "attn");
        o.batch = 1;
        o.heads = H;
        o.head_dim = D;
        o.seq_q = 1;
        o.seq_kv = 65;
        o.flop = 5 * (uint64_t)H * D * D;
        o.bytes[ARC_MEM_STATE] = 2 * state;
        o.bytes[ARC_MEM_ACT] = 4 * (uint64_t)H * D * 2;
        *arc_trace_push(t) = o;
    }
}

static void row(const char *kernel, const char *sim, const char *what, double cycles, double wall, double vl_rate)
{
    double rate = cycles / wall;
    std::printf("| %s | %s | %s | %.0f | %.4f | %.3g | %.3gx |\n", kernel, sim, what, cycles, wall, rate, rate / vl_rate);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? std::atoi(argv[1]) : 2000;
    if (n < 1)
        n = 2000;
    const arc_fx fd = {ARC_DEC_W, ARC_DEC_F}, fc = {ARC_CHK_W, ARC_CHK_F};
    int fails = 0;

    // Verilator
    rtl_run vd = run_rtl<Vdec>(ARC_DEC_D, ARC_DEC_L, ARC_DEC_H, 0, fd, n);
    rtl_run vc = run_rtl<Vchunk>(ARC_CHK_D, ARC_CHK_L, ARC_CHK_H, ARC_CHK_C, fc, n / 10 > 0 ? n / 10 : 1);
    const int64_t dec_model = arc_lu_decode_cycles(ARC_DEC_D, ARC_DEC_L, ARC_DEC_H);
    const int64_t chk_model = arc_lu_chunk_cycles(ARC_CHK_D, ARC_CHK_L, ARC_CHK_H, ARC_CHK_C);
    fails += vd.bad_cycles + vd.bad_words + vc.bad_cycles + vc.bad_words > 0;

    // the engines, on le-hbm-sram with the design's lanes
    struct arc_hw hw;
    if (arc_hw_load("le-hbm-sram", &hw) < 0 ||
        arc_hw_set(&hw, "lightning_unit.lanes", ARC_DEC_L, "bench: the lanes of the decode RTL it is compared with") < 0) {
        std::fprintf(stderr, "bench_lightning_unit: %s\n", arc_error());
        return 1;
    }
    struct arc_trace t;
    decode_trace(&t, ARC_DEC_D, ARC_DEC_H, n);
    struct arc_result rc, rs;
    double t0 = now_s();
    int reps = 0;
    do {
        if (arc_cycle_run(&t, &hw, nullptr, &rc, nullptr, nullptr) < 0) {
            std::fprintf(stderr, "bench_lightning_unit: %s\n", arc_error());
            return 1;
        }
        reps++;
    } while (now_s() - t0 < 0.5);
    double cyc_wall = (now_s() - t0) / reps;
    t0 = now_s();
    if (arc_engine_systemc.run_trace(&t, &hw, &rs, nullptr, nullptr) < 0) {
        std::fprintf(stderr, "bench_lightning_unit: %s\n", arc_error());
        return 1;
    }
    double sc_wall = now_s() - t0;
    arc_trace_free(&t);
    decode_trace(&t, ARC_DEC_D, ARC_DEC_H, 1); /* the engine's fixed cost: a one-op run */
    struct arc_result r1;
    t0 = now_s();
    if (arc_engine_systemc.run_trace(&t, &hw, &r1, nullptr, nullptr) < 0) {
        std::fprintf(stderr, "bench_lightning_unit: %s\n", arc_error());
        return 1;
    }
    double sc_fixed = now_s() - t0;
    arc_trace_free(&t);
    const double bc = busy_(&rc, "lightning"), bs = busy_(&rs, "lightning");
    const double want_d = (double)dec_model * n;
    fails += bc != want_d || bs != want_d || (double)vd.cycles != want_d;

    // the closed form, for the chunk (no trace op runs a chunk on the unit)
    volatile int chunk_c = ARC_CHK_C; /* read each time: the calls are not folded */
    int64_t sink = 0, m = 0;
    t0 = now_s();
    for (; m < 10000000; m++)
        sink += arc_lu_chunk_cycles(ARC_CHK_D, ARC_CHK_L, ARC_CHK_H, chunk_c);
    double cf_wall = now_s() - t0;
    fails += (double)vc.cycles != (double)chk_model * (double)(n / 10 > 0 ? n / 10 : 1) || sink != chk_model * m;

    std::printf("lightning unit: decode D %d L %d H %d fixed:%d.%d (%" PRId64 " cycles a call, %d calls); chunk D %d L %d H %d C %d "
                "fixed:%d.%d (%" PRId64 " cycles a call, %d calls)\n\n",
                ARC_DEC_D, ARC_DEC_L, ARC_DEC_H, ARC_DEC_W, ARC_DEC_F, dec_model, n, ARC_CHK_D, ARC_CHK_L, ARC_CHK_H,
                ARC_CHK_C, ARC_CHK_W, ARC_CHK_F, chk_model, n / 10 > 0 ? n / 10 : 1);
    std::printf("| kernel | simulator | what runs | unit cycles | wall s | simulated cycles/s | vs Verilator |\n");
    std::printf("| --- | --- | --- | --- | --- | --- | --- |\n");
    double vdr = (double)vd.cycles / vd.wall_s, vcr = (double)vc.cycles / vc.wall_s;
    row("decode", "cycle engine", "arc_cycle_run, one op per call (whole chip)", bc, cyc_wall, vdr);
    row("decode", "SystemC engine", "arclight-systemc, process start included", bs, sc_wall, vdr);
    row("decode", "Verilator", "the RTL, C++ model", (double)vd.cycles, vd.wall_s, vdr);
    row("chunk", "timing model", "arc_lu_chunk_cycles (closed form; no engine op)", (double)chk_model * (double)m, cf_wall, vcr);
    row("chunk", "Verilator", "the RTL, C++ model", (double)vc.cycles, vc.wall_s, vcr);
    std::printf("\ncycle counts: decode cycle engine %.0f, systemc %.0f, verilator %" PRId64 ", model %.0f; chunk verilator "
                "%" PRId64 ", model %" PRId64 " a call; first call's o: %" PRId64 " + %" PRId64 " words differ from the "
                "fixed-point reference -> %s\n",
                bc, bs, vd.cycles, want_d, vc.cycles, chk_model, vd.bad_words, vc.bad_words,
                fails ? "MISMATCH" : "identical");
    std::printf("the SystemC engine's fixed cost (process start, files, elaboration; a one-op run): %.1f ms; without "
                "it, %.3g simulated cycles/s\n", 1e3 * sc_fixed, bs / (sc_wall - sc_fixed > 0 ? sc_wall - sc_fixed : sc_wall));
    return fails ? 1 : 0;
}
