#!/bin/bash
# scripts/same-output: a build compared with itself is the same everywhere
# (exit 0); one whose check prints a byte more is told apart (exit 1, a
# DIFF line for check and none for the unchanged workbook).
set -u
[ -d "$SHARED/corpus/seeds" ] || { echo "no ../shared corpus"; exit 77; }
out=$TMPDIR/same.out
"$SRC/scripts/same-output" "$FZREPORT" "$FZREPORT" >"$out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "same build: exit $rc"; cat "$out"; exit 1; }
grep -q "^same check .*seeds" "$out" || { echo "no seeds line"; cat "$out"; exit 1; }
! grep -q "^DIFF" "$out" || { cat "$out"; exit 1; }
fake=$TMPDIR/fz-more
printf '#!/bin/bash\n"%s" "$@"; rc=$?; [ "$1" = check ] && echo more; exit $rc\n' "$FZREPORT" >"$fake"
chmod +x "$fake"
"$SRC/scripts/same-output" "$FZREPORT" "$fake" >"$out" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "changed build: exit $rc"; cat "$out"; exit 1; }
grep -q "^DIFF check .*seeds" "$out" || { echo "no DIFF for check"; cat "$out"; exit 1; }
grep -q "^same rollup .*seeds" "$out" || { echo "workbook not same"; cat "$out"; exit 1; }
exit 0
