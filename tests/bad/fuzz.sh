#!/bin/bash
# Regression cases found by the fuzzers (fuzz/run): tests/bad/fuzz/TARGET-KIND-HASH,
# named after the libFuzzer artifact.  Each is checked the way its target reads it
# (docx-* as a .docx, text-* and outline-* as a .txt, rules-* as a rule file)
# and must end with a result or a clear error: exit status 0-4, no sanitizer
# report, no signal, within 10 seconds.  Under `make asan` this replays the
# original memory or UB error.
#   docx-crash-b206b90a...   word/_rels with no relationships: qsort(NULL, 0) in load_docx.c
#   outline-crash-d266efe1... a 镇 at the start of the text: meta.c stepped back before it
#   outline-crash-195990d4... a line of 44 digits read as a dotted date: int overflow in meta.c
#   outline-crash-74074f53... 2021年 then a month of sixteen digits: int overflow in meta.c's
#                            find_date()
#   rules-layout-fonts-unknown-key  (fuzz_rules crash-8fd38a48, reduced by hand): the list of
#                            font roles in kind_layout.c had no NULL end; an unknown role
#                            read past it (every load of the default pack did too)
set -u
fail=0 n=0
for f in "$SRC"/tests/bad/fuzz/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	case $name in
	docx-*) in=$TMPDIR/$name.docx; cp "$f" "$in"; args=(check --format json "$in") ;;
	text-*|outline-*) in=$TMPDIR/$name.txt; cp "$f" "$in"; args=(check --format json "$in") ;;
	rules-*)
		in=$TMPDIR/$name.yaml; cp "$f" "$in"
		args=(check --format json --rules "$in" "$SRC/examples/reports/qinghe-2024.txt") ;;
	*) echo "unknown case $name"; fail=1; continue ;;
	esac
	n=$((n + 1))
	timeout 10 "$FZREPORT" "${args[@]}" >"$TMPDIR/fz.out" 2>"$TMPDIR/fz.err"
	rc=$?
	if [ $rc -gt 4 ] || grep -q "Sanitizer\|runtime error" "$TMPDIR/fz.err"; then
		echo "FAIL $name: exit $rc"; head -5 "$TMPDIR/fz.err"; fail=1
	fi
	if [ $rc -le 3 ] && [ "$(wc -l < "$TMPDIR/fz.out")" != 1 ]; then
		echo "FAIL $name: expected one JSON line"; fail=1
	fi
done
[ $n -gt 0 ] || exit 77
exit $fail
