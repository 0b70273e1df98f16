// arclight co-simulation: the Verilated RTL as the SystemC model's lightning unit (rtl_unit.h says
// what it does and what it is not for).
#include "rtl_unit.h"

#include <cinttypes>
#include <cstdio>
#include <type_traits>

using namespace sc_core;

namespace arcsc {

RtlLightningUnit::RtlLightningUnit(sc_module_name n, int D, int L, int H, struct arc_fx f, uint64_t seed)
    : LightningUnit(n), rtl_("rtl"), D_(D), L_(L), H_(H), f_(f), rng_(seed ? seed : 1)
{
    ARC_ASSERT((int)sizeof(word_t) * 8 >= L * f.bits); // the port holds a beat of L words
    rtl_.clk(clk_);
    rtl_.rst(rst_);
    rtl_.start(start_);
    rtl_.clear(clear_);
    rtl_.in_valid(in_valid_);
    rtl_.q_in(q_);
    rtl_.k_in(k_);
    rtl_.v_in(v_);
    rtl_.busy(busy_);
    rtl_.done(done_);
    rtl_.in_ready(in_ready_);
    rtl_.out_valid(out_valid_);
    rtl_.o_out(o_);
    q.resize((size_t)H * D);
    k.resize(q.size());
    v.resize(q.size());
    o_ref.resize(q.size());
    S.assign((size_t)H * D * D, 0);
    std::vector<int32_t> lamp((size_t)H * 2);
    arc_fx_lambda_powers(f, H, 1, lamp.data());
    lam.resize(H);
    for (int h = 0; h < H; h++)
        lam[h] = lamp[(size_t)h * 2 + 1];
}

// two delta cycles: the RTL's method runs on the signals written before, and its outputs update
void RtlLightningUnit::settle()
{
    wait(SC_ZERO_TIME);
    wait(SC_ZERO_TIME);
}

void RtlLightningUnit::tick()
{
    clk_.write(true);
    settle();
    clk_.write(false);
    settle();
}

int32_t RtlLightningUnit::rand_raw()
{
    for (;;) {
        uint64_t x = rng_; // xorshift64*
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        rng_ = x;
        double r01 = (double)((x * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0; // [0, 1)
        float b = arc_bf16_round((float)(r01 - 0.5));                                   // bf16 in [-0.5, 0.5]
        int32_t r = arc_fx_from_double(f_, (double)b);
        if (r)
            return r;
    }
}

static_assert(std::is_integral<std::remove_reference<decltype(Vlu::q_in)>::type::data_type>::value, "beats wider than 64 bits (sc_bv ports) are not handled");

static uint64_t bits_(int32_t w, int W) { return (uint64_t)(uint32_t)w & ((W < 32 ? (1ull << W) : 0x100000000ull) - 1); }

double RtlLightningUnit::run(const ComputeCmd &c)
{
    const int W = f_.bits, G = D_ / L_;
    if ((int)c.head_steps != H_ || (int)c.head_dim != D_) {
        if (!shape_errors++)
            std::snprintf(first_error, sizeof first_error, "a call of %g head-steps of D %g on an RTL of H %d, D %d",
                          c.head_steps, c.head_dim, H_, D_);
        return c.cycles;
    }
    if (!reset_done_) { // synchronous reset, as the C++ bench does it
        rst_.write(true);
        start_.write(false);
        clear_.write(false);
        in_valid_.write(false);
        tick();
        tick();
        rst_.write(false);
        tick();
        reset_done_ = true;
    }
    for (auto *x : {&q, &k, &v})
        for (auto &w : *x)
            w = rand_raw();
    arc_fx_lightning_decode(f_, H_, D_, lam.data(), q.data(), k.data(), v.data(), o_ref.data(), S.data());
    o_rtl.clear();
    start_.write(true);
    clear_.write(calls == 0);
    tick(); // the edge that samples start
    start_.write(false);
    clear_.write(false);
    int64_t n = 0, t = 0; // cycles, beats taken
    const int64_t limit = 4 * (int64_t)(c.cycles + 100);
    while (!done_.read() && n < limit) {
        in_valid_.write(false);
        if (in_ready_.read() && t < (int64_t)H_ * G) {
            int h = (int)(t / G), b = (int)(t % G);
            uint64_t qw = 0, kw = 0, vw = 0;
            for (int l = 0; l < L_; l++) {
                size_t i = (size_t)h * D_ + (size_t)b * L_ + l;
                qw |= bits_(q[i], W) << (l * W);
                kw |= bits_(k[i], W) << (l * W);
                vw |= bits_(v[i], W) << (l * W);
            }
            q_.write((word_t)qw);
            k_.write((word_t)kw);
            v_.write((word_t)vw);
            in_valid_.write(true);
            t++;
        }
        tick();
        n++;
        if (out_valid_.read()) {
            uint64_t ow = (uint64_t)o_.read();
            for (int l = 0; l < L_; l++) {
                uint32_t w = (uint32_t)(ow >> (l * W)) & (uint32_t)((1ull << W) - 1);
                if (w >> (W - 1) & 1u) // sign-extend
                    w |= ~0u << W;
                o_rtl.push_back((int32_t)w);
            }
        }
    }
    in_valid_.write(false);
    tick(); // a gap between calls
    const int32_t maxv = (1 << (W - 1)) - 1;
    for (size_t i = 0; i < o_ref.size(); i++) {
        int32_t got = i < o_rtl.size() ? o_rtl[i] : INT32_MIN;
        words++;
        live += o_ref[i] != 0 && o_ref[i] != maxv && o_ref[i] != -maxv - 1;
        if (got != o_ref[i] && !mismatches++)
            std::snprintf(first_error, sizeof first_error, "call %" PRId64 " head %zu word %zu: rtl %d, reference %d%s",
                          calls, i / D_, i % D_, got, o_ref[i], done_.read() ? "" : " (no done)");
    }
    if (o_rtl.size() != o_ref.size() && !mismatches++)
        std::snprintf(first_error, sizeof first_error, "call %" PRId64 ": %zu output words, want %zu", calls,
                      o_rtl.size(), o_ref.size());
    model_diffs += (double)n != c.cycles;
    calls++;
    cycles += n;
    return (double)(n + skew);
}

} // namespace arcsc
