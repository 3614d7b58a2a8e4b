#!/bin/bash
# A batch of 50 good reports (bench/mkcorpus.py, txt and docx) with 5 hostile
# ones among them: check gives 55 JSON lines, 5 with "error", in input order,
# exit 3; rollup (when built) exits 0 with a workbook with 55 rows, 5 of them 无法读取;
# audit (when built) 55 sheets, 5 of them saying 无法读取.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
D=$B/reports
python3 "$SRC/bench/mkcorpus.py" 50 "$D" --docx || exit 1
# the hostile five, sorted in among the good ones
: > "$D/r00003a.txt"
printf '法治政府建设\0情况\n' > "$D/r00011a.txt"
head -c 3000 "$(ls "$D"/*.docx | head -1)" > "$D/r00020a.docx"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' > "$D/r00031a.docx"; head -c 1024 /dev/zero >> "$D/r00031a.docx"
printf '一、总体\xff\xfe情况\n' > "$D/r00047a.txt"
LIMIT=$((LIMIT * 6))
run check "$FZREPORT" check --format json "$D"
[ $rc = 3 ] || nfail "check: exit $rc"
python3 - "$out" "$D" <<'PY' || nfail "check: JSON lines"
import json, os, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
objs = [json.loads(l) for l in lines]
names = [os.path.basename(o["file"]) for o in objs]
assert len(objs) == 55, len(objs)
assert names == sorted(os.listdir(sys.argv[2])), names
bad = [os.path.basename(o["file"]) for o in objs if "error" in o]
assert bad == ["r00003a.txt", "r00011a.txt", "r00020a.docx", "r00031a.docx", "r00047a.txt"], bad
assert all(o["summary"]["verdict"] == "unreadable" for o in objs if "error" in o)
assert all(o["outline"] for o in objs if "error" not in o), "a good report lost its outline"
PY
[ "$(grep -c ": 无法读取: " "$err")" = 0 ] || nfail "check: errors on stderr in JSON mode: $(head -3 "$err")"
# the terminal form: one FATAL line for each hostile report, every file summarised
run check-term "$FZREPORT" check "$D"
[ $rc = 3 ] || nfail "check-term: exit $rc"
[ "$(cat "$out" "$err" | grep -c ': 无法读取: ')" = 5 ] || nfail "check-term: FATAL lines"
for f in "$D"/*; do
	grep -qF "$f: " "$out" "$err" || nfail "check-term: $f not reported"
done

if "$FZREPORT" rollup --help >/dev/null 2>&1; then
	run rollup "$FZREPORT" rollup -q -o "$B/county.xlsx" "$D"
	# rollup exits 0 once the workbook is written: unreadable reports are rows, not a failure
	[ $rc = 0 ] || nfail "rollup: exit $rc: $(head -3 "$err")"
	python3 - "$B/county.xlsx" "$D" <<'PY' || nfail "rollup: workbook"
import os, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sst = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S):
        sst.append("".join(re.findall(r"<t[^>]*>([^<]*)</t>", si)))
sheet = z.read("xl/worksheets/sheet1.xml").decode()
rows = []
for row in re.findall(r"<row[^>]*>(.*?)</row>", sheet, re.S):
    cells = []
    for attrs, body in re.findall(r"<c([^>]*)>(.*?)</c>", row, re.S):
        v = re.search(r"<v>([^<]*)</v>", body)
        t = re.search(r"<t[^>]*>([^<]*)</t>", body)
        if 't="s"' in attrs and v:
            cells.append(sst[int(v.group(1))])
        elif t:
            cells.append(t.group(1))
        elif v:
            cells.append(v.group(1))
    rows.append(cells)
files = sorted(os.listdir(sys.argv[2]))
hit = [r for r in rows if any(any(c.endswith(f) for f in files) for c in r)]
assert len(hit) == 55, len(hit)
bad = [r for r in hit if "无法读取" in r]
assert len(bad) == 5, len(bad)
PY
fi

if "$FZREPORT" audit --help >/dev/null 2>&1; then
	run audit "$FZREPORT" audit -q -o "$B/audit" "$D"
	[ $rc = 3 ] || nfail "audit: exit $rc: $(head -3 "$err")"
	n=$(ls "$B/audit"/*.pdf 2>/dev/null | wc -l)
	[ "$n" = 55 ] || nfail "audit: $n sheets"
	ls -A "$B/audit" | grep -q '\.tmp' && nfail "audit: temporary files left"
	if command -v pdftotext >/dev/null; then
		for f in r00003a r00011a r00020a r00031a r00047a; do
			pdftotext "$B/audit/$f.pdf" - 2>/dev/null | grep -q 无法读取 || nfail "audit: $f.pdf"
		done
		pdftotext "$B/audit/r00004.pdf" - 2>/dev/null | grep -q 无法读取 && nfail "audit: r00004.pdf"
	fi
fi
exit $fail
