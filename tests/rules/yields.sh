#!/bin/bash
# One defect, one finding: two rules that mark the same characters are an
# overlap rules --lint reports until one of them yields_to the other; the
# yielding rule's finding is then dropped where both fire, kept elsewhere.
cat > "$TMPDIR/two.yaml" <<'Y'
name: 重叠
checks:
  - id: X-001
    message: 不应写“甲乙丙丁”
    source: 测试
    forbid: 甲乙丙丁
    examples: {fires: [写了甲乙丙丁。], passes: [写了甲乙。]}
  - id: X-002
    message: 不应写“乙丙”
    source: 测试
    forbid: 乙丙
    examples: {fires: [乙丙二字], passes: [甲乙二字]}
Y
out=$("$FZREPORT" rules --lint "$TMPDIR/two.yaml")
[ $? -eq 4 ] || { echo "overlap not refused"; echo "$out"; exit 1; }
echo "$out" | grep -q 'two.yaml:3:5: .*X-001 和 X-002 .*yields_to' || { echo "$out"; exit 1; }
sed -i 's/^    message: 不应写“乙丙”$/&\n    yields_to: X-001/' "$TMPDIR/two.yaml"
"$FZREPORT" rules --lint "$TMPDIR/two.yaml" >/dev/null || { "$FZREPORT" rules --lint "$TMPDIR/two.yaml"; exit 1; }
printf '写了甲乙丙丁，又写乙丙二字。\n' > "$TMPDIR/r.txt"
out=$("$FZREPORT" check -q --rules "$TMPDIR/two.yaml" "$TMPDIR/r.txt")
[ "$(echo "$out" | grep -c ': X-001: ')" = 1 ] || { echo "$out"; exit 1; }
# X-002 only where X-001 did not fire (column 10: 乙丙二字)
[ "$(echo "$out" | grep -c ': X-002: ')" = 1 ] || { echo "$out"; exit 1; }
echo "$out" | grep -q 'r.txt:1:10: .*X-002' || { echo "$out"; exit 1; }
# a rule it yields to must exist
sed -i 's/yields_to: X-001/yields_to: X-009/' "$TMPDIR/two.yaml"
out=$("$FZREPORT" rules --lint "$TMPDIR/two.yaml")
echo "$out" | grep -q 'X-002 的 yields_to 中的规则“X-009”不存在' || { echo "$out"; exit 1; }
exit 0
