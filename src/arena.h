/* arena.h - one bump allocator per build; everything in the models lives here.
 * Read by every stage. pr_arena_free releases the whole arena at once; nothing
 * allocated from it is freed on its own, but for the blocks pr_arena_alloc_own
 * gives. Allocation failure prints one line
 * and exits (out of memory is not an error path). */
#ifndef PR_ARENA_H
#define PR_ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct pr_arena;

struct pr_arena *pr_arena_new(void);
void pr_arena_free(struct pr_arena *a);
/* Move every block of `from` into `into` (what was allocated from `from`
 * now lives as long as `into`) and free `from`. For an arena a worker
 * thread allocated from. */
void pr_arena_adopt(struct pr_arena *into, struct pr_arena *from);
/* Zeroed memory, aligned for any type. */
void *pr_arena_alloc(struct pr_arena *a, size_t n);
/* Zeroed memory in a block of its own, which pr_arena_release can give
 * back before the arena goes (a source file once it is parsed). */
void *pr_arena_alloc_own(struct pr_arena *a, size_t n);
/* Free a block pr_arena_alloc_own gave (anything else: nothing happens). */
void pr_arena_release(struct pr_arena *a, void *p);
/* Grows an array allocated from the arena: returns a new block of new_n
 * elements holding the first old_n of the old one (the old block is wasted). */
void *pr_arena_grow(struct pr_arena *a, void *old, size_t old_n, size_t new_n, size_t elem);
char *pr_arena_strdup(struct pr_arena *a, const char *s);
char *pr_arena_strndup(struct pr_arena *a, const char *s, size_t n);
char *pr_arena_printf(struct pr_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *pr_arena_vprintf(struct pr_arena *a, const char *fmt, va_list ap);

/* Append to an arena array `arr` of `n` used / `cap` allocated elements. */
#define PR_PUSH(arena, arr, n, cap)                                            \
    (((n) == (cap) ? ((arr) = pr_arena_grow((arena), (arr), (n),               \
                                            (cap) = (cap) ? (cap) * 2 : 8,     \
                                            sizeof *(arr)))                    \
                   : (arr)),                                                   \
     &(arr)[(n)++])

/* Out of memory: print and exit(70). For malloc outside the arena. */
void *pr_xmalloc(size_t n);
void *pr_xrealloc(void *p, size_t n);
#endif
