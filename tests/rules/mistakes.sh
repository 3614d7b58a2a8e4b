#!/bin/bash
# A rule file with five different mistakes gets five errors, each at the
# right line and column.
cat > "$TMPDIR/five.yaml" <<'Y'
name: 五处错误
checks:
  - id: X-001
    message: 正确的规则
    source: 测试
    forbid: abc
  - id: X-002
    severity: urgent
    message: 严重程度写错
    source: 测试
    forbid: abc
  - id: X-003
    message: 正则表达式写错
    source: 测试
    forbid: 'ab(c'
  - id: X-004
    message: 未知的键
    source: 测试
    colour: red
    forbid: abc
  - id: X-001
    message: 重复的编号
    source: 测试
    forbid: abc
  - id: X-005
    message: 引用了不存在的部分
    source: 测试
    scope: section:nosuch
    forbid: abc
Y
out=$("$FZREPORT" rules --lint "$TMPDIR/five.yaml")
st=$?
[ $st -eq 4 ] || { echo "exit $st"; echo "$out"; exit 1; }
n=$(echo "$out" | grep -c '错误: RULES')
[ "$n" -eq 5 ] || { echo "$n errors"; echo "$out"; exit 1; }
for want in 'five.yaml:8:15: .*urgent' 'five.yaml:15:18: .*正则' 'five.yaml:19:5: .*colour' \
	'five.yaml:21:9: .*X-001' 'five.yaml:28:12: .*nosuch'; do
	echo "$out" | grep -q "$want" || { echo "missing: $want"; echo "$out"; exit 1; }
done
# a YAML syntax error: line and column of the problem
printf 'checks:\n  - id: "X\n' > "$TMPDIR/syntax.yaml"
out=$("$FZREPORT" rules --lint "$TMPDIR/syntax.yaml")
echo "$out" | grep -q 'syntax.yaml:3:1: .*YAML' || { echo "$out"; exit 1; }
exit 0
