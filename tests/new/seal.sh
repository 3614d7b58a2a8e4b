#!/bin/bash
# 落款 laid out for a seal (GB/T 9704 §7.3.5.1), by --seal or the profile's
# seal: true: 成文日期 右空四字, the signature centred over the date (same
# centre, ASCII digits half a character), two empty lines above; without
# it the unsealed layout stays.  A bad seal value is refused with a
# Chinese message.  Where LibreOffice is installed, the rendered page
# shows the date four characters from the right margin and the signature
# where centring puts it.
set -u
w=$TMPDIR/seal; mkdir -p "$w/home"
"$FZREPORT" new --kind township --unit 青河镇 --year 2024 --date 2025年1月20日 --seal \
	-o "$w/flag.docx" >/dev/null 2>&1 || { echo "new --seal failed"; exit 1; }
printf 'unit: 青河镇\nkind: township\nyear: 2024\ndate: 2025年1月20日\nseal: true\n' > "$w/p.yaml"
"$FZREPORT" new --profile "$w/p.yaml" -o "$w/profile.docx" >/dev/null 2>&1 || { echo "seal: true failed"; exit 1; }
"$FZREPORT" new --kind township --unit 青河镇 --year 2024 --date 2025年1月20日 \
	-o "$w/plain.docx" >/dev/null 2>&1 || { echo "new failed"; exit 1; }
printf 'unit: 青河镇\nyear: 2024\nseal: 盖\n' > "$w/bad.yaml"
"$FZREPORT" new --profile "$w/bad.yaml" -o "$w/bad.docx" 2>"$w/err" >/dev/null && { echo "seal: 盖 accepted"; exit 1; }
grep -q 'seal 应是 true' "$w/err" || { echo "no message for a bad seal: $(cat "$w/err")"; exit 1; }
python3 - "$w" <<'PY' || exit 1
import re, sys, zipfile
w = sys.argv[1]
width = lambda t: sum(0.5 if ord(c) < 128 else 1 for c in t)
def layout(name):
    doc = zipfile.ZipFile("%s/%s.docx" % (w, name)).read("word/document.xml").decode()
    body = doc[doc.rindex('<w:pStyle w:val="Heading1"/>'):]
    sig = re.findall(r'<w:pStyle w:val="Signature"/><w:ind w:rightChars="(\d+)"[^>]*/></w:pPr>(.*?)</w:p>', body)
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)<", b)) for _, b in sig]
    before = body[:body.index('<w:pStyle w:val="Signature"/>')]
    empty = len(re.findall(r"<w:p><w:pPr><w:pStyle w:val=\"[^\"]*\"/></w:pPr></w:p>|<w:p/>|<w:p></w:p>", before[-200:]))
    return [(int(r) / 100, t) for (r, _), t in zip(sig, texts)], before
bad = []
for name in ("flag", "profile"):
    sig, before = layout(name)
    if len(sig) != 2 or sig[1][1] != "2025年1月20日":
        bad.append("%s: 落款 %r" % (name, sig))
        continue
    (rs, s), (rd, d) = sig
    if rd != 4:
        bad.append("%s: date 右空 %s characters, want 4" % (name, rd))
    if abs((rs + width(s) / 2) - (rd + width(d) / 2)) > 0.01:
        bad.append("%s: signature not centred over the date %r" % (name, sig))
    if not before.endswith("</w:p><w:p></w:p><w:p></w:p>") and before.count("<w:p/>") < 2 and \
            len(re.findall(r"<w:p>(?:<w:pPr>(?:(?!</w:p>).)*</w:pPr>)?</w:p>", before[-400:])) < 2:
        bad.append("%s: not two empty lines above the signature" % name)
sig, _ = layout("plain")
if len(sig) != 2 or (sig[0][0] + width(sig[0][1])) - (sig[1][0] + width(sig[1][1])) != 2:
    bad.append("plain: unsealed layout changed %r" % sig)
for b in bad:
    print("seal:", b)
sys.exit(1 if bad else 0)
PY
command -v soffice >/dev/null && command -v pdftotext >/dev/null || exit 0
HOME=$w/home timeout 300 soffice --headless --norestore --convert-to pdf --outdir "$w" "$w/flag.docx" \
	>/dev/null 2>&1 || { echo "soffice failed"; exit 1; }
pdftotext -bbox "$w/flag.pdf" - | python3 -c '
import re, sys
words = re.findall(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"[\d.]+\">([^<]*)</word>", sys.stdin.read())
right = 595.3 - 26 * 72 / 25.4          # the text block ends 26 mm from the right edge
def line(pred):
    """x extent of the last line holding a word that satisfies pred"""
    hit = [w for w in words if pred(w[3])]
    if not hit:
        return None
    y = hit[-1][1]
    on = [w for w in words if w[1] == y]
    return min(float(w[0]) for w in on), max(float(w[2]) for w in on)
date = line(lambda t: t in ("2025", "2025年1月20日"))
sig = line(lambda t: t == "青河镇人民政府")
if not date or not sig:
    print("render: no 落款 found"); sys.exit(1)
gap = (right - date[1]) / 16
if not 3.5 <= gap <= 4.5:
    print("render: date %.1f characters from the right margin, want 4" % gap); sys.exit(1)
# the signature ends 3.75 characters from the margin: centred on a date of 6.5 characters
# (digits half a character in 仿宋_GB2312; a fallback font draws them wider, so the
# centres themselves are checked in the XML above)
sgap = (right - sig[1]) / 16
if not 3.5 <= sgap <= 4.0:
    print("render: signature %.2f characters from the right margin, want 3.75" % sgap); sys.exit(1)
' || exit 1
exit 0
