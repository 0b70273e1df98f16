/* arclight JSON helpers over cJSON: loading a file or a built-in, typed, checked field reads whose
 * failures name FILE:FIELD and what was expected, and the one way a built tree becomes text.
 * Not for: building the trees (callers use cJSON's Add functions). */
#ifndef ARCLIGHT_JSON_H
#define ARCLIGHT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Parses text; a syntax error becomes "FILE: malformed JSON at line L, column C". */
int arc_json_parse(const char *text, const char *file, cJSON **out);

/* Loads name_or_path: a path when it contains '/' or ends in ".json", else the built-in
 * dir/name.json. display (n bytes) receives the file name to use in messages. kind names what is
 * being loaded ("model", "hardware") for the unknown-name message, which lists the built-ins.
 * fnv (may be NULL) receives the FNV-1a 64 of the bytes parsed, the file's or the built-in's:
 * what the loaded thing was made from, whatever its path (a sweep's identity covers it). */
int arc_json_load(const char *dir, const char *kind, const char *name_or_path, cJSON **out,
                  char *display, size_t n, uint64_t *fnv);

/* Field readers: o is an object, key a member. field is the name used in messages (the key, or a
 * dotted path). Absent members are an error unless the reader says otherwise. */
int arc_json_int(const cJSON *o, const char *file, const char *field, const char *key, int64_t lo,
                 int64_t hi, int64_t *out);
int arc_json_num(const cJSON *o, const char *file, const char *field, const char *key, double lo,
                 double hi, double *out);
int arc_json_bool(const cJSON *o, const char *file, const char *field, const char *key, bool *out);
int arc_json_str(const cJSON *o, const char *file, const char *field, const char *key,
                 const char **out);

/* Checks an object for duplicate keys (cJSON keeps both silently). */
int arc_json_no_duplicates(const cJSON *o, const char *file, const char *prefix);

/* Formats j (indented when pretty) and a final newline, and deletes j. Out of memory aborts with a
 * message, as arc_xmalloc does, so the text is never NULL. *len (may be NULL) receives its length;
 * the caller frees it with free(). */
char *arc_json_text(cJSON *j, bool pretty, size_t *len);

#endif
