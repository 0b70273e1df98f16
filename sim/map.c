/* arclight mapping: the fewest devices that hold a model, by search. Not for: costing. */
#include "arclight/map.h"

#include <stdio.h>

int arc_map_fit(const struct arc_engine *e, const struct arc_model *m, const struct arc_hw *hw,
                struct arc_workload *w, struct arc_result *r)
{
    static const int tps[] = {1, 2, 4, 8, 16, 32, 64, 128};
    struct arc_workload best = *w, cand = *w;
    struct arc_result br, cr;
    int found = 0;
    long long max_dev = (long long)hw->f[ARC_HWF_DEVICES];
    for (size_t ti = 0; ti < sizeof tps / sizeof tps[0]; ti++) {
        int tp = tps[ti];
        if (m->n_heads % tp || (tp <= m->n_kv_heads ? m->n_kv_heads % tp : tp % m->n_kv_heads))
            continue;
        for (int ep = 1; ep <= (m->n_experts > 0 ? m->n_experts : 1); ep *= 2) {
            if (m->n_experts > 0 && m->n_experts % ep)
                continue;
            for (int pp = 1; pp <= m->n_layers; pp++) {
                if (m->n_layers % pp) /* even stages */
                    continue;
                for (long long dp = 1; dp <= 4096; dp *= 2) {
                    long long stage = (long long)tp * dp, dev = stage * pp;
                    if (dev > max_dev || (found && dev > best.devices))
                        break;
                    if (stage % ep)
                        continue;
                    cand.tp = tp;
                    cand.ep = ep;
                    cand.pp = pp;
                    cand.devices = (int)dev;
                    if (arc_engine_run_model(e, m, &cand, hw, &cr, NULL, NULL) < 0 || !cr.fits)
                        continue;
                    if (!found || dev < best.devices ||
                        (dev == best.devices && cr.latency_s < br.latency_s)) {
                        best = cand;
                        br = cr;
                        found = 1;
                    }
                    break; /* more replicas only add devices */
                }
            }
        }
    }
    if (!found)
        return arc_errorf(ARC_EINPUT, "--fit: no mapping of %s on up to %lld devices of %s holds the model", m->name, max_dev, hw->name);
    *w = best;
    *r = br;
    return ARC_OK;
}
