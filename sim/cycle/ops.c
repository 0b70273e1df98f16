/* arclight cycle engine: ops into steps. Each op of a trace becomes a sequence of steps that the
 * units of one chip carry (sim/cycle/cycle.c runs them); this file decides what a step reads,
 * writes and computes, from the op's shapes and the design's figures.
 *
 * le, matrix array (GEMM, grouped GEMM, softmax attention, lightning prefill): weight-stationary.
 * A matmul M x N x K becomes ceil(K / rows) x ceil(N / cols) tiles, N tiles outer, K tiles inner;
 * a tile's stationary operand (kr x nc elements) is loaded from SRAM, and the tile streams its M
 * rows (M x kr elements read from SRAM while it runs) one per cycle; partial sums stay in the
 * accumulators until the last K tile writes the M x nc results. Rows are re-read for every N tile,
 * so SRAM traffic exceeds the trace's "each input read once" count. Results come out rows + cols
 * cycles after the last row went in (fill and drain); the next tile streams meanwhile, so only
 * what waits on the results sees that latency. When activations spill off chip, every tile's rows
 * come from off chip again (no blocking of rows in SRAM). MACs issued = M x kr x nc: unused PEs of
 * a partial tile are taken as clock-gated.
 * - grouped GEMM: groups experts, each with its full K x N weights, the m rows spread as evenly as
 *   they go (the trace's expected-experts weight count is a mean; the engine moves whole experts).
 * - softmax attention, per (sequence, KV head) pair, with g = heads / kv_heads query heads sharing
 *   it, keys in blocks of kb = min(rows, cols): QK^T with the block's K^T stationary (d x kb) and
 *   the g x queries' rows streamed (prefill is causal: block j streams the rows of queries at or
 *   after its first key), then exp, max, sum and scale on the vector unit (5 flop per score), then
 *   PV with the block's V stationary (kb x d) and the scores streamed from the vector unit (fused:
 *   scores never touch SRAM). Outputs are written after the last block; the new tokens' K and V
 *   are read and written to the cache with the first block.
 * - lightning prefill, per (sequence, head) and block of C = chunk tokens: QK^T (K block
 *   stationary) and the decay mask (C^2 on the vector unit); the masked scores times V (V block
 *   stationary); Q S (the running state S stationary, fp32 in SRAM scratch) with the query decay
 *   and sum (2 C d); K^T V (V block stationary, K^T rows streamed) with the key decay, lambda^C S
 *   and the add (C d + 2 d^2), which writes S back. The final state is written once.
 *   These are FORMAT.md's flop exactly, split between the array and the vector unit.
 * - software pipelining: attention units (key blocks, lightning blocks) are ordered blocks
 *   outer, pairs inner, and each unit's first matmul runs `lag` units ahead of its dependent
 *   ones, lag = 1 + ceil((rows + cols) / M) (M the fewest rows a first matmul streams), so the
 *   array does other work while a block's results drain and the vector unit finishes them, as a
 *   compiler scheduling the array would arrange.
 * le, vector unit (norm, elementwise, rope, embed, recurrent lightning decode) and links
 * (collectives, sends): the op is cut into chunks of block_bytes (one weight tile: rows x cols x
 * the array's element bytes, the staging buffer the residency plan reserves twice); each chunk
 * reads its share of the inputs from SRAM, computes, and writes its share of the outputs. A link
 * chunk sends its share of the link bytes (the first chunk also pays link.latency_s), and an
 * all-reduce adds what it received on the vector unit.
 * le, lightning unit (when the design has one, hardware field lightning_unit.lanes): a recurrent
 * lightning decode op whose states stay on chip is one step on the unit, taking exactly
 * arc_lu_op_cycles (include/arclight/lightning_unit.h: the generated RTL's count, checked cycle for
 * cycle by the Verilator benches in rtl/). It reads q, k, v from SRAM before and writes o after;
 * the state stays in the unit's banks (its bytes count as SRAM energy, not SRAM port time); MACs =
 * 3 d^2 per head (lambda S, k^T v, q S) at the matrix array's MAC energy. Ops the unit cannot take
 * (states off chip, a head dimension it does not fit) stay on the vector unit.
 * snn: every op is chunks (block_bytes = one core's memory, sram.capacity / banks). Linear layers
 * and attention are spiking: their chunks are also split over the T timesteps, each carrying its
 * share of accel.c's counts: synaptic events (rate x T x MACs) and neuron updates (outputs x T) on
 * the cores, the non-spiking multiplies (softmax, the lambda S decay floor) on the vector unit,
 * and the spikes (rate x T x outputs) over the mesh. On-chip synaptic weights are read by the
 * synaptic events themselves (no SRAM bytes), as in accel.c.
 * Not for: timing (cycle.c) or the analytical model (sim/cost/accel.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/lightning_unit.h"
#include "cycle_internal.h"

void cyc_rates_init_(struct cyc_rates *r, const struct arc_hw *hw)
{
    const double *f = hw->f;
    memset(r, 0, sizeof *r);
    r->snn = hw->kind == ARC_HW_SNN;
    r->clock_hz = f[ARC_HWF_CLOCK_HZ];
    r->dma_bytes = f[ARC_HWF_OFFCHIP_BW] / r->clock_hz;
    r->link_bytes = f[ARC_HWF_LINK_BW] / r->clock_hz;
    r->link_latency = f[ARC_HWF_LINK_LATENCY] * r->clock_hz;
    r->dispatch = ceil(f[ARC_HWF_KERNEL_OVERHEAD] * r->clock_hz - 1e-6);
    r->sram_ports = f[ARC_HWF_SRAM_BANKS] * f[ARC_HWF_SRAM_PORTS];
    r->sram_port_bytes = f[ARC_HWF_SRAM_PORT_BYTES];
    r->vec_flop = 2 * f[ARC_HWF_VECTOR_LANES];
    r->hw = hw;
    if (!r->snn) {
        r->rows = (int64_t)f[ARC_HWF_MATRIX_ROWS];
        r->cols = (int64_t)f[ARC_HWF_MATRIX_COLS];
        r->block_bytes = (double)r->rows * (double)r->cols * (f[ARC_HWF_MATRIX_DTYPE] == 0 ? 1 : 2);
    } else {
        double cores = f[ARC_HWF_SNN_CORES];
        r->block_bytes = f[ARC_HWF_SRAM_CAPACITY] / f[ARC_HWF_SRAM_BANKS];
        r->synops = cores * f[ARC_HWF_SNN_SYNOP_S] / r->clock_hz;
        r->updates = cores * f[ARC_HWF_SNN_UPDATE_S] / r->clock_hz;
        r->hop_cycles = hw->d.mean_hops * f[ARC_HWF_SNN_HOP_S] * r->clock_hz / cores;
    }
}

static int64_t cdiv_(int64_t a, int64_t b) { return b > 0 ? (a + b - 1) / b : 0; }
static int64_t min_(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t pos_(int64_t a) { return a > 0 ? a : 1; }

/* ---- chunks ---- */

/* An op's bytes per class split into what it reads (in) and writes (out) (FORMAT.md's counts) */
static void io_(const struct arc_op_rec *o, double in[CYC_NCLASS], double out[CYC_NCLASS])
{
    memset(in, 0, CYC_NCLASS * sizeof *in);
    memset(out, 0, CYC_NCLASS * sizeof *out);
    double act = (double)o->bytes[ARC_MEM_ACT], kv = (double)o->bytes[ARC_MEM_KV];
    double st = (double)o->bytes[ARC_MEM_STATE], a_out = 0, kv_out = 0, st_out = 0;
    switch ((enum arc_op)o->op) {
    case ARC_OP_GEMM:
    case ARC_OP_GROUPED_GEMM:
    case ARC_OP_ELEMENTWISE:
    case ARC_OP_ELEMENTWISE_STRIDED:
    case ARC_OP_EMBED:
        a_out = (double)o->m * (double)o->n * 2;
        break;
    case ARC_OP_SOFTMAX_ATTN:
        a_out = (double)o->batch * (double)o->heads * (double)o->seq_q * (double)o->head_dim * 2;
        kv_out = o->seq_q == 1 ? kv / (double)(o->seq_kv + 1) : kv / 2; /* the new tokens' K and V */
        break;
    case ARC_OP_LIGHTNING_ATTN:
        a_out = act / 4;                       /* q, k, v in, o out */
        st_out = o->seq_q == 1 ? st / 2 : st;  /* decode: read and written back; prefill: written */
        break;
    case ARC_OP_SEND:
        break; /* read and sent */
    default:   /* norm, rope, collectives: each element read and written */
        a_out = act / 2;
        break;
    }
    a_out = a_out < act ? a_out : act;
    in[ARC_MEM_WEIGHT] = (double)o->bytes[ARC_MEM_WEIGHT];
    in[ARC_MEM_ACT] = act - a_out;
    out[ARC_MEM_ACT] = a_out;
    in[ARC_MEM_KV] = kv - kv_out;
    out[ARC_MEM_KV] = kv_out;
    in[ARC_MEM_STATE] = st - st_out;
    out[ARC_MEM_STATE] = st_out;
}

static void chunks_init_(struct cyc_gen *g, const struct arc_hw *hw)
{
    const struct arc_op_rec *o = g->o;
    const struct cyc_rates *rt = g->rt;
    double in[CYC_NCLASS], out[CYC_NCLASS];
    io_(o, in, out);
    struct arc_snn_counts sp = {0};
    int link = arc_op_unit(o) == ARC_UNIT_LINK, spiking = 0;
    if (rt->snn) {
        arc_snn_counts(o, hw, &sp); /* the cost engine's rules */
        spiking = sp.synops > 0 || sp.updates > 0;
        if (!g->offchip[ARC_MEM_WEIGHT])
            in[ARC_MEM_WEIGHT] = 0; /* on-chip synaptic weights: read by the synaptic events */
    } else {
        sp.vec_flop = (double)o->flop;
    }
    double moved = (double)o->link_bytes;
    for (int c = 0; c < CYC_NCLASS; c++)
        moved += in[c] + out[c];
    double n = ceil(moved / rt->block_bytes);
    if (n < 1)
        n = 1;
    if (spiking)
        n *= hw->f[ARC_HWF_SNN_TIMESTEPS];
    g->n_chunks = (int64_t)n;
    struct cyc_step *s = &g->share;
    memset(s, 0, sizeof *s);
    s->dep = -1;
    for (int c = 0; c < CYC_NCLASS; c++) {
        s->ld[c] = in[c] / n;
        s->wr[c] = out[c] / n;
    }
    if (link) {
        s->unit = CYC_LINK;
        s->link_bytes = (double)o->link_bytes / n;
        s->work = s->link_bytes / rt->link_bytes;
        s->vflop = (double)o->flop / n; /* the all-reduce's adds */
        s->vec = s->vflop / rt->vec_flop;
        g->first_extra = rt->link_latency;
    } else if (spiking) {
        s->unit = CYC_ARRAY;
        s->synops = sp.synops / n;
        s->updates = sp.updates / n;
        s->spikes = sp.spikes / n;
        s->mults = sp.mults / n;
        s->vflop = sp.vec_flop / n;
        double a = s->synops / rt->synops, b = s->updates / rt->updates;
        s->work = a > b ? a : b; /* a core's synapse and neuron pipelines overlap */
        s->vec = (s->vflop + s->mults) / rt->vec_flop;
        s->mesh = s->spikes * rt->hop_cycles;
    } else {
        s->unit = CYC_VECTOR;
        s->vflop = sp.vec_flop / n;
        s->work = s->vflop / rt->vec_flop;
    }
}

/* ---- matrix-array tiles ---- */

/* The matmul of (unit u, phase p) of op o */
static void mm_(const struct cyc_gen *g, int64_t u, int p, struct cyc_mm *mm)
{
    const struct arc_op_rec *o = g->o;
    const struct cyc_rates *rt = g->rt;
    memset(mm, 0, sizeof *mm);
    mm->in_c = ARC_MEM_ACT;
    mm->in_b = 2;
    mm->out_c = -1;
    switch ((enum arc_op)o->op) {
    case ARC_OP_GEMM:
    case ARC_OP_GROUPED_GEMM: {
        int64_t G = g->units;
        mm->M = o->m / G + (u < o->m % G ? 1 : 0);
        mm->N = o->n;
        mm->K = o->k;
        mm->stat_c = ARC_MEM_WEIGHT;
        mm->stat_b = arc_dtype_bytes((enum arc_dtype)o->dtype);
        mm->out_c = ARC_MEM_ACT;
        mm->out_b = 2;
        break;
    }
    case ARC_OP_SOFTMAX_ATTN: {
        int64_t kb = min_(rt->rows, rt->cols), d = o->head_dim, j = u / g->pairs;
        int64_t grp = pos_(o->heads / pos_(o->kv_heads)), kbj = min_(kb, o->seq_kv - j * kb);
        int64_t q = o->seq_q > 1 ? o->seq_q - j * kb : o->seq_q; /* causal prefill */
        mm->M = grp * (q > 0 ? q : 0);
        mm->stat_c = ARC_MEM_KV;
        mm->stat_b = g->kv_bytes;
        if (p == 0) {
            mm->N = kbj;
            mm->K = d;
            mm->vflop = 5.0 * (double)mm->M * (double)kbj;
            if (j == 0) { /* the new tokens' K and V: read, then written to the cache */
                mm->extra_rd[ARC_MEM_ACT] = (double)o->seq_q * 2 * (double)d * 2;
                mm->extra_wr[ARC_MEM_KV] = (double)o->seq_q * 2 * (double)d * g->kv_bytes;
            }
        } else {
            mm->N = d;
            mm->K = kbj;
            mm->in_c = -1;
            mm->dep = 1;
            if (j == cdiv_(o->seq_kv, kb) - 1)
                mm->extra_wr[ARC_MEM_ACT] = (double)grp * (double)o->seq_q * (double)d * 2;
        }
        break;
    }
    case ARC_OP_LIGHTNING_ATTN: {
        double C = (double)o->chunk, d = (double)o->head_dim;
        int64_t blk = u / g->pairs;
        mm->stat_c = ARC_MEM_ACT;
        mm->stat_b = 2;
        switch (p) {
        case 0: /* Q K^T within the block, then the decay mask */
            mm->M = o->chunk, mm->N = o->chunk, mm->K = o->head_dim;
            mm->vflop = C * C;
            break;
        case 1: /* masked scores times V */
            mm->M = o->chunk, mm->N = o->head_dim, mm->K = o->chunk;
            mm->in_c = -1;
            mm->dep = 1;
            break;
        case 2: /* Q S from the previous blocks, the query decay and the sum; o written */
            mm->M = o->chunk, mm->N = o->head_dim, mm->K = o->head_dim;
            mm->stat_c = CYC_SCRATCH;
            mm->stat_b = 4;
            mm->out_c = ARC_MEM_ACT;
            mm->out_b = 2;
            mm->vflop = 2 * C * d;
            mm->dep = 2;
            break;
        default: /* K^T V, the key decay, lambda^C S and the add: S written back */
            mm->M = o->head_dim, mm->N = o->head_dim, mm->K = o->chunk;
            mm->out_c = CYC_SCRATCH;
            mm->out_b = 4;
            mm->vflop = C * d + 2 * d * d;
            if (blk == cdiv_(o->seq_q, pos_(o->chunk)) - 1)
                mm->extra_wr[ARC_MEM_STATE] = d * d * 4; /* the final state, once */
            break;
        }
        break;
    }
    default:
        ARC_ASSERT(0);
    }
}

static void array_init_(struct cyc_gen *g, int64_t **last_buf, int64_t *last_cap)
{
    const struct arc_op_rec *o = g->o;
    const struct cyc_rates *rt = g->rt;
    g->array = 1;
    g->n_phase = 1;
    g->units = 1;
    int64_t m0 = 1; /* fewest rows a unit's first matmul streams */
    switch ((enum arc_op)o->op) {
    case ARC_OP_GROUPED_GEMM:
        g->units = pos_(o->groups);
        break;
    case ARC_OP_SOFTMAX_ATTN: {
        int64_t kb = min_(rt->rows, rt->cols), nkb = cdiv_(o->seq_kv, kb);
        int64_t grp = pos_(o->heads / pos_(o->kv_heads));
        g->pairs = pos_(o->batch * pos_(o->kv_heads));
        g->units = nkb * g->pairs;
        g->n_phase = 2;
        m0 = grp * (o->seq_q > 1 ? o->seq_q - (nkb - 1) * kb : o->seq_q);
        break;
    }
    case ARC_OP_LIGHTNING_ATTN:
        g->pairs = pos_(o->batch * o->heads);
        g->units = cdiv_(o->seq_q, pos_(o->chunk)) * g->pairs;
        g->n_phase = 4;
        m0 = o->chunk;
        break;
    default:
        break;
    }
    if (g->n_phase > 1) {
        g->lag = 1 + cdiv_(rt->rows + rt->cols, pos_(m0));
        if (g->lag > g->units)
            g->lag = g->units;
    }
    int64_t need = g->lag + 1 + g->pairs;
    if (need > *last_cap) {
        *last_cap = need;
        *last_buf = arc_xrealloc(*last_buf, (size_t)need * sizeof **last_buf);
    }
    g->last = *last_buf;
    for (int64_t i = 0; i < need; i++)
        g->last[i] = -1;
    g->prev_last = -1;
}

/* the op as one step of the lightning unit, when it runs there (see the file comment) */
static int light_init_(struct cyc_gen *g)
{
    const struct arc_op_rec *o = g->o;
    int64_t cycles = g->rt->snn || g->offchip[ARC_MEM_STATE] ? -1 : arc_lu_op_cycles(g->rt->hw, o);
    if (cycles < 0)
        return 0;
    double in[CYC_NCLASS], out[CYC_NCLASS];
    io_(o, in, out);
    struct cyc_step *s = &g->share;
    memset(s, 0, sizeof *s);
    s->dep = -1;
    for (int c = 0; c < CYC_NCLASS; c++) {
        s->ld[c] = c == ARC_MEM_STATE ? 0 : in[c];
        s->wr[c] = c == ARC_MEM_STATE ? 0 : out[c];
    }
    s->own[ARC_MEM_STATE] = in[ARC_MEM_STATE] + out[ARC_MEM_STATE];
    s->unit = CYC_LIGHT;
    s->work = (double)cycles;
    double d = (double)o->head_dim;
    s->macs = 3 * d * d * (double)o->batch * (double)o->heads;
    g->n_chunks = 1;
    return 1;
}

void cyc_gen_init_(struct cyc_gen *g, const struct arc_op_rec *o, const struct cyc_rates *rt,
                   const int *offchip, int kv_bytes, int64_t **last_buf, int64_t *last_cap,
                   const struct arc_hw *hw)
{
    memset(g, 0, sizeof *g);
    g->o = o;
    g->rt = rt;
    g->offchip = offchip;
    g->kv_bytes = kv_bytes;
    enum arc_unit u = arc_op_unit(o);
    if (!rt->snn && (u == ARC_UNIT_MATRIX || u == ARC_UNIT_ATTN)) {
        array_init_(g, last_buf, last_cap);
        g->uses_vec = g->n_phase > 1;
    } else if (light_init_(g)) {
        g->uses_vec = 0;
    } else {
        chunks_init_(g, hw);
        g->uses_vec = g->share.vec > 0;
        g->uses_mesh = g->share.mesh > 0;
    }
}

/* Moves to the next (unit, phase) of the emission order; 0 when done. Slot v holds phase 0 of
 * unit v, then phases 1.. of unit v - lag. */
static int next_matmul_(struct cyc_gen *g)
{
    for (;;) {
        if (g->slot >= g->units + g->lag)
            return 0;
        int p = g->pos++;
        if (p >= g->n_phase) {
            g->slot++;
            g->pos = 0;
            continue;
        }
        int64_t u = p == 0 ? g->slot : g->slot - g->lag;
        if (u < 0 || u >= g->units)
            continue;
        g->unit = u;
        g->phase = p;
        return 1;
    }
}

/* Records the finished matmul's last tile for the phases that depend on it. */
static void matmul_done_(struct cyc_gen *g)
{
    if (g->phase == 0)
        g->last[g->unit % (g->lag + 1)] = g->last_tile;
    if (g->phase == 3)
        g->last[g->lag + 1 + g->unit % g->pairs] = g->last_tile;
    g->prev_last = g->last_tile;
}

static int array_next_(struct cyc_gen *g, struct cyc_step *s)
{
    const struct cyc_rates *rt = g->rt;
    struct cyc_mm *mm = &g->mm;
    while (!g->in_matmul || g->nt >= g->n_nt) {
        if (g->in_matmul) {
            matmul_done_(g);
            g->in_matmul = 0;
        }
        if (!next_matmul_(g))
            return 0;
        mm_(g, g->unit, g->phase, mm);
        g->n_nt = cdiv_(mm->N, rt->cols);
        g->n_kt = cdiv_(mm->K, rt->rows);
        if (g->n_kt == 0)
            g->n_nt = 0;
        g->nt = g->kt = 0;
        g->last_tile = -1;
        g->in_matmul = 1;
    }
    int first = g->nt == 0 && g->kt == 0, last_k = g->kt == g->n_kt - 1;
    int last = last_k && g->nt == g->n_nt - 1;
    double kr = (double)min_(rt->rows, mm->K - g->kt * rt->rows);
    double nc = (double)min_(rt->cols, mm->N - g->nt * rt->cols), M = (double)mm->M;
    s->unit = CYC_ARRAY;
    s->ld[mm->stat_c] = kr * nc * mm->stat_b;
    if (mm->in_c >= 0)
        s->rd[mm->in_c] = M * kr * mm->in_b;
    s->work = M;
    s->latency = (double)(rt->rows + rt->cols);
    s->macs = M * kr * nc;
    if (first) {
        for (int c = 0; c < CYC_NCLASS; c++)
            s->rd[c] += mm->extra_rd[c];
        if (mm->dep == 1)
            s->dep = g->phase == 1 ? g->last[g->unit % (g->lag + 1)] : g->prev_last;
        else if (mm->dep == 2 && g->unit >= g->pairs)
            s->dep = g->last[g->lag + 1 + g->unit % g->pairs];
    }
    if (last_k && mm->out_c >= 0)
        s->wr[mm->out_c] += M * nc * mm->out_b;
    if (last) {
        for (int c = 0; c < CYC_NCLASS; c++)
            s->wr[c] += mm->extra_wr[c];
        s->vflop = mm->vflop;
        s->vec = mm->vflop / rt->vec_flop;
    }
    g->last_tile = g->emitted;
    if (++g->kt == g->n_kt) {
        g->kt = 0;
        g->nt++;
    }
    return 1;
}

int cyc_gen_next_(struct cyc_gen *g, struct cyc_step *s)
{
    memset(s, 0, sizeof *s);
    s->dep = -1;
    int ok;
    if (g->array) {
        ok = array_next_(g, s);
    } else {
        ok = g->chunk < g->n_chunks;
        if (ok) {
            *s = g->share;
            if (g->chunk == 0)
                s->work += g->first_extra;
            g->chunk++;
        }
    }
    if (ok)
        g->emitted++;
    return ok;
}
