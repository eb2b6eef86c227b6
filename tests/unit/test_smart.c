/* test_smart.c - typographic punctuation in the manifest's and front
 * matter's text (util.c's pr_smart_punct), as cmark gives bodies. */
#include "check.h"
#include "arena.h"
#include "input.h"

int main(void)
{
    struct pr_arena *a = pr_arena_new();
#define SMART(in, want) CHECK_STR(pr_smart_punct(a, in), want)
    SMART("Wages --- and hours", "Wages \xE2\x80\x94 and hours");
    SMART("1999--2000", "1999\xE2\x80\x93" "2000");
    SMART("and then...", "and then\xE2\x80\xA6");
    SMART("\"End student suspensions now.\"", "\xE2\x80\x9C" "End student suspensions now.\xE2\x80\x9D");
    SMART("the workers' circle", "the workers\xE2\x80\x99 circle");
    SMART("'Liberated Zone'", "\xE2\x80\x98Liberated Zone\xE2\x80\x99");
    SMART("O'Brien (\"Red\")", "O\xE2\x80\x99" "Brien (\xE2\x80\x9CRed\xE2\x80\x9D)");
    SMART("a---\"quote\"", "a\xE2\x80\x94\xE2\x80\x9Cquote\xE2\x80\x9D");
    SMART("no change here", "no change here");
    SMART("", "");
    CHECK(pr_smart_punct(a, NULL) == NULL);
    pr_arena_free(a);
    return DONE();
}
