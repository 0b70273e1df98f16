/* arclight tests: CHECK-style assertions for the plain C test executables (STYLE #14).
 *
 * For: tests/test_*.c. A failed CHECK prints FILE:LINE, the expression and both values, marks the
 * test failed and carries on, so one run shows every broken rule; REQUIRE does the same and then
 * stops the test at once (use it where going on would crash or only repeat the failure).
 * check_done() prints the one pass line (STYLE #15) and is main's return value: 0 or 1.
 * Not for: the library (which reports errors through arc_status) or timing. */
#ifndef ARCLIGHT_TESTS_CHECK_H
#define ARCLIGHT_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/common.h"

static inline int *check_fails_(void)
{
    static int fails;
    return &fails;
}

static inline int check_fail_(const char *file, int line)
{
    ++*check_fails_();
    fprintf(stderr, "%s:%d: ", file, line);
    return 0;
}

/* 0 when |a - b| <= rel x max(|a|, |b|) (both zero counts as equal) */
static inline int check_close_(double a, double b, double rel)
{
    if (a == b)
        return 1;
    if (!isfinite(a) || !isfinite(b))
        return 0;
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
}

#define CHECK(c)                                                                                   \
    ((c) ? 1 : (check_fail_(__FILE__, __LINE__), fprintf(stderr, "CHECK(%s) failed\n", #c), 0))

/* printf-style context after the expression: CHECK_MSG(x > 0, "batch %d", b) */
#define CHECK_MSG(c, ...)                                                                          \
    ((c) ? 1                                                                                       \
         : (check_fail_(__FILE__, __LINE__), fprintf(stderr, "CHECK(%s) failed: ", #c),            \
            fprintf(stderr, __VA_ARGS__), fputc('\n', stderr), 0))

#define CHECK_EQ_I(a, b)                                                                           \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "CHECK_EQ_I(%s, %s) failed: %lld != %lld\n", #a, #b, a_, b_);          \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_U(a, b)                                                                           \
    do {                                                                                           \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);             \
        if (a_ != b_) {                                                                            \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "CHECK_EQ_U(%s, %s) failed: %llu != %llu\n", #a, #b, a_, b_);          \
        }                                                                                          \
    } while (0)

/* relative closeness of two doubles */
#define CHECK_CLOSE(a, b, rel)                                                                     \
    do {                                                                                           \
        double a_ = (double)(a), b_ = (double)(b);                                                 \
        if (!check_close_(a_, b_, (rel))) {                                                        \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "CHECK_CLOSE(%s, %s, %g) failed: %.17g vs %.17g (rel diff %.3g)\n",   \
                    #a, #b, (double)(rel), a_, b_,                                                 \
                    fabs(a_ - b_) / fmax(fabs(a_), fabs(b_)));                                     \
        }                                                                                          \
    } while (0)

#define CHECK_STREQ(a, b)                                                                          \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (strcmp(a_, b_) != 0) {                                                                 \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "CHECK_STREQ(%s, %s) failed: \"%s\" != \"%s\"\n", #a, #b, a_, b_);     \
        }                                                                                          \
    } while (0)

/* s contains sub */
#define CHECK_HAS(s, sub)                                                                          \
    do {                                                                                           \
        const char *s_ = (s), *sub_ = (sub);                                                       \
        if (!strstr(s_, sub_)) {                                                                   \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "CHECK_HAS(%s, %s) failed: \"%s\" lacks \"%s\"\n", #s, #sub, s_, sub_); \
        }                                                                                          \
    } while (0)

/* a library call returns ARC_OK; on failure prints its status and arc_error() */
#define CHECK_OK(expr)                                                                             \
    do {                                                                                           \
        int st_ = (expr);                                                                          \
        if (st_ != ARC_OK) {                                                                       \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "CHECK_OK(%s) failed: status %d: %s\n", #expr, st_, arc_error());     \
        }                                                                                          \
    } while (0)

/* as CHECK_OK but stops the test */
#define REQUIRE_OK(expr)                                                                           \
    do {                                                                                           \
        int st_ = (expr);                                                                          \
        if (st_ != ARC_OK) {                                                                       \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "REQUIRE_OK(%s) failed: status %d: %s\n", #expr, st_, arc_error());   \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            check_fail_(__FILE__, __LINE__);                                                       \
            fprintf(stderr, "REQUIRE(%s) failed\n", #c);                                           \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

/* main's return value: prints "PASS name detail" or "FAIL name: N checks failed" */
static inline int check_done(const char *name, const char *detail)
{
    int n = *check_fails_();
    if (n) {
        printf("FAIL %s: %d check%s failed\n", name, n, n == 1 ? "" : "s");
        return 1;
    }
    printf("PASS %s%s%s\n", name, detail && *detail ? " " : "", detail ? detail : "");
    return 0;
}

#endif
