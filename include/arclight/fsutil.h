/* arclight file and process helpers: whole-file reads, atomic writes (a failed run never damages
 * existing output), directory creation, and running an external tool from an argv list.
 * Not for: parsing anything. Tools are started with execvp-style argument lists, never a shell. */
#ifndef ARCLIGHT_FSUTIL_H
#define ARCLIGHT_FSUTIL_H

#include <stddef.h>

/* Reads the whole file into a NUL-terminated malloc'd buffer; *len excludes the NUL. */
int arc_file_read(const char *path, char **out, size_t *len);
/* As arc_file_read, for text: a NUL byte is an ARC_EINPUT error naming what was expected (what). */
int arc_file_read_text(const char *path, const char *what, char **out, size_t *len);
/* Writes data to path through a temporary file in the same directory and rename(2). */
int arc_file_write_atomic(const char *path, const char *data, size_t len);
/* mkdir -p */
int arc_mkdirs(const char *path);
/* Runs argv[0] (searched in PATH) with argv in directory cwd (NULL = current), stdout and stderr
 * sent to log_path (NULL = inherited; a relative path is from the current directory, not cwd).
 * Returns ARC_OK on exit status 0, else ARC_ETOOL with a
 * message naming the tool. */
int arc_run_tool(char *const argv[], const char *cwd, const char *log_path);

/* A growing text buffer for building output files in memory before one atomic write. */
struct arc_buf {
    char *data; /* (cap) bytes, NUL-terminated at len */
    size_t len, cap;
};
void arc_buf_printf(struct arc_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void arc_buf_free(struct arc_buf *b);

#endif
