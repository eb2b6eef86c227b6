/* arena.c - the build's bump allocator (see arena.h).
 * Blocks are chained; big requests get a block of their own. */
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define BLOCK_SIZE (256 * 1024)
#define ALIGN 16

struct block {
    struct block *next;
    size_t used, size;
    max_align_t data[];
};

struct pr_arena {
    struct block *head;
};

void *pr_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("pressrun: out of memory\n", stderr);
        exit(70);
    }
    return p;
}

void *pr_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("pressrun: out of memory\n", stderr);
        exit(70);
    }
    return q;
}

static struct block *new_block(size_t size)
{
    struct block *b = pr_xmalloc(sizeof *b + size);
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

struct pr_arena *pr_arena_new(void)
{
    struct pr_arena *a = pr_xmalloc(sizeof *a);
    a->head = new_block(BLOCK_SIZE);
    return a;
}

void pr_arena_free(struct pr_arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void pr_arena_adopt(struct pr_arena *into, struct pr_arena *from)
{
    /* from's blocks go behind into's current block, which stays in use */
    struct block *last = from->head;
    while (last->next)
        last = last->next;
    last->next = into->head->next;
    into->head->next = from->head;
    free(from);
}

/* A block of its own for n bytes, behind the current one. */
static void *own_block(struct pr_arena *a, size_t n)
{
    struct block *b = a->head, *big = new_block(n);
    big->next = b->next;
    b->next = big;
    big->used = n;
    memset(big->data, 0, n);
    return big->data;
}

void *pr_arena_alloc_own(struct pr_arena *a, size_t n)
{
    return own_block(a, n ? n : 1);
}

void pr_arena_release(struct pr_arena *a, void *p)
{
    if (!p)
        return;
    for (struct block *prev = a->head, *b = prev->next; b; prev = b, b = b->next)
        if ((void *)b->data == p) {
            prev->next = b->next;
            free(b);
            return;
        }
}

void *pr_arena_alloc(struct pr_arena *a, size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n == 0)
        n = ALIGN;
    struct block *b = a->head;
    if (b->used + n > b->size) {
        if (n > BLOCK_SIZE / 4)
            return own_block(a, n); /* a big request gets its own block */
        b = new_block(BLOCK_SIZE);
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

void *pr_arena_grow(struct pr_arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
    if (new_n && elem > SIZE_MAX / new_n) {
        fputs("pressrun: out of memory\n", stderr);
        exit(70);
    }
    void *p = pr_arena_alloc(a, new_n * elem);
    if (old && old_n)
        memcpy(p, old, (old_n < new_n ? old_n : new_n) * elem);
    return p;
}

char *pr_arena_strndup(struct pr_arena *a, const char *s, size_t n)
{
    char *p = pr_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *pr_arena_strdup(struct pr_arena *a, const char *s)
{
    return s ? pr_arena_strndup(a, s, strlen(s)) : NULL;
}

char *pr_arena_vprintf(struct pr_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = pr_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *pr_arena_printf(struct pr_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = pr_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
