#!/bin/bash
# Streamed runs (issue 17): check writes each report as soon as it and those
# before it are done; a large batch is read twice (sketches first) so that
# the copy check (QUAL-010) still sees every report.  The same 40 reports,
# one of them unreadable, give byte for byte the same output held whole and
# streamed (FZREPORT_STREAM_HOLD=0 streams any batch), on one thread and on
# three, in JSON and on the terminal, with and without the batch rule; and
# rollup writes the same workbook (streamed, on one thread and on three).
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
D=$B/reports
python3 "$SRC/bench/mkcorpus.py" 40 "$D" --docx || exit 1
printf '一、总体\xff\xfe情况\n' > "$D/r00017a.txt"
LIMIT=$((LIMIT * 6))
for args in "--format json" "" "--format json --min-severity warning" "-q"; do
	# shellcheck disable=SC2086
	run held "$FZREPORT" check $args -j 2 "$D"
	hrc=$rc
	cp "$out" "$B/held"
	for j in 1 3; do
		# shellcheck disable=SC2086
		FZREPORT_STREAM_HOLD=0 run "streamed-$j" "$FZREPORT" check $args -j $j "$D"
		[ $rc = $hrc ] || nfail "check $args -j $j: exit $rc, held $hrc"
		cmp -s "$B/held" "$out" || nfail "check $args -j $j: streamed output differs from held"
	done
done
grep -q '同批报告' "$B/held" || nfail "no copy finding in the batch (the corpus repeats its seeds)"
if "$FZREPORT" rollup --help >/dev/null 2>&1; then
	run rollup-held "$FZREPORT" rollup -q "$D" -o "$B/held.xlsx"
	# streamed, rollup reads each report once and adds the copy findings
	# to their rows after the last (checker_stream_late())
	for j in 1 3; do
		FZREPORT_STREAM_HOLD=0 run "rollup-streamed-$j" "$FZREPORT" rollup -q -j $j "$D" \
		    -o "$B/streamed.xlsx"
		cmp -s "$B/held.xlsx" "$B/streamed.xlsx" ||
			nfail "rollup -j $j: streamed workbook differs from held"
	done
fi
exit $fail
