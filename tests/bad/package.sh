#!/bin/bash
# Packages that multiply work (issue 18, items 9, 10 and 16), each refused or
# read in well under the limit with a clear result:
#   attrs-spaced   100,000 attributes written 'a0 = "x"' on one element: the
#                  old guard only counted '="' (25 s inside libxml2)
#   attrs-utf16    the same in UTF-16, and with the quotes swapped ('x' = "y")
#   attrs-comment  '=' inside comments, CDATA and quoted values: not attributes
#   attrs-many     300 paragraphs of 4,000 attributes each (2.5 MB file): libxml2
#                  adds an element's attributes one after the other down its
#                  list, and under the old limit of 4,096 this took 5 s and
#                  300 MB; Word writes at most about 40 on one element
#   attrs-word     an element of 200 (under the limit of 256): read
#   header-refs    one 1 MB header referenced 20,000 times (61 KB file): each
#                  part is parsed once
#   headers-400    400 different 1 MB headers (1.1 MB file): the parts beside
#                  the body share a 16 MB budget, refused at the 17th
#   duplicate      two entries named word/document.xml (viewers disagree on
#                  which wins), and two differing only in case
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
PYTHONPATH=$SRC/tests/tools python3 - "$B" <<'PY'
import os, sys, warnings
import docxkit as k
warnings.simplefilter('ignore')
d = sys.argv[1]
j = lambda n: os.path.join(d, n)
body = [k.para(k.TITLE), k.para('一、主要举措和成效')]
spaced = ' '.join('a%d = "x"' % i for i in range(100000))
k.package(j('attrs-spaced.docx'), k.document(*body).replace('<w:body>', '<w:body><w:p %s/>' % spaced))
swapped = ' '.join("a%d= 'x'" % i for i in range(100000))
doc16 = ('<?xml version="1.0" encoding="UTF-16"?>' +
         k.document(*body).replace('<w:body>', '<w:body><w:p %s/>' % swapped)).encode('utf-16')
k.package(j('attrs-utf16.docx'), doc16)
many = ' '.join('a%d="1"' % i for i in range(4000))
k.package(j('attrs-many.docx'), k.document(*body).replace(
    '<w:body>', '<w:body>' + ('<w:p %s><w:r><w:t>正文</w:t></w:r></w:p>' % many) * 300))
k.package(j('attrs-word.docx'), k.document(*body).replace(
    '<w:body>', '<w:body><w:p %s/>' % ' '.join('w:a%d="1"' % i for i in range(200))))
# many '=' that are no attributes: a comment, CDATA and one long quoted value
noise = '=' * 10000
k.package(j('attrs-comment.docx'), k.document(*body).replace(
    '<w:body>', '<w:body><!-- %s --><w:p w:rsidR="%s"><w:r><w:t><![CDATA[%s]]></w:t></w:r></w:p>'
    % (noise, noise, noise)))
# headers of just under 1 MB (no ratio check below 1 MB) that compress 1000:1
def header(n):
    r = '<w:r><w:t>页眉%d</w:t></w:r>' % n
    return '<w:hdr %s><w:p>%s</w:p></w:hdr>' % (k.W, r * (1000000 // len(r.encode())))
hdr = header(0)
refs = ''.join('<w:headerReference w:type="default" r:id="rId%d"/>' % (i + 1) for i in range(20000))
k.package(j('header-refs.docx'), k.document(*body).replace(
    '</w:body>', '<w:sectPr>%s</w:sectPr></w:body>' % refs),
    {'word/header1.xml': hdr}, [('header', 'header1.xml')] * 20000)
k.package(j('headers-400.docx'), k.document(*body),
    {'word/header%d.xml' % i: header(i) for i in range(400)},
    [('header', 'header%d.xml' % i) for i in range(400)])
k.package(j('duplicate.docx'), k.document(*body),
    entries=[('word/document.xml', k.document(k.para('另一份正文')))])
k.package(j('duplicate-case.docx'), k.document(*body),
    entries=[('Word/Document.xml', k.document(k.para('另一份正文')))])
PY
ls -l "$B"/*.docx | awk '{print $5, $9}'
unreadable attrs-spaced "$B/attrs-spaced.docx" "属性超过 256 个"
unreadable attrs-utf16 "$B/attrs-utf16.docx" "属性超过 256 个"
readable attrs-comment "$B/attrs-comment.docx"
unreadable attrs-many "$B/attrs-many.docx" "属性超过 256 个"
readable attrs-word "$B/attrs-word.docx"
readable header-refs "$B/header-refs.docx"
echo "header-refs: $ms ms"
unreadable headers-400 "$B/headers-400.docx" "合计超过上限 16 MB"
echo "headers-400: $ms ms"
unreadable duplicate "$B/duplicate.docx" "两个同名部件 word/document.xml"
unreadable duplicate-case "$B/duplicate-case.docx" "两个同名部件"
exit $fail
