#!/bin/bash
# Outputs that exist already (a second run into the same folder): each input
# is stat()ed once to tell whether an output is one of them, however many
# outputs there are (it was once per output and input: 40,000 stat() calls
# for 200 sheets, and a rerun of 2,000 three times as slow as the first);
# sheets of the same name are still told apart the same way, -2 when taken
# by another input's own name going on to -2-2; annotate's a.txt beside
# a.docx still gives a.txt.docx.
set -u
command -v python3 >/dev/null || exit 77
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || exit 77
w=$TMPDIR/rerun
in=$w/in
python3 "$SRC/bench/mkcorpus.py" 200 "$in" >/dev/null || exit 1
n=$(ls "$in" | wc -l)
"$FZREPORT" audit -q -o "$w/out" "$in" 2>/dev/null
[ "$(ls "$w/out" | wc -l)" -eq "$n" ] || { echo "first run: $(ls "$w/out" | wc -l) sheets for $n"; exit 1; }
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -c -o "$w/trace" -e trace=stat,lstat,newfstatat,statx \
		"$FZREPORT" audit -q -o "$w/out" "$in" 2>/dev/null
	calls=$(awk '$NF ~ /stat/ && $4 ~ /^[0-9]+$/ {s += $4} END {print s + 0}' "$w/trace")
	[ "$calls" -gt 0 ] && [ "$calls" -lt $((10 * n)) ] ||
		{ echo "rerun of $n: $calls stat calls"; cat "$w/trace"; exit 1; }
fi
[ "$(ls "$w/out" | wc -l)" -eq "$n" ] || { echo "rerun: $(ls "$w/out" | wc -l) sheets for $n"; exit 1; }
# names: x, then x again (x-2), then an input named x-2 (x-2 is taken: x-2-2)
r=$SRC/examples/reports/qinghe-2024.txt
mkdir -p "$w/a" "$w/b" "$w/c"
cp "$r" "$w/a/x.txt"; cp "$r" "$w/b/x.txt"; cp "$r" "$w/c/x-2.txt"
for run in 1 2; do
	"$FZREPORT" audit -q -o "$w/names" "$w/a/x.txt" "$w/b/x.txt" "$w/c/x-2.txt" 2>/dev/null
	got=$(cd "$w/names" && ls | tr '\n' ' ')
	[ "$got" = "x-2-2.pdf x-2.pdf x.pdf " ] || { echo "run $run: sheets $got"; exit 1; }
done
# an output that is an input is refused, also among many outputs
cp "$r" "$w/out/r00150.pdf" 2>/dev/null
"$FZREPORT" audit -q -o "$w/out" "$in" "$w/out/r00150.pdf" >/dev/null 2>"$w/err" && { echo "input overwritten"; exit 1; }
grep -q "就是输入的报告" "$w/err" || { cat "$w/err"; exit 1; }
# annotate: a.docx and a.txt in one folder give a.docx and a.txt.docx, twice
mkdir -p "$w/ann"
python3 "$SRC/tests/tools/mkdocx.py" "$w/fx" >/dev/null || exit 1
cp "$w/fx/gongwen-bad.docx" "$w/ann/a.docx"
cp "$r" "$w/ann/a.txt"
for run in 1 2; do
	"$FZREPORT" annotate -q --no-fix "$w/ann" -o "$w/annout/" >/dev/null 2>&1
	got=$(cd "$w/annout" && ls | tr '\n' ' ')
	[ "$got" = "a.docx a.txt.docx " ] || { echo "annotate run $run: $got"; exit 1; }
done
exit 0
