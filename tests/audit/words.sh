#!/bin/bash
# Severity and verdict words a clerk reads are Chinese (issue 13, item 2):
# the audit sheets and the binder say 错误、警告、提示、未检查 and the verdicts
# in Chinese, and so does every cell of the rollup workbook; no English
# severity or verdict name (error, warning, info, fatal, not checked, pass,
# revise, fail, unreadable) appears in either.  JSON keeps its English enum
# values (checked by the golden cases).
set -u
command -v pdftotext >/dev/null || exit 77
w=$TMPDIR/words; mkdir -p "$w/in"
cp "$SHARED"/corpus/seeds/*.txt "$SRC"/examples/reports/*.txt "$w/in/"
printf 'this is not a zip archive\n' > "$w/in/坏文件.docx"
"$FZREPORT" audit -q -o "$w/s" --combined "$w/county.pdf" "$w/in" 2>"$w/err" >/dev/null
[ -s "$w/county.pdf" ] || { echo "no binder: $(cat "$w/err")"; exit 1; }
"$FZREPORT" rollup -q "$w/in" -o "$w/out.xlsx" 2>"$w/err" || { echo "rollup: $(cat "$w/err")"; exit 1; }
EN='\b(error|errors|warning|warnings|info|infos|fatal|notchecked|not[ _]checked|unchecked|pass|revise|fail|unreadable)\b'
for pdf in "$w/county.pdf" "$w"/s/*.pdf; do
	pdftotext "$pdf" - | grep -inE "$EN" && { echo "English word on $pdf"; exit 1; }
done
pdftotext "$w/county.pdf" - | tr -d ' \n' >"$w/t"
for word in 错误 警告 提示 未检查 合格 需修改 不合格 无法读取; do
	grep -q "$word" "$w/t" || { echo "binder lacks $word"; exit 1; }
done
for s in 汇总 问题明细 规则统计 矩阵 说明; do
	python3 "$SRC/tests/tools/xlsxdump.py" "$w/out.xlsx" "$s" | grep -inE "$EN" &&
		{ echo "English word in $s"; exit 1; }
done
python3 "$SRC/tests/tools/xlsxdump.py" "$w/out.xlsx" 问题明细 | cut -f4 | sort -u | tr '\n' ' ' >"$w/lv"
for word in 错误 警告 提示 无法读取; do
	grep -q "$word" "$w/lv" || { echo "问题明细 级别 lacks $word: $(cat "$w/lv")"; exit 1; }
done
exit 0
