#!/bin/bash
# Every .docx under ../shared/samples loads; spot checks of what Word shows.
set -u
[ -d "$SHARED/samples" ] || exit 77
fail=0
while IFS= read -r -d '' f; do
	if ! "$FZ_TOOLS/dumpdocx" -a -l "$f" > "$TMPDIR/s.out"; then
		echo "FAIL: $f does not load"; fail=1
	fi
done < <(find "$SHARED/samples" -name '*.docx' -print0)
check() { # file grep-pattern what
	if ! "$FZ_TOOLS/dumpdocx" -a "$SHARED/samples/$1" | grep -q -- "$2"; then
		echo "FAIL: $1: $3"; fail=1
	fi
}
q=quarto-gbt9704/example.docx
# pandoc Heading 1-3 styles give outline levels 1-3
check $q '^9 ---s- 1 一、正文格式$' "Heading 1"
check $q '^12 ---s- 2 （一）二级标题格式$' "Heading 2"
check $q '^14 ---s- 3 1. 三级标题格式$' "Heading 3"
# the one-cell red-line table is not a table of data; the 4x4 table is
check $q '^4 ----- 0  $' "one-cell table"
check $q '^18 t---- 0 序号$' "data table"
# PAGE field inside a floating text box in the footer: the page number is left out
s=gov-work-reports-2025/2025年上海市政府工作报告.docx
check gov-work-reports-2025/2025年北京市政府工作报告.docx "^6 ----- 0 　　一、2024年工作回顾$" "U+3000 indent kept"
check "$s" "^6 ----- 0 $(printf '\u2003\u2003')一、2024年工作回顾\$" "em-space indent kept"
if "$FZ_TOOLS/dumpdocx" -a "$SHARED/samples/$s" | sed -n '/^aside:/,$p' | grep -q '[0-9]'; then
	echo "FAIL: $s: page number in the footer text"; fail=1
fi
check gbt9704-skill/公文样例_standard.docx '^9 ----- 0 一、提高政治站位，强化组织领导$' "typed heading"
exit $fail
