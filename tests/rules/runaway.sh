#!/bin/bash
# A catastrophic pattern ends in "not checked" naming the rule and the
# limit, quickly, never a hang.
cat > "$TMPDIR/runaway.yaml" <<'Y'
checks:
  - id: SLOW-001
    severity: warning
    message: 回溯爆炸
    source: 测试
    forbid: '(a+)+$'
Y
{ echo "某镇2024年法治政府建设情况报告"; printf 'a%.0s' $(seq 1 40); echo b; } > "$TMPDIR/r.txt"
out=$(timeout 20 "$FZREPORT" check -f json --rules "$TMPDIR/runaway.yaml" "$TMPDIR/r.txt")
[ $? -eq 124 ] && { echo "hang"; exit 1; }
echo "$out" | python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
nc = [u for u in d["not_checked"] if u["rule"] == "SLOW-001"]
assert nc and "上限" in nc[0]["reason"] and "SLOW-001" in nc[0]["reason"], d["not_checked"]
assert not any(f["rule"] == "SLOW-001" for f in d["findings"])
' || exit 1
exit 0
