#!/bin/bash
# fzreport new -o x.docx: the package parts, GB/T 9704 page, fonts and
# styles, page-number footers, headings as real Heading styles with the
# numbering typed as text, deterministic bytes under SOURCE_DATE_EPOCH,
# and (where LibreOffice is installed) conversion to PDF.
set -u
out=$TMPDIR/new.docx
SOURCE_DATE_EPOCH=1700000000 "$FZREPORT" new --profile "$SRC/examples/unit.yaml" -o "$out" 2>/dev/null || exit 1
SOURCE_DATE_EPOCH=1700000000 "$FZREPORT" new --profile "$SRC/examples/unit.yaml" -o "$TMPDIR/again.docx" 2>/dev/null || exit 1
cmp "$out" "$TMPDIR/again.docx" || { echo "output not deterministic"; exit 1; }
python3 - "$out" <<'PY' || exit 1
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
need = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
        "word/settings.xml", "word/footer1.xml", "word/footer2.xml",
        "word/_rels/document.xml.rels", "docProps/core.xml"]
bad = [n for n in need if n not in names]
doc = z.read("word/document.xml").decode()
sty = z.read("word/styles.xml").decode()
st = z.read("word/settings.xml").decode()
f1 = z.read("word/footer1.xml").decode()
f2 = z.read("word/footer2.xml").decode()
core = z.read("docProps/core.xml").decode()
def want(cond, what):
    if not cond:
        bad.append(what)
want('<w:pgSz w:w="11906" w:h="16838"/>' in doc, "A4 page")
want(re.search(r'<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"', doc), "margins 37/26/35/28 mm")
want('w:linePitch="579"' in doc and 'w:type="lines"' in doc and "charSpace" not in doc, "line grid of 22 lines, no character grid")
want('<w:spacing w:val="-5"/><w:kern' in sty, "text 0.25 pt tighter: 28 characters of 16 pt a line")
want('w:type="even"' in doc and 'w:type="default"' in doc, "odd and even footers")
want("<w:evenAndOddHeaders/>" in st, "evenAndOddHeaders")
want("numPr" not in doc and "numPr" not in sty, "no automatic numbering")
def style(sid):
    m = re.search(r'<w:style [^>]*w:styleId="%s".*?</w:style>' % sid, sty)
    return m.group(0) if m else ""
want('w:eastAsia="方正小标宋简体"' in style("Title") and '<w:sz w:val="44"/>' in style("Title") and '"center"' in style("Title"), "title 方正小标宋简体 22 pt centred")
want('w:eastAsia="仿宋_GB2312"' in style("Normal") and '<w:sz w:val="32"/>' in style("Normal"), "body 仿宋_GB2312 16 pt")
want('w:firstLineChars="200"' in style("Normal"), "first-line indent 2 characters")
want('<w:snapToGrid w:val="0"/>' in style("Title"), "title off the grid")
want('w:line="560" w:lineRule="exact"' in style("Normal"), "fixed line spacing 28 pt")
want('<w:name w:val="heading 1"/>' in style("Heading1") and '<w:outlineLvl w:val="0"/>' in style("Heading1") and 'w:eastAsia="黑体"' in style("Heading1"), "Heading 1 黑体 outline level 1")
want('<w:name w:val="heading 2"/>' in style("Heading2") and '<w:outlineLvl w:val="1"/>' in style("Heading2") and 'w:eastAsia="楷体_GB2312"' in style("Heading2"), "Heading 2 楷体_GB2312 outline level 2")
want('w:eastAsia="仿宋_GB2312"' in style("Heading3") and 'w:eastAsia="仿宋_GB2312"' in style("Heading4"), "levels 3-4 仿宋_GB2312")
want('"right"' in style("Signature"), "落款 right-aligned")
want('w:eastAsia="宋体"' in style("Footer") and '<w:sz w:val="28"/>' in style("Footer"), "page number 宋体 14 pt")
for f, side in ((f1, "right"), (f2, "left")):
    want("— " in f and " —" in f and " PAGE " in f and '<w:jc w:val="%s"/>' % side in f, "footer — PAGE — %s" % side)
h1 = re.findall(r'<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">([^<]*)<', doc)
want(h1 == ["一、主要举措和成效", "二、存在的不足和原因", "三、党政主要负责人履行推进法治建设第一责任人职责情况",
            "四、下一年度推进法治政府建设的主要安排", "五、其他需要报告的情况"], "level-1 headings %r" % h1)
h2 = re.findall(r'<w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t xml:space="preserve">([^<]*)<', doc)
want(len(h2) == 9 and h2[0] == "（一）健全政府机构职能体系", "nine level-2 headings %r" % h2[:2])
# 落款 (GB/T 9704 §7.3.5.2): the date starts two characters right of the signature's first
# character, both at least 右空二字 (ASCII digits are half a character wide)
sig = re.findall(r'<w:pStyle w:val="Signature"/><w:ind w:rightChars="(\d+)"[^>]*/></w:pPr>(.*?)</w:p>', doc)
width = lambda t: sum(0.5 if ord(c) < 128 else 1 for c in t)
texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)<", body)) for _, body in sig]
want(len(sig) == 2 and texts[1] == "2025年2月20日", "落款: signature and 成文日期 %r" % texts)
if len(sig) == 2:
    first = [int(r) / 100 + width(t) for (r, _), t in zip(sig, texts)]
    want(first[0] - first[1] == 2 and min(int(r) for r, _ in sig) >= 200, "落款 layout %r" % sig)
want('<w:b w:val="1"/>' in style("Heading3"), "level 3 bold")
want("<dc:creator>沙柳河镇</dc:creator>" in core and "<dc:title>沙柳河镇2024年度法治政府建设情况报告</dc:title>" in core, "core title and creator")
want("2023-11-14T22:13:20Z" in core, "dcterms:created from SOURCE_DATE_EPOCH")
for b in bad:
    print("docx: missing or wrong:", b)
sys.exit(1 if bad else 0)
PY
# text with XML specials is escaped, not broken
printf 'unit: "A&B<镇>"\nkind: township\nyear: 2024\nparent: 刚察县\n' > "$TMPDIR/esc.yaml"
"$FZREPORT" new --profile "$TMPDIR/esc.yaml" -o "$TMPDIR/esc.docx" 2>/dev/null || exit 1
python3 -c '
import sys, zipfile, xml.dom.minidom as m
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    m.parseString(z.read(n))
assert "A&amp;B&lt;镇&gt;" in z.read("word/document.xml").decode()
' "$TMPDIR/esc.docx" || { echo "escaping broken"; exit 1; }
if command -v soffice >/dev/null 2>&1; then
	mkdir -p "$TMPDIR/lo"
	timeout 120 soffice --headless -env:UserInstallation=file://$TMPDIR/lo/profile \
		--convert-to pdf --outdir "$TMPDIR/lo" "$out" >/dev/null 2>&1
	[ -s "$TMPDIR/lo/new.pdf" ] || { echo "LibreOffice could not convert the .docx"; exit 1; }
	if command -v pdftotext >/dev/null 2>&1; then
		pdftotext "$TMPDIR/lo/new.pdf" - | tr -d ' \n' | grep -q "一、主要举措和成效" || { echo "PDF lacks the headings"; exit 1; }
	fi
else
	echo "LibreOffice not installed: conversion not tested"
fi
exit 0
