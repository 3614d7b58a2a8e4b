#!/bin/bash
# The 20-findings-per-rule cap holds for every kind (issue 18, item 13): the
# year and numbering kinds once added one finding per occurrence, 60,000 for
# one report, and filled the workbook's detail sheet.  The last finding kept
# says how many more there were.
. "$SRC/tests/bad/common.bash"
python3 - "$B/flood.txt" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("某镇2024年法治政府建设情况报告\n")
    for i in range(3000):
        f.write("%s、2023年主要举措和成效\n" % "一二三四五六七八九十"[i % 10])
PY
run flood "$FZREPORT" check --format json "$B/flood.txt"
[ $rc -le 2 ] || nfail "flood: exit $rc"
python3 - "$out" <<'PY' || nfail "flood: cap"
import collections, json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").read())
c = collections.Counter(f["rule"] for f in o["findings"])
assert max(c.values()) <= 20, c
assert c["REG-007"] == 20, c
assert any("另有 2980 处" in f["message"] for f in o["findings"] if f["rule"] == "REG-007"), \
    [f["message"] for f in o["findings"] if f["rule"] == "REG-007"][-1]
PY
# the terminal groups them: three shown, one line for the other 2,997
run flood-term "$FZREPORT" check "$B/flood.txt"
grep -q ': REG-007: 另有 2997 处' "$out" || nfail "flood-term: $(grep 'REG-007: 另有' "$out")"
exit $fail
