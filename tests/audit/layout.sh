#!/bin/bash
# audit layout: a running header (unit, file name, 第 n 页 共 N 页) on every
# page; 四、审核意见 never alone on a page; repeated findings of one rule
# share one row (positions listed, 依据 and 修改建议 once).
set -eu
command -v pdftotext >/dev/null || exit 77
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || exit 77
CHK="$SRC/tests/audit/pdfcheck.py"
in=$SRC/examples/reports/qinghe-2024.txt
w=$TMPDIR/layout; mkdir -p "$w/in"
# 20 findings of QUAL-011 with one message
{
	head -n 3 "$in"
	for i in $(seq 1 40); do echo "　　2022 年第${i}项工作已完成。"; done
	tail -n +4 "$in"
} >"$w/in/repeat.txt"
# the last outline entry at every height of the page: 1..30 extra headings
for k in $(seq 1 30); do
	{
		head -n 3 "$in"
		for i in $(seq 1 "$k"); do echo "　　（${i}）第${i}项工作"; echo "　　完成。"; done
		tail -n +4 "$in"
	} >"$w/in/h$k.txt"
done
rc=0
"$FZREPORT" audit -q -o "$w/s" --combined "$w/county.pdf" "$w/in"/*.txt "$SRC"/examples/reports/*.txt || rc=$?
[ $rc -le 2 ] || { echo "audit exit $rc"; exit 1; }
for pdf in "$w"/s/*.pdf; do
	b=$(basename "$pdf" .pdf)
	"$CHK" pages "$pdf" "$b.txt" || { echo "in $pdf"; exit 1; }
done
"$CHK" pages "$w/county.pdf" - || exit 1
# grouped: one row, the positions listed, the hint once
n=$("$FZREPORT" check --format json "$w/in/repeat.txt" | python3 -c 'import json,sys; print(sum(f["rule"] == "QUAL-011" for f in json.loads(sys.stdin.readline())["findings"]))')
[ "$n" -ge 10 ] || { echo "only $n QUAL-011 findings"; exit 1; }
"$CHK" text "$w/s/repeat.pdf" >"$w/t.txt"
grep -qF "共${n}处：第4、5、6、" "$w/t.txt" || { echo "positions not listed"; exit 1; }
[ "$(grep -o '删去“\[bookmark' "$w/t.txt" | wc -l)" -eq 1 ] || { echo "修改建议 not once"; exit 1; }
pages=$(pdfinfo "$w/s/repeat.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -le 3 ] || { echo "$pages pages for one repeated finding"; exit 1; }
exit 0
