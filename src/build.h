/* build.h - the build context every stage receives, and each stage's entry
 * point. main.c fills the options, build.c runs the stages in order:
 * manifest (+ layout, front matter) -> markdown -> typeset -> back ends. */
#ifndef PR_BUILD_H
#define PR_BUILD_H
#include <stdbool.h>
#include "arena.h"
#include "diag.h"
#include "model.h"

enum pr_format {
    PR_FMT_PDF = 1 << 0,
    PR_FMT_PRINT = 1 << 1,
    PR_FMT_EPUB = 1 << 2,
    PR_FMT_ARTICLES = 1 << 3,
    PR_FMT_PNG = 1 << 4,
    PR_FMT_PROOF = 1 << 5,      /* the flatplan (pressrun proof) */
};

enum pr_dump { PR_DUMP_NONE, PR_DUMP_DOC, PR_DUMP_LAYOUT };

struct pr_options {
    const char *issue_arg;      /* ISSUE as given */
    const char *out_dir;        /* -o; NULL = out/ beside the manifest */
    const char *layout;         /* --layout overrides the manifest */
    unsigned formats;           /* enum pr_format bits */
    enum pr_dump dump;
    int stats;                  /* 0 none, 1 text, 2 json */
    bool timings, quiet, check_only, allow_outside;
    bool no_marks;              /* --no-marks: print PDF without crop marks and slug */
    double dpi;                 /* --dpi: resolution of --format png (default 96) */
    int jobs;                   /* --jobs: typesetting threads; 0 = the processors, at most 4 */
    bool reuse;                 /* keep typeset paragraphs for the next build (watch) */
    const char *proof_path;     /* pressrun proof -o FILE.png */
};

struct pr_build {
    struct pr_arena *arena;
    struct pr_diags diags;
    struct pr_options opt;
    const char *datadir;        /* holds layouts/ and fonts/ */
    long long source_date;      /* SOURCE_DATE_EPOCH, or -1 */
    struct pr_issue *issue;
    int pages;                  /* pages typeset (for summaries) */
    long reused, shaped;        /* paragraphs taken from the last build / set anew (reuse) */
    /* progress report for long builds on a terminal (NULL: none); stages
     * call it with what they are doing, e.g. ("typesetting", 3, 64) */
    void (*progress)(struct pr_build *b, const char *stage, int done, int total);
    double started;             /* monotonic seconds at the start */
};

struct pr_build_summary {
    int errors, warnings, pages;
    long reused, shaped;        /* paragraphs (with opt.reuse) */
};

/* ---- services ---- */
/* Read a whole file into the arena (NUL-terminated, *len set; in a block of
 * its own, which pr_arena_release may give back early). Reports
 * PR_D_READ at `ref` (the place that named the file) and returns NULL on
 * failure. Invalid UTF-8 is reported (PR_D_UTF8, with the line and byte
 * offset) and the bad bytes are replaced by U+FFFD in the returned copy. */
char *pr_file_read(struct pr_build *b, const char *path, struct pr_pos ref, long *len);
/* Check UTF-8; returns the byte offset of the first invalid sequence or -1. */
long pr_utf8_check(const char *s, long len);
/* Join a directory and a relative path (absolute paths are returned as is). */
char *pr_path_join(struct pr_arena *a, const char *dir, const char *rel);
/* The folder part of a path ("." if none). */
char *pr_path_dir(struct pr_arena *a, const char *path);
bool pr_path_exists(const char *path);
/* Is `path` inside `dir` once ".." and symlinks are resolved? */
bool pr_path_inside(const char *dir, const char *path);

/* ---- input stages ---- */
/* manifest.c: read ISSUE (a yaml file or a folder holding issue.yaml) into
 * b->issue, including each article's front matter and body source and the
 * layout (b->opt.layout overrides the manifest's). Never returns NULL: on
 * errors the issue holds safe defaults and diagnostics say what is wrong.
 * Returns NULL only when the manifest itself cannot be read. */
struct pr_issue *pr_manifest_load(struct pr_build *b, const char *issue_arg);
/* layoutdef.c: load a layout by name (layouts/NAME.yaml in the issue folder,
 * then in the data dir) or by path into *out, defaults first. */
bool pr_layoutdef_load(struct pr_build *b, const char *name, const char *issue_dir,
                       struct pr_pos ref, struct pr_layout *out);
void pr_layoutdef_defaults(struct pr_layout *out);
/* frontmatter.c: split "---\n...\n---\n" from the top of a Markdown file.
 * Sets *yaml / *yaml_len to the front matter text (NULL if none), *body to
 * the rest and *body_line to the 1-based line where the body starts. Returns
 * false (and reports) if the block is opened but never closed. */
bool pr_frontmatter_split(struct pr_build *b, const char *path, const char *text, long len,
                          const char **yaml, long *yaml_len, int *yaml_line,
                          const char **body, int *body_line);
/* markdown.c: parse art->body into art->doc (cmark-gfm, smart punctuation,
 * footnotes, source positions shifted by body_line). */
void pr_markdown_parse(struct pr_build *b, struct pr_article *art);
/* out_dump.c: the document model as text (for --dump=doc and tests). */
void pr_dump_doc(struct pr_build *b, FILE *f);

/* ---- whole build (build.c) ---- */
/* Runs every stage. Returns 0 ok, 1 input errors, 3 output errors. */
int pr_build_run(struct pr_build *b);
/* One whole build or check from options: sets up the build (data folder,
 * SOURCE_DATE_EPOCH), runs it, prints the diagnostics, frees everything.
 * Returns the exit status; fills *sum when not NULL. */
int pr_build_main(const struct pr_options *opt, struct pr_build_summary *sum);
/* Free what builds keep for the next build in the same process (the typeset
 * paragraphs of opt.reuse). */
void pr_build_caches_free(void);
/* watch.c: build, then rebuild on every change of the issue's files, the
 * layouts or the fonts, until interrupted. Returns the exit status. */
int pr_watch_run(const struct pr_options *opt);
/* newissue.c: `pressrun new DIR [--from ISSUE]`; argv holds the arguments
 * after "new". Returns the exit status. */
int pr_new_run(int argc, char **argv);
#endif
