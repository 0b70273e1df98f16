/* arclight cycle engine: the event queue, a binary min-heap of events ordered by cycle, with
 * equal cycles popped in the order they were pushed (so a run is deterministic).
 * Not for: what the events mean (cycle.c). */
#include <stdlib.h>
#include <string.h>

#include "cycle_internal.h"

void cyc_queue_init_(struct cyc_queue *q) { memset(q, 0, sizeof *q); }

void cyc_queue_free_(struct cyc_queue *q)
{
    free(q->ev);
    memset(q, 0, sizeof *q);
}

static int before_(const struct cyc_event *a, const struct cyc_event *b)
{
    return a->cycle < b->cycle || (a->cycle == b->cycle && a->seq < b->seq);
}

void cyc_queue_push_(struct cyc_queue *q, uint64_t cycle, int64_t step, int stage)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 64;
        q->ev = arc_xrealloc(q->ev, (size_t)q->cap * sizeof *q->ev);
    }
    struct cyc_event e = {.cycle = cycle, .seq = q->seq++, .step = step, .stage = stage};
    int64_t i = q->n++;
    while (i > 0) {
        int64_t up = (i - 1) / 2;
        if (!before_(&e, &q->ev[up]))
            break;
        q->ev[i] = q->ev[up];
        i = up;
    }
    q->ev[i] = e;
}

int cyc_queue_pop_(struct cyc_queue *q, struct cyc_event *out)
{
    if (q->n == 0)
        return 0;
    *out = q->ev[0];
    struct cyc_event last = q->ev[--q->n];
    int64_t i = 0;
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= q->n)
            break;
        if (c + 1 < q->n && before_(&q->ev[c + 1], &q->ev[c]))
            c++;
        if (!before_(&q->ev[c], &last))
            break;
        q->ev[i] = q->ev[c];
        i = c;
    }
    if (q->n > 0)
        q->ev[i] = last;
    return 1;
}
