#!/usr/bin/env bash
# bench/run.sh - pressrun's speed against plain Pango+Cairo (../shared/bench/sol.c)
# and against Typst 0.14.2 (bench/typst: the generator's issue.typ, the same
# text in 3 justified, hyphenated columns on Letter, an outline), measured in
# the same run on the same generated issues.
#   bench/run.sh [N ...]        (default: 4 16 64 256)
# For each N: wall time (median of RUNS runs, default 5, the commands'
# runs interleaved), pages, pages per second, CPU seconds (user + system,
# all threads; median) and CPU milliseconds per page, peak RSS, and the
# ratios to sol and to Typst, for --format pdf, for
# all three formats (pdf,print,epub) and for check. Needs python3 and
# wamerican (the corpus generator's word list), node and npm (Typst is
# installed into bench/typst/node_modules on the first run; TYPST=0 leaves
# it out) and a release build in build-release/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${PRESSRUN_BENCH_DIR:-$ROOT/../shared/bench}
RUNS=${RUNS:-5}
NS=("$@")
[ ${#NS[@]} -gt 0 ] || NS=(4 16 64 256)
WORK=${BENCH_WORK:-/tmp/pressrun-bench}
mkdir -p "$WORK"

command -v python3 >/dev/null || { echo "bench: python3 is needed" >&2; exit 1; }
[ -f /usr/share/dict/words ] || { echo "bench: apt-get install wamerican" >&2; exit 1; }
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j"$(nproc)" --target pressrun >/dev/null
PR=$ROOT/build-release/pressrun
cc -O2 -o "$WORK/sol" "$SHARED/sol.c" $(pkg-config --cflags --libs pangocairo cairo-pdf)
TYPST=${TYPST:-1}
if [ "$TYPST" = 1 ] && [ ! -d "$ROOT/bench/typst/node_modules/@myriaddreamin" ]; then
  command -v npm >/dev/null || { echo "bench: npm is needed for Typst (or TYPST=0)" >&2; exit 1; }
  (cd "$ROOT/bench/typst" && npm install --no-audit --no-fund --loglevel=error >&2)
fi

# run CMD... : prints "seconds maxrss_kb cpu_seconds" of one run
one() {
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || true
  tail -1 "$WORK/time.txt" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}
# the median of column k of lines "seconds maxrss cpu"
median() { sort -n -k"$2" | sed -n "$(( (RUNS + 1) / 2 ))p" | awk -v k="$2" '{ print $k }'; }
printf '%-5s %-10s %7s %6s %9s %6s %8s %9s %8s %8s\n' N what seconds pages pages/s cpu-s "cpu-ms/p" "peak MiB" "x sol" "x typst"
whats=(sol pdf all check)
[ "$TYPST" = 1 ] && whats=(sol typst pdf all check)
cmd_of() { # what dir -> the command, one word a line
  case $1 in
    sol) printf '%s\n' "$WORK/sol" "$2" "$WORK/sol.pdf" ;;
    typst) printf '%s\n' node "$ROOT/bench/typst/typst.js" "$2/peer/issue.typ" "$WORK/typst.pdf" ;;
    pdf) printf '%s\n' "$PR" build "$2" -o "$WORK/out" --format pdf --quiet ;;
    all) printf '%s\n' "$PR" build "$2" -o "$WORK/out" --format pdf,print,epub --quiet ;;
    check) printf '%s\n' "$PR" check "$2" --quiet ;;
  esac
}
for n in "${NS[@]}"; do
  dir=$WORK/n$n
  [ -f "$dir/issue.yaml" ] && [ -f "$dir/peer/issue.typ" ] || python3 "$SHARED/gen_corpus.py" "$dir" --articles "$n" >/dev/null
  # the runs are interleaved (sol, typst, pdf, all, check, then typst, pdf, ...), so that a
  # machine whose speed drifts slows every command alike; each round
  # starts one command further on, so that each command follows each
  # other one as often (what ran just before matters: after Typst's 220
  # MB the kernel has to find fresh pages again)
  declare -A times=()
  nw=${#whats[@]}
  for r in $(seq "$RUNS"); do
    for k in $(seq 0 $((nw - 1))); do
      what=${whats[$(( (k + r - 1) % nw ))]}
      mapfile -t cmd < <(cmd_of "$what" "$dir")
      times[$what]+="$(one "${cmd[@]}")"$'\n'
    done
  done
  sp=$(pdfinfo "$WORK/sol.pdf" | sed -n 's/^Pages: *//p')
  "$PR" build "$dir" -o "$WORK/out" --format pdf --quiet 2>/dev/null
  p=$(pdfinfo "$WORK/out/bench-n$n.pdf" | sed -n 's/^Pages: *//p')
  st=$(printf '%s' "${times[sol]}" | median x 1)
  tt=0 tp=0
  if [ "$TYPST" = 1 ]; then
    tt=$(printf '%s' "${times[typst]}" | median x 1)
    tp=$(pdfinfo "$WORK/typst.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
  fi
  for what in "${whats[@]}"; do
    t=$(printf '%s' "${times[$what]}" | median x 1)
    m=$(printf '%s' "${times[$what]}" | median x 2)
    c=$(printf '%s' "${times[$what]}" | median x 3)
    pages=$p
    [ "$what" = sol ] && pages=$sp
    [ "$what" = typst ] && pages=$tp
    awk -v n="$n" -v w="$what" -v t="$t" -v p="$pages" -v m="$m" -v c="$c" -v s="$st" -v ty="$tt" \
      'BEGIN { printf "%-5s %-10s %7.2f %6d %9.1f %6.2f %8.2f %9.1f %8.2f %8s\n", n, w, t, p, p / t, c,
               (p > 0 ? 1000 * c / p : 0), m / 1024, t / s, (ty > 0 ? sprintf("%.2f", t / ty) : "-") }'
  done
  unset times
done
