#!/bin/bash
# rules --lint and fix:: a fires example, fixed as annotate fixes it, must
# match its examples.fixed entry and must no longer fire; a bad fix: key is
# refused with its position.
set -u
cat > "$TMPDIR/fix.yaml" <<'Y'
name: fixtest
version: "1"
checks:
  - id: T-001
    severity: warning
    message: 写成了“建设建设”
    source: 测试
    yields_to: QUAL-008
    forbid:
      pattern: '建设建设'
    fix: {from: '建设建设', to: 建设}
    examples:
      fires: [加强法治政府建设建设工作, 建设建设]
      fixed: [加强法治政府建设工作, 建设]
  - id: T-002
    severity: warning
    message: 写成了“工做”
    source: 测试
    forbid:
      pattern: '工做'
    fix: 工做
    examples:
      fires: [做好工做]
  - id: T-003
    severity: warning
    message: 写成了“依发”
    source: 测试
    forbid:
      pattern: '依发'
    fix: {from: '依发', to: 依法}
    examples:
      fires: [坚持依发行政]
      fixed: [坚持依法办事]
  - id: T-005
    severity: warning
    message: 写成了“帐户”
    source: 测试
    yields_to: WORD-001
    forbid:
      pattern: '帐户'
    fix: {from: '帐户', to: 帐户帐户}
    examples:
      fires: [银行帐户]
Y
out=$("$FZREPORT" rules --lint "$TMPDIR/fix.yaml")
st=$?
[ $st -eq 4 ] || { echo "exit $st, want 4"; echo "$out"; exit 1; }
grep -q 'T-001' <<<"$out" && { echo "T-001 should pass:"; echo "$out"; exit 1; }
grep -q 'T-003 的示例修改后为“坚持依法行政”，examples.fixed 写的是“坚持依法办事”' <<<"$out" || { echo "$out"; exit 1; }
grep -q 'T-005 的示例修改后仍然触发：银行帐户帐户' <<<"$out" || { echo "$out"; exit 1; }
# T-002's fix changes nothing: not a problem by itself (no fixed list)
grep -q 'T-002' <<<"$out" && { echo "$out"; exit 1; }
cat > "$TMPDIR/bad.yaml" <<'Y'
name: fixbad
version: "1"
checks:
  - id: T-004
    severity: warning
    message: 测试
    source: 测试
    forbid:
      pattern: 'x'
    fix: {from: '(', to: y}
Y
out=$("$FZREPORT" rules --lint "$TMPDIR/bad.yaml")
grep -q 'bad.yaml:10:' <<<"$out" || { echo "bad fix: not refused at its line:"; echo "$out"; exit 1; }
exit 0
