/* yamltree.h - a small YAML tree with source positions, shared by the
 * manifest (manifest.c), front matter and layout (layoutdef.c) readers.
 * yamltree.c runs libyaml's event parser and copies every node into the
 * build's arena, so no libyaml object outlives pr_ytree_parse. Private to the
 * input stage: only the manifest readers (manifest.c, manifest_ads.c) and
 * the layout readers (layoutdef*.c) include it. */
#ifndef PR_YAMLTREE_H
#define PR_YAMLTREE_H
#include <stdbool.h>
#include "input.h"

/* Limits against hostile input (deep nesting, huge documents). */
#define PR_YAML_MAX_NODES 100000
#define PR_YAML_MAX_DEPTH 64

enum pr_ykind {
    PR_Y_SCALAR,
    PR_Y_SEQ,
    PR_Y_MAP,
    PR_Y_BAD, /* an alias or other refused node, already reported */
};

struct pr_ynode {
    enum pr_ykind kind;
    struct pr_pos pos;      /* where the node starts (1-based, real file line) */
    const char *str;        /* SCALAR: the value ("" when empty), arena-owned */
    bool plain;             /* SCALAR: written without quotes */
    struct pr_ynode *key;   /* a value inside a MAP: its key node */
    struct pr_ynode *child; /* SEQ: first item; MAP: first value (each has ->key) */
    struct pr_ynode *next;  /* next item / value of the parent */
    int n;                  /* SEQ, MAP: number of children */
};

/* Parse `text` (len bytes) into a tree in in->arena. `file` is the path as
 * printed (arena-owned or static); `line_offset` is added to every line (the
 * front matter's first line minus one). *root is NULL for an empty document.
 * Syntax errors (PR_D_YAML), aliases (PR_D_YAML_ALIAS, the node becomes
 * PR_Y_BAD), a second document (PR_D_YAML) and the node/depth limits
 * (PR_D_LIMIT) are reported. Returns false when the tree was cut short, so
 * callers should not report keys as missing. */
bool pr_ytree_parse(struct pr_input *in, const char *file, const char *text, long len,
                    int line_offset, struct pr_ynode **root);

/* No value: a missing node, or a plain scalar "", "~" or "null". */
bool pr_ynode_is_null(const struct pr_ynode *n);
/* "text", "a list", "a mapping" - for messages. */
const char *pr_ykind_name(const struct pr_ynode *n);

/* Match the keys of `map` against the NULL-terminated `keys`: vals[i] is set
 * to the value of keys[i] (NULL if absent). Reports unknown keys (with the
 * closest known one, or the list of known keys), duplicate keys (the first
 * one is kept) and keys that are not plain text. `map` must be a PR_Y_MAP. */
void pr_ymap_fields(struct pr_input *in, const struct pr_ynode *map,
                    const char *const *keys, const struct pr_ynode **vals);

/* The text of a scalar value, or NULL when it is null or not a scalar; the
 * latter is reported as PR_D_TYPE ("'key' should be text, not a list"). */
const char *pr_ystr(struct pr_input *in, const struct pr_ynode *v, const char *key);

/* Report PR_D_TYPE: "'key' should be <expected>, not <what v is>". */
void pr_ytype_error(struct pr_input *in, const struct pr_ynode *v, const char *key,
                    const char *expected);
#endif
