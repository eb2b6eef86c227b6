#!/usr/bin/env bash
# bench/watch.sh - how long after an article is saved `pressrun watch` has
# the rebuilt screen PDF on disk. Copies a generated issue (the bench's
# N-article one, made with the corpus generator if missing) to a scratch
# folder, starts `pressrun watch` on it, waits for the first build, then
# EDITS times changes one word of one paragraph of the middle article the
# way an editor saves (a temporary file renamed over the article) and
# polls the PDF's path every millisecond until a new file stands there.
#   bench/watch.sh [N] [-- watch options]   (default: N=64, --format pdf)
# Prints each edit's latency, the median and the watch's own lines.
# Needs python3 and a release build in build-release/ (built if missing);
# EDITS (default 7), PR (the pressrun to run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=64
if [ $# -gt 0 ] && [ "$1" != "--" ]; then N=$1; shift; fi
[ "${1:-}" = "--" ] && shift
OPTS=("$@")
[ ${#OPTS[@]} -gt 0 ] || OPTS=(--format pdf)
EDITS=${EDITS:-7}
WORK=${BENCH_WORK:-/tmp/pressrun-bench}
SHARED=${PRESSRUN_BENCH_DIR:-$ROOT/../shared/bench}
PR=${PR:-$ROOT/build-release/pressrun}
if [ ! -x "$PR" ]; then
  cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-release -j"$(nproc)" --target pressrun >/dev/null
fi
src=$WORK/n$N
[ -f "$src/issue.yaml" ] || python3 "$SHARED/gen_corpus.py" "$src" --articles "$N" >/dev/null
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pressrun-watch.XXXXXX")
log=$scratch/watch.log
cp -r "$src" "$scratch/issue"
rm -rf "$scratch/issue/out"
"$PR" watch "$scratch/issue" -o "$scratch/out" "${OPTS[@]}" >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
python3 - "$scratch" "$EDITS" "$log" <<'EOF'
import os, sys, time, glob, statistics
scratch, edits, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
issue = os.path.join(scratch, "issue")
out = os.path.join(scratch, "out")

def watching():
    try:
        return "watching" in open(log).read()
    except OSError:
        return False

deadline = time.time() + 300
while not watching():
    if time.time() > deadline:
        sys.exit("bench/watch.sh: the first build did not finish in 300 s")
    time.sleep(0.05)
pdfs = [p for p in glob.glob(os.path.join(out, "*.pdf")) if not p.endswith("-print.pdf")]
if not pdfs:
    sys.exit("bench/watch.sh: no screen PDF after the first build")
pdf = pdfs[0]
arts = sorted(glob.glob(os.path.join(issue, "articles", "*.md")))
art = arts[len(arts) // 2]

def ident(p):
    try:
        st = os.stat(p)
        return (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        return None

lat = []
for k in range(edits):
    time.sleep(0.5)                    # the watch is idle again
    text = open(art).read()
    paras = text.split("\n\n")
    # the k-th plain paragraph: one word more at its end
    plain = [i for i, p in enumerate(paras) if p and p[0].isalpha()]
    i = plain[k % len(plain)]
    paras[i] = paras[i].rstrip(".?!") + " edited%d." % k
    before = ident(pdf)
    tmp = os.path.join(os.path.dirname(art), ".edit.tmp")
    with open(tmp, "w") as f:
        f.write("\n\n".join(paras))
    os.replace(tmp, art)               # the save
    t0 = time.monotonic()
    while ident(pdf) == before:
        if time.monotonic() - t0 > 60:
            sys.exit("bench/watch.sh: no rebuild within 60 s")
        time.sleep(0.001)
    lat.append(time.monotonic() - t0)
    print("edit %d: screen PDF on disk %.3f s after the save" % (k + 1, lat[-1]))
print("median %.3f s, min %.3f s, max %.3f s over %d edits (%s)" %
      (statistics.median(lat), min(lat), max(lat), len(lat), os.path.basename(art)))
time.sleep(0.3)
EOF
echo "--- the watch said:"
grep -v "^pressrun: wrote" "$log" | sed -n '1,40p'
