/* Rule: a trace survives its file unchanged. For prefill and decode, tp 1 and 8, ep 1 and 8,
 * bf16 and fp8 and hybrid-ratio variants: build -> format -> write -> read -> format gives the same
 * bytes, the file holds exactly the formatted bytes, and the trace read back equals the built one
 * field by field (header, footprint, every op).
 * Not for: damaged files (test_trace_rejects_damage.c). */
#include <stdlib.h>
#include <unistd.h>

#include "arclight/model.h"
#include "arclight/trace.h"
#include "check.h"

struct case_ {
    const char *model;
    int softmax_every; /* -1: the model's own pattern */
    enum arc_phase phase;
    int64_t batch, ctx;
    int tp, ep, devices;
    enum arc_dtype dtype;
};

static const struct case_ cases_[] = {
    {"minimax-text-01", -1, ARC_PHASE_DECODE, 1, 8192, 1, 1, 1, ARC_DTYPE_BF16},
    {"minimax-text-01", -1, ARC_PHASE_PREFILL, 1, 5000, 8, 1, 8, ARC_DTYPE_BF16},
    {"minimax-text-01", -1, ARC_PHASE_DECODE, 8, 1000, 1, 8, 8, ARC_DTYPE_BF16},
    {"minimax-text-01", -1, ARC_PHASE_DECODE, 16, 131072, 8, 8, 8, ARC_DTYPE_FP8},
    {"minimax-text-01", -1, ARC_PHASE_PREFILL, 4, 1000, 2, 4, 8, ARC_DTYPE_FP8},
    {"minimax-text-01", 1, ARC_PHASE_DECODE, 4, 32768, 8, 1, 8, ARC_DTYPE_BF16},
    {"minimax-text-01", 0, ARC_PHASE_PREFILL, 1, 777, 8, 8, 8, ARC_DTYPE_BF16},
    {"minimax-text-01", 32, ARC_PHASE_DECODE, 64, 4096, 8, 1, 8, ARC_DTYPE_FP8},
    {"llama-3.1-70b", -1, ARC_PHASE_DECODE, 1, 8192, 8, 1, 8, ARC_DTYPE_FP8},
    {"llama-3.1-70b", -1, ARC_PHASE_PREFILL, 2, 3000, 1, 1, 1, ARC_DTYPE_BF16},
};

static void same_op_(int c, int i, const struct arc_op_rec *a, const struct arc_op_rec *b)
{
#define SAME(f) CHECK_MSG(a->f == b->f, "case %d op %d: " #f " differs", c, i)
    SAME(layer);
    SAME(op);
    SAME(block);
    SAME(dtype);
    CHECK_MSG(strcmp(a->name, b->name) == 0, "case %d op %d: name %s vs %s", c, i, a->name, b->name);
    SAME(m);
    SAME(n);
    SAME(k);
    SAME(groups);
    SAME(batch);
    SAME(heads);
    SAME(kv_heads);
    SAME(head_dim);
    SAME(seq_q);
    SAME(seq_kv);
    SAME(chunk);
    SAME(ranks);
    SAME(flop);
    SAME(bytes[ARC_MEM_WEIGHT]);
    SAME(bytes[ARC_MEM_ACT]);
    SAME(bytes[ARC_MEM_KV]);
    SAME(bytes[ARC_MEM_STATE]);
    SAME(link_bytes);
#undef SAME
}

static char *slurp_(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/arclight-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    REQUIRE(mkdtemp(dir));
    char path[320];
    snprintf(path, sizeof path, "%s/trace.csv", dir);
    int n_cases = (int)(sizeof cases_ / sizeof cases_[0]);
    long total_ops = 0;

    for (int c = 0; c < n_cases; c++) {
        const struct case_ *k = &cases_[c];
        struct arc_model m;
        REQUIRE_OK(arc_model_load(k->model, &m));
        if (k->softmax_every >= 0)
            REQUIRE_OK(arc_model_set_softmax_every(&m, k->softmax_every));
        struct arc_workload w = {.phase = k->phase, .batch = k->batch, .ctx = k->ctx, .tp = k->tp,
                                 .ep = k->ep, .pp = 1, .devices = k->devices, .dtype = k->dtype};
        arc_workload_defaults(&w, &m);
        struct arc_trace built, back;
        REQUIRE_OK(arc_trace_build(&m, &w, &built));
        CHECK_OK(arc_trace_check(&built, "built"));
        char *text1 = NULL, *text2 = NULL, *file = NULL;
        size_t len1 = 0, len2 = 0, flen = 0;
        REQUIRE_OK(arc_trace_format(&built, &text1, &len1));
        REQUIRE_OK(arc_trace_write(&built, path));
        file = slurp_(path, &flen);
        REQUIRE(file);
        CHECK_MSG(flen == len1 && memcmp(file, text1, len1) == 0, "case %d: file differs from the formatted text", c);
        REQUIRE_OK(arc_trace_read(path, &back));
        REQUIRE_OK(arc_trace_format(&back, &text2, &len2));
        CHECK_MSG(len1 == len2 && memcmp(text1, text2, len1) == 0, "case %d: write -> read -> write changed the bytes", c);

        CHECK_STREQ(back.model, built.model);
        CHECK_STREQ(back.pattern, built.pattern);
        CHECK_EQ_I(back.wl.phase, built.wl.phase);
        CHECK_EQ_I(back.wl.batch, built.wl.batch);
        CHECK_EQ_I(back.wl.ctx, built.wl.ctx);
        CHECK_EQ_I(back.wl.tp, built.wl.tp);
        CHECK_EQ_I(back.wl.ep, built.wl.ep);
        CHECK_EQ_I(back.wl.devices, built.wl.devices);
        CHECK_EQ_I(back.wl.dtype, built.wl.dtype);
        CHECK_EQ_I(back.wl.chunk, built.wl.chunk);
        CHECK_EQ_U(back.mem_weight_bytes, built.mem_weight_bytes);
        CHECK_EQ_U(back.mem_kv_bytes, built.mem_kv_bytes);
        CHECK_EQ_U(back.mem_state_bytes, built.mem_state_bytes);
        CHECK_EQ_I(back.n_ops, built.n_ops);
        for (int i = 0; i < built.n_ops && i < back.n_ops; i++)
            same_op_(c, i, &built.ops[i], &back.ops[i]);
        total_ops += built.n_ops;

        free(text1);
        free(text2);
        free(file);
        arc_trace_free(&built);
        arc_trace_free(&back);
    }
    unlink(path);
    CHECK(rmdir(dir) == 0);
    char detail[64];
    snprintf(detail, sizeof detail, "cases=%d ops=%ld", n_cases, total_ops);
    return check_done("test_trace_round_trip", detail);
}
