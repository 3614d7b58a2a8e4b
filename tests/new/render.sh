#!/bin/bash
# The skeleton as LibreOffice renders it (soffice --headless → PDF):
# GB/T 9704's 28 characters on a full body line, 22 lines a page; the
# filled example as well.  Skipped without LibreOffice.
set -eu
command -v soffice >/dev/null || exit 77
command -v pdftotext >/dev/null || exit 77
w=$TMPDIR/render; mkdir -p "$w/home"
"$FZREPORT" new --kind township --unit 青河镇人民政府 --year 2024 -o "$w/skeleton.docx" >/dev/null 2>&1
"$FZREPORT" new --profile "$SRC/tests/new/profiles/township-full.yaml" -o "$w/filled.docx" >/dev/null 2>&1 ||
	cp "$w/skeleton.docx" "$w/filled.docx"
HOME=$w/home timeout 300 soffice --headless --norestore --convert-to pdf --outdir "$w" \
	"$w/skeleton.docx" "$w/filled.docx" >/dev/null 2>&1 || { echo "soffice failed"; exit 1; }
for f in skeleton filled; do
	[ -s "$w/$f.pdf" ] || { echo "no $f.pdf"; exit 1; }
	pdftotext -layout "$w/$f.pdf" - | python3 -c '
import re, sys
name = sys.argv[1]
pages = sys.stdin.read().split("\f")
# full body lines of Chinese text: no ASCII (narrower digits and letters), not a paragraph end
full = [re.sub(r"\s", "", l) for p in pages for l in p.splitlines()]
full = [l for l in full if len(l) >= 20 and not re.search(r"[\x21-\x7e]", l) and not l.endswith(("。", "：", "]", "］"))]
widths = sorted(set(len(l) for l in full))
# (the first line of a paragraph holds 26: two characters of indent)
if not full or max(widths) != 28 or sum(len(l) == 28 for l in full) < 3:
    print("%s: characters per full line %r, want 28" % (name, widths))
    sys.exit(1)
lines = max(len([l for l in p.splitlines() if l.strip()]) for p in pages)
if not 20 <= lines <= 24:
    print("%s: %d lines on the fullest page, want 22 (and the page number)" % (name, lines))
    sys.exit(1)
' "$f" || exit 1
done
exit 0
