/* arclight common: status codes, the error message, assertions, dtypes, built-in data, FNV-1a 64.
 *
 * For: what every module needs and nothing else. Two tiers of errors (STYLE #8): ARC_ASSERT aborts
 * with file:line on a bug; expected failures return a negative arc_status and leave one line in
 * arc_error() that names FILE:FIELD and what was expected. The library never calls exit().
 * Not for: modelling, file formats, or printing anything but assertion failures. */
#ifndef ARCLIGHT_COMMON_H
#define ARCLIGHT_COMMON_H

#include <stddef.h>
#include <stdint.h>

enum arc_status {
    ARC_OK = 0,
    ARC_EINPUT = -1,       /* bad user input: a file, a field, an argument */
    ARC_EIO = -2,          /* a file could not be read or written */
    ARC_ENOMEM = -3,       /* allocation failed */
    ARC_ETOOL = -4,        /* an external tool (gnuplot, ...) is missing or failed */
    ARC_EUNSUPPORTED = -5, /* valid input this build or hardware cannot do */
};

#if defined(__GNUC__)
#define ARC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ARC_PRINTF(a, b)
#endif

/* Sets this thread's error message (one line, no "arclight: " prefix) and returns status. */
int arc_errorf(int status, const char *fmt, ...) ARC_PRINTF(2, 3);
/* The last message set on this thread, or "" */
const char *arc_error(void);

void arc_assert_fail_(const char *expr, const char *file, int line);
#define ARC_ASSERT(c) ((c) ? (void)0 : arc_assert_fail_(#c, __FILE__, __LINE__))

/* Allocation that treats out-of-memory as fatal: the sizes here are small and bounded by input
 * files, and every caller would only report and stop. */
void *arc_xmalloc(size_t n);
void *arc_xcalloc(size_t n, size_t size);
void *arc_xrealloc(void *p, size_t n);
char *arc_xstrdup(const char *s);

enum arc_dtype {
    ARC_DTYPE_FP32,
    ARC_DTYPE_BF16,
    ARC_DTYPE_FP8,
    ARC_DTYPE_INT8,
    ARC_DTYPE_COUNT
};
const char *arc_dtype_name(enum arc_dtype t);
int arc_dtype_bytes(enum arc_dtype t);
/* Returns 0 and sets *out, or -1 for an unknown name */
int arc_dtype_parse(const char *s, enum arc_dtype *out);

/* Built-in data files (model configs, hardware descriptions), embedded at build time from the
 * source tree by scripts/embed.cmake. path is relative to the source root, e.g.
 * "model/configs/minimax-text-01.json". The table ends with a NULL path. */
struct arc_builtin {
    const char *path;
    const char *data; /* NUL-terminated */
    size_t size;      /* bytes, without the NUL */
};
extern const struct arc_builtin arc_builtins[];
/* Finds dir/name.json among the built-ins; NULL if none */
const struct arc_builtin *arc_builtin_find(const char *dir, const char *name);
/* Writes the built-in names under dir, comma-separated, into buf */
void arc_builtin_names(const char *dir, char *buf, size_t n);

const char *arc_version(void);

/* FNV-1a 64 of n bytes, and the same continued from h over n more bytes:
 * arc_fnv1a64_more(arc_fnv1a64(a, na), b, nb) is the FNV-1a 64 of a then b. */
#define ARC_FNV1A64_BASIS UINT64_C(14695981039346656037)
uint64_t arc_fnv1a64(const void *data, size_t n);
uint64_t arc_fnv1a64_more(uint64_t h, const void *data, size_t n);
/* h continued over v's 8 bytes, least significant first (the same on every host) */
uint64_t arc_fnv1a64_u64(uint64_t h, uint64_t v);

/* Strict number parsing for command-line and CSV fields (libc strtoll/strtod underneath):
 * the whole string must be the number. Return 0 on success, -1 otherwise. */
int arc_parse_i64(const char *s, int64_t *out);
int arc_parse_u64(const char *s, uint64_t *out);
int arc_parse_f64(const char *s, double *out);

#endif
