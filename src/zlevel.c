/* zlevel.c - back ends: the deflate level of the PDFs' streams.
 *
 * cairo 1.16 compresses every page's content stream at zlib's default
 * level (6) and offers no setting for it. On the 64-article bench that
 * deflate was 11 % of a build's CPU, all of it in the painting thread,
 * which the typesetting of the next batch waits for. Level 4 (zlib's lazy
 * matching with shorter hash chains) measured 1.25 s -> 1.15 s CPU for a
 * screen PDF 4.7 % larger; levels 1-3 saved no more time and grew it
 * 8-13 %. (Measured with the same shim preloaded, --jobs 1.)
 *
 * This definition of deflateInit_ (zlib's deflateInit macro calls it) is
 * the program's own, so cairo and qpdf bind to it before libz's; it asks
 * libz's for the level the caller asked, but 4 for the default. The
 * executable exports it (CMakeLists.txt: --export-dynamic-symbol); the
 * output is as reproducible as before (the level is fixed). The EPUB's
 * libzip calls deflateInit2_, which this leaves alone. Linked into the
 * pressrun program only: tests and tools keep zlib's default. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <zlib.h>

#define PR_DEFLATE_LEVEL 4

typedef int (*deflate_init_fn)(z_streamp, int, const char *, int);

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
    static deflate_init_fn real; /* set once; the same value from any thread */
    deflate_init_fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
    if (!f) {
        f = (deflate_init_fn)dlsym(RTLD_NEXT, "deflateInit_");
        if (!f)
            abort(); /* libz is linked (cairo needs it): cannot happen */
        __atomic_store_n(&real, f, __ATOMIC_RELEASE);
    }
    return f(strm, level == Z_DEFAULT_COMPRESSION ? PR_DEFLATE_LEVEL : level, version, stream_size);
}
