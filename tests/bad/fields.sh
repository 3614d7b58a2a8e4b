#!/bin/bash
# Fields nested deeper than the loader tracks (issue 18, item 19): 20 nested
# w:fldChar begins once made field_visible() read past the end of its table
# (UBSan under make asan).  The report is read; the text of the deep fields
# is left out, the text outside them is kept.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
python3 - "$B" <<'PY'
import os, sys, zipfile
d = sys.argv[1]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
def run(x):
    return '<w:r>%s</w:r>' % x
begin = run('<w:fldChar w:fldCharType="begin"/>') + run('<w:instrText>MERGEFIELD x</w:instrText>')
sep = run('<w:fldChar w:fldCharType="separate"/>')
end = run('<w:fldChar w:fldCharType="end"/>')
deep = (begin + sep) * 20 + run('<w:t>深处的域结果</w:t>') + end * 20
body = ('<w:p>%s</w:p>' % run('<w:t>关于2024年度法治政府建设情况的报告</w:t>') +
        '<w:p>%s%s</w:p>' % (deep, run('<w:t>一、主要举措和成效</w:t>')))
with zipfile.ZipFile(os.path.join(d, "deep-fields.docx"), "w") as z:
    z.writestr("[Content_Types].xml", CT)
    z.writestr("word/document.xml", '<w:document %s><w:body>%s</w:body></w:document>' % (W, body))
PY
readable deep-fields "$B/deep-fields.docx"
grep -q '主要举措和成效' "$out" || nfail "deep-fields: the text after the fields is lost"
exit $fail
