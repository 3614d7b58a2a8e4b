#!/bin/bash
# Patterns never reach a clerk as regex syntax: a message or hint written
# with pattern syntax, a require group or a layout font given as a regex
# without a name are refused by the loader or by rules --lint, and named
# groups are listed by name ("已写：…；未写：…").
cat > "$TMPDIR/syntax.yaml" <<'Y'
name: 写法
checks:
  - id: X-001
    message: 不应使用楷体|楷书
    source: 测试
    forbid: 楷书
    examples: {fires: [楷书], passes: [楷体]}
  - id: X-002
    message: 正常的说明
    hint: 把[^。]{0,5}删去
    source: 测试
    forbid: 楷书
    examples: {fires: [楷书], passes: [楷体]}
Y
out=$("$FZREPORT" rules --lint "$TMPDIR/syntax.yaml")
st=$?
[ $st -eq 4 ] || { echo "exit $st"; echo "$out"; exit 1; }
echo "$out" | grep -q 'syntax.yaml:3:.*X-001.*“|”' || { echo "$out"; exit 1; }
echo "$out" | grep -q 'syntax.yaml:8:.*X-002.*“\[^”' || { echo "$out"; exit 1; }

# an unnamed regex group: refused where it is written
cat > "$TMPDIR/group.yaml" <<'Y'
name: 分组
checks:
  - id: X-003
    message: 涉及的方面较少
    source: 测试
    require:
      groups:
        - 执法|行政执法
        - 调解(?:纠纷)?
      min_groups: 2
Y
out=$("$FZREPORT" rules --lint "$TMPDIR/group.yaml")
echo "$out" | grep -q 'group.yaml:9:11: .*name' || { echo "$out"; exit 1; }

# a font given as a regex needs name:
cat > "$TMPDIR/font.yaml" <<'Y'
name: 字体
checks:
  - id: X-004
    message: 字体不对
    source: 测试
    layout:
      fonts:
        body: {font: '仿宋(?:_GB2312)?', size: 16}
Y
out=$("$FZREPORT" rules --lint "$TMPDIR/font.yaml")
echo "$out" | grep -q 'font.yaml:8:15: .*name' || { echo "$out"; exit 1; }

# named groups: what is written and what is not, by name
cat > "$TMPDIR/named.yaml" <<'Y'
name: 命名
checks:
  - id: X-005
    message: 涉及的方面较少
    source: 测试
    require:
      groups:
        - {name: 执法, pattern: '行政执法|执法'}
        - {name: 矛盾化解, pattern: '调解(?:纠纷)?'}
        - 复议|应诉
      min_groups: 3
    examples: {fires: [严格执法。], passes: [严格执法，调解纠纷，办理复议。]}
Y
"$FZREPORT" rules --lint "$TMPDIR/named.yaml" >/dev/null || { "$FZREPORT" rules --lint "$TMPDIR/named.yaml"; exit 1; }
printf '严格执法，加强监督。\n' > "$TMPDIR/r.txt"
out=$("$FZREPORT" check --rules "$TMPDIR/named.yaml" "$TMPDIR/r.txt")
echo "$out" | grep -q 'X-005: 涉及的方面较少：已写：执法；未写：矛盾化解、复议（至少应写 3 项）' || { echo "$out"; exit 1; }
exit 0
