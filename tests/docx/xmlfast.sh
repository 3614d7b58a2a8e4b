#!/bin/bash
# docx_xml_fast() builds the tree libxml2 builds, or declines: every XML
# part of the sample, example and generated .docx files, and hand-written
# parts for each thing it reads or must leave to libxml2, are read both
# ways (tests/tools/xmlsame); no tree may differ, and the main document,
# the styles and the relationships of every real sample are read fast.
set -u
[ -x "$FZ_TOOLS/xmlsame" ] || exit 77
fail=0
parts=$TMPDIR/parts
mkdir -p "$parts" "$TMPDIR/gen"
python3 "$SRC/tests/tools/mkdocx.py" "$TMPDIR/gen" >/dev/null || exit 1
python3 - "$parts" "$SHARED/samples" "$SRC/examples/reports" "$TMPDIR/gen" <<'PY' || exit 1
import os, sys, zipfile
out, dirs = sys.argv[1], sys.argv[2:]
i = 0
for d in dirs:
    for root, _, files in os.walk(d):
        for f in sorted(files):
            if not f.endswith('.docx'):
                continue
            try:
                z = zipfile.ZipFile(os.path.join(root, f))
                names = z.namelist()
            except Exception:
                continue
            real = root.startswith(dirs[0])
            for n in names:
                if not (n.endswith('.xml') or n.endswith('.rels')):
                    continue
                try:
                    data = z.read(n)
                except Exception:
                    continue
                i += 1
                key = n.replace('/', '_')
                must = real and key in ('word_document.xml', 'word_styles.xml',
                                        'word__rels_document.xml.rels', '_rels_.rels')
                open(os.path.join(out, '%s%04d-%s' % ('must-' if must else '', i, key)),
                     'wb').write(data)
PY
# hand-written parts: what the fast reader takes, and what it must leave
W='xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
n=0
part() { n=$((n + 1)); printf '%s' "$1" > "$parts/hand$n.xml"; }
part "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<w:document $W><w:body><w:p><w:r><w:t xml:space=\"preserve\"> 一、&lt;总体&gt; &amp; &quot;情况&apos; &#x4E00;&#20108;&#x1F600;</w:t></w:r></w:p></w:body></w:document>"
part $'<?xml version=\'1.0\' encoding=\'utf-8\'?>\r\n<w:document '"$W"$'>\r\n  <w:body>\r\n    <w:p w:rsidR="00A1" w14:paraId="1" xmlns:w14="urn:w14">\r\n      <w:pPr><w:spacing w:line="560"/><w:keepNext/></w:pPr>\r\n      <w:r><w:rPr><w:color w:val="FF0000"/><w:b/></w:rPr><w:t>文</w:t></w:r><w:proofErr w:type="x"/><w:r><w:t>字</w:t></w:r>\r\n    </w:p>\r\n  </w:body>\r\n</w:document>\r\n'
part "<w:document $W><w:body><w:p>前<w:bookmarkStart w:id=\"0\"/>中<w:bookmarkEnd w:id=\"0\"/>后</w:p></w:body></w:document>"
part "<document xmlns=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:x=\"urn:x\"><body x:a=\"1\" a=\"2\"><p/></body></document>"
part $'\xef\xbb\xbf<?xml version="1.0"?><w:styles '"$W"'><w:latentStyles/><w:style w:type="table"><w:name w:val="t"/></w:style><w:style w:type="paragraph"><w:name w:val="标题 1"/><w:rsid w:val="1"/><w:pPr><w:outlineLvl w:val="0"/><w:keepNext/></w:pPr></w:style></w:styles>'
part "<w:document $W><w:body><mc:AlternateContent xmlns:mc=\"urn:mc\"><mc:Choice><w:p/></mc:Choice><mc:Fallback><w:p><w:r><w:t>旧</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent></w:body></w:document>"
# each of these declines (the reader leaves them to libxml2, which may refuse them)
part "<?xml version=\"1.0\" encoding=\"GB2312\"?><w:document $W/>"
part "<w:document $W><!-- 注释 --></w:document>"
part "<w:document $W><w:t><![CDATA[x]]></w:t></w:document>"
part "<?xml version=\"1.0\"?><?mso-application progid=\"Word.Document\"?><w:document $W/>"
part "<w:document $W><w:t>a&nbsp;b</w:t></w:document>"
part "<w:document $W><w:t>a&#0;b</w:t></w:document>"
part "<w:document $W><w:t>a]]>b</w:t></w:document>"
part $'<w:document '"$W"$'><w:t>a\rb</w:t></w:document>'
part $'<w:document '"$W"$'><w:t>a\x01b</w:t></w:document>'
part $'<w:document '"$W"$'><w:t>a\xe4\xb8b</w:t></w:document>'
part $'<w:document '"$W"$'><w:t>\xef\xbf\xbe</w:t></w:document>'
part $'<w:document '"$W"$'><w:t>\xed\xa0\x80</w:t></w:document>'
part "<w:document $W><w:t w:val=\"a&amp;b\"/></w:document>"
part "<w:document $W><x:t/></w:document>"
part "<w:document $W><w:t w:a=\"1\" w:a=\"2\"/></w:document>"
part "<w:document $W><w:t a=\"1\"b=\"2\"/></w:document>"
part "<w:document $W><w:p></w:r></w:document>"
part "<w:document $W><w:p>"
part "<w:document $W/><w:document $W/>"
part "<w:document $W/>x"
part "<w:document $W><标题/></w:document>"
part "<w:document $W xmlns:w=\"urn:again\"/>"
part "<xml:document/>"
part "<w:document $W><w:t xmlns:p=\"\"/></w:document>"
part "<w:document xmlns:w=\"http://schet-com:vml\"/>"   # fuzz_xmlfast: libxml2 refuses the URI
part "<w:document $W xmlns:x=\"http://www.w3.org/XML/1998/namespace\"/>"
part "<w:document $W xmlns:x=\"schemas/relative\"/>"
# cases fuzz_xmlfast found (fuzz/run xmlfast), each named after its artifact:
#   fuzz-crash-8f4c8b8f  intern()'s cache compared a shorter cached name past its end
cp "$SRC"/tests/docx/xmlfast/fuzz-* "$parts"/
deep=$(printf '<w:p>%.0s' $(seq 230))
part "<w:document $W>$deep"
for f in "$parts"/*; do
	if ! "$FZ_TOOLS/xmlsame" -v "$f" > "$TMPDIR/one.out" 2>&1; then
		echo "FAIL: $f: the readers differ"; cat "$TMPDIR/one.out"; fail=1
	fi
	case $f in
	*/must-*|*/hand[1-6].xml)
		if grep -q ': declined:' "$TMPDIR/one.out"; then
			echo "FAIL: $f: not read fast"; cat "$TMPDIR/one.out"; fail=1
		fi ;;
	*/hand*.xml)
		if ! grep -q '0 read fast' "$TMPDIR/one.out"; then
			echo "FAIL: $f: read fast, but must be left to libxml2"; cat "$TMPDIR/one.out"; fail=1
		fi ;;
	esac
done
"$FZ_TOOLS/xmlsame" "$parts"/*
exit $fail
