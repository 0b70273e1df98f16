// arclight Verilator bench of the generated lightning unit (arclight gen verilog), after Verilator's
// own examples (examples/make_tracing_c/sim_main.cpp): a VerilatedContext, the model as Vdut, a VCD
// only with +trace.
//
// For: checking one generated design, decode (built with ARC_BENCH_CHUNK 0) or chunk (1), against
// the fixed-point C reference (arc_fx_lightning_decode / arc_fx_lightning_chunk) exactly, word for
// word, on random inputs (a fresh seed each run, printed; --seed N repeats one; no input is 0),
// over several calls so the state the unit keeps is non-zero (the first call has `clear`), and its
// cycles against the timing model (arc_lu_*_cycles) exactly. Prints one line,
//   PASS lightning_decode D=16 L=4 H=2 W=16 F=8 cycles=138 model=138 calls=3 seed=...
// or a FAIL line naming the first difference, and exits 1.
// Cycles: from the rising edge that samples start high (not counted) to the edge after which done
// is high (counted); inputs are offered every cycle in_ready is high, outputs taken with no stall.
// Usage: BENCH --dim D --lanes L --heads H --format fixed:W.F [--chunk C] [--calls N] [--seed S] [+trace]
// Not for: the parameters of the design: they must be the ones it was generated with (the port
// width is checked; the rest shows up as a FAIL).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <type_traits>
#include <unistd.h>
#include <vector>

#include <verilated.h>
#if VM_TRACE
#include <verilated_vcd_c.h>
#endif

#include "Vdut.h"

extern "C" {
#include "arclight/lightning.h"
#include "arclight/lightning_unit.h"
}

#ifndef ARC_BENCH_CHUNK
#error "build with -DARC_BENCH_CHUNK=0 (decode) or 1 (chunk)"
#endif

static const char *const kName = ARC_BENCH_CHUNK ? "lightning_chunk" : "lightning_decode";

// bits [lo, lo + w) of a port, whether Verilator made it an integer or a VlWide
template <typename T> static void put_bits(T &sig, int lo, int w, uint32_t val)
{
    for (int b = 0; b < w; b++) {
        int pos = lo + b;
        uint32_t bit = (val >> b) & 1u;
        if constexpr (std::is_integral<T>::value) {
            sig = (T)((sig & ~((T)1 << pos)) | ((T)bit << pos));
        } else {
            sig[pos / 32] = (sig[pos / 32] & ~(1u << (pos % 32))) | (bit << (pos % 32));
        }
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
    if (v >> (w - 1) & 1u) // sign-extend
        v |= ~0u << w;
    return (int32_t)v;
}

static uint64_t rng_state;
static uint64_t next_u64()
{
    uint64_t x = rng_state; // xorshift64*
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}
// a raw value in [-2^(F-1), 2^(F-1)], never 0: inputs of magnitude up to 0.5
static int32_t rand_raw(const arc_fx &f)
{
    int32_t r = (int32_t)1 << (f.frac - 1);
    for (;;) {
        int32_t v = (int32_t)(next_u64() % (uint64_t)(2 * r + 1)) - r;
        if (v)
            return v;
    }
}

static int usage(const char *msg)
{
    std::fprintf(stderr, "FAIL %s: %s\nusage: BENCH --dim D --lanes L --heads H --format fixed:W.F "
                         "[--chunk C] [--calls N] [--seed S] [+trace]\n", kName, msg);
    return 2;
}

int main(int argc, char **argv)
{
    int D = 0, L = 0, H = 0, C = 0, calls = 3;
    arc_fx f = {0, 0};
    uint64_t seed = 0;
    bool have_seed = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (a[0] == '+')
            continue; // plusargs: Verilator's (+trace)
        if (!v)
            return usage("an option lacks its value");
        if (!std::strcmp(a, "--dim")) D = std::atoi(v);
        else if (!std::strcmp(a, "--lanes")) L = std::atoi(v);
        else if (!std::strcmp(a, "--heads")) H = std::atoi(v);
        else if (!std::strcmp(a, "--chunk")) C = std::atoi(v);
        else if (!std::strcmp(a, "--calls")) calls = std::atoi(v);
        else if (!std::strcmp(a, "--seed")) { seed = std::strtoull(v, nullptr, 0); have_seed = true; }
        else if (!std::strcmp(a, "--format")) { if (arc_fx_parse(v, &f)) return usage("--format: expected fixed:W.F"); }
        else return usage(a);
        i++;
    }
    if (arc_lu_check(D, L, H, ARC_BENCH_CHUNK ? C : 0) < 0 || !arc_fx_valid(f) || calls < 1)
        return usage("bad --dim, --lanes, --heads, --chunk, --format or --calls");
    if (!ARC_BENCH_CHUNK)
        C = 1;
    if (!have_seed) { // splitmix64 of the time, the process id and the CPU clock
        uint64_t z = ((uint64_t)std::time(nullptr) << 20) ^ ((uint64_t)getpid() << 40) ^ (uint64_t)std::clock();
        z += 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        seed = z ^ (z >> 31);
    }
    rng_state = seed ? seed : 1;

    const std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    ctx->commandArgs(argc, argv);
    const std::unique_ptr<Vdut> top{new Vdut{ctx.get(), "top"}};
    if ((int)sizeof(top->q_in) * 8 < L * f.bits || (int)sizeof(top->q_in) * 8 >= L * f.bits + 64)
        return usage("the design's port width is not --lanes x W: generated with other parameters?");
#if VM_TRACE
    std::unique_ptr<VerilatedVcdC> tfp;
    if (std::strcmp(ctx->commandArgsPlusMatch("trace"), "+trace") == 0) {
        ctx->traceEverOn(true);
        tfp.reset(new VerilatedVcdC);
        top->trace(tfp.get(), 99);
        char path[128];
        std::snprintf(path, sizeof path, "%s.vcd", kName);
        tfp->open(path);
        std::printf("trace: %s\n", path);
    }
#endif
    auto tick = [&]() {
        top->clk = 1;
        top->eval();
        ctx->timeInc(1);
#if VM_TRACE
        if (tfp) tfp->dump(ctx->time());
#endif
        top->clk = 0;
        top->eval();
        ctx->timeInc(1);
#if VM_TRACE
        if (tfp) tfp->dump(ctx->time());
#endif
    };

    const int G = D / L, CG = C / L;
    const int per_head = C * D;                     // words of q, k, v, o per head
    const int beats = ARC_BENCH_CHUNK ? C * G : G;  // input beats per head
    const int64_t model = ARC_BENCH_CHUNK ? arc_lu_chunk_cycles(D, L, H, C) : arc_lu_decode_cycles(D, L, H);
    std::vector<int32_t> q(H * per_head), k(H * per_head), v(H * per_head), o_ref(H * per_head), o_rtl;
    std::vector<int32_t> S((size_t)H * D * D, 0), lamp((size_t)H * (C + 1)), lam(H);
    arc_fx_lambda_powers(f, H, C, lamp.data());
    for (int h = 0; h < H; h++)
        lam[h] = lamp[(size_t)h * (C + 1) + 1];

    top->rst = 1;
    top->start = top->clear = top->in_valid = 0;
    tick();
    tick();
    top->rst = 0;
    tick();
    int64_t cycles = -1;
    for (int call = 0; call < calls; call++) {
        for (auto *x : {&q, &k, &v})
            for (auto &w : *x)
                w = rand_raw(f);
        if (ARC_BENCH_CHUNK)
            arc_fx_lightning_chunk(f, H, D, C, lamp.data(), q.data(), k.data(), v.data(), o_ref.data(), S.data());
        else
            arc_fx_lightning_decode(f, H, D, lam.data(), q.data(), k.data(), v.data(), o_ref.data(), S.data());
        o_rtl.clear();
        top->start = 1;
        top->clear = call == 0;
        tick(); // the edge that samples start
        top->start = top->clear = 0;
        int64_t n = 0, t = 0; // cycles, beats taken
        const int64_t limit = 2 * model + 100;
        while (!top->done && n < limit) {
            top->in_valid = 0;
            if (top->in_ready && t < (int64_t)H * beats) {
                int h = (int)(t / beats), b = (int)(t % beats);
                const int32_t *qh = &q[(size_t)h * per_head], *kh = &k[(size_t)h * per_head], *vh = &v[(size_t)h * per_head];
                for (int l = 0; l < L; l++) {
                    int32_t qw, kw, vw;
                    if (ARC_BENCH_CHUNK) { // Q and V row-major in beats (i, g); K transposed, beats (x, gj)
                        int i = b / G, g = b % G, x = b / CG, gj = b % CG;
                        qw = qh[i * D + g * L + l];
                        vw = vh[i * D + g * L + l];
                        kw = kh[(gj * L + l) * D + x];
                    } else {
                        qw = qh[b * L + l];
                        kw = kh[b * L + l];
                        vw = vh[b * L + l];
                    }
                    put_bits(top->q_in, l * f.bits, f.bits, (uint32_t)qw);
                    put_bits(top->k_in, l * f.bits, f.bits, (uint32_t)kw);
                    put_bits(top->v_in, l * f.bits, f.bits, (uint32_t)vw);
                }
                top->in_valid = 1;
                t++; // taken at this edge: in_ready is high
            }
            tick();
            n++;
            if (top->out_valid)
                for (int l = 0; l < L; l++)
                    o_rtl.push_back(get_word(top->o_out, l * f.bits, f.bits));
        }
        top->in_valid = 0;
        if (!top->done) {
            std::printf("FAIL %s D=%d L=%d H=%d: no done within %" PRId64 " cycles (model %" PRId64 ", seed %" PRIu64 ")\n",
                        kName, D, L, H, limit, model, seed);
            return 1;
        }
        if (o_rtl.size() != o_ref.size()) {
            std::printf("FAIL %s D=%d L=%d H=%d: %zu output words, want %zu (seed %" PRIu64 ")\n", kName, D, L, H,
                        o_rtl.size(), o_ref.size(), seed);
            return 1;
        }
        for (size_t i = 0; i < o_ref.size(); i++)
            if (o_rtl[i] != o_ref[i]) {
                std::printf("FAIL %s D=%d L=%d H=%d: call %d head %zu word %zu: rtl %d, reference %d (seed %" PRIu64 ")\n",
                            kName, D, L, H, call, i / per_head, i % per_head, o_rtl[i], o_ref[i], seed);
                return 1;
            }
        int64_t live = 0; // a test whose outputs are all 0 or all saturated would prove little
        const int32_t maxv = (1 << (f.bits - 1)) - 1;
        for (int32_t w : o_ref)
            live += w != 0 && w != maxv && w != -maxv - 1;
        if (2 * live < (int64_t)o_ref.size()) {
            std::printf("FAIL %s D=%d L=%d H=%d: only %" PRId64 " of %zu outputs are neither 0 nor saturated: inputs too small or too large for fixed:%d.%d (seed %" PRIu64 ")\n",
                        kName, D, L, H, live, o_ref.size(), f.bits, f.frac, seed);
            return 1;
        }
        if (n != model) {
            std::printf("FAIL %s D=%d L=%d H=%d: rtl cycles %" PRId64 " != model cycles %" PRId64 " (seed %" PRIu64 ")\n",
                        kName, D, L, H, n, model, seed);
            return 1;
        }
        cycles = n;
        tick(); // a gap between calls
    }
    top->final();
#if VM_TRACE
    if (tfp) tfp->close();
#endif
    std::printf("PASS %s D=%d L=%d H=%d", kName, D, L, H);
    if (ARC_BENCH_CHUNK)
        std::printf(" C=%d", C);
    std::printf(" W=%d F=%d cycles=%" PRId64 " model=%" PRId64 " calls=%d seed=%" PRIu64 "\n", f.bits, f.frac, cycles,
                model, calls, seed);
    return 0;
}
