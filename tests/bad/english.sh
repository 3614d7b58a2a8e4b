#!/bin/bash
# A workbook that cannot be written part-way (RLIMIT_FSIZE: EFBIG at each
# of several sizes, so that the spill of findings, libxlsxwriter's
# temporary worksheets and the zip fail in turn): exit 6, one Chinese line
# on stderr, never libxlsxwriter's own English lines ("[ERROR] ...",
# "Zip generic error ..."), and nothing left beside the output (issue 18,
# item 19).
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
python3 "$SRC/bench/mkcorpus.py" 5 "$B/few" || exit 1
rm -rf "$B/out"
mkdir -p "$B/out"
for kb in 1 8 16 18 20 24 30 40; do
	run "fsize-$kb" bash -c 'trap "" XFSZ; ulimit -f "$0"; exec "$@"' "$kb" "$FZREPORT" rollup -q -o "$B/out/x.xlsx" "$B/few"
	[ $rc = 6 ] || nfail "fsize-$kb: exit $rc: $(cat "$err")"
	[ "$(wc -l < "$err")" = 1 ] || nfail "fsize-$kb: stderr: $(cat "$err")"
	# the message without the program's name, the output's path and a part's name
	msg=$(sed -E -e "s#$B/out/x.xlsx##g" -e 's#^fzreport: rollup: ##' \
		-e 's#[A-Za-z0-9_/.]+\.(xml|rels)##g' "$err")
	if printf '%s\n' "$msg" | grep -qE '[A-Za-z]{2,}|^\['; then
		nfail "fsize-$kb: English on stderr: $(cat "$err")"
	fi
	[ -e "$B/out/x.xlsx" ] && nfail "fsize-$kb: partial workbook left"
	ls -A "$B/out" | grep -q . && nfail "fsize-$kb: left $(ls -A "$B/out")"
	rm -f "$B/out"/* "$B/out"/.??* 2>/dev/null
done
# the same inputs with room to write: a workbook, and nothing on stderr
run fsize-none "$FZREPORT" rollup -q -o "$B/out/x.xlsx" "$B/few"
[ $rc = 0 ] && [ -s "$B/out/x.xlsx" ] || nfail "fsize-none: exit $rc: $(cat "$err")"
[ ! -s "$err" ] || nfail "fsize-none: stderr: $(cat "$err")"
# stderr closed by the caller: the files opened meanwhile must not become fd 2
run stderr-closed bash -c 'exec "$@" 2>&-' _ "$FZREPORT" rollup -q -o "$B/out/y.xlsx" "$B/few"
[ $rc = 0 ] && [ -s "$B/out/y.xlsx" ] || nfail "stderr-closed: exit $rc"
exit $fail
