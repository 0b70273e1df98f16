/* Rule: a damaged trace file is refused, never half-read and never a crash. Starting from a good
 * written trace, each damaged form makes arc_trace_read return ARC_EINPUT with arc_error() naming
 * the file and, where it applies, the line and the field (FORMAT.md, "Checks on reading"); the
 * trace is left empty. Edits "restamped" carry a correct end line (op count and CRC-32), so only
 * the damage under test can be what the reader objects to.
 * Not for: good files (test_trace_round_trip.c). */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "arclight/model.h"
#include "arclight/trace.h"
#include "check.h"

static char dir_[256];
static int n_cases_;

/* ---- the good file as lines ---- */

struct lines {
    char **l; /* (n) lines without their '\n' */
    int n;
};

static struct lines split_(const char *text, size_t len)
{
    struct lines s = {0};
    int cap = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (s.n == cap)
            s.l = realloc(s.l, sizeof *s.l * (size_t)(cap = cap ? 2 * cap : 1024));
        s.l[s.n] = malloc(e - i + 1);
        memcpy(s.l[s.n], text + i, e - i);
        s.l[s.n][e - i] = '\0';
        s.n++;
        i = e + 1;
    }
    return s;
}

static struct lines copy_(const struct lines *a)
{
    struct lines s = {malloc(sizeof *s.l * (size_t)(a->n + 2)), a->n};
    for (int i = 0; i < a->n; i++)
        s.l[i] = strdup(a->l[i]);
    return s;
}

static void free_lines_(struct lines *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->l[i]);
    free(s->l);
    s->l = NULL;
    s->n = 0;
}

static void set_line_(struct lines *s, int i, const char *text)
{
    free(s->l[i]);
    s->l[i] = strdup(text);
}

/* inserts text before line i (room for two more lines was made by copy_) */
static void insert_line_(struct lines *s, int i, const char *text)
{
    memmove(&s->l[i + 1], &s->l[i], sizeof *s->l * (size_t)(s->n - i));
    s->l[i] = strdup(text);
    s->n++;
}

/* Joins lines with '\n'. restamp: the last line becomes a correct end line for the lines before. */
static char *join_(struct lines *s, int restamp, size_t *len)
{
    if (restamp) {
        size_t blen = 0;
        for (int i = 0; i < s->n - 1; i++)
            blen += strlen(s->l[i]) + 1;
        char *body = malloc(blen + 1), *p = body;
        for (int i = 0; i < s->n - 1; i++)
            p += sprintf(p, "%s\n", s->l[i]);
        char end[64];
        snprintf(end, sizeof end, "# end ops=%d crc32=%08lx", s->n - 3,
                 (unsigned long)crc32(0L, (const Bytef *)body, (uInt)blen));
        free(body);
        set_line_(s, s->n - 1, end);
    }
    size_t n = 0;
    for (int i = 0; i < s->n; i++)
        n += strlen(s->l[i]) + 1;
    char *out = malloc(n + 1), *p = out;
    for (int i = 0; i < s->n; i++)
        p += sprintf(p, "%s\n", s->l[i]);
    *len = n;
    return out;
}

/* Replaces field col (0-based) of a CSV row. */
static void set_field_(struct lines *s, int line, int col, const char *value)
{
    const char *row = s->l[line], *a = row;
    for (int c = 0; c < col; c++)
        a = strchr(a, ',') + 1;
    const char *b = strchr(a, ',');
    if (!b)
        b = a + strlen(a);
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(a - row), row, value, b);
    set_line_(s, line, buf);
}

static const char *field_(const struct lines *s, int line, int col, char *buf, size_t n)
{
    const char *a = s->l[line];
    for (int c = 0; c < col; c++)
        a = strchr(a, ',') + 1;
    size_t k = strcspn(a, ",");
    snprintf(buf, n, "%.*s", (int)(k < n ? k : n - 1), a);
    return buf;
}

/* Replaces the first occurrence of from in line i. */
static void replace_in_line_(struct lines *s, int i, const char *from, const char *to)
{
    const char *p = strstr(s->l[i], from);
    REQUIRE(p);
    char buf[4096];
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - s->l[i]), s->l[i], to, p + strlen(from));
    set_line_(s, i, buf);
}

/* the first row line whose op column is op (and, if given, name column is name) */
static int find_row_(const struct lines *s, const char *op, const char *name)
{
    char f[64];
    for (int i = 2; i < s->n - 1; i++)
        if (strcmp(field_(s, i, 3, f, sizeof f), op) == 0 &&
            (!name || strcmp(field_(s, i, 4, f, sizeof f), name) == 0))
            return i;
    REQUIRE(!"row not found");
    return -1;
}

/* ---- one case: data must be refused with a message holding each of the given substrings ---- */

static void expect_refused_(const char *what, const char *data, size_t len, const char *sub1,
                            const char *sub2)
{
    char path[512];
    snprintf(path, sizeof path, "%s/case%02d.csv", dir_, n_cases_++);
    FILE *f = fopen(path, "wb");
    REQUIRE(f);
    REQUIRE(fwrite(data, 1, len, f) == len);
    REQUIRE(fclose(f) == 0);
    struct arc_trace t;
    int st = arc_trace_read(path, &t);
    const char *msg = arc_error();
    if (CHECK_MSG(st == ARC_EINPUT, "%s: status %d, want ARC_EINPUT (%d); message \"%s\"", what, st,
                  ARC_EINPUT, st ? msg : "")) {
        CHECK_MSG(strstr(msg, path) != NULL, "%s: message \"%s\" does not name %s", what, msg, path);
        if (sub1)
            CHECK_MSG(strstr(msg, sub1) != NULL, "%s: message \"%s\" lacks \"%s\"", what, msg, sub1);
        if (sub2)
            CHECK_MSG(strstr(msg, sub2) != NULL, "%s: message \"%s\" lacks \"%s\"", what, msg, sub2);
        CHECK_MSG(t.n_ops == 0 && t.ops == NULL, "%s: the refused trace was left holding %d ops", what, t.n_ops);
        CHECK_MSG(strchr(msg, '\n') == NULL, "%s: message is more than one line", what);
    } else if (st == ARC_OK) {
        arc_trace_free(&t);
    }
    unlink(path);
}

/* applies one edit to a copy of the good lines, joins (restamped or not) and expects refusal */
#define EDIT_CASE(what, restamp, sub1, sub2, ...)                                                  \
    do {                                                                                           \
        struct lines s = copy_(&good);                                                             \
        __VA_ARGS__;                                                                               \
        size_t len_;                                                                               \
        char *d_ = join_(&s, (restamp), &len_);                                                    \
        expect_refused_((what), d_, len_, (sub1), (sub2));                                         \
        free(d_);                                                                                  \
        free_lines_(&s);                                                                           \
    } while (0)

static char *line_ref_(int line, const char *field, char *buf, size_t n)
{
    snprintf(buf, n, ":%d:%s", line, field);
    return buf;
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir_, sizeof dir_, "%s/arclight-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    REQUIRE(mkdtemp(dir_));

    struct arc_model m;
    REQUIRE_OK(arc_model_load("minimax-text-01", &m));
    struct arc_workload w = {.phase = ARC_PHASE_DECODE, .batch = 1, .ctx = 8192, .tp = 8,
                             .pp = 1, .devices = 8, .dtype = ARC_DTYPE_BF16};
    arc_workload_defaults(&w, &m);
    struct arc_trace built;
    REQUIRE_OK(arc_trace_build(&m, &w, &built));
    char *text;
    size_t len;
    REQUIRE_OK(arc_trace_format(&built, &text, &len));
    int n_ops = built.n_ops;
    arc_trace_free(&built);
    struct lines good = split_(text, len);
    REQUIRE(good.n == n_ops + 3);

    /* the good file itself, and the good file restamped, are read */
    {
        char path[512];
        snprintf(path, sizeof path, "%s/good.csv", dir_);
        FILE *f = fopen(path, "wb");
        REQUIRE(f && fwrite(text, 1, len, f) == len && fclose(f) == 0);
        struct arc_trace t;
        CHECK_OK(arc_trace_read(path, &t));
        CHECK_EQ_I(t.n_ops, n_ops);
        arc_trace_free(&t);
        struct lines s = copy_(&good);
        size_t l2;
        char *d = join_(&s, 1, &l2);
        CHECK_MSG(l2 == len && memcmp(d, text, len) == 0, "restamping the good file changed it");
        free(d);
        free_lines_(&s);
        unlink(path);
    }

    char ref[64], val[64];
    int gemm = find_row_(&good, "gemm", NULL);               /* a lightning layer's qkv_proj */
    int sattn = find_row_(&good, "softmax_attn", NULL);      /* a softmax layer's attention */
    int ar = find_row_(&good, "allreduce", NULL);            /* a collective */
    int last = good.n - 1;                                   /* the end line */

    /* truncation */
    {
        size_t cut = 0;
        for (int i = 0; i < 499; i++)
            cut += strlen(good.l[i]) + 1;
        cut += 10; /* 10 bytes into line 500 */
        expect_refused_("cut mid-row", text, cut, ":500:", "truncated");
        size_t no_end = len - strlen(good.l[last]) - 1;
        expect_refused_("cut at a line boundary (end line gone)", text, no_end, "truncated", NULL);
        expect_refused_("cut at a line boundary after 499 lines", text, cut - 10, "truncated", NULL);
        expect_refused_("cut inside the end line", text, len - 5, "truncated", NULL);
        expect_refused_("end line without its newline", text, len - 1, "truncated", NULL);
        expect_refused_("header only", text, strlen(good.l[0]) + 1, NULL, NULL);
    }

    /* edited numbers */
    snprintf(val, sizeof val, "%llu", strtoull(field_(&good, gemm, 18, val, sizeof val), NULL, 10) + 2);
    EDIT_CASE("gemm flop changed, restamped", 1, line_ref_(gemm + 1, "flop", ref, sizeof ref), NULL,
              set_field_(&s, gemm, 18, val));
    EDIT_CASE("gemm flop changed", 0, NULL, NULL, set_field_(&s, gemm, 18, val));
    snprintf(val, sizeof val, "%llu", strtoull(field_(&good, sattn, 18, val, sizeof val), NULL, 10) - 1);
    EDIT_CASE("attention flop changed, restamped", 1, line_ref_(sattn + 1, "flop", ref, sizeof ref), NULL,
              set_field_(&s, sattn, 18, val));
    snprintf(val, sizeof val, "%llu", strtoull(field_(&good, gemm, 19, val, sizeof val), NULL, 10) + 1);
    EDIT_CASE("weight bytes changed", 0, "crc32", "checksum", set_field_(&s, gemm, 19, val));
    EDIT_CASE("kv bytes changed", 0, "crc32", "checksum", set_field_(&s, sattn, 21, "12345"));
    EDIT_CASE("not a number", 1, line_ref_(gemm + 1, "act_bytes", ref, sizeof ref), NULL,
              set_field_(&s, gemm, 20, "12e3"));
    EDIT_CASE("negative shape", 1, line_ref_(gemm + 1, "m", ref, sizeof ref), NULL,
              set_field_(&s, gemm, 6, "-1"));
    EDIT_CASE("rows out of order", 1, line_ref_(gemm + 1, "idx", ref, sizeof ref), NULL,
              set_field_(&s, gemm, 0, "0"));
    EDIT_CASE("block against the pattern", 1, line_ref_(gemm + 1, "block", ref, sizeof ref), NULL,
              set_field_(&s, gemm, 2, "softmax_attn"));
    EDIT_CASE("unknown op", 1, line_ref_(gemm + 1, "op", ref, sizeof ref), NULL,
              set_field_(&s, gemm, 3, "conv2d"));
    EDIT_CASE("collective of one rank", 1, line_ref_(ar + 1, "ranks", ref, sizeof ref), NULL,
              set_field_(&s, ar, 17, "1"));
    EDIT_CASE("link bytes outside a collective", 1, line_ref_(gemm + 1, "link_bytes", ref, sizeof ref), NULL,
              set_field_(&s, gemm, 23, "8"));

    /* header */
    EDIT_CASE("header key missing", 1, ":1:ctx:", "missing", replace_in_line_(&s, 0, " ctx=8192", ""));
    EDIT_CASE("header key unknown", 1, ":1:colour:", "unknown", replace_in_line_(&s, 0, " tp=8", " tp=8 colour=blue"));
    EDIT_CASE("header key twice", 1, ":1:tp:", "twice", replace_in_line_(&s, 0, " tp=8", " tp=8 tp=8"));
    EDIT_CASE("header batch 0", 1, ":1:batch:", NULL, replace_in_line_(&s, 0, "batch=1", "batch=0"));
    EDIT_CASE("header tp not a number", 1, ":1:tp:", NULL, replace_in_line_(&s, 0, "tp=8", "tp=eight"));
    EDIT_CASE("header phase unknown", 1, ":1:phase:", NULL, replace_in_line_(&s, 0, "phase=decode", "phase=sideways"));
    EDIT_CASE("header dtype unknown", 1, ":1:dtype:", NULL, replace_in_line_(&s, 0, "dtype=bf16", "dtype=fp16"));
    /* FORMAT.md: the header's dtype is bf16 or fp8 (the workload's weights and KV cache) */
    EDIT_CASE("header dtype fp32", 1, ":1:dtype:", NULL, replace_in_line_(&s, 0, "dtype=bf16", "dtype=fp32"));
    EDIT_CASE("header pattern letter", 1, ":1:pattern:", NULL, replace_in_line_(&s, 0, "pattern=L", "pattern=X"));
    EDIT_CASE("header model name", 1, ":1:model:", NULL,
              replace_in_line_(&s, 0, "model=minimax-text-01", "model=mini/max"));
    EDIT_CASE("header devices not a multiple of tp", 1, ":1:devices:", NULL,
              replace_in_line_(&s, 0, "devices=8", "devices=12"));
    EDIT_CASE("header magic", 1, ":1:", NULL, replace_in_line_(&s, 0, "arclight-trace v1", "arclight-trace v2"));

    /* structure */
    EDIT_CASE("column names changed", 1, ":2:", "column names", replace_in_line_(&s, 1, ",flop,", ",flops,"));
    EDIT_CASE("column names reordered", 1, ":2:", "column names", replace_in_line_(&s, 1, "m,n,k", "n,m,k"));
    EDIT_CASE("extra blank line, restamped", 1, line_ref_(11, "", ref, sizeof ref), "fields",
              insert_line_(&s, 10, ""));
    EDIT_CASE("extra blank line", 0, NULL, NULL, insert_line_(&s, 10, ""));
    EDIT_CASE("blank line after the end line", 0, NULL, NULL, insert_line_(&s, s.n, ""));
    EDIT_CASE("blank line before the end line", 0, NULL, NULL, insert_line_(&s, s.n - 1, ""));
    snprintf(val, sizeof val, "ops=%d ", n_ops - 1);
    snprintf(ref, sizeof ref, "ops=%d ", n_ops);
    EDIT_CASE("end line op count", 0, ":ops:", NULL, replace_in_line_(&s, last, ref, val));
    EDIT_CASE("end line garbled", 0, "truncated", NULL, replace_in_line_(&s, last, "crc32", "crc"));
    EDIT_CASE("row with a field missing", 1, line_ref_(gemm + 1, "", ref, sizeof ref), "found 23",
              *strrchr(s.l[gemm], ',') = '\0'); /* link_bytes gone */
    EDIT_CASE("row with an extra field", 1, line_ref_(gemm + 1, "", ref, sizeof ref), "found 25", {
        char b[1024];
        snprintf(b, sizeof b, "%s,0", good.l[gemm]);
        set_line_(&s, gemm, b);
    });
    EDIT_CASE("a row duplicated", 1, NULL, NULL, insert_line_(&s, gemm, good.l[gemm]));
    EDIT_CASE("a row dropped", 1, NULL, NULL, {
        free(s.l[gemm]);
        memmove(&s.l[gemm], &s.l[gemm + 1], sizeof *s.l * (size_t)(s.n - gemm - 1));
        s.n--;
    });

    /* not text */
    expect_refused_("empty file", "", 0, NULL, NULL);
    {
        char *d = malloc(len);
        memcpy(d, text, len);
        d[strlen(good.l[0]) + strlen(good.l[1]) + 7] = '\0'; /* inside the first row */
        expect_refused_("a NUL byte", d, len, "NUL", NULL);
        d[strlen(good.l[0]) + strlen(good.l[1]) + 7] = ',';
        d[len - 2] = '\0'; /* in the checksum */
        expect_refused_("a NUL byte in the end line", d, len, "NUL", NULL);
        free(d);
    }

    /* Shapes so large their products overflow 64 bits must be refused like any other bad count.
     * Last: under UBSan a signed overflow in the reader aborts the test here. */
    EDIT_CASE("attention batch near 2^62, restamped", 1, line_ref_(sattn + 1, "", ref, sizeof ref), NULL,
              set_field_(&s, sattn, 10, "4611686018427387904"));

    free_lines_(&good);
    free(text);
    CHECK(rmdir(dir_) == 0);
    char detail[32];
    snprintf(detail, sizeof detail, "cases=%d", n_cases_);
    return check_done("test_trace_rejects_damage", detail);
}
