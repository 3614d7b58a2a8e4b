#!/bin/bash
# serve: POST /check answers 303 to /r/ID; the result page names the unit,
# the verdict and every finding, with the security headers; a report with
# <script> shows it as text; several files give a summary table; the
# downloads; last year's report; /rules; 410 for an ID no longer kept, 404 for others.
. "$SRC/tests/serve/lib.bash"
serve_start --workers 2
seed=${SEEDS[0]}
hdr=$(curl -s -D - -o /dev/null -F "file=@$seed" "$BASE/check")
echo "$hdr" | grep -q '^HTTP/1.1 303' || fail "POST /check is not 303: $hdr"
loc=$(echo "$hdr" | tr -d '\r' | sed -n 's/^Location: //p')
[[ $loc =~ ^/r/[0-9a-f]{32}$ ]] || fail "Location $loc"
curl -s -D "$TMPDIR/h" "$BASE$loc" > "$TMPDIR/page.html"
for h in "Content-Security-Policy: default-src 'self'" "X-Content-Type-Options: nosniff" \
	"Referrer-Policy: no-referrer" "Content-Type: text/html; charset=utf-8"; do
	grep -qF "$h" "$TMPDIR/h" || fail "header $h missing"
done
"$FZREPORT" check --format json "$seed" > "$TMPDIR/cli.json"
python3 - "$TMPDIR/cli.json" "$TMPDIR/page.html" <<'PY' || fail "result page"
import html, json, sys
r = json.load(open(sys.argv[1])); page = open(sys.argv[2]).read()
zh = {"pass": "合格", "revise": "需修改", "fail": "不合格"}
assert '<h1>%s</h1>' % zh[r["summary"]["verdict"]] in page, "verdict"
assert html.escape(r["meta"]["unit"]) in page, "unit"
for f in r["findings"]:
    assert html.escape(f["message"], quote=True).replace("&#x27;", "&#39;") in page, f["message"]
for s in r["sections"]:
    assert html.escape(s["name"]) in page, s["name"]
assert page.count('<li id="f') == len(r["findings"]), "one item per finding"
for sym in ("√", "×"):
    assert sym in page
assert 'href="/static/fz.css"' in page and "<style" not in page
PY
# a report with markup in it: shown as text
printf '关于<script>alert(1)</script>镇2024年法治政府建设情况的报告\n一、主要举措和成效\n<img src=x onerror=alert(2)>我镇依法行政。\n' > "$TMPDIR/evil.txt"
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -F "file=@$TMPDIR/evil.txt;filename=<b>x.txt" "$BASE/check")
curl -s "$loc" > "$TMPDIR/evil.html"
grep -q '<script>alert\|<img src=x\|<b>x' "$TMPDIR/evil.html" && fail "report text not escaped"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMPDIR/evil.html" || fail "escaped script not shown"
grep -c '<script' "$TMPDIR/evil.html" | grep -qx 1 || fail "only the page's own script"
# several files: the summary table links to each report
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -F "file=@${SEEDS[0]}" -F "file=@${SEEDS[1]}" -F "file=@${SEEDS[2]}" "$BASE/check")
curl -s "$loc" > "$TMPDIR/sum.html"
grep -q '共 3 份报告' "$TMPDIR/sum.html" || fail "summary count"
for i in 1 2 3; do grep -q "href=\"${loc#http://*/}/$i\"\|href=\"/r/[0-9a-f]*/$i\"" "$TMPDIR/sum.html" || fail "no link to report $i"; done
[ "$(status "$loc/2")" = 200 ] || fail "report 2 page"
curl -s "$loc/2" | grep -q '返回本次上传的汇总表' || fail "report page does not link up"
[ "$(status "$loc/4")" = 404 ] || fail "report 4 of 3"
# downloads
curl -s -D "$TMPDIR/h" -o "$TMPDIR/a.pdf" "$loc/1/audit.pdf"
grep -q 'Content-Type: application/pdf' "$TMPDIR/h" || fail "audit.pdf type"
grep -qi "filename\*=UTF-8''" "$TMPDIR/h" || fail "no RFC 5987 name"
if command -v pdftotext >/dev/null; then
	unit=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["meta"]["unit"])' "$TMPDIR/cli.json")
	pdftotext "$TMPDIR/a.pdf" - | tr -d ' \n' | grep -q "$unit" || fail "audit sheet does not name $unit"
fi
curl -s -o "$TMPDIR/c.pdf" "$loc/county.pdf"
head -c 5 "$TMPDIR/c.pdf" | grep -q '%PDF-' || fail "county.pdf"
curl -s -D "$TMPDIR/h" -o "$TMPDIR/r.xlsx" "$loc/rollup.xlsx"
grep -qF "filename*=UTF-8''%E6%B1%87%E6%80%BB.xlsx" "$TMPDIR/h" || fail "rollup.xlsx name"
head -c 2 "$TMPDIR/r.xlsx" | grep -q PK || fail "rollup.xlsx is not a workbook"
if command -v unzip >/dev/null; then unzip -l "$TMPDIR/r.xlsx" | grep -q 'xl/workbook.xml' || fail "workbook"; fi
curl -s "$loc/result.json" | nofile > "$TMPDIR/api.json"
"$FZREPORT" check --format json "${SEEDS[0]}" "${SEEDS[1]}" "${SEEDS[2]}" | nofile > "$TMPDIR/cli3.json"
cmp -s "$TMPDIR/api.json" "$TMPDIR/cli3.json" || fail "result.json differs from check"
[ "$(status "$loc/1/rollup.xlsx")" = 404 ] || fail "rollup of one report"
# the report's own file back with a Word comment at each finding (fzreport annotate)
curl -s -D "$TMPDIR/h" -o "$TMPDIR/ann.docx" "$loc/1/annotated.docx"
grep -q 'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document' "$TMPDIR/h" ||
	fail "annotated.docx type"
if command -v unzip >/dev/null; then
	unzip -p "$TMPDIR/ann.docx" word/comments.xml | grep -q 'w:author="fzreport"' || fail "annotated.docx has no comments"
fi
grep -q 'annotated.docx' "$TMPDIR/sum.html" && fail "annotated.docx offered for several reports"
curl -s "$loc/1" | grep -q 'href="[^"]*/1/annotated.docx"' || fail "no annotated.docx link on a report page"
[ "$(status "$loc/annotated.docx")" = 404 ] || fail "annotated.docx of several reports"
# last year's report (field previous): the same text is reported, under its upload name
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -F "file=@${SEEDS[1]}" -F "previous=@${SEEDS[1]};filename=去年.txt" "$BASE/check")
curl -s "$loc" > "$TMPDIR/prev.html"
grep -q 'QUAL-009' "$TMPDIR/prev.html" || fail "previous: no QUAL-009"
grep -q '/proc/' "$TMPDIR/prev.html" && fail "previous: a server path in the page"
grep -q '去年.txt' "$TMPDIR/prev.html" || fail "previous: not named"
# rules page, static files, expired and unknown
curl -s "$BASE/rules" | grep -q 'REG-006' || fail "/rules"
curl -s -D - -o /dev/null "$BASE/static/fz.css" | grep -q 'text/css' || fail "css"
[ "$(status "$BASE/r/0123456789abcdef0123456789abcdef")" = 410 ] || fail "expired id"
curl -s "$BASE/r/0123456789abcdef0123456789abcdef" | grep -q '过期' || fail "expired page"
[ "$(status "$BASE/r/../../etc/passwd")" = 404 ] || fail "bad id"
[ "$(status "$BASE/nothing")" = 404 ] || fail "unknown path"
exit 0
