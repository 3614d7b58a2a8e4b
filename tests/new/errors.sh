#!/bin/bash
# templates --list / --lint, and the errors of fzreport new: broken
# templates (exit 4, file:line:column), bad profiles (exit 3), usage (5),
# unwritable output (6).
set -u
fail=0
expect() { # want-status grep-pattern command...
	local want=$1 pat=$2 rc
	shift 2
	"$@" > "$TMPDIR/e.out" 2>&1
	rc=$?
	if [ $rc != "$want" ] || ! grep -q -- "$pat" "$TMPDIR/e.out"; then
		echo "FAIL ($rc, want $want /$pat/): $*"; cat "$TMPDIR/e.out"; fail=1
	fi
}
expect 0 "township    township.yaml" "$FZREPORT" templates --list
for k in township street department county; do
	expect 0 "没有问题" "$FZREPORT" templates --lint "$SRC/templates/$k.yaml"
done
t=$TMPDIR/t.yaml
# unknown section id, at its line and column
sed 's/  - id: other_required/  - id: others/' "$SRC/templates/township.yaml" > "$t"
line=$(grep -n 'id: others' "$t" | cut -d: -f1)
expect 4 "$t:$line:9: 错误: TEMPLATE: 规则包中没有部分 'others'" "$FZREPORT" templates --lint "$t"
expect 4 "缺少必需的部分 'other_required'" "$FZREPORT" templates --lint "$t"
# a required section left out
python3 - "$SRC/templates/township.yaml" "$t" <<'PY'
import sys
s = open(sys.argv[1]).read()
a = s.index("  - id: leadership")
b = s.index("  - id: plan")
open(sys.argv[2], "w").write(s[:a] + s[b:])
PY
line=$(grep -n '^sections:' "$t" | cut -d: -f1)
expect 4 "$t:$line:1: 错误: TEMPLATE: 缺少必需的部分 'leadership'" "$FZREPORT" templates --lint "$t"
# an unknown slot
sed 's/{unit}{year}年度/{unit}{yaer}年度/' "$SRC/templates/township.yaml" > "$t"
expect 4 "未知的填充项 {yaer}" "$FZREPORT" templates --lint "$t"
# YAML syntax error with its position
printf 'kind: township\ntitle: "unclosed\n' > "$t"
expect 4 "$t:3:1: 错误: TEMPLATE: YAML 格式错误" "$FZREPORT" templates --lint "$t"
# new refuses a broken template
sed 's/  - id: other_required/  - id: others/' "$SRC/templates/township.yaml" > "$t"
expect 4 "规则包中没有部分" "$FZREPORT" new --template "$t" --unit 沙柳河镇 --year 2024 -o "$TMPDIR/x.txt"
[ -e "$TMPDIR/x.txt" ] && { echo "output written despite a broken template"; fail=1; }
# bad profiles
printf 'unit: 沙柳河镇\nyear: 24\n' > "$TMPDIR/p.yaml"
expect 3 "p.yaml:2:7: 无法读取: PROFILE: year 应是四位年份" "$FZREPORT" new --profile "$TMPDIR/p.yaml" -o "$TMPDIR/x.txt"
printf 'unit: 沙柳河镇\nyear: 2024\ncolour: red\n' > "$TMPDIR/p.yaml"
expect 3 "p.yaml:3:1: 无法读取: PROFILE: 未知的键 'colour'" "$FZREPORT" new --profile "$TMPDIR/p.yaml" -o "$TMPDIR/x.txt"
# a paragraph key the template does not have is a warning, the file is still written
printf 'unit: 沙柳河镇\nyear: 2024\nparagraphs:\n  leadrship: x\n' > "$TMPDIR/p.yaml"
expect 0 "p.yaml:4:3: 警告: PROFILE: 模板中没有段落位置 'leadrship'" "$FZREPORT" new --profile "$TMPDIR/p.yaml" -o "$TMPDIR/x.txt"
# usage
expect 5 "需要 -o" "$FZREPORT" new --unit 沙柳河镇 --year 2024
expect 5 "扩展名" "$FZREPORT" new --unit 沙柳河镇 --year 2024 -o "$TMPDIR/x.pdf"
expect 5 "未知的单位类型" "$FZREPORT" new --unit 沙柳河镇 --year 2024 --kind village -o "$TMPDIR/x.txt"
expect 5 "需要 --year" "$FZREPORT" new --unit 沙柳河镇 -o "$TMPDIR/x.txt"
# unwritable output
expect 6 "无法写入" "$FZREPORT" new --unit 沙柳河镇 --year 2024 -o "$TMPDIR/no/such/dir/x.docx"
expect 6 "无法写入" "$FZREPORT" new --unit 沙柳河镇 --year 2024 -o "$TMPDIR/no/such/dir/x.txt"
exit $fail
