#!/bin/bash
# Numbering-token floods (issue 18 item 7): a 72 KB paragraph of "（一）",
# "1、2、3、…" and "一、（一）" runs, and 20,000 heading lines, each checked
# in well under the time limit (the outline once took 77 s on the first).
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
python3 - "$B" <<'PY'
import os, sys
d = sys.argv[1]
w = lambda n, t: open(os.path.join(d, n), "w", encoding="utf-8").write(t)
w("paren.txt", "一、主要举措\n" + "（一）" * 8000 + "\n")
w("arabic.txt", "一、主要举措\n" + "".join("%d、" % i for i in range(1, 12000)) + "\n")
w("mixed.txt", "一、主要举措\n" + "一、（一）一是" * 4000 + "\n")
w("nostop.txt", "一、" + "加强组织领导" * 12000 + "\n")
w("lines.txt", "一、主要举措\n" + "（一）加强组织领导\n1.成立领导小组\n" * 10000)
PY
for f in paren arabic mixed nostop lines; do
	run "$f" "$FZREPORT" check --format json "$B/$f.txt"
	[ $rc -le 2 ] || nfail "$f: exit $rc: $(head -c 200 "$err")"
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" 2>/dev/null ||
		nfail "$f: output is not one JSON object"
done
exit $fail
