/* yamltree.c - input stage helper: YAML text -> a small positioned tree in the
 * build's arena (see yamltree.h). Wraps libyaml's event parser; the parser and
 * its events are released before pr_ytree_parse returns. Called by manifest.c
 * (issue.yaml, front matter) and layoutdef.c (layouts/NAME.yaml). */
#include "yamltree.h"
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Aliases reported one by one; more are counted in one last diagnostic. */
#define MAX_ALIAS_REPORTS 100

struct frame {
    struct pr_ynode *node; /* the open list or mapping */
    struct pr_ynode *key;  /* MAP: the key waiting for its value */
    struct pr_ynode *last; /* last child appended */
};

struct parse {
    struct pr_input *in;
    const char *file;
    int line_offset;
    struct frame stack[PR_YAML_MAX_DEPTH];
    int depth;
    struct pr_ynode *root;
    long nodes, aliases;     /* node events so far; aliases among them */
    struct pr_pos last_alias; /* of those beyond MAX_ALIAS_REPORTS */
};

static struct pr_pos mark_pos(const struct parse *ps, yaml_mark_t m)
{
    struct pr_pos p = {ps->file, (int)m.line + 1 + ps->line_offset, (int)m.column + 1};
    return p;
}

/* Hang a new node under the innermost open list or mapping: in a mapping
 * every other node is a key, kept aside until its value arrives. */
static void attach(struct parse *ps, struct pr_ynode *n)
{
    if (ps->depth == 0) {
        ps->root = n;
        return;
    }
    struct frame *f = &ps->stack[ps->depth - 1];
    if (f->node->kind == PR_Y_MAP) {
        if (!f->key) {
            f->key = n;
            return;
        }
        n->key = f->key;
        f->key = NULL;
    }
    if (f->last)
        f->last->next = n;
    else
        f->node->child = n;
    f->last = n;
    f->node->n++;
}

/* Line and column of a byte offset (libyaml's reader errors give only that). */
static struct pr_pos offset_pos(const struct parse *ps, const char *text, long len, size_t off)
{
    struct pr_pos p = {ps->file, 1 + ps->line_offset, 1};
    for (size_t i = 0; i < off && (long)i < len; i++) {
        if (text[i] == '\n') {
            p.line++;
            p.col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80)
            p.col++;
    }
    return p;
}

static void report_syntax(struct parse *ps, yaml_parser_t *p, const char *text, long len)
{
    const char *problem = p->problem ? p->problem : "cannot parse";
    if (p->error == YAML_MEMORY_ERROR) {
        fputs("pressrun: out of memory\n", stderr);
        exit(70);
    }
    if (p->error == YAML_READER_ERROR) {
        pr_diag(ps->in->diags, PR_D_YAML, offset_pos(ps, text, len, p->problem_offset),
                "YAML: %s (byte 0x%02X)", problem, (unsigned)p->problem_value & 0xFF);
        return;
    }
    struct pr_pos at = mark_pos(ps, p->problem_mark);
    if (p->context) {
        struct pr_pos c = mark_pos(ps, p->context_mark);
        pr_diag(ps->in->diags, PR_D_YAML, at, "YAML: %s %s (started on line %d)", problem,
                p->context, c.line);
    } else
        pr_diag(ps->in->diags, PR_D_YAML, at, "YAML: %s", problem);
}

/* A node event (alias, scalar, start of a list or mapping): its node joins
 * the tree. Returns false when the file is to be cut short here (too many
 * nodes, nesting too deep; reported). */
static bool add_node(struct parse *ps, const yaml_event_t *ev, struct pr_pos at)
{
    struct pr_input *in = ps->in;
    if (++ps->nodes > PR_YAML_MAX_NODES) {
        pr_diag(in->diags, PR_D_LIMIT, at, "more than %d YAML values; the file is cut short here",
                PR_YAML_MAX_NODES);
        return false;
    }
    struct pr_ynode *n = pr_arena_alloc(in->arena, sizeof *n);
    n->pos = at;
    if (ev->type == YAML_ALIAS_EVENT) {
        /* an alias is never expanded, so an alias bomb costs one node per
         * alias written; the first hundred are reported, the rest counted */
        n->kind = PR_Y_BAD;
        if (ps->aliases++ < MAX_ALIAS_REPORTS) {
            pr_diag(in->diags, PR_D_YAML_ALIAS, at,
                    "alias '*%s' refused (anchors and aliases are not supported)",
                    (const char *)ev->data.alias.anchor);
        } else
            ps->last_alias = at;
    } else if (ev->type == YAML_SCALAR_EVENT) {
        n->kind = PR_Y_SCALAR;
        n->str = pr_arena_strndup(in->arena, (const char *)ev->data.scalar.value,
                                  ev->data.scalar.length);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    } else {
        n->kind = ev->type == YAML_MAPPING_START_EVENT ? PR_Y_MAP : PR_Y_SEQ;
        if (ps->depth == PR_YAML_MAX_DEPTH) {
            pr_diag(in->diags, PR_D_LIMIT, at,
                    "YAML nested more than %d levels deep; the file is cut short here",
                    PR_YAML_MAX_DEPTH);
            return false;
        }
    }
    attach(ps, n);
    if (n->kind == PR_Y_MAP || n->kind == PR_Y_SEQ)
        ps->stack[ps->depth++] = (struct frame){n, NULL, NULL};
    return true;
}

bool pr_ytree_parse(struct pr_input *in, const char *file, const char *text, long len,
                    int line_offset, struct pr_ynode **root)
{
    struct parse ps = {.in = in, .file = file, .line_offset = line_offset};
    yaml_parser_t p;
    bool ok = true, done = false;
    int docs = 0;

    *root = NULL;
    if (!yaml_parser_initialize(&p)) {
        fputs("pressrun: out of memory\n", stderr);
        exit(70);
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, (size_t)(len > 0 ? len : 0));
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            report_syntax(&ps, &p, text, len);
            ok = false;
            done = true;
            break;
        }
        struct pr_pos at = mark_pos(&ps, ev.start_mark);
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                pr_diag(in->diags, PR_D_YAML, at,
                        "a second YAML document starts here; keep a single document "
                        "(remove this '---' line)");
                ok = false;
                done = true;
            }
            break;
        case YAML_ALIAS_EVENT:
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (!add_node(&ps, &ev, at)) {
                ok = false;
                done = true;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (ps.depth > 0)
                ps.depth--;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (ps.aliases > MAX_ALIAS_REPORTS)
        pr_diag(in->diags, PR_D_YAML_ALIAS, ps.last_alias,
                "%ld more aliases refused, the last one here; write each value out",
                ps.aliases - MAX_ALIAS_REPORTS);
    /* cut short: the innermost open list or mapping is where things went
     * wrong; its partial content would only cause follow-up errors */
    if (!ok && ps.depth > 0)
        ps.stack[ps.depth - 1].node->kind = PR_Y_BAD;
    *root = ps.root;
    return ok;
}

bool pr_ynode_is_null(const struct pr_ynode *n)
{
    if (!n)
        return true;
    if (n->kind != PR_Y_SCALAR || !n->plain)
        return false;
    return n->str[0] == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
           strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

const char *pr_ykind_name(const struct pr_ynode *n)
{
    if (!n || pr_ynode_is_null(n))
        return "empty";
    switch (n->kind) {
    case PR_Y_SCALAR:
        return "text";
    case PR_Y_SEQ:
        return "a list";
    case PR_Y_MAP:
        return "a mapping";
    default:
        return "an alias";
    }
}

void pr_ytype_error(struct pr_input *in, const struct pr_ynode *v, const char *key,
                    const char *expected)
{
    if (!v || v->kind == PR_Y_BAD)
        return;
    pr_diag(in->diags, PR_D_TYPE, v->pos, "'%s' should be %s, not %s", key, expected,
            pr_ykind_name(v));
}

const char *pr_ystr(struct pr_input *in, const struct pr_ynode *v, const char *key)
{
    if (pr_ynode_is_null(v) || v->kind == PR_Y_BAD)
        return NULL;
    if (v->kind != PR_Y_SCALAR) {
        pr_ytype_error(in, v, key, "text");
        return NULL;
    }
    return v->str;
}

static char *known_keys(struct pr_arena *a, const char *const *keys)
{
    size_t len = 1;
    for (const char *const *k = keys; *k; k++)
        len += strlen(*k) + 2;
    char *s = pr_arena_alloc(a, len), *o = s;
    for (const char *const *k = keys; *k; k++) {
        size_t l = strlen(*k);
        if (o != s) {
            memcpy(o, ", ", 2);
            o += 2;
        }
        memcpy(o, *k, l);
        o += l;
    }
    *o = 0;
    return s;
}

void pr_ymap_fields(struct pr_input *in, const struct pr_ynode *map,
                    const char *const *keys, const struct pr_ynode **vals)
{
    size_t nk = 0;
    while (keys[nk])
        vals[nk++] = NULL;
    for (const struct pr_ynode *v = map->child; v; v = v->next) {
        const struct pr_ynode *k = v->key;
        if (!k || k->kind == PR_Y_BAD)
            continue;
        if (k->kind != PR_Y_SCALAR) {
            pr_diag(in->diags, PR_D_TYPE, k->pos, "a key should be plain text, not %s",
                    pr_ykind_name(k));
            continue;
        }
        size_t i = 0;
        while (i < nk && strcmp(keys[i], k->str) != 0)
            i++;
        if (i == nk) {
            const char *near = pr_did_you_mean(k->str, keys);
            if (near)
                pr_diag(in->diags, PR_D_UNKNOWN_KEY, k->pos,
                        "unknown key '%s'; did you mean '%s'?", k->str, near);
            else
                pr_diag(in->diags, PR_D_UNKNOWN_KEY, k->pos,
                        "unknown key '%s'; known keys are: %s", k->str,
                        known_keys(in->arena, keys));
        } else if (vals[i]) {
            pr_diag(in->diags, PR_D_DUPLICATE_KEY, k->pos,
                    "duplicate key '%s' (first given on line %d); keep only one of them",
                    k->str, vals[i]->key->pos.line);
        } else
            vals[i] = v;
    }
}
