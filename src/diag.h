/* diag.h - diagnostics: one table of codes (severity + hint), one call to
 * report, one function to print them sorted by file and position.
 * Every stage reports through pr_diag() and carries on with a safe default,
 * so one run lists every problem. Only main.c turns them into an exit status. */
#ifndef PR_DIAG_H
#define PR_DIAG_H
#include <stdarg.h>
#include <stdio.h>

/* A position in an input file; 1-based line and column, 0 = unknown.
 * `file` is the path as it should be printed (arena-owned or static). */
struct pr_pos {
    const char *file;
    int line, col;
};

enum pr_severity { PR_SEV_NOTE, PR_SEV_WARNING, PR_SEV_ERROR };

/* Each code has one row in diag.c's table (name, severity, hint). The hint
 * is printed after the message unless the message already says how to fix. */
enum pr_diag_code {
    PR_D_READ,          /* file cannot be read */
    PR_D_UTF8,          /* invalid UTF-8 */
    PR_D_YAML,          /* YAML syntax error */
    PR_D_YAML_ALIAS,    /* anchors/aliases refused */
    PR_D_UNKNOWN_KEY,   /* unknown key; did you mean */
    PR_D_MISSING_KEY,   /* required key absent */
    PR_D_DUPLICATE_KEY, /* key given twice */
    PR_D_TYPE,          /* wrong YAML type (scalar / list / mapping) */
    PR_D_VALUE,         /* a value that does not parse (date, length, number, enum) */
    PR_D_NO_ARTICLES,   /* articles: missing or empty */
    PR_D_NO_FILE,       /* a referenced file does not exist */
    PR_D_OUTSIDE,       /* a path leaves the issue folder */
    PR_D_LAYOUT,        /* unknown layout name */
    PR_D_FRONTMATTER,   /* front matter not closed or not a mapping */
    PR_D_EMPTY_ARTICLE, /* article has no body text */
    PR_D_FOOTNOTE,      /* footnote reference without definition, or unused */
    PR_D_LIMIT,         /* nesting / size limits */
    PR_D_IMAGE,         /* image unreadable, corrupt or too large */
    PR_D_IMAGE_ALT,     /* image without alt text */
    PR_D_IMAGE_RES,     /* image resolution low */
    PR_D_HYPHEN_DICT,   /* no hyphenation dictionary for a language */
    PR_D_HYPHEN_WORD,   /* a hyphenation exception that is not one word */
    PR_D_FONT,          /* font missing / font dir missing */
    PR_D_GLYPH,         /* character missing from every font */
    PR_D_OVERFLOW,      /* a line wider than its column */
    PR_D_WIDOW,         /* an unavoidable widow or orphan */
    PR_D_TOC,           /* page numbers did not settle */
    PR_D_OUTPUT,        /* output cannot be written */
    PR_D_NOT_BUILT,     /* a format not implemented yet */
    PR_D_IMAGE_LOWRES,  /* image resolution too low to print */
    PR_D_COLOR,         /* a colour a press cannot hold */
    PR_D_PADDING,       /* blank pages added for binding */
    PR_D_FLATPLAN,      /* the page plan cannot be kept (ad page taken, blank page) */
    PR_D_COPYFIT,       /* an article over or under its allotted pages */
    PR_D_AD,            /* an ad's preflight (size, fonts, resolution, colour) */
    PR_D_HTML,          /* raw HTML pressrun does not set */
    PR_D_MARKUP,        /* other markup pressrun does not set (a fenced div of an unknown class) */
    PR_D_UNSET,         /* a Markdown construct pressrun does not set (task lists, a table
                           in a pull quote) */
    PR_D_TABLE,         /* a table too wide for the page: its cells wrap */
    PR_D__COUNT
};

struct pr_diag {
    enum pr_diag_code code;
    enum pr_severity severity;
    struct pr_pos pos;
    char *msg; /* malloc'd */
    unsigned seq;
};

struct pr_diags {
    struct pr_diag *v;
    unsigned n, cap;
    unsigned errors, warnings;
    int quiet; /* suppress warnings and notes when printing */
};

void pr_diags_init(struct pr_diags *d);
void pr_diags_free(struct pr_diags *d);
/* Move every diagnostic of `from` to the end of `d` (from is left empty).
 * A missing hyphenation dictionary already reported in `d` is not repeated:
 * threads that set different articles each report it once. */
void pr_diags_append(struct pr_diags *d, struct pr_diags *from);
/* Record one diagnostic. fmt says what is wrong (and may say how to fix). */
void pr_diag(struct pr_diags *d, enum pr_diag_code code, struct pr_pos pos,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void pr_vdiag(struct pr_diags *d, enum pr_diag_code code, struct pr_pos pos,
              const char *fmt, va_list ap);
/* Print every diagnostic to `f`, sorted by file, line, column, then order of
 * report: "file:line:col: severity: message; hint". */
void pr_diags_print(struct pr_diags *d, FILE *f);
enum pr_severity pr_diag_severity(enum pr_diag_code code);
const char *pr_diag_name(enum pr_diag_code code);
/* Levenshtein-closest candidate to `s` from a NULL-terminated list, or NULL
 * when nothing is close enough to suggest. */
const char *pr_did_you_mean(const char *s, const char *const *candidates);
#endif
