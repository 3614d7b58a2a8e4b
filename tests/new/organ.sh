#!/bin/bash
# A unit named with its organ (青河镇人民政府, 东城街道办事处, parent 某县人民政府)
# is not doubled by the template's "{unit}人民政府" / "{unit}办事处".
set -u
for u in 青河镇人民政府:township 东城街道办事处:street 青河镇:township; do
	unit=${u%%:*} kind=${u##*:}
	"$FZREPORT" new --unit "$unit" --kind "$kind" --parent 某县人民政府 --year 2025 \
		-o "$TMPDIR/o.txt" --force 2>/dev/null || { echo "new failed for $unit"; exit 1; }
	if grep -q '人民政府人民政府\|办事处办事处' "$TMPDIR/o.txt"; then
		echo "$unit: organ doubled:"; grep '人民政府人民政府\|办事处办事处' "$TMPDIR/o.txt"; exit 1
	fi
done
grep -q '^　*青河镇人民政府$' "$TMPDIR/o.txt" || { echo "signature of 青河镇 missing"; tail -3 "$TMPDIR/o.txt"; exit 1; }
exit 0
