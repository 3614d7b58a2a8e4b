#!/bin/bash
# Hostile .docx files through `fzreport check`: truncated zip, zip bomb (size and
# ratio), XML entity bomb and external entity, deeply nested XML, encrypted docx
# (OLE2 with EncryptionInfo), .doc renamed .docx, empty and junk parts, a zip
# of 20,000 entries, a zip whose central directory lies about sizes.
# The docx loader's own messages are tested in tests/docx/hostile.sh; here the
# command's contract: one FATAL line naming the file, exit 3, one JSON object
# with "error", quickly, and the rest of a batch still checked.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
G=$B/gen
python3 "$SRC/tests/tools/mkdocx.py" "$G" >/dev/null || exit 1
python3 - "$B" <<'PY'
import os, sys, zipfile
d = sys.argv[1]
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
def pkg(name, doc, extra=()):
    with zipfile.ZipFile(os.path.join(d, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        if doc is not None:
            z.writestr("word/document.xml", doc)
        for n, v in extra:
            z.writestr(n, v)
pkg("empty-part.docx", "")
pkg("junk-part.docx", bytes(range(256)) * 16)
pkg("not-word.docx", '<?xml version="1.0"?><html><body>网页</body></html>')
pkg("many-entries.docx", '<w:document %s><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:document>' % NS,
    [("junk/%05d.xml" % i, "<a/>") for i in range(20000)])
# one paragraph of 100,000 runs (varied, so that it is no compression bomb)
import random
rnd = random.Random(4)
runs = "".join("<w:r><w:t>%s</w:t></w:r>" % "".join(chr(rnd.randrange(0x4e00, 0x9fa5)) for _ in range(3))
               for _ in range(100000))
pkg("many-runs.docx", '<w:document %s><w:body><w:p>%s</w:p></w:body></w:document>' % (NS, runs))
# 100,000 attributes on one element (libxml2 is quadratic in them: refused)
attrs = " ".join('a%d="x"' % i for i in range(100000))
pkg("many-attrs.docx", '<w:document %s><w:body><w:p %s/></w:body></w:document>' % (NS, attrs))
# central directory says 10 bytes, the data inflates to 50 MB
good = os.path.join(d, "liar.docx")
pkg("liar.docx", '<w:document %s><w:body>%s</w:body></w:document>' % (NS, " " * (50 << 20)))
b = bytearray(open(good, "rb").read())
i = b.rfind(b"PK\x01\x02")  # central entry of the last file (word/document.xml)
while i != -1:
    if b[i + 46:i + 46 + 17] == b"word/document.xml":
        b[i + 24:i + 28] = (10).to_bytes(4, "little")
        break
    i = b.rfind(b"PK\x01\x02", 0, i)
open(good, "wb").write(bytes(b))
# zip inside a zip, named document.xml
inner = open(os.path.join(d, "gen", "numbering.docx"), "rb").read()
pkg("zip-in-zip.docx", inner)
PY
for f in truncated notzip empty renamed encrypted bomb ratio entitybomb xxe dtd16 nodocument \
	malformed badstyles deep; do
	unreadable "$f" "$G/$f.docx" ""
done
# each of them also says why, in words a clerk understands
for pair in "truncated:截断" "encrypted:密码保护" "renamed:另存为 .docx" "bomb:压缩炸弹" \
	"entitybomb:DTD" "deep:嵌套过深"; do
	f=${pair%%:*} want=${pair#*:}
	"$FZREPORT" check "$G/$f.docx" 2>&1 | grep ": 无法读取: " | grep -qF "$want" || nfail "$f: no '$want'"
done
unreadable legacy-doc "$G/legacy.doc" "另存为 .docx"
for f in empty-part junk-part not-word liar zip-in-zip; do
	run "$f" "$FZREPORT" check --format json "$B/$f.docx"
	[ $rc = 3 ] || [ $rc -le 2 ] || nfail "$f: exit $rc"
	[ "$(wc -l < "$out")" = 1 ] || nfail "$f: $(wc -l < "$out") JSON lines"
	if [ $rc = 3 ]; then
		grep -q '"error":"' "$out" || nfail "$f: exit 3 without error"
		[ "$(wc -l < "$err")" -le 1 ] || nfail "$f: stderr: $(cat "$err")"
	fi
done
unreadable many-attrs "$B/many-attrs.docx" "属性超过"
for f in many-entries many-runs; do
	run "$f" "$FZREPORT" check --format json "$B/$f.docx"
	[ $rc -le 3 ] && [ "$(wc -l < "$out")" = 1 ] || nfail "$f: exit $rc"
	echo "$f: exit $rc, $ms ms"
done
grep -q '"numbering":"一、"' "$B/many-entries.out" || nfail "many-entries: outline lost"
# a batch: every hostile file gets its object, the good ones are checked
run batch "$FZREPORT" check --format json "$G/numbering.docx" "$G/truncated.docx" "$G/bomb.docx" \
	"$G/encrypted.docx" "$G/entitybomb.docx" "$G/deep.docx" "$G/styles.docx"
[ $rc = 3 ] || nfail "batch: exit $rc"
[ "$(wc -l < "$out")" = 7 ] || nfail "batch: $(wc -l < "$out") lines"
[ "$(grep -c '"error":"' "$out")" = 5 ] || nfail "batch: $(grep -c '"error":"' "$out") errors"
exit $fail
