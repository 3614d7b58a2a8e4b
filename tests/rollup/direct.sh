# 问题明细's and 矩阵's rows, written straight to the sheets' files
# (render_xlsx.c direct_*), are the bytes libxlsxwriter's cells write for them
# (FZREPORT_LXW_ROWS=1): markup characters, spaces at either end of a
# cell, tabs and line breaks, row heights, a total row after them.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
printf '关于2023年度法治政府建设情况的报告\n\n一、主要举措和成效\n  我镇坚持 A&B <依法行政> 工作，法制政府建设取得成效 。\t\n  推进“放管服”改革&优化营商环境>深化,,,\n二、存在的不足和原因\n法制意识不强 \n' \
	> "$T/in/a&b <c>.txt"
printf '  x<y 法制 & 法治\t\n\n\n' > "$T/in/ 空格.txt"
make_corrupt "$T/in"
for j in 1 2; do
	SOURCE_DATE_EPOCH=1700000000 fz rollup -q -j $j "$T/in" -o "$T/direct.xlsx" ||
		fail "rollup -j $j"
	SOURCE_DATE_EPOCH=1700000000 FZREPORT_LXW_ROWS=1 fz rollup -q -j $j "$T/in" -o "$T/lxw.xlsx" ||
		fail "rollup -j $j through libxlsxwriter's cells"
	cmp "$T/direct.xlsx" "$T/lxw.xlsx" || fail "-j $j: the workbooks differ"
done
unzip -p "$T/direct.xlsx" xl/worksheets/sheet2.xml > "$T/sheet2.xml"
for want in '&amp;B &lt;依法行政&gt;' '<t xml:space="preserve">' 'a&amp;b &lt;c&gt;.txt' \
	'customHeight="1"' 't="inlineStr"><is><t>全文</t>' '<f>SUBTOTAL('; do
	grep -qF -- "$want" "$T/sheet2.xml" || fail "问题明细 lacks $want"
done
unzip -p "$T/direct.xlsx" xl/worksheets/sheet4.xml > "$T/sheet4.xml"
grep -qF 't="inlineStr"><is><t>✗</t>' "$T/sheet4.xml" || fail "矩阵 lacks its marks"
exit 0
