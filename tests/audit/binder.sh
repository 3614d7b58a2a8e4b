#!/bin/bash
# audit --combined: a cover page with the county table, then one sheet per
# input (the same pages as the single sheets), a bookmark to each unit's
# sheet, and the font embedded once.
set -eu
command -v pdftotext >/dev/null || exit 77
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || exit 77
CHK="$SRC/tests/audit/pdfcheck.py"
out=$TMPDIR/binder
inputs=("$SRC"/examples/reports/*.txt "$SRC"/examples/reports/broken.docx "$SHARED"/corpus/seeds/*.txt)
rc=0
"$FZREPORT" audit -q -o "$out/sheets" --combined "$out/county.pdf" "${inputs[@]}" || rc=$?
[ $rc -eq 3 ] || { echo "exit $rc, expected 3 (an unreadable input)"; exit 1; }
[ -s "$out/county.pdf" ] || { echo "no binder"; exit 1; }
n=${#inputs[@]}
sheets=$("$CHK" text "$out/county.pdf" | grep -o '法治政府建设年度报告审核意见单' | wc -l)
[ "$sheets" -eq "$n" ] || { echo "$sheets sheets for $n inputs"; exit 1; }
"$CHK" text "$out/county.pdf" | grep -q '法治政府建设年度报告审核汇总表' || { echo "no cover"; exit 1; }
# pages: the cover plus every single sheet's pages
sum=0
for f in "$out"/sheets/*.pdf; do
	sum=$((sum + $(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')))
done
pages=$(pdfinfo "$out/county.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "$pages" -eq $((sum + 1)) ] || { echo "binder has $pages pages, sheets $sum + cover 1"; exit 1; }
# bookmarks: the cover and one per report, named by unit and file
"$CHK" outlines "$out/county.pdf" >"$TMPDIR/ol.txt" || { echo "no /Outlines"; exit 1; }
grep -qx '审核汇总表' "$TMPDIR/ol.txt" || { echo "no cover bookmark"; cat "$TMPDIR/ol.txt"; exit 1; }
for f in "${inputs[@]}"; do
	b=$(basename "$f")
	unit=$("$FZREPORT" check --format json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["unit"] or "单位未识别")')
	grep -qx "$unit（$b）" "$TMPDIR/ol.txt" || { echo "no bookmark $unit（$b）"; cat "$TMPDIR/ol.txt"; exit 1; }
	[ "$unit" = 单位未识别 ] || "$CHK" text "$out/county.pdf" | grep -q "$unit" || { echo "$unit not in binder"; exit 1; }
done
[ "$(grep -c . "$TMPDIR/ol.txt")" -eq $((n + 2)) ] || { echo "bookmark count"; cat "$TMPDIR/ol.txt"; exit 1; }
# one embedded, subset font for the whole binder
fonts=$(pdffonts "$out/county.pdf" 2>/dev/null | awk 'NR>2 && $(NF-4)=="yes" && $(NF-3)=="yes"' | wc -l)
[ "$fonts" -eq 1 ] || { echo "$fonts embedded fonts"; pdffonts "$out/county.pdf"; exit 1; }
grep -c FontFile2 "$out/county.pdf" | grep -qx 1 || { echo "font stream not embedded once"; exit 1; }
"$CHK" inside "$out/county.pdf" || exit 1
# the cover table: every unit's verdict, errors and missing sections
"$CHK" text "$out/county.pdf" | grep -q '序号单位结论错误缺少的必备内容页码' || { echo "cover table header"; exit 1; }
exit 0
