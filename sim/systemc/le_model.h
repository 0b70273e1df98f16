/* arclight SystemC engine: a loosely timed SystemC 2.3 / TLM-2.0 model of one chip of a low-energy
 * (le) design, replaying a trace (sim/systemc/le_model.cpp says how it keeps time).
 *
 * For: arclight-systemc (sim/systemc/main.cpp), which the "systemc" engine starts. The "what" of
 * every op (its steps: tiles of the matrix array, chunks of the vector unit and the links, what
 * each reads, writes and computes) comes from the cycle engine's step generator (ops.c,
 * cycle_internal.h); the "when" is modelled here, independently of sim/cycle/cycle.c: initiators
 * (a DMA engine, a tile controller) issue b_transport calls to targets (off-chip memory, SRAM,
 * compute unit, chip-to-chip link), and each target annotates the delay its bandwidth, ports and
 * queue imply.
 * Not for: snn or gpu hardware, or C callers (the library reaches this through the tool,
 * sim/systemc/systemc.c). The compute unit (array + vector unit) is one sc_module behind one
 * target socket and the command below; the lightning unit is another, LightningUnit, which a
 * subclass can replace: rtl/cosim/ puts the Verilated RTL of the unit in its place (LeChip's
 * last constructor argument). */
#ifndef ARCLIGHT_SYSTEMC_LE_MODEL_H
#define ARCLIGHT_SYSTEMC_LE_MODEL_H

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cmath>
#include <deque>
#include <memory>
#include <vector>

/* the C headers name some structs and functions alike (arc_accel_plan), which C++ calls shadowing */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#include "arclight/engine.h"
#include "../cycle/cycle_internal.h"
}
#pragma GCC diagnostic pop

namespace arcsc {

/* The clock. Cycles count from `epoch`, the start of the op being run (the sequencer moves it at
 * each op barrier, when every unit is idle), so that cycle numbers stay small and the doubles that
 * hold fractional occupancy lose nothing to large magnitudes. SystemC time has 1 fs resolution
 * (set by the caller); a cycle is 1e15 / hz fs, not a whole number of fs, so a time converted back
 * to cycles is snapped to a whole cycle within 1e-5. */
struct Clock {
    double hz;
    double fs_per_cycle;
    sc_core::sc_time epoch;
    explicit Clock(double clock_hz) : hz(clock_hz), fs_per_cycle(1e15 / clock_hz), epoch(sc_core::SC_ZERO_TIME) {}
    sc_core::sc_time at(double cycle) const
    {
        return epoch + sc_core::sc_time::from_value((sc_dt::uint64)std::llround(cycle * fs_per_cycle));
    }
    double cycle_of(const sc_core::sc_time &t) const;
    double now() const { return cycle_of(sc_core::sc_time_stamp()); }
    /* the first clock edge at or after cycle c: completions are seen at whole cycles */
    static double edge(double c);
};

/* A unit serving its requests first come, first served, in (fractional) cycles. */
struct Fcfs {
    double free_at = 0, busy = 0, op_busy = 0;
    double take(double arrival, double dur); /* returns the end */
};

/* ---- targets ---- */

/* Off-chip memory (HBM3E, LPDDR5X) behind the DMA engine: offchip.bw_bytes_per_s, shared by reads
 * and writes. A transaction's data_length is its bytes. */
struct OffchipMemory : sc_core::sc_module {
    tlm_utils::simple_target_socket<OffchipMemory> sock;
    Fcfs u;
    OffchipMemory(sc_core::sc_module_name n, const Clock &clk, double bytes_per_cycle);
    void b_transport(tlm::tlm_generic_payload &p, sc_core::sc_time &delay);
private:
    const Clock &clk_;
    double bpc_;
};

/* On-chip SRAM: banks x ports ports of port_bytes per cycle; a transaction of b bytes is
 * ceil(b / port_bytes) port accesses interleaved over every bank and port. Several initiators (the
 * DMA engine, the tile controller) bind to its one socket and share the ports. */
struct Sram : sc_core::sc_module {
    tlm_utils::multi_passthrough_target_socket<Sram> sock;
    Fcfs u;
    Sram(sc_core::sc_module_name n, const Clock &clk, double ports, double port_bytes);
    void b_transport(int initiator, tlm::tlm_generic_payload &p, sc_core::sc_time &delay);
private:
    const Clock &clk_;
    double ports_, port_bytes_;
};

/* Chip-to-chip links: link.bw_bytes_per_s; a transaction whose address has bit 0 set opens a
 * collective or send and pays link.latency_s first. */
struct Link : sc_core::sc_module {
    tlm_utils::simple_target_socket<Link> sock;
    Fcfs u;
    Link(sc_core::sc_module_name n, const Clock &clk, double bytes_per_cycle, double latency_cycles);
    void b_transport(tlm::tlm_generic_payload &p, sc_core::sc_time &delay);
private:
    const Clock &clk_;
    double bpc_, lat_;
};

/* The compute unit's command, written (TLM_WRITE_COMMAND, data = this struct, address 0) to its
 * target socket. In: kind, rows (array: rows streamed through the weight-stationary array, one
 * per cycle; the tile's weights are already in its shadow registers), macs (for the record),
 * vflop (vector: fp32 flop), cycles (lightning: the op's cycle count on the lightning unit, the
 * generated RTL's, lightning_unit.h), head_steps and head_dim (lightning: the call's batch x heads
 * and D, for a unit that computes), rows_ready_cycle (array: the cycle the last streamed row
 * arrives from SRAM; the array stalls until then). Out: the returned delay ends when the unit is
 * free for the next command (array: the last row went in), results_cycle is when the results are
 * out (array: rows + cols cycles of fill and drain after the next clock edge; vector and
 * lightning: when they are done). A LIGHTNING command goes to the lightning unit's socket, the
 * others to the compute unit's. */
struct ComputeCmd {
    enum Kind { ARRAY_TILE, VECTOR, LIGHTNING } kind;
    double rows, macs, vflop, cycles;
    double head_steps, head_dim;
    double rows_ready_cycle;
    double results_cycle;
};

/* The compute unit: a rows x cols weight-stationary systolic array and a vector unit of `lanes`
 * fp32 FMA lanes (2 flop per lane per cycle), each serving its commands in order. */
struct ComputeUnit : sc_core::sc_module {
    tlm_utils::simple_target_socket<ComputeUnit> sock;
    Fcfs array, vector;
    ComputeUnit(sc_core::sc_module_name n, const Clock &clk, double rows, double cols, double lanes);
    void b_transport(tlm::tlm_generic_payload &p, sc_core::sc_time &delay);
private:
    const Clock &clk_;
    double rows_, cols_, vec_flop_;
};

/* The lightning unit (hardware field lightning_unit.lanes; recurrent lightning decode), serving
 * LIGHTNING commands in order. This class is the timing model: a call takes the command's cycles
 * (arc_lu_op_cycles, carried by the step). A subclass that simulates the unit itself overrides
 * run(), which returns the call's cycles (it may wait() in delta cycles, never in time: the unit's
 * time is annotated, as every target's is). */
struct LightningUnit : sc_core::sc_module {
    tlm_utils::simple_target_socket<LightningUnit> sock;
    Fcfs u;
    explicit LightningUnit(sc_core::sc_module_name n);
    void b_transport(tlm::tlm_generic_payload &p, sc_core::sc_time &delay);
    const Clock *clk = nullptr; /* the chip's, set by the LeChip that uses the unit */
protected:
    virtual double run(const ComputeCmd &c) { return c.cycles; }
};

/* ---- the step board the initiators share ---- */

/* Pipeline stages of a step, in order (as the cycle engine names them; a step's stages run in
 * this order, each stage takes steps in order). */
enum Stage { ST_DMAIN, ST_LAND, ST_LD, ST_CMP, ST_DRAIN, ST_VEC, ST_WR, ST_RDOUT, ST_DMAOUT, ST_COUNT };

struct StepRec {
    struct cyc_step s;
    double dma_in, dma_out;  /* off-chip bytes in before the step, out after it */
    double done[ST_COUNT];   /* cycle each stage ends (set when the stage is issued) */
    unsigned known;          /* bit per stage issued (its done cycle is set) */
};

/* One op's steps in flight, and the events the stage threads wait on. */
struct Board {
    std::deque<StepRec> q;   /* steps base .. base + q.size() - 1 */
    int64_t base = 0, n_gen = 0;
    bool gen_done = false;
    bool used[ST_COUNT];
    int first_stage = 0;
    double op_start = 0, op_end = 0; /* cycles from the clock's epoch, the op's start */
    uint64_t op_id = 0;
    int finished = 0;        /* stage threads done with this op */
    sc_core::sc_event go, fin, issued[ST_COUNT];
    /* generation */
    struct cyc_gen g;
    const int *offchip;      /* (ARC_MEM_COUNT) residency plan */
    /* this op's event counts (the cycle engine's counting rules) */
    double sram_bytes[CYC_NCLASS], dma_bytes[CYC_NCLASS];
    double macs, vflop, link_bytes;

    StepRec *at(int64_t i) { return i < base ? nullptr : &q[(size_t)(i - base)]; }
    bool known(int64_t i, int st) { StepRec *r = at(i); return !r || (i < n_gen && ((r->known >> st) & 1u)); }
    double done(int64_t i, int st) { StepRec *r = at(i); return r ? r->done[st] : 0; }
    void mark(int64_t i, int st, double cycle);
    bool generate(double now); /* step n_gen; false when the op has no more */
};

/* A pipeline agent: one SC_THREAD per stage it owns, all running Board steps in order. */
struct Agent : sc_core::sc_module {
    Agent(sc_core::sc_module_name n, Board &b, const Clock &clk) : sc_module(n), b_(b), clk_(clk) {}
protected:
    Board &b_;
    const Clock &clk_;
    void spawn_stage(int st);
    void stage_loop(int st);
    virtual void issue(int st, int64_t i, StepRec &r) = 0; /* marks r's done cycles */
    double transport(tlm_utils::simple_initiator_socket<Agent> &s, tlm::tlm_command cmd,
                     double bytes, uint64_t addr = 0); /* the end cycle of a transfer */
    void count(double *acc, const double *bytes, bool offchip_only);
};

/* The DMA engine: off chip -> staging buffer (DMA in), staging -> SRAM (landing), SRAM -> DMA
 * (read-out) and DMA -> off chip (DMA out). Two staging buffers: step i's DMA in waits for step
 * i - 2's load. */
struct DmaEngine : Agent {
    tlm_utils::simple_initiator_socket<Agent> mem, sram;
    DmaEngine(sc_core::sc_module_name n, Board &b, const Clock &clk);
private:
    void issue(int st, int64_t i, StepRec &r) override;
};

/* The tile controller: loads a step's stationary operand or chunk inputs from SRAM into the unit
 * (two operand buffers: step i's load waits for step i - 2's compute), starts the compute (the
 * array's rows stream from SRAM meanwhile; a link step sends over the link), the vector work on
 * the results, and writes the results back to SRAM. */
struct TileController : Agent {
    tlm_utils::simple_initiator_socket<Agent> sram, cu, lu, link;
    TileController(sc_core::sc_module_name n, Board &b, const Clock &clk);
private:
    void issue(int st, int64_t i, StepRec &r) override;
    double command(tlm_utils::simple_initiator_socket<Agent> &s, const ComputeCmd &c, ComputeCmd *out);
};

/* Per-op figures for the result. */
struct OpFigures {
    struct arc_op_cost c;
    double cycles;
};

/* The chip: targets, agents and the sequencer thread that runs the trace's ops one after another
 * (dispatch, steps, a barrier at the end of each op). */
struct LeChip : sc_core::sc_module {
    /* lu: a lightning unit to use in place of the timing model (rtl/cosim/: the Verilated RTL);
     * NULL: the timing model. The chip binds it and sets its clk. */
    LeChip(sc_core::sc_module_name n, const struct arc_trace *t, const struct arc_hw *hw,
           LightningUnit *lu = nullptr);
    ~LeChip() override;
    const struct arc_trace *const t;
    const struct arc_hw *const hw;
    const struct cyc_rates rt;
    Clock clk;
    struct arc_accel_plan plan;
    /* after sc_start() */
    std::vector<OpFigures> ops;
    double cycles = 0; /* the step: the sum of the ops' whole cycles */
    double unit_busy[CYC_UNIT_COUNT]; /* whole step, enum cyc_unit order (mesh unused) */
private:
    Board b_;
    int64_t *last_ = nullptr, last_cap_ = 0;
    OffchipMemory mem_;
    Sram sram_;
    Link link_;
    ComputeUnit cu_;
    std::unique_ptr<LightningUnit> lu_model_; /* the timing model, when no other unit is given */
    LightningUnit *lu_;
    DmaEngine dma_;
    TileController ctl_;
    void sequencer();
    void op_cost(double cycles, double dispatch, struct arc_op_cost *c);
};

} // namespace arcsc

#endif
