#!/bin/bash
# audit layout: a sheet with 200 findings spans pages without drawing
# outside the margins, repeats the table header on each page and keeps all
# text; a long unit name and a long excerpt wrap inside their cells; 禁则.
set -eu
command -v pdftotext >/dev/null || exit 77
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || exit 77
FZ_TOOLS=${FZ_TOOLS:-$SRC/build/tools}
[ -x "$FZ_TOOLS/pdfdemo" ] || exit 77
CHK="$SRC/tests/audit/pdfcheck.py"
"$FZ_TOOLS/pdfdemo" -n 200 "$TMPDIR/many" >/dev/null
pdf=$TMPDIR/many/sheet-1.pdf
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 10 ] || { echo "200 findings on $pages pages"; exit 1; }
"$CHK" inside "$pdf" || { echo "drawn outside the margins"; exit 1; }
text=$("$CHK" text "$pdf")
for w in 缺少“存在的不足和原因”部分 成文日期应使用阿拉伯数字，年份不得简写 发文字号格式不规范，年份应使用六角括号〔〕 \
	「二〇二四年十二月」 「沙政[2024]126号」 「县委、县政府：」 审核人： 日期：; do
	grep -qF "$w" <<<"$text" || { echo "missing: $w"; exit 1; }
done
# 200 findings: 200 rule ids, 166 quoted excerpts (every sixth has none)
[ "$(grep -o 'STYLE-010\|REG-002' <<<"$text" | wc -l)" -eq 200 ] || { echo "findings lost"; exit 1; }
[ "$(grep -o '原文：「' <<<"$text" | wc -l)" -eq 166 ] || { echo "excerpts lost"; exit 1; }
# the findings table header repeats on every page the table runs over
heads=$(grep -o '规则位置问题、原文、依据与修改建议' <<<"$text" | wc -l)
[ "$heads" -ge $((pages - 2)) ] || { echo "header on $heads of $pages pages"; exit 1; }
# no line starts with closing punctuation or ends with opening punctuation
pdftotext -raw "$pdf" - 2>/dev/null | grep -n '^[。，、；：）」』》？！]\|[（「『《]$' && { echo "禁则 broken"; exit 1; }

"$FZ_TOOLS/pdfdemo" -l "$TMPDIR/long" >/dev/null
pdf=$TMPDIR/long/sheet-1.pdf
left=$(python3 -c 'print(28 * 72 / 25.4)'); right=$(python3 -c 'print(595.276 - 26 * 72 / 25.4)')
# the unit cell starts 64 pt into the body; the findings' text cell 66 + 78 pt
"$CHK" wrapped "$pdf" "青河镇人民政府（含原西岭乡、安平县司法局合并后的新设机构）综合行政执法大队暨法治建设领导小组办公室" \
	"$(python3 -c "print($left + 64)")" "$right" || exit 1
"$CHK" wrapped "$pdf" "（三）严格规范执法，提升执法水平；全年办理行政执法案件52件。全年共办理行政复议案件12件，取得了一定成效。" \
	"$(python3 -c "print($left + 66 + 78)")" "$right" || exit 1
"$CHK" inside "$pdf" || exit 1
exit 0
