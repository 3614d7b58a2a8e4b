#!/bin/bash
# Where a finding lands in a .docx made for it: table cells, a text box,
# another author's insertion, a bold red run, a hyperlink, a field result,
# an automatically numbered paragraph.  Comments everywhere (annocheck);
# fixes only where the text is plain (cell, text box, the bold run split
# with its w:rPr on both sides, the numbered paragraph after its number),
# none inside the other revision, the hyperlink or the field.
set -u
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
export SOURCE_DATE_EPOCH=1700000000
FZ_TOOLS=${FZ_TOOLS:-$SRC/build/tools}
[ -x "$FZ_TOOLS/dumpdocx" ] || { echo "dumpdocx not built (make tools)"; exit 77; }
f=$TMPDIR/places.docx
python3 - "$SRC/tests/tools" "$f" <<'PY' || exit 1
import sys
sys.path.insert(0, sys.argv[1])
from mkdocx import package, p, t, num
box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
       '<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>%s</w:txbxContent>'
       '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
       '</mc:AlternateContent></w:r>')
cell = lambda s: '<w:tc><w:tcPr/>%s</w:tc>' % p(t(s))
package(sys.argv[2], [
    p(t('某镇2024年法治政府建设情况报告')),
    p(t('县委、县政府：')),
    p(t('一、主要举措和成效')),
    '<w:tbl><w:tblPr/><w:tr>%s%s</w:tr><w:tr>%s%s</w:tr></w:tbl>' % (
        cell('项目'), cell('情况'), cell('开展法制宣传12场'), cell('截止目前已办结')),
    p(t('见下框。') + box % p(t('开展法制宣传教育活动'))),
    p(t('复议案件') + '<w:ins w:id="90" w:author="审核人" w:date="2024-01-01T00:00:00Z">'
      '<w:r><w:t>截止目前</w:t></w:r></w:ins>' + t('已办结。')),
    p('<w:r><w:rPr><w:b/><w:color w:val="FF0000"/></w:rPr>'
      '<w:t>我镇开展法制宣传教育，截止目前成效明显。</w:t></w:r>'),
    p(t('详见') + '<w:hyperlink r:id="x">%s</w:hyperlink>' % t('法制宣传专栏')),
    p('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
      '<w:r><w:instrText> DOCPROPERTY x </w:instrText></w:r>'
      '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>截止目前</w:t></w:r>'
      '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + t('共计12件。')),
    p(t('宣传存在存在短板。'), num(1, 1)),
    p(t('宣传形式单一。')),
])
PY
"$FZREPORT" check -f json "$f" > "$TMPDIR/places.json"
"$FZREPORT" annotate -q "$f" -o "$TMPDIR/places-ann.docx" || exit 1
python3 "$SRC/tests/tools/annocheck.py" "$f" "$TMPDIR/places-ann.docx" "$TMPDIR/places.json" "$TMPDIR/places-rej.docx" || exit 1
diff <("$FZ_TOOLS/dumpdocx" "$f" | grep -v '^note') <("$FZ_TOOLS/dumpdocx" "$TMPDIR/places-rej.docx" | grep -v '^note') ||
	{ echo "rejected text differs"; exit 1; }
python3 - "$TMPDIR/places-ann.docx" <<'PY'
import re, sys, zipfile
d = zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode()
pairs = re.findall(r'<w:del [^>]*w:author="fzreport"[^>]*>(.*?)</w:del><w:ins [^>]*>(.*?)</w:ins>', d)
got = sorted(''.join(re.findall(r'<w:delText[^>]*>([^<]*)<', a)) + '->' +
             ''.join(re.findall(r'<w:t[^>]*>([^<]*)<', b)) for a, b in pairs)
want = sorted(['法制->法治', '截止->截至', '法制->法治', '法制->法治', '截止->截至', '存在存在->存在'])
bad = []
if got != want:
    bad.append('fixes %s, want %s' % (got, want))
# the bold red run: every piece keeps its w:rPr
for piece in ['我镇开展', '宣传教育，', '目前成效明显。']:
    m = re.search(r'<w:r>(<w:rPr>.*?</w:rPr>)?<w:t[^>]*>%s</w:t></w:r>' % piece, d)
    if not m or not m.group(1) or '<w:b/>' not in m.group(1) or 'FF0000' not in m.group(1):
        bad.append('run %s lost its formatting' % piece)
if re.search(r'<w:hyperlink[^>]*>(?:(?!</w:hyperlink>).)*<w:del ', d):
    bad.append('fix inside the hyperlink')
for b in bad:
    print('places:', b)
sys.exit(1 if bad else 0)
PY
