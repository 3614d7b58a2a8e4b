#!/bin/bash
# fzreport-ext.so (src/ext_stub.c) missing or not a library: a check of
# .txt reports goes on as before; a .docx is unreadable with the reason;
# a workbook, an audit sheet or a .docx skeleton stops with exit 6 and
# leaves nothing behind.  And the program itself links none of the
# libraries that fzreport-ext.so carries.
. "$SRC/tests/bad/common.bash"
# a program linked in one piece (make SPLIT=0, as make asan builds it) loads no fzreport-ext.so
if command -v ldd >/dev/null && ldd "$FZREPORT" | grep -q 'libzip'; then
	echo "fzreport is linked in one piece (SPLIT=0)"
	exit 77
fi
R=$SRC/examples/reports
run draft "$FZREPORT" new --profile "$SRC/examples/unit.yaml" -o "$B/draft.docx"
[ $rc = 0 ] || nfail "draft: exit $rc: $(head -2 "$err")"
run txt-with "$FZREPORT" check --format json "$R/qinghe-2024.txt"
cp "$out" "$B/with.json"
printf 'not a library\n' >"$B/junk.so"
for bad in "$B/none.so" "$B/junk.so"; do
	export FZREPORT_EXT=$bad
	run txt "$FZREPORT" check --format json "$R/qinghe-2024.txt"
	[ $rc -le 2 ] || nfail "txt ($bad): exit $rc: $(head -2 "$err")"
	cmp -s "$out" "$B/with.json" || nfail "txt ($bad): other output without fzreport-ext.so"
	unreadable "docx-$(basename "$bad" .so)" "$B/draft.docx" "fzreport-ext.so"
	run rollup "$FZREPORT" rollup -q -o "$B/out.xlsx" "$R/qinghe-2024.txt"
	[ $rc = 6 ] || nfail "rollup ($bad): exit $rc"
	grep -q "fzreport-ext.so" "$err" || nfail "rollup ($bad): $(head -2 "$err")"
	[ ! -e "$B/out.xlsx" ] || nfail "rollup ($bad): wrote a workbook"
	run audit "$FZREPORT" audit -q -o "$B/audit" "$R/qinghe-2024.txt"
	[ $rc = 6 ] || nfail "audit ($bad): exit $rc"
	grep -q "fzreport-ext.so" "$err" || nfail "audit ($bad): $(head -2 "$err")"
	[ -z "$(ls -A "$B/audit" 2>/dev/null)" ] || nfail "audit ($bad): left $(ls -A "$B/audit")"
	run new "$FZREPORT" new --profile "$SRC/examples/unit.yaml" -o "$B/new.docx"
	[ $rc = 6 ] || nfail "new ($bad): exit $rc"
	grep -q "fzreport-ext.so" "$err" || nfail "new ($bad): $(head -2 "$err")"
	[ ! -e "$B/new.docx" ] || nfail "new ($bad): wrote a skeleton"
done
unset FZREPORT_EXT
if command -v ldd >/dev/null; then
	libs=$(ldd "$FZREPORT" | grep -E 'lib(zip|xml2|xlsxwriter|hpdf|harfbuzz|microhttpd)' || true)
	[ -z "$libs" ] || nfail "fzreport links $libs"
fi
exit $fail
