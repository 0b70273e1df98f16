/* arclight common: the thread's error message, assertions, allocation, dtypes, built-in lookup,
 * FNV-1a 64.
 * Not for: anything with a file format (core/json.c, traces/) or a model (model/). */
#include "arclight/common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char err_msg_[1024];

int arc_errorf(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_msg_, sizeof err_msg_, fmt, ap);
    va_end(ap);
    /* one line, always */
    for (char *p = err_msg_; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return status;
}

const char *arc_error(void) { return err_msg_; }

void arc_assert_fail_(const char *expr, const char *file, int line)
{
    fprintf(stderr, "arclight: internal error: %s:%d: assertion failed: %s\n", file, line, expr);
    abort();
}

static void *oom_(size_t n)
{
    fprintf(stderr, "arclight: out of memory allocating %zu bytes\n", n);
    abort();
}

void *arc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    return p ? p : oom_(n);
}

void *arc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    return p ? p : oom_(n * size);
}

void *arc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    return q ? q : oom_(n);
}

char *arc_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arc_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

static const struct {
    const char *name;
    int bytes;
} dtype_info_[] = {
    [ARC_DTYPE_FP32] = {.name = "fp32", .bytes = 4},
    [ARC_DTYPE_BF16] = {.name = "bf16", .bytes = 2},
    [ARC_DTYPE_FP8] = {.name = "fp8", .bytes = 1},
    [ARC_DTYPE_INT8] = {.name = "int8", .bytes = 1},
};
_Static_assert(ARC_DTYPE_COUNT == 4, "update dtype_info_");

const char *arc_dtype_name(enum arc_dtype t)
{
    ARC_ASSERT(t < ARC_DTYPE_COUNT);
    return dtype_info_[t].name;
}

int arc_dtype_bytes(enum arc_dtype t)
{
    ARC_ASSERT(t < ARC_DTYPE_COUNT);
    return dtype_info_[t].bytes;
}

int arc_dtype_parse(const char *s, enum arc_dtype *out)
{
    for (int i = 0; i < ARC_DTYPE_COUNT; i++)
        if (strcmp(s, dtype_info_[i].name) == 0) {
            *out = (enum arc_dtype)i;
            return 0;
        }
    return -1;
}

uint64_t arc_fnv1a64_more(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

uint64_t arc_fnv1a64(const void *data, size_t n)
{
    return arc_fnv1a64_more(ARC_FNV1A64_BASIS, data, n);
}

uint64_t arc_fnv1a64_u64(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return arc_fnv1a64_more(h, b, sizeof b);
}

/* "model/configs" + "minimax-text-01" -> the entry for model/configs/minimax-text-01.json */
const struct arc_builtin *arc_builtin_find(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    for (const struct arc_builtin *b = arc_builtins; b->path; b++) {
        const char *p = b->path;
        if (strncmp(p, dir, dl) == 0 && p[dl] == '/' && strncmp(p + dl + 1, name, nl) == 0 &&
            strcmp(p + dl + 1 + nl, ".json") == 0)
            return b;
    }
    return NULL;
}

void arc_builtin_names(const char *dir, char *buf, size_t n)
{
    size_t dl = strlen(dir), used = 0;
    if (n)
        buf[0] = '\0';
    for (const struct arc_builtin *b = arc_builtins; b->path; b++) {
        if (strncmp(b->path, dir, dl) != 0 || b->path[dl] != '/')
            continue;
        const char *base = b->path + dl + 1;
        size_t bl = strlen(base);
        if (bl < 6 || strchr(base, '/'))
            continue;
        int w = snprintf(buf + used, n > used ? n - used : 0, "%s%.*s", used ? ", " : "",
                         (int)(bl - 5), base);
        if (w > 0)
            used += (size_t)w;
        if (used >= n)
            break;
    }
}

#ifndef ARC_VERSION
#define ARC_VERSION "0.0.0"
#endif
const char *arc_version(void) { return ARC_VERSION; }

int arc_parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int arc_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int arc_parse_f64(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}
