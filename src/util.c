/* util.c - file and path services for the input stages (input.h): read a
 * file into the arena with UTF-8 validation and a size limit (regular files
 * only, so a pipe or device never hangs a build), join and test paths, and
 * find the data folder. */
#define _GNU_SOURCE
#include "input.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

long pr_utf8_check(const char *str, long len)
{
    const unsigned char *s = (const unsigned char *)str;
    long i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int n;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            min = 0x10000;
        } else
            return i;
        unsigned cp = c & (0x3F >> n);
        for (int k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return -1;
}

/* Text files larger than this are refused: an issue's manifest, layouts
 * and articles are far smaller, and the reader holds three copies. */
#define MAX_TEXT_BYTES (64L * 1024 * 1024)

/* Line and column (1-based, in characters) of byte `at`. */
static struct pr_pos byte_pos(struct pr_arena *a, const char *path, const char *buf, long at)
{
    int line = 1, col = 1;
    for (long k = 0; k < at; k++) {
        if (buf[k] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)buf[k] & 0xC0) != 0x80)
            col++;
    }
    return (struct pr_pos){pr_arena_strdup(a, path), line, col};
}

char *pr_file_read(struct pr_input *in, const char *path, struct pr_pos ref, long *len)
{
    /* O_NONBLOCK: a FIFO must not hang the build waiting for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        pr_diag(in->diags, PR_D_READ, ref, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st = {0};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        pr_diag(in->diags, PR_D_READ, ref, "'%s' is %s, not a file", path,
                S_ISDIR(st.st_mode) ? "a folder" : "a device or pipe");
        return NULL;
    }
    if (st.st_size > MAX_TEXT_BYTES) {
        close(fd);
        pr_diag(in->diags, PR_D_LIMIT, ref,
                "'%s' is larger than %ld MB; split it into several files", path,
                MAX_TEXT_BYTES / (1024 * 1024));
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        pr_diag(in->diags, PR_D_READ, ref, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = pr_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0 && n + got <= (size_t)MAX_TEXT_BYTES) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = pr_xrealloc(buf, cap);
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err || got > 0) {
        free(buf);
        if (err)
            pr_diag(in->diags, PR_D_READ, ref, "error reading '%s'", path);
        else
            pr_diag(in->diags, PR_D_LIMIT, ref, "'%s' grew past %ld MB while being read", path,
                    MAX_TEXT_BYTES / (1024 * 1024));
        return NULL;
    }
    /* Invalid UTF-8 and NUL bytes (not text either) become U+FFFD; the
     * first is reported at its line, column and byte offset, the others
     * only counted. */
    char *out = pr_xmalloc(n * 3 + 1); /* every byte could become U+FFFD: kept at its length below */
    size_t o = 0;
    long i = 0, L = (long)n, first = -1, more = 0;
    while (i < L) {
        long bad = pr_utf8_check(buf + i, L - i);
        long lim = bad < 0 ? L - i : bad;
        const char *z = memchr(buf + i, 0, (size_t)lim);
        if (z)
            bad = z - (buf + i);
        if (bad < 0) {
            memcpy(out + o, buf + i, (size_t)(L - i));
            o += (size_t)(L - i);
            break;
        }
        memcpy(out + o, buf + i, (size_t)bad);
        o += (size_t)bad;
        long at = i + bad;
        if (first < 0)
            first = at;
        else
            more++;
        memcpy(out + o, "\xEF\xBF\xBD", 3);
        o += 3;
        i = at + 1;
    }
    if (first >= 0) {
        struct pr_pos p = byte_pos(in->arena, path, buf, first);
        char also[80] = "";
        if (more)
            snprintf(also, sizeof also, " (and %ld more invalid byte%s after it)", more,
                     more == 1 ? "" : "s");
        if (buf[first] == 0)
            pr_diag(in->diags, PR_D_UTF8, p, "NUL byte at byte offset %ld%s; text files hold no NUL "
                    "bytes: save the file as UTF-8 text", first, also);
        else
            pr_diag(in->diags, PR_D_UTF8, p, "invalid UTF-8 byte 0x%02X at byte offset %ld%s",
                    (unsigned char)buf[first], first, also);
    }
    out[o] = 0;
    free(buf);
    if (len)
        *len = (long)o;
    char *kept = pr_arena_alloc_own(in->arena, o + 1); /* an article's can go once parsed */
    memcpy(kept, out, o + 1);
    free(out);
    return kept;
}

char *pr_path_join(struct pr_arena *a, const char *dir, const char *rel)
{
    if (!rel)
        return NULL;
    if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
        return pr_arena_strdup(a, rel);
    size_t dl = strlen(dir);
    return pr_arena_printf(a, "%s%s%s", dir, dir[dl - 1] == '/' ? "" : "/", rel);
}

char *pr_path_dir(struct pr_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pr_arena_strdup(a, ".");
    if (slash == path)
        return pr_arena_strdup(a, "/");
    return pr_arena_strndup(a, path, (size_t)(slash - path));
}

char *pr_path_stem(struct pr_arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return pr_arena_strndup(a, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

bool pr_path_exists(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0;
}

bool pr_path_inside(const char *dir, const char *path)
{
    char *rd = realpath(dir, NULL);
    char *rp = realpath(path, NULL);
    bool inside = false;
    if (rd && rp) {
        size_t n = strlen(rd);
        inside = strncmp(rd, rp, n) == 0 && (rp[n] == '/' || rp[n] == 0 || (n == 1 && rd[0] == '/'));
    }
    free(rd);
    free(rp);
    return inside;
}

static bool has_data(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/fonts", dir);
    if (access(p, R_OK) != 0)
        return false;
    snprintf(p, sizeof p, "%s/layouts", dir);
    return access(p, R_OK) == 0;
}

const char *pr_datadir(struct pr_arena *a)
{
    const char *env = getenv("PRESSRUN_DATADIR");
    if (env && *env)
        return pr_arena_strdup(a, env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            const char *inst = pr_arena_printf(a, "%s/../share/pressrun", exe);
            if (has_data(inst))
                return inst;
        }
    }
    if (has_data(PR_SOURCE_DATADIR))
        return PR_SOURCE_DATADIR;
    return PR_INSTALL_DATADIR;
}

bool pr_input_check_file(struct pr_input *in, const char *dir, const char *what, const char *written,
                         const char *path, struct pr_pos pos)
{
    if (!pr_path_exists(path)) {
        pr_diag(in->diags, PR_D_NO_FILE, pos, "%s '%s' not found (looked for %s)", what, written, path);
        return false;
    }
    if (!in->allow_outside && !pr_path_inside(dir, path)) {
        pr_diag(in->diags, PR_D_OUTSIDE, pos, "%s '%s' is outside the issue folder '%s'", what, written, dir);
        return false;
    }
    return true;
}

/* Does a quote after byte c open? */
static bool opens_after(unsigned char c)
{
    return c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '(' || c == '[' || c == '{' || c == '-' ||
           c == '/';
}

const char *pr_smart_punct(struct pr_arena *a, const char *s)
{
    if (!s || !strpbrk(s, "\"'-."))
        return s;
    size_t n = strlen(s);
    char *out = pr_arena_alloc(a, n * 3 + 1), *o = out;
    unsigned char prev = 0; /* the byte before, in the source */
    for (size_t i = 0; i < n;) {
        const char *rep = NULL;
        size_t take = 1;
        if (s[i] == '-' && s[i + 1] == '-')
            rep = s[i + 2] == '-' ? (take = 3, "\xE2\x80\x94") : (take = 2, "\xE2\x80\x93");
        else if (s[i] == '.' && s[i + 1] == '.' && s[i + 2] == '.')
            rep = (take = 3, "\xE2\x80\xA6");
        else if (s[i] == '"')
            rep = opens_after(prev) ? "\xE2\x80\x9C" : "\xE2\x80\x9D";
        else if (s[i] == '\'')
            rep = opens_after(prev) ? "\xE2\x80\x98" : "\xE2\x80\x99";
        if (rep) {
            size_t k = strlen(rep);
            memcpy(o, rep, k);
            o += k;
        } else {
            *o++ = s[i];
        }
        prev = (unsigned char)s[i + take - 1];
        i += take;
    }
    *o = 0;
    return out;
}
