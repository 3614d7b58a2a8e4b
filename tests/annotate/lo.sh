#!/bin/bash
# LibreOffice opens annotated files (a .txt made .docx with fixes, a .docx
# with its own comments and revisions, a real sample) and exports them to
# PDF with the comments: a PDF note for each comment of comments.xml, ours
# starting with 【错误】/【警告】/【提示】.  Skipped where soffice is missing
# (Debian: libreoffice-writer-nogui, in scripts/install-deps).
set -u
command -v soffice >/dev/null 2>&1 || { echo "soffice (LibreOffice) missing: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
export SOURCE_DATE_EPOCH=1700000000
w=$TMPDIR/lo-ann
mkdir -p "$w/pdf"
python3 "$SRC/tests/tools/mkdocx.py" "$w/fx" >/dev/null || exit 1
"$FZREPORT" annotate -q "$SRC/tests/annotate/fixes.txt" -o "$w/fixes.docx" || exit 1
"$FZREPORT" annotate -q "$w/fx/revisions.docx" -o "$w/revisions.docx" || exit 1
set -- "$w/fixes.docx" "$w/revisions.docx"
s=$(find "$SHARED/samples" -name '*.docx' 2>/dev/null | sort | head -1)
if [ -n "$s" ]; then
	"$FZREPORT" annotate -q "$s" -o "$w/sample.docx" || exit 1
	set -- "$@" "$w/sample.docx"
fi
HOME=$w/home timeout 300 soffice --headless --norestore -env:UserInstallation=file://$w/profile \
	--convert-to 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}' \
	--outdir "$w/pdf" "$@" >/dev/null 2>&1
fail=0
for f in "$@"; do
	p=$w/pdf/$(basename "${f%.docx}").pdf
	[ -s "$p" ] || { echo "LibreOffice made no PDF of $f"; fail=1; continue; }
	python3 - "$f" "$p" <<'PY' || fail=1
import re, sys, zipfile
docx, pdf = sys.argv[1:3]
z = zipfile.ZipFile(docx)
cx = z.read('word/comments.xml').decode()
firsts = []
for c in re.findall(r'<w:comment .*?</w:comment>', cx, re.S):
    p = re.search(r'<w:p[ >].*?</w:p>', c, re.S)
    firsts.append(''.join(re.findall(r'<w:t(?: [^>]*)?>([^<]*)</w:t>', p.group(0) if p else ''))[:10])
s = open(pdf, 'rb').read()
notes = []
for x in re.findall(rb'/Contents\s*(<[0-9A-Fa-f]+>)', s):
    b = bytes.fromhex(x[1:-1].decode())
    notes.append(b[2:].decode('utf-16-be', 'replace') if b[:2] == b'\xfe\xff' else '')
missing = [f for f in firsts if not any(n.startswith(f) for n in notes)]
ours = [n for n in notes if re.match('【(错误|警告|提示)】', n)]
if missing or not ours:
    print('%s: comments missing from the PDF: %s' % (docx, missing))
    sys.exit(1)
PY
done
exit $fail
