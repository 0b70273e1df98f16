/* arclight file and process helpers. Not for: formats (traces/, reports/). */
#include "arclight/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arclight/common.h"

int arc_file_read(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return arc_errorf(ARC_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return arc_errorf(ARC_EIO, "%s: is a directory; expected a file", path);
    }
    size_t cap = 4096, n = 0;
    char *buf = arc_xmalloc(cap);
    for (;;) {
        if (cap - n < 2) {
            cap *= 2;
            buf = arc_xrealloc(buf, cap);
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return arc_errorf(ARC_EIO, "%s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ARC_OK;
}

int arc_file_read_text(const char *path, const char *what, char **out, size_t *len)
{
    int st = arc_file_read(path, out, len);
    if (st < 0)
        return st;
    if (strlen(*out) != *len) {
        free(*out);
        *out = NULL;
        return arc_errorf(ARC_EINPUT, "%s: expected %s, found a NUL byte", path, what);
    }
    return ARC_OK;
}

int arc_file_write_atomic(const char *path, const char *data, size_t len)
{
    size_t pl = strlen(path);
    char *tmp = arc_xmalloc(pl + 16);
    snprintf(tmp, pl + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int st = arc_errorf(ARC_EIO, "%s: cannot write: %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        off += (size_t)w;
    }
    /* mkstemp makes 0600 files; output files are ordinary 0644 (less the umask) */
    mode_t um = umask(0);
    umask(um);
    int ok = off == len && fchmod(fd, 0644 & ~um) == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int st = arc_errorf(ARC_EIO, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return st;
    }
    free(tmp);
    return ARC_OK;
}

int arc_mkdirs(const char *path)
{
    char *p = arc_xstrdup(path);
    for (char *s = p + 1;; s++) {
        char c = *s;
        if (c == '/' || c == '\0') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int st = arc_errorf(ARC_EIO, "%s: cannot create directory: %s", p, strerror(errno));
                free(p);
                return st;
            }
            struct stat sb;
            if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                int st = arc_errorf(ARC_EIO, "%s: exists and is not a directory", p);
                free(p);
                return st;
            }
            *s = c;
        }
        if (c == '\0')
            break;
    }
    free(p);
    return ARC_OK;
}

int arc_run_tool(char *const argv[], const char *cwd, const char *log_path)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return arc_errorf(ARC_ETOOL, "%s: cannot start: %s", argv[0], strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return arc_errorf(ARC_ETOOL, "%s: cannot start: %s", argv[0], strerror(errno));
    }
    if (pid == 0) {
        close(pipefd[0]);
        fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
        if (log_path) { /* before the chdir: a relative log path is the caller's */
            int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
                close(fd);
            }
        }
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        execvp(argv[0], argv);
        int e = errno;
        ssize_t unused = write(pipefd[1], &e, sizeof e);
        (void)unused;
        _exit(127);
    }
    close(pipefd[1]);
    int exec_errno = 0;
    ssize_t r;
    do
        r = read(pipefd[0], &exec_errno, sizeof exec_errno);
    while (r < 0 && errno == EINTR);
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return arc_errorf(ARC_ETOOL, "%s: wait failed: %s", argv[0], strerror(errno));
    if (r == (ssize_t)sizeof exec_errno)
        return arc_errorf(ARC_ETOOL, "%s: cannot run: %s (install it with scripts/install-deps.sh)",
                          argv[0], strerror(exec_errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return arc_errorf(ARC_ETOOL, "%s: failed (exit status %d)%s%s", argv[0],
                          WIFEXITED(status) ? WEXITSTATUS(status) : -1, log_path ? "; see " : "",
                          log_path ? log_path : "");
    return ARC_OK;
}

void arc_buf_printf(struct arc_buf *b, const char *fmt, ...)
{
    for (;;) {
        size_t avail = b->cap - b->len;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? avail : 0, fmt, ap);
        va_end(ap);
        ARC_ASSERT(n >= 0);
        if (b->data && (size_t)n < avail) {
            b->len += (size_t)n;
            return;
        }
        size_t need = b->len + (size_t)n + 1;
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < need)
            cap *= 2;
        b->data = arc_xrealloc(b->data, cap);
        b->cap = cap;
    }
}

void arc_buf_free(struct arc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
