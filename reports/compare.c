/* arclight report, the hardware comparison: MiniMax-Text-01 on the GPU node against the low-energy
 * (le-*) and spiking-style (snn-*) presets: compare.csv, plots of latency and energy per token
 * against context for decode and prefill, the energy split, and the report.md section with the
 * regimes, both spiking energy models side by side, and where each design wins.
 * Not for: running the comparison (reports/study.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"
#include "report_internal.h"

static const struct arc_compare_point *at_(const struct arc_study *s, int h, enum arc_phase ph, int c)
{
    return arc_compare_at(s, h, ph, c);
}

/* the energy split: idle/static, compute, SRAM, wire, off-chip (device) memory, links */
static const enum arc_epart split_[] = {ARC_EPART_IDLE, ARC_EPART_COMPUTE, ARC_EPART_SRAM,
                                        ARC_EPART_WIRE, ARC_EPART_MEMORY, ARC_EPART_LINK};
static const char *const split_names_[] = {"idle / static power", "compute", "SRAM", "on-chip wires",
                                           "off-chip / device memory", "links and spike mesh"};
enum { N_SPLIT = sizeof split_ / sizeof split_[0] };

static const char *ctx_label_(long long c, char *buf, size_t n)
{
    if (c >= 1 << 20 && c % (1 << 20) == 0)
        snprintf(buf, n, "%lldM", c >> 20);
    else
        snprintf(buf, n, "%lldK", c >> 10);
    return buf;
}

static void csv_(const struct arc_study *s, struct arc_buf *b)
{
    arc_buf_printf(b, "hw,kind,dtype,phase,ctx,fits,devices,tp,ep,pp,latency_s,latency_per_token_s,"
                      "energy_per_token_j,alt_energy_per_token_j");
    for (int i = 0; i < N_SPLIT; i++)
        arc_buf_printf(b, ",energy_%s_j", arc_epart_name(split_[i]));
    arc_buf_printf(b, ",energy_state_j,regime\n");
    for (int h = 0; h < s->n_cmp_hw; h++)
        for (int ph = 0; ph < ARC_PHASE_COUNT; ph++)
            for (int c = 0; c < s->n_ctx; c++) {
                const struct arc_compare_point *p = at_(s, h, (enum arc_phase)ph, c);
                const struct arc_result *r = &p->r;
                arc_buf_printf(b, "%s,%s,%s,%s,%lld,%d", s->cmp_hw[h].name,
                               arc_hw_kind_name(s->cmp_hw[h].kind), arc_dtype_name(s->cmp_dtype[h]),
                               arc_phase_name((enum arc_phase)ph), (long long)s->ctx[c], p->fits);
                if (!p->fits) {
                    arc_buf_printf(b, ",,,,,,,,");
                    for (int i = 0; i <= N_SPLIT; i++)
                        arc_buf_printf(b, ",");
                    arc_buf_printf(b, ",\"no mapping on its devices holds the model\"\n");
                    continue;
                }
                arc_buf_printf(b, ",%d,%d,%d,%d,%.9g,%.9g,%.9g,", p->wl.devices, p->wl.tp, p->wl.ep,
                               p->wl.pp, r->latency_s, r->latency_per_token_s, r->energy_per_token_j);
                if (r->alt_energy_model)
                    arc_buf_printf(b, "%.9g", r->alt_energy_j / r->tokens);
                for (int i = 0; i < N_SPLIT; i++)
                    arc_buf_printf(b, ",%.9g", r->energy_by_j[split_[i]]);
                arc_buf_printf(b, ",%.9g,\"%s\"\n", r->mem_energy_j[ARC_MEM_STATE],
                               r->regime[0] ? r->regime : "weights, KV cache and states in device memory");
            }
}

/* ctx, then per hardware: latency per token (ms), energy per token (J) */
static void dat_(const struct arc_study *s, enum arc_phase ph, struct arc_buf *d)
{
    arc_buf_printf(d, "# ctx, then per hardware (");
    for (int h = 0; h < s->n_cmp_hw; h++)
        arc_buf_printf(d, "%s%s", h ? ", " : "", s->cmp_hw[h].name);
    arc_buf_printf(d, "): latency per token in ms, energy per token in J; NaN where nothing fits\n");
    for (int c = 0; c < s->n_ctx; c++) {
        arc_buf_printf(d, "%lld", (long long)s->ctx[c]);
        for (int h = 0; h < s->n_cmp_hw; h++) {
            const struct arc_compare_point *p = at_(s, h, ph, c);
            plot_num(d, p->fits ? 1e3 * p->r.latency_per_token_s : NAN);
            plot_num(d, p->fits ? p->r.energy_per_token_j : NAN);
        }
        arc_buf_printf(d, "\n");
    }
}

static int plot_phase_(struct rep_outdir *o, const struct arc_study *s, enum arc_phase ph)
{
    char stem[64], dat[80];
    snprintf(stem, sizeof stem, "compare_%s", arc_phase_name(ph));
    snprintf(dat, sizeof dat, "%s.dat", stem);
    struct arc_buf d = {0}, gp = {0};
    dat_(s, ph, &d);
    plot_begin(&gp, stem, 1700, 600);
    arc_buf_printf(&gp, "set multiplot layout 1,2 title \"MiniMax-Text-01 %s, batch %lld: GPU node vs low-energy and spiking designs, each on the fewest chips that hold it\"\n",
                   arc_phase_name(ph), (long long)(ph == ARC_PHASE_DECODE ? s->batch_decode : s->batch_prefill));
    plot_ctx_axis(&gp, s->ctx[0], s->ctx[s->n_ctx - 1]);
    arc_buf_printf(&gp, "set logscale y 10\nset key outside right font ',9'\n");
    static const char *const what[2][2] = {{"ms per token", "latency per token"}, {"J per token", "energy per token"}};
    for (int k = 0; k < 2; k++) {
        arc_buf_printf(&gp, "set title '%s'\nset ylabel '%s'\nplot ", what[k][1], what[k][0]);
        for (int h = 0; h < s->n_cmp_hw; h++)
            arc_buf_printf(&gp, "%s'%s' using 1:%d with linespoints lw 2 pt %d ps 0.8 title '%s'", h ? ", " : "",
                           dat, 2 + 2 * h + k, 5 + h, s->cmp_hw[h].name);
        arc_buf_printf(&gp, "\n");
    }
    arc_buf_printf(&gp, "unset multiplot\n");
    return rep_plot(o, stem, &d, &gp);
}

/* where the energy of a decode token goes, per design, as shares of its total */
static int plot_split_(struct rep_outdir *o, const struct arc_study *s, int c)
{
    struct arc_buf d = {0}, gp = {0};
    char lab[24];
    arc_buf_printf(&d, "# hardware, total J per token, then %% of it:");
    for (int i = 0; i < N_SPLIT; i++)
        arc_buf_printf(&d, " %s;", split_names_[i]);
    arc_buf_printf(&d, " decode at ctx %lld\n", (long long)s->ctx[c]);
    for (int h = 0; h < s->n_cmp_hw; h++) {
        const struct arc_compare_point *p = at_(s, h, ARC_PHASE_DECODE, c);
        if (p->fits)
            arc_buf_printf(&d, "\"%s\\n%.3g J\"", s->cmp_hw[h].name, p->r.energy_per_token_j);
        else
            arc_buf_printf(&d, "\"%s\\ndoes not fit\"", s->cmp_hw[h].name);
        for (int i = 0; i < N_SPLIT; i++)
            plot_num(&d, p->fits ? 100 * p->r.energy_by_j[split_[i]] / p->r.energy_j : NAN);
        arc_buf_printf(&d, "\n");
    }
    plot_begin(&gp, "compare_energy_split", 1200, 600);
    arc_buf_printf(&gp, "set title \"Where a decode token's energy goes, MiniMax-Text-01 at %s context, batch %lld\"\n"
                        "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.8 border -1\n"
                        "set boxwidth 0.7\nset yrange [0:100]\nset ylabel '%% of the energy per token'\n"
                        "set key outside right\nset xtics font ',9'\nset bmargin 5\nplot ",
                   ctx_label_((long long)s->ctx[c], lab, sizeof lab), (long long)s->batch_decode);
    for (int i = 0; i < N_SPLIT; i++)
        arc_buf_printf(&gp, "%s'compare_energy_split.dat' using %d%s title '%s'", i ? ", " : "", 2 + i,
                       i ? "" : ":xtic(1)", split_names_[i]);
    arc_buf_printf(&gp, "\n");
    return rep_plot(o, "compare_energy_split", &d, &gp);
}

static int ctx_index_(const struct arc_study *s, int64_t ctx)
{
    for (int i = 0; i < s->n_ctx; i++)
        if (s->ctx[i] == ctx)
            return i;
    return 0;
}

int rep_compare_write(struct rep_outdir *o, const struct arc_study *s)
{
    struct arc_buf b = {0};
    csv_(s, &b);
    int st;
    if ((st = rep_put(o, "compare.csv", &b)) < 0 || (st = plot_phase_(o, s, ARC_PHASE_DECODE)) < 0 ||
        (st = plot_phase_(o, s, ARC_PHASE_PREFILL)) < 0)
        return st;
    return plot_split_(o, s, ctx_index_(s, 32768));
}

/* the design with the lowest figure among those that fit; -1 if none */
static int best_(const struct arc_study *s, enum arc_phase ph, int c, int energy)
{
    int best = -1;
    double bv = 0;
    for (int h = 0; h < s->n_cmp_hw; h++) {
        const struct arc_compare_point *p = at_(s, h, ph, c);
        double v = energy ? p->r.energy_per_token_j : p->r.latency_per_token_s;
        if (p->fits && (best < 0 || v < bv))
            best = h, bv = v;
    }
    return best;
}

void rep_compare_md(const struct arc_study *s, struct arc_buf *b)
{
    char lab[24];
    static const int64_t shown[] = {8192, 131072, 1048576, 4194304};
    arc_buf_printf(b, "## GPUs versus proposed hardware\n\n"
                      "MiniMax-Text-01 (hybrid 1/8) on the GPU node and on the low-energy (`le-*`) and spiking-style "
                      "(`snn-*`) presets. Each accelerator runs on the fewest of its chips that hold the model "
                      "(`arclight sim --fit`: tensor, expert and pipeline degrees searched); the GPU node keeps the "
                      "study's mapping. Weights are in the dtype each design computes in. All figures come from the "
                      "cost engine; `arclight hw show NAME` lists every figure of a design with its source.\n\n");
    arc_buf_printf(b, "| design | kind | weights | chips | regime, 8K decode, batch %lld | chips | regime, batch %lld |\n"
                      "| --- | --- | --- | ---: | --- | ---: | --- |\n", (long long)s->batch_decode, (long long)s->cmp_batch_size);
    for (int h = 0; h < s->n_cmp_hw; h++) {
        arc_buf_printf(b, "| %s | %s | %s |", s->cmp_hw[h].name, arc_hw_kind_name(s->cmp_hw[h].kind),
                       arc_dtype_name(s->cmp_dtype[h]));
        const struct arc_compare_point *ps[2] = {at_(s, h, ARC_PHASE_DECODE, 0), &s->cmp_batch[h]};
        for (int k = 0; k < 2; k++) {
            const struct arc_compare_point *p = ps[k];
            if (p->fits)
                arc_buf_printf(b, " %d | %s |", p->wl.devices, p->r.regime[0] ? p->r.regime : "weights, KV cache and states in HBM");
            else
                arc_buf_printf(b, " -- | does not fit on its devices |");
        }
        arc_buf_printf(b, "\n");
    }
    for (int ph = ARC_PHASE_DECODE; ph >= ARC_PHASE_PREFILL; ph--) {
        arc_buf_printf(b, "\n%s: latency per token / energy per token (all chips, static power included)%s:\n\n| design |",
                       ph == ARC_PHASE_DECODE ? "Decode" : "Prefill",
                       ph == ARC_PHASE_DECODE ? "" : " (latency per prompt token)");
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
            arc_buf_printf(b, " %s |", ctx_label_((long long)shown[k], lab, sizeof lab));
        arc_buf_printf(b, "\n| --- |");
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
            arc_buf_printf(b, " ---: |");
        arc_buf_printf(b, "\n");
        for (int h = 0; h < s->n_cmp_hw; h++) {
            arc_buf_printf(b, "| %s |", s->cmp_hw[h].name);
            for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
                const struct arc_compare_point *p = at_(s, h, (enum arc_phase)ph, ctx_index_(s, shown[k]));
                if (p->fits)
                    arc_buf_printf(b, " %.3g ms / %.3g J |", 1e3 * p->r.latency_per_token_s, p->r.energy_per_token_j);
                else
                    arc_buf_printf(b, " does not fit |");
            }
            arc_buf_printf(b, "\n");
        }
        arc_buf_printf(b, "\n![%s](compare_%s.png)\n", arc_phase_name((enum arc_phase)ph),
                       arc_phase_name((enum arc_phase)ph));
    }
    int c32 = ctx_index_(s, 32768);
    arc_buf_printf(b, "\nWhere a decode token's energy goes at 32K context (J per token):\n\n| design |");
    for (int i = 0; i < N_SPLIT; i++)
        arc_buf_printf(b, " %s |", split_names_[i]);
    arc_buf_printf(b, " of which lightning states |\n| --- |");
    for (int i = 0; i <= N_SPLIT; i++)
        arc_buf_printf(b, " ---: |");
    arc_buf_printf(b, "\n");
    for (int h = 0; h < s->n_cmp_hw; h++) {
        const struct arc_compare_point *p = at_(s, h, ARC_PHASE_DECODE, c32);
        arc_buf_printf(b, "| %s |", s->cmp_hw[h].name);
        for (int i = 0; i <= N_SPLIT; i++) {
            double j = i < N_SPLIT ? p->r.energy_by_j[split_[i]] : p->r.mem_energy_j[ARC_MEM_STATE];
            if (p->fits)
                arc_buf_printf(b, " %.3g |", j / p->r.tokens);
            else
                arc_buf_printf(b, " -- |");
        }
        arc_buf_printf(b, "\n");
    }
    arc_buf_printf(b, "\n![energy split](compare_energy_split.png)\n\n");
    arc_buf_printf(b, "The spiking designs' energy by both models, decode per token: (b) the hardware model "
                      "(synaptic events, neuron updates, spikes and hops at Loihi's measured energies, the engine's "
                      "figure) beside (a) the model spiking-transformer papers use (E_MAC x non-spiking MACs + "
                      "E_AC x rate x T x MACs):\n\n| design | ctx | (b) hardware model | (a) papers' model |\n"
                      "| --- | --- | ---: | ---: |\n");
    for (int h = 0; h < s->n_cmp_hw; h++) {
        if (s->cmp_hw[h].kind != ARC_HW_SNN)
            continue;
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
            const struct arc_compare_point *p = at_(s, h, ARC_PHASE_DECODE, ctx_index_(s, shown[k]));
            if (p->fits)
                arc_buf_printf(b, "| %s | %s | %.4g J | %.4g J |\n", s->cmp_hw[h].name,
                               ctx_label_((long long)shown[k], lab, sizeof lab), p->r.energy_per_token_j,
                               p->r.alt_energy_j / p->r.tokens);
        }
    }
    arc_buf_printf(b, "\nThe cost engine's roofline beside the cycle engine's simulation of the same decode step "
                      "(%s context, batch %lld, the mapping above); they differ where tiles fill the array "
                      "partly, arrays fill and drain, and units wait on each other:\n\n"
                      "| design | cost engine | cycle engine | cycle / cost | energy, cost | energy, cycle | busiest units (cycle engine) |\n"
                      "| --- | ---: | ---: | ---: | ---: | ---: | --- |\n",
                   ctx_label_((long long)s->ctx[0], lab, sizeof lab), (long long)s->batch_decode);
    for (int h = 1; h < s->n_cmp_hw; h++) {
        if (!s->cmp_cycle_ok[h])
            continue;
        const struct arc_result *rc = &at_(s, h, ARC_PHASE_DECODE, 0)->r, *ry = &s->cmp_cycle[h];
        arc_buf_printf(b, "| %s | %.4g ms | %.4g ms | %.2f | %.4g J | %.4g J |", s->cmp_hw[h].name,
                       1e3 * rc->latency_s, 1e3 * ry->latency_s, ry->latency_s / rc->latency_s,
                       rc->energy_per_token_j, ry->energy_per_token_j);
        /* the two busiest units */
        int u1 = -1, u2 = -1;
        for (int u = 0; u < ry->n_units; u++) {
            if (u1 < 0 || ry->unit_util[u] > ry->unit_util[u1])
                u2 = u1, u1 = u;
            else if (u2 < 0 || ry->unit_util[u] > ry->unit_util[u2])
                u2 = u;
        }
        if (u1 >= 0)
            arc_buf_printf(b, " %s %.0f%%", ry->unit_name[u1], 100 * ry->unit_util[u1]);
        if (u2 >= 0)
            arc_buf_printf(b, ", %s %.0f%%", ry->unit_name[u2], 100 * ry->unit_util[u2]);
        arc_buf_printf(b, " |\n");
    }
    arc_buf_printf(b, "\nWhere each wins (lowest among the designs that hold the model):\n\n"
                      "| ctx | decode latency | decode energy | prefill latency | prefill energy |\n"
                      "| --- | --- | --- | --- | --- |\n");
    for (int c = 0; c < s->n_ctx; c++) {
        arc_buf_printf(b, "| %s |", ctx_label_((long long)s->ctx[c], lab, sizeof lab));
        for (int ph = ARC_PHASE_DECODE; ph >= ARC_PHASE_PREFILL; ph--)
            for (int e = 0; e < 2; e++) {
                int h = best_(s, (enum arc_phase)ph, c, e);
                arc_buf_printf(b, " %s |", h < 0 ? "--" : s->cmp_hw[h].name);
            }
        arc_buf_printf(b, "\n");
    }
    arc_buf_printf(b, "\nCaveats: batch 1; stages of a pipeline run one after another and every chip draws its "
                      "static power for the whole step, which weighs on designs that need thousands of chips; "
                      "prefill keeps each op's activations for the whole prompt, so SRAM-only designs that cannot "
                      "hold them do not fit (a chunked prefill would); the accelerator figures are peak-rate "
                      "roofline estimates (`--engine cycle` simulates the units).\n\n");
}
