/* outfile.c - atomic output: write to a temporary file beside the final
 * one, rename on success, remove on failure, so a failed build never leaves
 * a half-written file and never touches the previous output. Used by every
 * back end that writes a file; main.c's signal handler calls
 * pr_outfile_interrupt so an interrupted build leaves no temporary file. */
#define _GNU_SOURCE
#include "backends.h"
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary files now being written, for pr_outfile_interrupt, which runs
 * in a signal handler: fixed slots (no allocation), each path complete
 * before its slot is marked used. Registering and renaming happen with the
 * terminating signals blocked, so no file is created or renamed unseen. */
#define MAX_PENDING 16
static struct {
    volatile sig_atomic_t used;
    char path[PATH_MAX];
} pending[MAX_PENDING];

/* Back ends writing in threads (build.c) register under this lock; the
 * signal handler only reads the slots. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Outputs finished while held: still under their temporary names (and
 * registered for cleanup) until pr_outfile_release. */
static bool holding;
static struct {
    char *tmp, *final;
} held[MAX_PENDING];
static int nheld;

void pr_outfile_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
}

static void block_signals(sigset_t *old)
{
    sigset_t s;
    pr_outfile_signals(&s);
    pthread_sigmask(SIG_BLOCK, &s, old);
    pthread_mutex_lock(&lock);
}

static void restore_signals(const sigset_t *old)
{
    pthread_mutex_unlock(&lock);
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

static void remember(const char *tmp)
{
    if (strlen(tmp) >= PATH_MAX)
        return;
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending[i].used) {
            strcpy(pending[i].path, tmp);
            pending[i].used = 1;
            return;
        }
}

static void forget(const char *tmp)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i].used && strcmp(pending[i].path, tmp) == 0) {
            pending[i].used = 0;
            return;
        }
}

/* Set while pr_outfile_release renames the held outputs: a signal then
 * waits until all are renamed (they are replaced together or not at all),
 * and the build dies of it afterwards. */
static volatile sig_atomic_t releasing, deferred;

/* Removes the temporary files of the outputs being written. Async-signal-
 * safe (unlink only), for main.c's handler of SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT. Returns false when the outputs are being renamed into place:
 * the signal is then kept for pr_outfile_release, which finishes the
 * renames and raises it. */
bool pr_outfile_interrupt(int sig)
{
    if (releasing) {
        deferred = sig;
        return false;
    }
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i].used)
            unlink(pending[i].path);
    return true;
}

bool pr_outfile_begin(struct pr_build *b, struct pr_outfile *of, const char *final)
{
    of->final = strdup(final);
    size_t n = strlen(final) + 32;
    of->tmp = pr_xmalloc(n);
    if (!of->final) {
        fputs("pressrun: out of memory\n", stderr);
        exit(70);
    }
    const char *slash = strrchr(final, '/');
    if (slash)
        snprintf(of->tmp, n, "%.*s/.%s.tmp-XXXXXX", (int)(slash - final), final, slash + 1);
    else
        snprintf(of->tmp, n, ".%s.tmp-XXXXXX", final);
    sigset_t old;
    block_signals(&old);
    int fd = mkstemp(of->tmp);
    int err = errno;
    if (fd >= 0)
        remember(of->tmp);
    restore_signals(&old);
    if (fd < 0) {
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0},
                "cannot write '%s': %s; check that the folder exists and is writable", final,
                strerror(err));
        free(of->final);
        free(of->tmp);
        of->final = of->tmp = NULL;
        return false;
    }
    fchmod(fd, 0644);
    close(fd);
    return true;
}

bool pr_outfile_end(struct pr_build *b, struct pr_outfile *of, bool ok)
{
    if (!of->tmp)
        return false;
    sigset_t old;
    block_signals(&old);
    int err = 0;
    if (ok && holding && nheld < MAX_PENDING) {
        held[nheld].tmp = of->tmp;
        held[nheld].final = of->final;
        nheld++;
        of->final = of->tmp = NULL;
        restore_signals(&old);
        return true;
    }
    if (ok && rename(of->tmp, of->final) != 0) {
        err = errno;
        ok = false;
    }
    if (!ok)
        unlink(of->tmp);
    forget(of->tmp);
    restore_signals(&old);
    if (err)
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': %s", of->final,
                strerror(err));
    free(of->final);
    free(of->tmp);
    of->final = of->tmp = NULL;
    return ok;
}

void pr_outfile_hold(void)
{
    sigset_t old;
    block_signals(&old);
    holding = true;
    restore_signals(&old);
}

bool pr_outfile_release(struct pr_build *b, bool ok)
{
    sigset_t old;
    block_signals(&old);
    releasing = 1;
    holding = false;
    /* a folder in an output's place would fail its rename after the others
     * had been renamed: find it first */
    for (int i = 0; ok && i < nheld; i++) {
        struct stat st;
        if (stat(held[i].final, &st) == 0 && S_ISDIR(st.st_mode)) {
            pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': a folder has that name",
                    held[i].final);
            ok = false;
        }
    }
    for (int i = 0; i < nheld; i++) {
        if (ok && rename(held[i].tmp, held[i].final) != 0) {
            pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': %s", held[i].final,
                    strerror(errno));
            ok = false;
        }
        if (!ok)
            unlink(held[i].tmp);
        forget(held[i].tmp);
        free(held[i].tmp);
        free(held[i].final);
    }
    nheld = 0;
    releasing = 0;
    restore_signals(&old);
    if (deferred)
        raise(deferred); /* main.c's handler: nothing left to remove, it dies of it */
    return ok;
}
