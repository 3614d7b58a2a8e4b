#!/bin/bash
# audit: every sheet's text comes back from the PDF (pdftotext): the labels,
# the unit name, each finding's message and quoted text; the font is
# embedded and subset; document info is set; page count and 检查时间.
set -eu
command -v pdftotext >/dev/null || exit 77
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || exit 77
CHK="$SRC/tests/audit/pdfcheck.py"
out=$TMPDIR/roundtrip
inputs=("$SRC"/examples/reports/*.txt "$SHARED"/corpus/seeds/*.txt)
rc=0
"$FZREPORT" audit -q -o "$out" "${inputs[@]}" || rc=$?
[ $rc -le 2 ] || { echo "audit exit $rc"; exit 1; }
for f in "${inputs[@]}"; do
	b=$(basename "$f"); pdf=$out/${b%.*}.pdf
	[ -s "$pdf" ] || { echo "no $pdf"; exit 1; }
	"$FZREPORT" check --format json "$f" >"$TMPDIR/r.json" || true
	"$CHK" text "$pdf" >"$TMPDIR/r.txt"
	python3 - "$TMPDIR/r.json" "$TMPDIR/r.txt" "$b" <<'PY'
import json, re, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[0])
text = open(sys.argv[2]).read()
sq = lambda s: re.sub(r"\s+", "", s or "")
want = ["法治政府建设年度报告审核意见单", "单位", "上级", "报告年度", "文件名", "字数", "检查时间",
        "规则包", "结论：", "必备内容核对表", "问题清单", "报告结构", "审核意见", "审核人：", "日期：",
        "2023-11-1422:13", sys.argv[3]]
want.append({"pass": "合格", "revise": "需修改", "fail": "不合格", "unreadable": "无法读取"}[r["summary"]["verdict"]])
if r["meta"]["unit"]:
    want.append(r["meta"]["unit"])
for p in r.get("packs", []):
    want.append(p["name"])
for s in r.get("sections", []):
    want.append(s["name"])
    want.append({"found": "√有", "inline": "△仅正文提及", "missing": "×缺"}[s["status"]])
# findings of one rule with one message share a row that quotes the first three
shown = {}
for f in r.get("findings", []):
    want.append(f["message"])
    key = (f["rule"], f["severity"], f["message"], f.get("source"), f.get("hint"))
    if f.get("excerpt"):
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= 3:
            want.append("「" + f["excerpt"] + "」")
    for k in ("source", "hint"):
        if f.get(k):
            want.append(f[k])
for o in r.get("outline", []):
    want.append((o.get("numbering") or "") + o["text"])
bad = [w for w in want if sq(w) not in text]
for w in bad:
    print("%s: missing from the PDF text: %s" % (sys.argv[3], w))
sys.exit(1 if bad else 0)
PY
	pdffonts "$pdf" 2>/dev/null | awk 'NR>2 {n++; if ($(NF-4)!="yes" || $(NF-3)!="yes") bad=1} END {exit (n==1 && !bad) ? 0 : 1}' ||
		{ echo "$pdf: font not embedded and subset once"; pdffonts "$pdf"; exit 1; }
	info=$(pdfinfo "$pdf" 2>/dev/null)
	grep -q '^Title: *法治政府建设年度报告审核意见单' <<<"$info" || { echo "$pdf: no title"; exit 1; }
	grep -q '^Subject: *法治政府建设年度报告审核意见单' <<<"$info" || { echo "$pdf: no subject"; exit 1; }
	grep -q '^Creator: *fzreport' <<<"$info" || { echo "$pdf: no creator"; exit 1; }
	grep -q '^Page size: *595.276 x 841.89' <<<"$info" || { echo "$pdf: not A4"; exit 1; }
	pages=$(awk '/^Pages:/ {print $2}' <<<"$info")
	[ "$pages" -ge 1 ] && [ "$pages" -le 20 ] || { echo "$pdf: $pages pages"; exit 1; }
	# page numbers "— 1 —" … on every page
	for p in $(seq 1 "$pages"); do
		pdftotext -f "$p" -l "$p" "$pdf" - 2>/dev/null | grep -q "— $p —" || { echo "$pdf: page $p unnumbered"; exit 1; }
	done
	"$CHK" inside "$pdf" || { echo "$pdf: text outside the margins"; exit 1; }
done
# an unreadable report still gets a sheet saying why
"$FZREPORT" audit -q -o "$out" "$SRC/examples/reports/broken.docx" && exit 1
[ -s "$out/broken.pdf" ] || { echo "no sheet for an unreadable report"; exit 1; }
"$CHK" text "$out/broken.pdf" | grep -q '结论：无法读取' || { echo "unreadable sheet lacks 无法读取"; exit 1; }
"$CHK" text "$out/broken.pdf" | grep -q '原因：' || { echo "unreadable sheet lacks the reason"; exit 1; }
exit 0
