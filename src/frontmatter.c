/* frontmatter.c - input stage: split the YAML front matter ("---" ... "---"
 * or "...") from the top of an article's Markdown text. Reads the text only;
 * the YAML itself is parsed by manifest.c, which calls this for each article
 * and for the editorial. */
#include "input.h"
#include <string.h>

/* Does the line starting at s (ending at the next '\n' or at end) consist of
 * `mark` followed only by spaces, tabs or a '\r'? Sets *next to the start of
 * the following line. */
static bool is_fence(const char *s, const char *end, const char *mark, const char **next)
{
    size_t ml = strlen(mark);
    if ((size_t)(end - s) < ml || memcmp(s, mark, ml) != 0)
        return false;
    const char *p = s + ml;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    if (p < end && *p != '\n')
        return false;
    *next = p < end ? p + 1 : p;
    return true;
}

bool pr_frontmatter_split(struct pr_input *in, const char *path, const char *text, long len,
                          const char **yaml, long *yaml_len, int *yaml_line,
                          const char **body, int *body_line)
{
    const char *s = text, *end = text + (len > 0 ? len : 0), *next;

    if (end - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* a UTF-8 byte order mark is not text */
    *yaml = NULL;
    *yaml_len = 0;
    *yaml_line = 0;
    *body = s;
    *body_line = 1;
    if (!is_fence(s, end, "---", &next))
        return true;

    int line = 2;
    for (const char *p = next; p < end; line++) {
        const char *after;
        if (is_fence(p, end, "---", &after) || is_fence(p, end, "...", &after)) {
            *yaml = next;
            *yaml_len = (long)(p - next);
            *yaml_line = 2;
            *body = after;
            *body_line = line + 1;
            return true;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        p = nl + 1;
    }
    struct pr_pos pos = {path, 1, 1};
    pr_diag(in->diags, PR_D_FRONTMATTER, pos,
            "front matter opened on line 1 is never closed; end it with a line '---' "
            "(or, if the article starts with a rule, put a blank line above it)");
    return false;
}
