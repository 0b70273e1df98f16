/* arclight JSON helpers: file and built-in loading, checked field reads.
 * Not for: model or hardware semantics (model/model.c, sim/hw.c). */
#include "arclight/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arclight/common.h"
#include "arclight/fsutil.h"

int arc_json_parse(const char *text, const char *file, cJSON **out)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithOpts(text, &end, 1);
    if (!j) {
        int line = 1, col = 1;
        for (const char *p = text; end && p < end && *p; p++) {
            if (*p == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return arc_errorf(ARC_EINPUT, "%s: malformed JSON at line %d, column %d", file, line, col);
    }
    *out = j;
    return ARC_OK;
}

static int is_path_(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5, ".json") == 0);
}

int arc_json_load(const char *dir, const char *kind, const char *name_or_path, cJSON **out,
                  char *display, size_t n, uint64_t *fnv)
{
    if (!name_or_path || !*name_or_path)
        return arc_errorf(ARC_EINPUT, "%s: expected a %s name or a .json file", kind, kind);
    if (is_path_(name_or_path)) {
        snprintf(display, n, "%s", name_or_path);
        char *text = NULL;
        size_t len = 0;
        int st = arc_file_read_text(name_or_path, "JSON text", &text, &len);
        if (st < 0)
            return st;
        if (fnv)
            *fnv = arc_fnv1a64(text, len);
        st = arc_json_parse(text, display, out);
        free(text);
        return st;
    }
    const struct arc_builtin *b = arc_builtin_find(dir, name_or_path);
    if (!b) {
        char names[1024];
        arc_builtin_names(dir, names, sizeof names);
        return arc_errorf(ARC_EINPUT, "%s: unknown %s; expected one of: %s, or a path to a .json file",
                          name_or_path, kind, names);
    }
    snprintf(display, n, "%s", b->path);
    if (fnv)
        *fnv = arc_fnv1a64(b->data, b->size);
    return arc_json_parse(b->data, display, out);
}

static const cJSON *member_(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

int arc_json_int(const cJSON *o, const char *file, const char *field, const char *key, int64_t lo,
                 int64_t hi, int64_t *out)
{
    const cJSON *v = member_(o, key);
    if (!v)
        return arc_errorf(ARC_EINPUT, "%s:%s: missing; expected an integer in [%lld, %lld]", file,
                          field, (long long)lo, (long long)hi);
    double d = v->valuedouble;
    if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d) || d < (double)lo || d > (double)hi)
        return arc_errorf(ARC_EINPUT, "%s:%s: expected an integer in [%lld, %lld]", file, field,
                          (long long)lo, (long long)hi);
    *out = (int64_t)d;
    return ARC_OK;
}

int arc_json_num(const cJSON *o, const char *file, const char *field, const char *key, double lo,
                 double hi, double *out)
{
    const cJSON *v = member_(o, key);
    if (!v)
        return arc_errorf(ARC_EINPUT, "%s:%s: missing; expected a number in [%g, %g]", file, field,
                          lo, hi);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi)
        return arc_errorf(ARC_EINPUT, "%s:%s: expected a number in [%g, %g]", file, field, lo, hi);
    *out = v->valuedouble;
    return ARC_OK;
}

int arc_json_bool(const cJSON *o, const char *file, const char *field, const char *key, bool *out)
{
    const cJSON *v = member_(o, key);
    if (!v || !cJSON_IsBool(v))
        return arc_errorf(ARC_EINPUT, "%s:%s: %s; expected true or false", file, field,
                          v ? "wrong type" : "missing");
    *out = cJSON_IsTrue(v);
    return ARC_OK;
}

int arc_json_str(const cJSON *o, const char *file, const char *field, const char *key,
                 const char **out)
{
    const cJSON *v = member_(o, key);
    if (!v || !cJSON_IsString(v) || !v->valuestring)
        return arc_errorf(ARC_EINPUT, "%s:%s: %s; expected a string", file, field,
                          v ? "wrong type" : "missing");
    *out = v->valuestring;
    return ARC_OK;
}

int arc_json_no_duplicates(const cJSON *o, const char *file, const char *prefix)
{
    for (const cJSON *a = o ? o->child : NULL; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && strcmp(a->string, b->string) == 0)
                return arc_errorf(ARC_EINPUT, "%s:%s%s: appears twice; expected each key once",
                                  file, prefix, a->string);
    return ARC_OK;
}

char *arc_json_text(cJSON *j, bool pretty, size_t *len)
{
    char *txt = pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!txt) {
        fputs("arclight: out of memory formatting JSON\n", stderr);
        abort();
    }
    size_t n = strlen(txt);
    txt = arc_xrealloc(txt, n + 2);
    txt[n] = '\n';
    txt[n + 1] = '\0';
    if (len)
        *len = n + 1;
    return txt;
}
