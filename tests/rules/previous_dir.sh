# --previous DIR: each report is compared with last year's report of the same unit
# in the directory; a unit with none there is "not checked", never a silent pass.
set -u
S=$SHARED/corpus/seeds
mkdir -p "$TMPDIR/pd/prev" "$TMPDIR/pd/now"
# last year's 古尔图镇 report: the same text with the year changed
sed 's/2024/2023/g' "$S"/001_*.txt > "$TMPDIR/pd/prev/guertu-2023.txt"
cp "$S"/001_*.txt "$S"/003_*.txt "$TMPDIR/pd/now/"
out=$("$FZREPORT" check --previous "$TMPDIR/pd/prev" "$TMPDIR/pd/now")
echo "$out" | grep -q "001_.*警告: QUAL-009: .*guertu-2023.txt 有 [0-9]*% 的文字相同" ||
	{ echo "no QUAL-009 for 古尔图镇: $out"; exit 1; }
echo "$out" | grep -q "003_.*未检查 .*QUAL-009（上一年度报告中没有本单位（中仓乡）的报告" ||
	{ echo "中仓乡 not reported as not checked"; exit 1; }
# two of last year's reports of one unit (read in name order, on several
# threads): the first in that order is the one compared, whatever -j
cp "$S"/001_*.txt "$TMPDIR/pd/prev/zz-guertu-copy.txt"
for j in 1 4; do
	out=$("$FZREPORT" check -j $j --previous "$TMPDIR/pd/prev" "$TMPDIR/pd/now")
	echo "$out" | grep -q "001_.*QUAL-009: .*guertu-2023.txt 有" ||
		{ echo "-j $j: not compared with the first of the unit's: $out"; exit 1; }
done
# an empty directory of last year's reports: a warning, and the rule is not checked
mkdir -p "$TMPDIR/pd/empty"
"$FZREPORT" check --previous "$TMPDIR/pd/empty" "$S"/001_*.txt 2>"$TMPDIR/pd/err" | grep -q "未检查 .*QUAL-009" ||
	{ echo "empty --previous dir: QUAL-009 not listed as not checked"; exit 1; }
grep -q "没有可读的上一年度报告" "$TMPDIR/pd/err" || { echo "no warning for an empty dir"; exit 1; }
exit 0
