/* arclight SystemC engine: the le chip model (le_model.h), loosely timed TLM-2.0.
 *
 * Time. Initiator threads never run ahead of SystemC time (no temporal decoupling: the shared
 * targets serve requests first come, first served, so requests must reach them in time order);
 * they call b_transport with a zero delay at the cycle they issue, and the target annotates the
 * delay to the end of the transfer, counting the queue in front of it. An initiator does not wait
 * for that end before its next request (a DMA engine or controller keeps several transfers in
 * flight); it posts the end, seen at the next clock edge, on the step board, where the stages that
 * depend on it wait for it (sc_event per stage, then wait() to the cycle). SystemC time runs at
 * 1 fs resolution; unit occupancy is kept in fractional cycles so that back-to-back transfers
 * lose no part of a cycle; cycles count from the start of the op being run (Clock).
 *
 * What each target charges (figures of the hardware file, cycles of clock.hz):
 * - off-chip memory: bytes / (offchip.bw_bytes_per_s / clock), reads and writes sharing it;
 * - SRAM: ceil(bytes / port_bytes) / (banks x ports);
 * - link: bytes / (link.bw_bytes_per_s / clock), plus link.latency_s on the first transfer of a
 *   collective or send;
 * - compute unit: an array tile streams its rows, one per cycle, and cannot finish before its last
 *   row has arrived from SRAM; its results come out rows + cols cycles (fill and drain) after the
 *   clock edge that ends it; the vector unit does 2 x lanes flop per cycle;
 * - lightning unit (optional; a target of its own): the generated RTL's cycle count for an op,
 *   which its step carries, or, in the co-simulation (rtl/cosim/), the cycles the Verilated RTL
 *   itself takes, run in delta cycles inside b_transport.
 * The agents (DMA engine, tile controller) bring the micro-architecture's buffering: two staging
 * buffers between DMA and SRAM, two operand buffers (the array's active and shadow weights), a
 * step's compute waiting for the vector work it depends on (attention's scores), the rows of a
 * tile requested from SRAM when the tile is issued. An op starts kernel.overhead_s (whole cycles)
 * after every transfer of the previous op has ended (a barrier), link ops without dispatch.
 * These are the cycle engine's rules (sim/cycle/cycle.c) implemented again from the design, not its
 * code: its event queue, heap order and unit bookkeeping are not used here. What is shared: the
 * steps (ops.c), the residency plan (arc_accel_plan) and the energy counting rules (each counted
 * event x the energies of hw->d, as cycle.c's cost_ counts them).
 * Where the two differ, by a cycle in some ops (about 1e-6 of a MiniMax step): a transfer here
 * moves whole bytes (a chunk's share of an op's bytes is rounded up), and cycles count from each
 * op's start, so an op takes the same cycles wherever it sits in the trace (the cycle engine keeps
 * absolute cycles in doubles and sees a completion at ceil(end - 1e-9), which from ~1e7 cycles on
 * is below the doubles' precision and can add a cycle to an op). Requests that reach a target in
 * the same cycle are served in the order the SystemC kernel runs their threads (the cycle engine:
 * pipeline order); on the traces tried this changed nothing.
 * Not for: snn designs (no cores or spike mesh here) or GPUs. */
#include "le_model.h"

#include <cmath>
#include <cstring>

using namespace sc_core;

namespace arcsc {

double Clock::cycle_of(const sc_time &t) const
{
    double fs = t >= epoch ? (double)(t - epoch).value() : -(double)(epoch - t).value();
    double c = fs / fs_per_cycle, r = std::nearbyint(c);
    return std::fabs(c - r) < 1e-5 ? r : c;
}

double Clock::edge(double c) { return std::ceil(c - 1e-5); }

double Fcfs::take(double arrival, double dur)
{
    double start = free_at > arrival ? free_at : arrival, end = start + dur;
    free_at = end;
    busy += dur;
    op_busy += dur;
    return end;
}

/* the annotated delay to the end cycle */
static void annotate_(const Clock &clk, double end, sc_time &delay)
{
    sc_time t = clk.at(end), now = sc_time_stamp();
    delay = t > now ? t - now : SC_ZERO_TIME;
}

/* ---- targets ---- */

OffchipMemory::OffchipMemory(sc_module_name n, const Clock &clk, double bytes_per_cycle)
    : sc_module(n), sock("sock"), clk_(clk), bpc_(bytes_per_cycle)
{
    sock.register_b_transport(this, &OffchipMemory::b_transport);
}

void OffchipMemory::b_transport(tlm::tlm_generic_payload &p, sc_time &delay)
{
    double arrival = clk_.cycle_of(sc_time_stamp() + delay), bytes = p.get_data_length();
    annotate_(clk_, u.take(arrival, bytes / bpc_), delay);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
}

Sram::Sram(sc_module_name n, const Clock &clk, double ports, double port_bytes)
    : sc_module(n), sock("sock"), clk_(clk), ports_(ports), port_bytes_(port_bytes)
{
    sock.register_b_transport(this, &Sram::b_transport);
}

void Sram::b_transport(int initiator, tlm::tlm_generic_payload &p, sc_time &delay)
{
    (void)initiator; /* every initiator reaches every port */
    double arrival = clk_.cycle_of(sc_time_stamp() + delay), bytes = p.get_data_length();
    double accesses = std::ceil(bytes / port_bytes_ - 1e-9);
    annotate_(clk_, u.take(arrival, accesses / ports_), delay);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
}

Link::Link(sc_module_name n, const Clock &clk, double bytes_per_cycle, double latency_cycles)
    : sc_module(n), sock("sock"), clk_(clk), bpc_(bytes_per_cycle), lat_(latency_cycles)
{
    sock.register_b_transport(this, &Link::b_transport);
}

void Link::b_transport(tlm::tlm_generic_payload &p, sc_time &delay)
{
    double arrival = clk_.cycle_of(sc_time_stamp() + delay), bytes = p.get_data_length();
    double dur = bytes / bpc_ + ((p.get_address() & 1u) ? lat_ : 0);
    annotate_(clk_, u.take(arrival, dur), delay);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
}

ComputeUnit::ComputeUnit(sc_module_name n, const Clock &clk, double rows, double cols, double lanes)
    : sc_module(n), sock("sock"), clk_(clk), rows_(rows), cols_(cols), vec_flop_(2 * lanes)
{
    sock.register_b_transport(this, &ComputeUnit::b_transport);
}

void ComputeUnit::b_transport(tlm::tlm_generic_payload &p, sc_time &delay)
{
    if (p.get_command() != tlm::TLM_WRITE_COMMAND || p.get_data_length() != sizeof(ComputeCmd)) {
        p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    ComputeCmd *c = reinterpret_cast<ComputeCmd *>(p.get_data_ptr());
    double arrival = clk_.cycle_of(sc_time_stamp() + delay), end = arrival;
    if (c->kind == ComputeCmd::ARRAY_TILE) {
        if (c->rows > 0) {
            end = array.take(arrival, c->rows);
            if (c->rows_ready_cycle > end) /* the array stalls for its last row */
                end = array.free_at = c->rows_ready_cycle;
        } else if (c->rows_ready_cycle > end) {
            end = c->rows_ready_cycle;
        }
        c->results_cycle = Clock::edge(end) + rows_ + cols_;
    } else {
        if (c->vflop > 0)
            end = vector.take(arrival, c->vflop / vec_flop_);
        c->results_cycle = end;
    }
    annotate_(clk_, end, delay);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
}

LightningUnit::LightningUnit(sc_module_name n) : sc_module(n), sock("sock")
{
    sock.register_b_transport(this, &LightningUnit::b_transport);
}

void LightningUnit::b_transport(tlm::tlm_generic_payload &p, sc_time &delay)
{
    if (p.get_command() != tlm::TLM_WRITE_COMMAND || p.get_data_length() != sizeof(ComputeCmd) || !clk) {
        p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    ComputeCmd *c = reinterpret_cast<ComputeCmd *>(p.get_data_ptr());
    if (c->kind != ComputeCmd::LIGHTNING) {
        p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    double arrival = clk->cycle_of(sc_time_stamp() + delay), end = arrival;
    double cycles = run(*c); /* in delta cycles, if at all: time stands still */
    if (cycles > 0)
        end = u.take(arrival, cycles);
    c->results_cycle = end;
    annotate_(*clk, end, delay);
    p.set_response_status(tlm::TLM_OK_RESPONSE);
}

/* ---- the board ---- */

void Board::mark(int64_t i, int st, double cycle)
{
    StepRec *r = at(i);
    r->done[st] = cycle;
    r->known |= 1u << st;
    if (cycle > op_end)
        op_end = cycle;
    issued[st].notify(SC_ZERO_TIME);
}

bool Board::generate(double now)
{
    /* retire steps whose every stage has ended */
    while (!q.empty() && q.front().known == (1u << ST_COUNT) - 1) {
        double last = 0;
        for (int st = 0; st < ST_COUNT; st++)
            last = q.front().done[st] > last ? q.front().done[st] : last;
        if (last > now)
            break;
        q.pop_front();
        base++;
    }
    StepRec r;
    std::memset(&r, 0, sizeof r);
    if (!cyc_gen_next_(&g, &r.s)) {
        gen_done = true;
        for (int st = 0; st < ST_COUNT; st++)
            issued[st].notify(SC_ZERO_TIME);
        return false;
    }
    for (int c = 0; c < ARC_MEM_COUNT; c++)
        if (offchip[c]) {
            r.dma_in += r.s.ld[c] + r.s.rd[c];
            r.dma_out += r.s.wr[c];
        }
    for (int st = 0; st < ST_COUNT; st++)
        if (!used[st]) { /* a stage this op does not use ended before it began */
            r.done[st] = op_start;
            r.known |= 1u << st;
        }
    q.push_back(r);
    n_gen++;
    return true;
}

/* ---- agents ---- */

void Agent::spawn_stage(int st)
{
    sc_spawn(sc_bind(&Agent::stage_loop, this, st), sc_gen_unique_name("stage"));
}

static int prev_used_(const Board &b, int st)
{
    for (int k = st - 1; k >= 0; k--)
        if (b.used[k])
            return k;
    return -1;
}

void Agent::stage_loop(int st)
{
    uint64_t seen = 0;
    for (;;) {
        while (b_.op_id == seen)
            wait(b_.go);
        seen = b_.op_id;
        if (b_.used[st]) {
            int prev = prev_used_(b_, st);
            for (int64_t i = 0;; i++) {
                if (st == b_.first_stage) {
                    if (!b_.generate(clk_.now()))
                        break;
                } else {
                    /* the step exists and its earlier stages have been issued */
                    while (!(i < b_.n_gen && b_.known(i, prev)) && !(b_.gen_done && i >= b_.n_gen))
                        wait(b_.issued[prev]);
                    if (i >= b_.n_gen)
                        break;
                }
                /* and the buffers it fills are free, and what it waits on has been issued */
                int64_t dep = -1;
                int dep_st = -1;
                if (st == ST_DMAIN)
                    dep = i - 2, dep_st = ST_LD;
                else if (st == ST_LD)
                    dep = i - 2, dep_st = ST_CMP;
                else if (st == ST_CMP && b_.at(i)->s.dep >= 0)
                    dep = b_.at(i)->s.dep, dep_st = ST_VEC;
                if (dep >= 0)
                    while (!b_.known(dep, dep_st))
                        wait(b_.issued[dep_st]);
                StepRec &r = *b_.at(i);
                double ready = b_.op_start;
                for (int k = 0; k < st; k++)
                    ready = r.done[k] > ready ? r.done[k] : ready;
                if (dep >= 0 && b_.done(dep, dep_st) > ready)
                    ready = b_.done(dep, dep_st);
                double now = clk_.now();
                if (ready > now)
                    wait(clk_.at(ready) - sc_time_stamp());
                issue(st, i, *b_.at(i));
            }
        }
        b_.finished++;
        b_.fin.notify(SC_ZERO_TIME);
    }
}

double Agent::transport(tlm_utils::simple_initiator_socket<Agent> &s, tlm::tlm_command cmd,
                        double bytes, uint64_t addr)
{
    double now = clk_.now();
    if (!(bytes > 0) && !(addr & 1u))
        return now;
    tlm::tlm_generic_payload p;
    unsigned char dummy = 0; /* a timing model: no data moves */
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(&dummy);
    p.set_data_length((unsigned)std::ceil(bytes - 1e-9)); /* whole bytes */
    p.set_streaming_width(p.get_data_length());
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    s->b_transport(p, delay);
    ARC_ASSERT(p.get_response_status() == tlm::TLM_OK_RESPONSE);
    return clk_.cycle_of(sc_time_stamp() + delay);
}

void Agent::count(double *acc, const double *bytes, bool offchip_only)
{
    for (int c = 0; c < CYC_NCLASS; c++)
        if (!offchip_only || (c < ARC_MEM_COUNT && b_.offchip[c]))
            acc[c] += bytes[c];
}

static double sum_(const double *b, int n)
{
    double t = 0;
    for (int c = 0; c < n; c++)
        t += b[c];
    return t;
}

DmaEngine::DmaEngine(sc_module_name n, Board &b, const Clock &clk)
    : Agent(n, b, clk), mem("mem"), sram("sram")
{
    for (int st : {ST_DMAIN, ST_LAND, ST_RDOUT, ST_DMAOUT})
        spawn_stage(st);
}

void DmaEngine::issue(int st, int64_t i, StepRec &r)
{
    double end;
    switch (st) {
    case ST_DMAIN:
        end = transport(mem, tlm::TLM_READ_COMMAND, r.dma_in);
        for (int c = 0; c < ARC_MEM_COUNT; c++)
            if (b_.offchip[c])
                b_.dma_bytes[c] += r.s.ld[c] + r.s.rd[c];
        break;
    case ST_LAND:
        end = transport(sram, tlm::TLM_WRITE_COMMAND, r.dma_in);
        count(b_.sram_bytes, r.s.ld, true);
        count(b_.sram_bytes, r.s.rd, true);
        break;
    case ST_RDOUT:
        end = transport(sram, tlm::TLM_READ_COMMAND, r.dma_out);
        count(b_.sram_bytes, r.s.wr, true);
        break;
    default: /* ST_DMAOUT */
        end = transport(mem, tlm::TLM_WRITE_COMMAND, r.dma_out);
        count(b_.dma_bytes, r.s.wr, true);
        break;
    }
    b_.mark(i, st, Clock::edge(end));
}

TileController::TileController(sc_module_name n, Board &b, const Clock &clk)
    : Agent(n, b, clk), sram("sram"), cu("cu"), lu("lu"), link("link")
{
    for (int st : {ST_LD, ST_CMP, ST_VEC, ST_WR})
        spawn_stage(st);
}

/* sends c to the compute unit; returns the cycle it is free again, *out the reply */
double TileController::command(tlm_utils::simple_initiator_socket<Agent> &s, const ComputeCmd &c, ComputeCmd *out)
{
    *out = c;
    tlm::tlm_generic_payload p;
    p.set_command(tlm::TLM_WRITE_COMMAND);
    p.set_address(0);
    p.set_data_ptr(reinterpret_cast<unsigned char *>(out));
    p.set_data_length(sizeof *out);
    p.set_streaming_width(sizeof *out);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    s->b_transport(p, delay);
    ARC_ASSERT(p.get_response_status() == tlm::TLM_OK_RESPONSE);
    return clk_.cycle_of(sc_time_stamp() + delay);
}

void TileController::issue(int st, int64_t i, StepRec &r)
{
    const struct cyc_step &s = r.s;
    double now = clk_.now(), end = now;
    ComputeCmd c, reply;
    std::memset(&c, 0, sizeof c);
    switch (st) {
    case ST_LD:
        end = transport(sram, tlm::TLM_READ_COMMAND, sum_(s.ld, CYC_NCLASS));
        count(b_.sram_bytes, s.ld, false);
        break;
    case ST_CMP: {
        double rows_end = transport(sram, tlm::TLM_READ_COMMAND, sum_(s.rd, CYC_NCLASS));
        count(b_.sram_bytes, s.rd, false);
        if (s.unit == CYC_ARRAY) {
            c.kind = ComputeCmd::ARRAY_TILE;
            c.rows = s.work; /* ops.c: an array step streams `work` rows */
            c.macs = s.macs;
            c.rows_ready_cycle = rows_end;
            end = command(cu, c, &reply);
            b_.mark(i, ST_CMP, Clock::edge(end));
            b_.mark(i, ST_DRAIN, reply.results_cycle);
        } else {
            if (s.unit == CYC_VECTOR) {
                c.kind = ComputeCmd::VECTOR;
                c.vflop = s.vflop;
                end = command(cu, c, &reply);
            } else if (s.unit == CYC_LIGHT) { /* the state stays in the unit's own banks */
                c.kind = ComputeCmd::LIGHTNING;
                c.cycles = s.work; /* ops.c: the generated RTL's count (lightning_unit.h) */
                c.macs = s.macs;
                c.head_steps = (double)b_.g.o->batch * (double)b_.g.o->heads;
                c.head_dim = (double)b_.g.o->head_dim;
                end = command(lu, c, &reply);
                count(b_.sram_bytes, s.own, false);
            } else { /* CYC_LINK: the first chunk opens the collective */
                end = transport(link, tlm::TLM_WRITE_COMMAND, s.link_bytes, i == 0 ? 1u : 0u);
            }
            if (rows_end > end)
                end = rows_end;
            b_.mark(i, ST_CMP, Clock::edge(end));
        }
        b_.macs += s.macs;
        b_.vflop += s.vflop;
        b_.link_bytes += s.link_bytes;
        return;
    }
    case ST_VEC:
        if (s.unit != CYC_VECTOR && s.unit != CYC_LIGHT && s.vflop > 0) { /* vector work on the results */
            c.kind = ComputeCmd::VECTOR;
            c.vflop = s.vflop;
            end = command(cu, c, &reply);
        }
        break;
    default: /* ST_WR */
        end = transport(sram, tlm::TLM_WRITE_COMMAND, sum_(s.wr, CYC_NCLASS));
        count(b_.sram_bytes, s.wr, false);
        break;
    }
    b_.mark(i, st, Clock::edge(end));
}

/* ---- the chip ---- */

static struct cyc_rates rates_(const struct arc_hw *hw)
{
    struct cyc_rates r;
    cyc_rates_init_(&r, hw);
    return r;
}

LeChip::LeChip(sc_module_name n, const struct arc_trace *t_in, const struct arc_hw *hw_in, LightningUnit *lu)
    : sc_module(n), t(t_in), hw(hw_in), rt(rates_(hw_in)), clk(hw_in->f[ARC_HWF_CLOCK_HZ]),
      mem_("offchip", clk, hw_in->f[ARC_HWF_OFFCHIP_BW] / clk.hz),
      sram_("sram", clk, hw_in->f[ARC_HWF_SRAM_BANKS] * hw_in->f[ARC_HWF_SRAM_PORTS], hw_in->f[ARC_HWF_SRAM_PORT_BYTES]),
      link_("link", clk, hw_in->f[ARC_HWF_LINK_BW] / clk.hz, hw_in->f[ARC_HWF_LINK_LATENCY] * clk.hz),
      cu_("compute", clk, hw_in->f[ARC_HWF_MATRIX_ROWS], hw_in->f[ARC_HWF_MATRIX_COLS], hw_in->f[ARC_HWF_VECTOR_LANES]),
      lu_model_(lu ? nullptr : new LightningUnit("lightning")), lu_(lu ? lu : lu_model_.get()),
      dma_("dma", b_, clk), ctl_("controller", b_, clk)
{
    lu_->clk = &clk;
    double act = 0;
    for (int i = 0; i < t->n_ops; i++)
        if ((double)t->ops[i].bytes[ARC_MEM_ACT] > act)
            act = (double)t->ops[i].bytes[ARC_MEM_ACT];
    arc_accel_plan(hw, (double)t->mem_weight_bytes, (double)t->mem_kv_bytes, (double)t->mem_state_bytes,
                   act, &plan);
    b_.offchip = plan.offchip;
    std::memset(unit_busy, 0, sizeof unit_busy);
    dma_.mem.bind(mem_.sock);
    dma_.sram.bind(sram_.sock);
    ctl_.sram.bind(sram_.sock);
    ctl_.cu.bind(cu_.sock);
    ctl_.lu.bind(lu_->sock);
    ctl_.link.bind(link_.sock);
    SC_HAS_PROCESS(LeChip);
    SC_THREAD(sequencer);
}

LeChip::~LeChip() { free(last_); }

static const int n_stage_threads_ = 8; /* DMA engine 4, tile controller 4 */

void LeChip::sequencer()
{
    Fcfs *units[CYC_UNIT_COUNT] = {};
    units[CYC_DMA] = &mem_.u;
    units[CYC_SRAM] = &sram_.u;
    units[CYC_ARRAY] = &cu_.array;
    units[CYC_VECTOR] = &cu_.vector;
    units[CYC_LINK] = &link_.u;
    units[CYC_LIGHT] = &lu_->u;
    const int kv_bytes = arc_dtype_bytes(t->wl.dtype);
    /* kernel.overhead_s in whole cycles */
    const double dispatch_cycles = std::ceil(hw->f[ARC_HWF_KERNEL_OVERHEAD] * clk.hz - 1e-6);
    for (int k = 0; k < t->n_ops; k++) {
        const struct arc_op_rec *o = &t->ops[k];
        clk.epoch = sc_time_stamp(); /* the barrier: every unit is idle */
        double dispatch = arc_op_unit(o) == ARC_UNIT_LINK ? 0 : dispatch_cycles;
        if (dispatch > 0)
            wait(clk.at(dispatch) - sc_time_stamp());
        clk.epoch = sc_time_stamp(); /* the op starts: cycles count from here */
        for (Fcfs *u : units)
            if (u) {
                ARC_ASSERT(u->free_at <= b_.op_end + 1e-5); /* idle since the last op ended */
                u->free_at = 0;
                u->op_busy = 0;
            }
        Board &b = b_;
        b.q.clear();
        b.base = b.n_gen = 0;
        b.gen_done = false;
        b.op_start = b.op_end = 0;
        b.finished = 0;
        std::memset(b.sram_bytes, 0, sizeof b.sram_bytes);
        std::memset(b.dma_bytes, 0, sizeof b.dma_bytes);
        b.macs = b.vflop = b.link_bytes = 0;
        cyc_gen_init_(&b.g, o, &rt, plan.offchip, kv_bytes, &last_, &last_cap_, hw);
        int dma = 0;
        for (int c = 0; c < ARC_MEM_COUNT; c++)
            dma |= plan.offchip[c] && o->bytes[c] > 0;
        for (int st = 0; st < ST_COUNT; st++)
            b.used[st] = st == ST_DMAIN || st == ST_LAND || st == ST_RDOUT || st == ST_DMAOUT ? dma
                       : st == ST_DRAIN ? b.g.array
                       : st == ST_VEC   ? b.g.uses_vec
                                        : 1;
        b.used[ST_DRAIN] = 0; /* the tile controller posts it with the compute stage */
        b.first_stage = b.used[ST_DMAIN] ? ST_DMAIN : ST_LD;
        b.op_id++;
        b.go.notify(SC_ZERO_TIME);
        while (b.finished < n_stage_threads_)
            wait(b.fin);
        if (b.op_end > clk.now())
            wait(clk.at(b.op_end) - sc_time_stamp());
        OpFigures f;
        f.cycles = dispatch + b.op_end;
        cycles += f.cycles;
        op_cost(f.cycles, dispatch, &f.c);
        ops.push_back(f);
    }
    for (int k = 0; k < CYC_UNIT_COUNT; k++)
        unit_busy[k] = units[k] ? units[k]->busy : 0;
}

static enum arc_bound bound_of_(int unit)
{
    switch (unit) {
    case CYC_DMA:
    case CYC_SRAM:
        return ARC_BOUND_MEMORY;
    case CYC_MESH:
    case CYC_LINK:
        return ARC_BOUND_LINK;
    default:
        return ARC_BOUND_COMPUTE;
    }
}

/* The op's figures: time from the simulation, energy from the events counted (cycle.c's rules). */
void LeChip::op_cost(double cyc, double dispatch, struct arc_op_cost *c)
{
    const struct arc_hw_derived *d = &hw->d;
    std::memset(c, 0, sizeof *c);
    double busy[CYC_UNIT_COUNT] = {};
    busy[CYC_DMA] = mem_.u.op_busy;
    busy[CYC_SRAM] = sram_.u.op_busy;
    busy[CYC_ARRAY] = cu_.array.op_busy;
    busy[CYC_VECTOR] = cu_.vector.op_busy;
    busy[CYC_LINK] = link_.u.op_busy;
    busy[CYC_LIGHT] = lu_->u.op_busy;
    c->time_s = cyc / clk.hz;
    c->overhead_s = dispatch / clk.hz;
    c->compute_s = std::fmax(std::fmax(busy[CYC_ARRAY], busy[CYC_VECTOR]), busy[CYC_LIGHT]) / clk.hz;
    c->memory_s = std::fmax(busy[CYC_SRAM], busy[CYC_DMA]) / clk.hz;
    c->link_s = busy[CYC_LINK] / clk.hz;
    int best = -1;
    for (int k = 0; k < CYC_UNIT_COUNT; k++)
        if (busy[k] > 0 && (best < 0 || busy[k] > busy[best]))
            best = k;
    c->bound = best < 0 || dispatch > busy[best] ? ARC_BOUND_OVERHEAD : bound_of_(best);
    const Board &b = b_;
    double sram = sum_(b.sram_bytes, CYC_NCLASS), off = sum_(b.dma_bytes, CYC_NCLASS);
    c->energy_j[ARC_EPART_SRAM] = sram * d->sram_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_WIRE] = sram * d->wire_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_MEMORY] = off * d->offchip_pj_per_byte * 1e-12;
    c->energy_j[ARC_EPART_LINK] = b.link_bytes * hw->f[ARC_HWF_E_LINK] * 1e-12;
    c->energy_j[ARC_EPART_COMPUTE] = (b.macs * d->mac_pj + b.vflop * d->vec_flop_pj) * 1e-12;
    const double sram_bpc = hw->f[ARC_HWF_SRAM_BANKS] * hw->f[ARC_HWF_SRAM_PORTS] * hw->f[ARC_HWF_SRAM_PORT_BYTES];
    const double dma_bpc = hw->f[ARC_HWF_OFFCHIP_BW] / clk.hz;
    for (int k = 0; k < CYC_NCLASS; k++) {
        int m = k == CYC_SCRATCH ? ARC_MEM_STATE : k;
        int offc = k < ARC_MEM_COUNT && plan.offchip[k];
        c->mem_time_s[m] += (offc ? b.dma_bytes[k] / dma_bpc : b.sram_bytes[k] / sram_bpc) / clk.hz;
        c->mem_energy_j[m] += (b.sram_bytes[k] * (d->sram_pj_per_byte + d->wire_pj_per_byte) +
                               b.dma_bytes[k] * d->offchip_pj_per_byte) * 1e-12;
    }
}

} // namespace arcsc
