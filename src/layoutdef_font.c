/* layoutdef_font.c - input stage, layout files: the font families the
 * bundled fonts provide, read from the name tables of <datadir>/fonts/
 * (*.otf, *.ttf, *.ttc) once per layout, and the check that a layout's
 * `family:` names one of them. Called by read_font in layoutdef.c. */
#include "layoutdef_int.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static unsigned long rd16(const unsigned char *p)
{
    return (unsigned long)p[0] << 8 | p[1];
}

static unsigned long rd32(const unsigned char *p)
{
    return rd16(p) << 16 | rd16(p + 2);
}

/* Read n bytes at `off` of f into buf; false past the end. */
static bool read_at(FILE *f, long off, unsigned char *buf, size_t n)
{
    return off >= 0 && fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n;
}

static void add_family(struct pr_arena *A, const char ***v, unsigned *n, unsigned *cap,
                       const char *name)
{
    if (!*name)
        return;
    for (unsigned i = 0; i < *n; i++)
        if (strcmp((*v)[i], name) == 0)
            return;
    *PR_PUSH(A, *v, *n, *cap) = pr_arena_strdup(A, name);
}

/* The family names (name IDs 1 and 16, as fontconfig reads them) of the
 * OpenType font whose table directory is at `dir_off`: Unicode and
 * Windows names are UTF-16BE, Macintosh names single-byte (ASCII kept). */
static void face_families(struct pr_arena *A, FILE *f, long dir_off, const char ***v,
                          unsigned *n, unsigned *cap)
{
    unsigned char hdr[12], rec[16];
    if (!read_at(f, dir_off, hdr, sizeof hdr))
        return;
    unsigned long ntables = rd16(hdr + 4), off = 0, len = 0;
    for (unsigned long t = 0; t < ntables && t < 512; t++) {
        if (!read_at(f, dir_off + 12 + 16 * (long)t, rec, sizeof rec))
            return;
        if (memcmp(rec, "name", 4) == 0) {
            off = rd32(rec + 8);
            len = rd32(rec + 12);
            break;
        }
    }
    if (len < 6 || len > (1ul << 20))
        return;
    unsigned char *tab = malloc(len);
    if (!tab || !read_at(f, (long)off, tab, len)) {
        free(tab);
        return;
    }
    unsigned long count = rd16(tab + 2), strings = rd16(tab + 4);
    for (unsigned long r = 0; r < count && 6 + 12 * (r + 1) <= len; r++) {
        const unsigned char *e = tab + 6 + 12 * r;
        unsigned long platform = rd16(e), id = rd16(e + 6), slen = rd16(e + 8), soff = rd16(e + 10);
        if ((id != 1 && id != 16) || strings + soff + slen > len)
            continue;
        const unsigned char *str = tab + strings + soff;
        char name[256];
        size_t o = 0;
        bool ok = true;
        if (platform == 0 || platform == 3) {
            for (unsigned long k = 0; k + 1 < slen && ok; k += 2) {
                unsigned long u = rd16(str + k);
                if (u >= 0xD800 && u <= 0xDFFF)
                    ok = false;
                else if (o + 4 >= sizeof name)
                    ok = false;
                else if (u < 0x80)
                    name[o++] = (char)u;
                else if (u < 0x800) {
                    name[o++] = (char)(0xC0 | u >> 6);
                    name[o++] = (char)(0x80 | (u & 0x3F));
                } else {
                    name[o++] = (char)(0xE0 | u >> 12);
                    name[o++] = (char)(0x80 | (u >> 6 & 0x3F));
                    name[o++] = (char)(0x80 | (u & 0x3F));
                }
            }
        } else if (platform == 1) {
            for (unsigned long k = 0; k < slen && ok; k++) {
                ok = str[k] < 0x80 && o + 1 < sizeof name;
                if (ok)
                    name[o++] = (char)str[k];
            }
        } else
            ok = false;
        name[o] = 0;
        if (ok)
            add_family(A, v, n, cap, name);
    }
    free(tab);
}

static int cmp_family(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The families the bundled fonts (<datadir>/fonts/ *.otf, *.ttf, *.ttc)
 * provide, NULL-terminated; NULL when the folder holds no font (fonts.c
 * reports that), so that nothing is checked. */
/* The families of the font files in one folder, added to v. */
static void folder_families(struct pr_arena *A, const char *dir, const char ***v, unsigned *n, unsigned *cap)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || (strcasecmp(e->d_name + l - 4, ".otf") != 0 &&
                      strcasecmp(e->d_name + l - 4, ".ttf") != 0 &&
                      strcasecmp(e->d_name + l - 4, ".ttc") != 0))
            continue;
        FILE *f = fopen(pr_path_join(A, dir, e->d_name), "rb");
        if (!f)
            continue;
        unsigned char hdr[12];
        if (read_at(f, 0, hdr, sizeof hdr)) {
            if (memcmp(hdr, "ttcf", 4) == 0) {
                unsigned long faces = rd32(hdr + 8);
                unsigned char off[4];
                for (unsigned long k = 0; k < faces && k < 64; k++)
                    if (read_at(f, 12 + 4 * (long)k, off, 4))
                        face_families(A, f, (long)rd32(off), v, n, cap);
            } else
                face_families(A, f, 0, v, n, cap);
        }
        fclose(f);
    }
    closedir(d);
}

/* The families the and the layout's font folders and the bundled
 * fonts (<datadir>/fonts/ *.otf, *.ttf, *.ttc) provide, NULL-terminated;
 * NULL when they hold no font (fonts.c reports that), so that nothing is
 * checked. */
static const char **bundled_families(struct pr_input *in, struct ld_families *fc)
{
    if (fc->read)
        return fc->names;
    fc->read = true;
    struct pr_arena *A = in->arena;
    const char **v = NULL;
    unsigned n = 0, cap = 0;
    for (int i = 0; fc->dirs && fc->ndirs && i < *fc->ndirs; i++)
        folder_families(A, fc->dirs[i], &v, &n, &cap);
    folder_families(A, pr_path_join(A, in->datadir, "fonts"), &v, &n, &cap);
    if (!n)
        return NULL;
    qsort(v, n, sizeof *v, cmp_family);
    *PR_PUSH(A, v, n, cap) = NULL;
    fc->names = v;
    return v;
}

/* fontconfig's comparison of family names: ASCII case and blanks ignored. */
static bool same_family(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (;;) {
        while (i < alen && a[i] == ' ')
            i++;
        while (*b == ' ')
            b++;
        if (i == alen || !*b)
            return i == alen && !*b;
        char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
        i++;
        b++;
    }
}

/* A family (or a comma-separated list of them, as Pango reads it) that no
 * bundled font provides would be set in whatever fontconfig falls back to:
 * an error at the family's position, naming the families there are. */
void ld_check_family(struct pr_input *in, struct ld_families *fc, const char *fam,
                     struct pr_pos pos)
{
    const char **known = bundled_families(in, fc);
    if (!known)
        return;
    for (const char *p = fam; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && p[0] == ' ') {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        bool found = len == 0;
        for (const char **k = known; *k && !found; k++)
            found = same_family(p, len, *k);
        if (!found) {
            size_t all = 1;
            for (const char **k = known; *k; k++)
                all += strlen(*k) + 2;
            char *list = pr_arena_alloc(in->arena, all);
            for (const char **k = known; *k; k++) {
                if (k != known)
                    strcat(list, ", ");
                strcat(list, *k);
            }
            char *one = pr_arena_strndup(in->arena, p, len);
            const char *near = pr_did_you_mean(one, known);
            if (near)
                pr_diag(in->diags, PR_D_FONT, pos,
                        "no font has the family '%s'; did you mean '%s'? (families: %s; a face of the "
                        "magazine's own goes in the issue's fonts/ folder)",
                        one, near, list);
            else
                pr_diag(in->diags, PR_D_FONT, pos,
                        "no font has the family '%s' (families: %s); name one of them, or put the "
                        "font's files in the issue's fonts/ folder (or a folder named by the layout's "
                        "'fonts: path:')",
                        one, list);
        }
        p = comma ? comma + 1 : p + len;
    }
}
