/* test_pullpick.c - pull quotes from the text (pullpick.c): which sentence
 * of a paragraph stands alone as a pull quote, and which never does. */
#include "check.h"
#include "arena.h"
#include "pages.h"

int main(void)
{
    struct pr_arena *a = pr_arena_new();
    double sc;
    /* the sentence of a pull quote's length wins; the others are too
     * short, too long, or lean on the one before */
    const char *p = "The strike began on a Monday. But it was not the first time the workers of the plant had "
                    "walked out over the speed of the line. Nobody in the union hall that night expected the "
                    "company to give way before the end of the summer. It lasted.";
    CHECK_STR(pr_pull_sentence(a, p, &sc),
              "Nobody in the union hall that night expected the company to give way before the end of the summer.");
    /* abbreviations and initials do not end a sentence */
    p = "Dr. Ana Ruiz told the meeting that the clinic would stay open every night of the week until the end "
        "of June. Short one.";
    CHECK_STR(pr_pull_sentence(a, p, &sc), "Dr. Ana Ruiz told the meeting that the clinic would stay open every "
                                            "night of the week until the end of June.");
    /* closing quotes stay with the sentence; an open quote never is cut */
    p = "\xE2\x80\x9CWe will not go back. The board can wait until the spring for all we care about what it "
        "decides,\xE2\x80\x9D she said.";
    CHECK(pr_pull_sentence(a, p, &sc) == NULL); /* the second sentence closes a quote it did not open */
    p = "\xE2\x80\x9CWe will not go back to the old hours, whatever the board decides in the spring.\xE2\x80\x9D "
        "He left.";
    CHECK_STR(pr_pull_sentence(a, p, &sc),
              "\xE2\x80\x9CWe will not go back to the old hours, whatever the board decides in the spring.\xE2\x80\x9D");
    /* Spanish: leaning words too, and ¿ opens a sentence */
    p = "Pero nadie en la asamblea de la facultad esperaba que la rectoría cediera antes del verano. "
        "\xC2\xBFQuién decide en una universidad pública cuando los estudiantes votan la huelga escuela por escuela?";
    CHECK_STR(pr_pull_sentence(a, p, &sc), "\xC2\xBFQuién decide en una universidad pública cuando los estudiantes "
                                            "votan la huelga escuela por escuela?");
    /* nothing that stands alone: none */
    CHECK(pr_pull_sentence(a, "It rained. Then it stopped.", &sc) == NULL);
    CHECK(pr_pull_sentence(a, "", &sc) == NULL);
    CHECK(pr_pull_sentence(a, "no capital letter at the start of this sentence which runs on for a while here.",
                           &sc) == NULL);
    pr_arena_free(a);
    return DONE();
}
