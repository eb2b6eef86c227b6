#!/usr/bin/env bash
# An installed pressrun (cmake --install of the build holding PR into a
# temporary prefix), run from another folder, finds its data folder like a
# build does, in every command: `new NEXT --from ISSUE` starts the next
# issue of an issue on each shipped layout, and of one on a layout present
# only in the installed data folder, and the new issue builds. Where user
# namespaces allow it, the source tree is hidden too, as on a machine that
# has only the installed pressrun.
source "$(dirname "$0")/../lib.sh"
I=$ROOT/tests/cli/issue
BUILD=$(dirname "$PR")
unset PRESSRUN_DATADIR

if [ ! -f "$BUILD/cmake_install.cmake" ]; then
  fail "$BUILD (the folder of $PR) is not a CMake build folder to install from"
  finish
  exit
fi
cmake --install "$BUILD" --prefix "$TMP/prefix" >"$TMP/install.log" 2>&1; rc=$?
check "cmake --install exits 0" test $rc -eq 0
IPR=$TMP/prefix/bin/pressrun
DATA=$TMP/prefix/share/pressrun
check "the binary is installed" test -x "$IPR"
check "the layouts are installed" test -s "$DATA/layouts/digest.yaml"
# the reference: pressrun(1), pressrun-manifest(5), pressrun-layout(5),
# each rendered by groff without a warning (groff-base: scripts/setup.sh)
for page in man1/pressrun.1 man5/pressrun-manifest.5 man5/pressrun-layout.5; do
  f=$TMP/prefix/share/man/$page
  check "$page is installed" test -s "$f"
  if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww "$f" >"$TMP/page.txt" 2>"$TMP/page.err"; rc=$?
    check "$page renders without warnings" test $rc -eq 0 -a ! -s "$TMP/page.err" -a -s "$TMP/page.txt"
    [ -s "$TMP/page.err" ] && cat "$TMP/page.err" >&2
  else
    fail "groff is not installed (scripts/setup.sh installs groff-base)"
  fi
done
# the manifest page names every key the manifest reader knows
if [ -s "$TMP/prefix/share/man/man5/pressrun-manifest.5" ]; then
  groff -man -Tutf8 -P-cbou "$TMP/prefix/share/man/man5/pressrun-manifest.5" >"$TMP/manifest.txt" 2>/dev/null
  keys=$(sed -n '/^static const char \*const \(manifest\|article\)_keys\[\]/,/};/p' "$ROOT/src/manifest.c" |
         grep -o '"[a-z-]*"' | tr -d '"')
  missing=""
  for k in $keys; do grep -q "^ *$k:\( \|$\)" "$TMP/manifest.txt" || missing="$missing $k"; done
  check "pressrun-manifest(5) describes every manifest and article key (missing:${missing:- none})" test -z "$missing"
fi
# a layout of the installed data folder only (not in the source tree)
sed 's/^description: .*/description: "Pocket: the digest under another name"/' \
  "$DATA/layouts/digest.yaml" >"$DATA/layouts/pocket.yaml"

# an issue on layout $1 in $TMP/from-$1
make_issue() {
  mkdir -p "$TMP/from-$1"
  cp -r "$I/articles" "$TMP/from-$1/"
  grep -v '^layout:' "$I/issue.yaml" | sed "s/^slug: .*/&\nlayout: $1/" >"$TMP/from-$1/issue.yaml"
}

cd "$TMP"
for layout in magazine digest ereader pocket; do
  make_issue $layout
  "$IPR" new "next-$layout" --from "from-$layout" >"new-$layout.out" 2>&1; rc=$?
  check "installed new --from an issue on $layout exits 0" test $rc -eq 0
  [ $rc -eq 0 ] || cat "new-$layout.out" >&2
  check "the new issue keeps layout $layout" grep -q "^layout: $layout\$" "next-$layout/issue.yaml"
  "$IPR" build "next-$layout" -o "out-$layout" --format pdf --quiet 2>"build-$layout.err"; rc=$?
  check "the new issue on $layout builds" test $rc -eq 0 -a -s "out-$layout/$(sed -n 's/^slug: //p' "next-$layout/issue.yaml").pdf"
  [ $rc -eq 0 ] || cat "build-$layout.err" >&2
done

# with the source tree out of sight (a private mount namespace)
if unshare -rm true 2>/dev/null; then
  # a sanitizer build's suppressions file lives in the source tree too
  cp "$ROOT/tests/lsan.supp" "$TMP/lsan.supp"
  LSAN_OPTIONS=${LSAN_OPTIONS//$ROOT\/tests\/lsan.supp/$TMP\/lsan.supp} unshare -rm bash -c 'mount -t tmpfs none "$1" && cd "$2" && ! test -e "$1/layouts" &&
                       "$3" new hidden --from from-digest && "$3" check hidden --quiet' \
    - "$ROOT" "$TMP" "$IPR" >hidden.out 2>&1; rc=$?
  check "installed new --from, source tree hidden, exits 0" test $rc -eq 0
  [ $rc -eq 0 ] || cat hidden.out >&2
fi
cd "$ROOT"
finish
