#!/bin/bash
# Out of memory while reading one report (issue 18, item 1): a failed
# allocation ended the whole run with exit 6 and lost every report after it.
# Under a 250 MB address-space limit a .docx whose XML needs more is an
# unreadable report ("内存不足"), and the report after it is still checked.
# (Skipped where the limit cannot be set, as under ASan, which reserves
# terabytes of address space.)
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
(ulimit -v 250000 && "$FZREPORT" --version) >/dev/null 2>&1 || { echo "cannot run under ulimit -v"; exit 77; }
PYTHONPATH=$SRC/tests/tools python3 - "$B" <<'PY'
import os, random, sys
import docxkit as k
rnd = random.Random(1)
paras = [k.para('段落%d内容%s' % (i, chr(0x4e00 + rnd.randrange(20000)) * 3)) for i in range(150000)]
k.package(os.path.join(sys.argv[1], 'big.docx'), k.document(k.para(k.TITLE), *paras))
PY
printf '关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n' >"$B/small.txt"
for v in 250000 300000; do
	run "limit-$v" bash -c "ulimit -v $v; exec \"\$0\" check --format json \"\$1\" \"\$2\"" \
		"$FZREPORT" "$B/big.docx" "$B/small.txt"
	[ $rc -le 3 ] || nfail "limit-$v: exit $rc: $(head -c 200 "$err")"
	python3 - "$out" <<'PY' || nfail "limit-$v: $(head -c 300 "$out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(lines) == 2, len(lines)
big, small = lines
assert "error" not in small and small["file"].endswith("small.txt"), small
assert "error" not in big or "内存不足" in big["error"], big["error"]
PY
	echo "limit-$v: exit $rc, $ms ms"
done
exit $fail
