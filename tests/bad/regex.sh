#!/bin/bash
# A county pack with catastrophic patterns -- (a+)+$ and friends -- on reports
# made to trigger them: each such rule ends as "not checked" with the reason,
# quickly; the other rules still run and every report in the batch is checked.
. "$SRC/tests/bad/common.bash"
[ -f "$SRC/src/rules_load.c" ] || exit 77   # the rule engine has not landed
command -v python3 >/dev/null || exit 77
cat > "$B/county.yaml" <<'Y'
name: 某县
version: "2025"
checks:
  - id: SLOW-001
    severity: warning
    message: 回溯爆炸
    source: 测试
    forbid: '(a+)+$'
  - id: SLOW-002
    severity: warning
    message: 回溯爆炸（中文）
    source: 测试
    forbid: '(法+)+治$'
  - id: SLOW-003
    severity: warning
    message: 嵌套量词
    source: 测试
    require: {pattern: '(\w+\s?)*$'}
Y
python3 - "$B" "$SRC/examples/reports/qinghe-2024.txt" <<'PY'
import sys
d, seed = sys.argv[1], sys.argv[2]
base = open(seed, encoding="utf-8").read()
open(d + "/a.txt", "w", encoding="utf-8").write(base + "\n" + "a" * 5000 + "b\n")
open(d + "/han.txt", "w", encoding="utf-8").write(base + "\n" + "法" * 5000 + "政治x\n")
open(d + "/plain.txt", "w", encoding="utf-8").write(base)
PY
LIMIT=$((LIMIT * 3))
run runaway "$FZREPORT" check --format json --rules "$B/county.yaml" "$B/a.txt" "$B/han.txt" "$B/plain.txt"
[ $rc -le 2 ] || nfail "runaway: exit $rc: $(head -3 "$err")"
echo "runaway patterns: $ms ms"
python3 - "$out" <<'PY' || nfail "runaway: results"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(objs) == 3, len(objs)
def nc(o, rule):
    return [u for u in o["not_checked"] if u["rule"] == rule]
a, han, plain = objs
assert nc(a, "SLOW-001") and nc(a, "SLOW-001")[0]["reason"], a["not_checked"]
assert nc(han, "SLOW-002") and nc(han, "SLOW-002")[0]["reason"], han["not_checked"]
for o in objs:
    assert o["outline"] and o["sections"], "analysis lost"
    assert any(f["rule"].startswith(("REG-", "QUAL-", "DUTY-", "FMT-")) for f in o["findings"]) or \
        any(u["rule"].startswith(("REG-", "QUAL-")) for u in o["not_checked"]) or \
        o["summary"]["verdict"] == "pass", "the other rules did not run"
    # a rule is either checked or not, never both
    assert not {f["rule"] for f in o["findings"]} & {u["rule"] for u in o["not_checked"]}
PY
# the terminal form names the rule as not checked
run runaway-term "$FZREPORT" check --rules "$B/county.yaml" "$B/a.txt"
grep -q "SLOW-001" "$out" || nfail "runaway-term: SLOW-001 not mentioned: $(tail -3 "$out")"
exit $fail
