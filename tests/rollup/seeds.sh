# The five seed reports and two corrupt inputs: the workbook says what check says.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
make_corrupt "$T/in"
fz rollup -q "$T/in" -o "$T/out.xlsx" 2>"$T/err"
rc=$?
[ $rc = 0 ] || fail "exit $rc, want 0 (workbook written): $(cat "$T/err")"
[ -s "$T/err" ] && fail "stderr not empty without a terminal: $(cat "$T/err")"
fz check --format json "$T/in" > "$T/check.jsonl"
[ "$(wc -l < "$T/check.jsonl")" = 7 ] || fail "check gave $(wc -l < "$T/check.jsonl") results"
"${VERIFY[@]}" "$T/out.xlsx" "$T/check.jsonl" || fail "workbook differs from check"

# facts about the seeds (../shared/DOMAIN.md): 002 has all four parts, 004 lacks the 第一责任人 part
"${DUMP[@]}" "$T/out.xlsx" 汇总 > "$T/s.tsv"
row() { grep -F "$1" "$T/s.tsv"; }
hdr=$(head -1 "$T/s.tsv")
colno() { echo "$hdr" | tr '\t' '\n' | grep -nx "$1" | cut -d: -f1; }
lead=$(colno 党政主要负责人履行推进法治建设第一责任人职责情况)
[ -n "$lead" ] || fail "no 第一责任人 column: $hdr"
for c in 主要举措和成效 存在的不足和原因 党政主要负责人履行推进法治建设第一责任人职责情况 下一年度推进法治政府建设的主要安排; do
	[ "$(row 002_afe073d52ad54832 | cut -f"$(colno "$c")")" = "✓ 有" ] || fail "002: $c not ✓ 有"
done
[ "$(row 004_c359d3da704c1f05 | cut -f"$lead")" = "✗ 缺" ] || fail "004: 第一责任人 not ✗ 缺"
[ "$(row 004_c359d3da704c1f05 | cut -f"$(colno 结论)")" = "不合格" ] || fail "004 not 不合格"
[ "$(row 004_c359d3da704c1f05 | cut -f2)" = "沙柳河镇" ] || fail "004: unit not 沙柳河镇 (Chinese text)"
# the corrupt inputs are rows, first, with the reason
[ "$(sed -n 2p "$T/s.tsv" | cut -f"$(colno 结论)")" = "无法读取" ] || fail "unreadable not sorted first"
[ "$(grep -c '	无法读取	' "$T/s.tsv")" = 2 ] || fail "not two 无法读取 rows"
row 坏文件.docx | grep -q '无法读取：' || fail "no reason for the bad docx"
row nul.txt | grep -q '无法读取：' || fail "no reason for the NUL-byte text"
# charts, totals, print setup
unzip -l "$T/out.xlsx" | grep -q 'xl/charts/chart1.xml' || fail "no bar chart"
unzip -l "$T/out.xlsx" | grep -q 'xl/charts/chart2.xml' || fail "no verdict chart"
unzip -p "$T/out.xlsx" xl/charts/chart1.xml | grep -q '规则统计' || fail "chart does not read 规则统计"
s1=$(unzip -p "$T/out.xlsx" xl/worksheets/sheet1.xml)
for want in '<autoFilter ref="A1:' 'orientation="landscape"' 'paperSize="9"' \
	'<pane xSplit="2" ySplit="1"' 'conditionalFormatting' '✓'; do
	case $s1 in *"$want"*) ;; *) fail "汇总 lacks $want" ;; esac
done
unzip -p "$T/out.xlsx" xl/workbook.xml | grep -q '_xlnm.Print_Titles' || fail "no repeated header rows"
"${DUMP[@]}" "$T/out.xlsx" 说明 | grep -q '^规则包' || fail "说明 lacks 规则包"
# 生成时间 is an Excel date-time (2023-11-14 22:13:20 UTC from SOURCE_DATE_EPOCH), shown with its zone
t=$("${DUMP[@]}" "$T/out.xlsx" 说明 | grep '^生成时间' | cut -f2)
python3 -c 'import sys; sys.exit(abs(float(sys.argv[1]) - (45244 + (22*3600+13*60+20)/86400)) > 1e-6)' "$t" ||
	fail "说明: time $t not from SOURCE_DATE_EPOCH"
"${DUMP[@]}" "$T/out.xlsx" 说明 --types | grep '^s	n' >/dev/null || fail "说明: 生成时间 not a number"
unzip -p "$T/out.xlsx" xl/styles.xml | grep -q 'formatCode="yyyy-mm-dd hh:mm:ss &quot;UTC&quot;"' ||
	fail "说明: 生成时间 not shown as a date-time in UTC"
exit 0
