/* check.h - the unit tests' tiny harness: CHECK() counts, DONE() prints
 * "N passed, N failed" and returns the exit status. */
#ifndef PR_CHECK_H
#define PR_CHECK_H
#include <stdio.h>
#include <string.h>
static int pr_t_pass, pr_t_fail;
#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond)                                                              \
            pr_t_pass++;                                                       \
        else {                                                                 \
            pr_t_fail++;                                                       \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                      \
    } while (0)
#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (a_ && b_ && strcmp(a_, b_) == 0)                                   \
            pr_t_pass++;                                                       \
        else {                                                                 \
            pr_t_fail++;                                                       \
            fprintf(stderr, "%s:%d: FAILED: %s == %s\n  got:  %s\n  want: %s\n", \
                    __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",            \
                    b_ ? b_ : "(null)");                                       \
        }                                                                      \
    } while (0)
#define DONE()                                                                 \
    (printf("%d passed, %d failed\n", pr_t_pass, pr_t_fail), pr_t_fail != 0)
#endif
