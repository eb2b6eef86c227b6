/* input.h - the input stages (manifest, layout, front matter, Markdown,
 * YAML, image headers) and the file services they share. They know nothing
 * of the command that runs them: each takes a struct pr_input, the little
 * it needs, which build.c fills once when it sets a build up (pointing at
 * the build's own arena and diagnostics) and passes in. */
#ifndef PR_INPUT_H
#define PR_INPUT_H
#include <stdbool.h>
#include <stdio.h>
#include "arena.h"
#include "diag.h"
#include "model.h"

struct pr_input {
    struct pr_arena *arena;     /* what is read is kept here */
    struct pr_diags *diags;     /* problems are reported here */
    const char *datadir;        /* holds layouts/ and fonts/ (pr_datadir) */
    const char *layout;         /* overrides the manifest's layout; NULL: none */
    bool allow_outside;         /* manifest, layout and image paths may leave the issue folder */
    const char *issue_fonts;    /* the issue's own fonts/ folder; NULL: it has none */
};

/* ---- services (util.c) ---- */
/* Read a whole file into in->arena (NUL-terminated, *len set; in a block of
 * its own, which pr_arena_release may give back early). Reports
 * PR_D_READ at `ref` (the place that named the file) and returns NULL on
 * failure. Invalid UTF-8 is reported (PR_D_UTF8, with the line and byte
 * offset) and the bad bytes are replaced by U+FFFD in the returned copy. */
char *pr_file_read(struct pr_input *in, const char *path, struct pr_pos ref, long *len);
/* Check UTF-8; returns the byte offset of the first invalid sequence or -1. */
long pr_utf8_check(const char *s, long len);
/* Join a directory and a relative path (absolute paths are returned as is). */
char *pr_path_join(struct pr_arena *a, const char *dir, const char *rel);
/* The folder part of a path ("." if none). */
char *pr_path_dir(struct pr_arena *a, const char *path);
/* A path's file name without its last extension ("a/b.c.md" -> "b.c"; a
 * leading dot is no extension). */
char *pr_path_stem(struct pr_arena *a, const char *path);
/* Typographic punctuation in a manifest's or front matter's text, as
 * Markdown bodies get it (cmark's smart punctuation): "--" an en dash,
 * "---" an em dash, "..." an ellipsis, straight quotes curled (opening
 * after a space, a bracket or a dash, or at the start; apostrophes
 * closing). s itself when it has nothing to change. */
const char *pr_smart_punct(struct pr_arena *a, const char *s);
/* One of a picture's placing settings (placing.c): key width (column,
 * columns:N, page, spread or N%), crop (W:H or none), focus ("X Y", 0..1
 * from the top left) or credit, with its value; a bad value is reported at
 * pos (false), an unknown key too. */
bool pr_placing_set(struct pr_input *in, struct pr_placing *pl, const char *key, const char *value,
                    struct pr_pos pos);
bool pr_path_exists(const char *path);
/* Is `path` inside `dir` once ".." and symlinks are resolved? */
bool pr_path_inside(const char *dir, const char *path);
/* A file the issue names (`written`, resolved to `path`): reports at `pos`
 * a missing file (PR_D_NO_FILE) or, unless in->allow_outside, one outside
 * the issue folder `dir` (PR_D_OUTSIDE); false for either. `what` names
 * it in the message ("article file", "image"). */
bool pr_input_check_file(struct pr_input *in, const char *dir, const char *what, const char *written,
                         const char *path, struct pr_pos pos);
/* The data folder holding fonts/ and layouts/, the one policy for every
 * command: $PRESSRUN_DATADIR if set, else <bin>/../share/pressrun beside
 * the running binary (an installed pressrun), else the source tree (a
 * build run in place), else the configured install folder. Allocated in
 * `a`. */
const char *pr_datadir(struct pr_arena *a);

/* ---- input stages ---- */
/* manifest.c: read ISSUE (a yaml file or a folder holding issue.yaml) into
 * an issue model, including each article's front matter and body source and
 * the layout (in->layout overrides the manifest's). On errors the issue
 * holds safe defaults and diagnostics say what is wrong. Returns NULL only
 * when the manifest itself cannot be read. */
struct pr_issue *pr_manifest_load(struct pr_input *in, const char *issue_arg);
/* layoutdef.c: load a layout by name (layouts/NAME.yaml in the issue folder,
 * then in the data dir) or by path into *out, defaults first. */
bool pr_layoutdef_load(struct pr_input *in, const char *name, const char *issue_dir,
                       struct pr_pos ref, struct pr_layout *out);
void pr_layoutdef_defaults(struct pr_layout *out);
/* frontmatter.c: split "---\n...\n---\n" from the top of a Markdown file.
 * Sets *yaml / *yaml_len to the front matter text (NULL if none), *body to
 * the rest and *body_line to the 1-based line where the body starts. Returns
 * false (and reports) if the block is opened but never closed. */
bool pr_frontmatter_split(struct pr_input *in, const char *path, const char *text, long len,
                          const char **yaml, long *yaml_len, int *yaml_line,
                          const char **body, int *body_line);
/* markdown.c: parse art->body into art->doc (cmark-gfm, smart punctuation,
 * footnotes, source positions shifted by body_line). Images must lie in
 * is->dir unless in->allow_outside (is may be NULL: not checked). */
void pr_markdown_parse(struct pr_input *in, const struct pr_issue *is, struct pr_article *art);
/* manifest_hyph.c: the issue's hyphenation exceptions, hyphenation.txt
 * beside the manifest (words as TeX's \hyphenation takes them,
 * separated by white space; '%' or '#' starts a comment), into
 * is->hyph_exceptions. A bad word is reported (PR_D_HYPHEN_WORD, at its
 * line and column) and left out; no file is no exceptions. */
void pr_manifest_hyphenation(struct pr_input *in, struct pr_issue *is);
/* What is wrong with the exception w (n bytes: letters and combining
 * marks, apostrophes between letters, '-' between letters where the word
 * may break), and how to fix it; NULL when nothing is. *at is the byte
 * offset of the fault. Shared with the layout's `hyphenation: exceptions:`. */
const char *pr_hyph_word_check(const char *w, size_t n, size_t *at);
/* out_dump.c: the document model as text (for --dump=doc and tests); `is`
 * may be NULL (not loaded). */
void pr_dump_doc(const struct pr_issue *is, FILE *f);
#endif
