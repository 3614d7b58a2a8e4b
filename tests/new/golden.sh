#!/bin/bash
# fzreport new: each unit kind x (empty profile, full profile) as .txt,
# compared with the reviewed files in tests/new/expected/.
set -u
fail=0
for kind in township street department county; do
	for v in empty full; do
		out=$TMPDIR/new-$kind-$v.txt
		if ! "$FZREPORT" new --profile "$SRC/tests/new/profiles/$kind-$v.yaml" -o "$out"; then
			echo "new failed: $kind-$v"; fail=1; continue
		fi
		diff -u "$SRC/tests/new/expected/$kind-$v.txt" "$out" || fail=1
	done
done
# the command-line form gives the same file as the equivalent empty profile
"$FZREPORT" new --unit 沙柳河镇 --kind township --year 2024 --parent 刚察县 -o "$TMPDIR/cli.txt" || fail=1
diff -u "$SRC/tests/new/expected/township-empty.txt" "$TMPDIR/cli.txt" || fail=1
# the kind is guessed from the unit name when --kind is left out
"$FZREPORT" new --unit 沙柳河镇 --year 2024 --parent 刚察县 -o "$TMPDIR/guess.txt" || fail=1
diff -u "$SRC/tests/new/expected/township-empty.txt" "$TMPDIR/guess.txt" || fail=1
exit $fail
