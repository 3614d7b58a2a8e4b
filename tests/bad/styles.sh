#!/bin/bash
# Style and numbering tables of 50,000 and 200,000 entries (issue 18, item 8):
# each lookup was a linear scan, made per basedOn, per paragraph and per run
# (50,000 styles took 7 s, 200,000 more than 5 minutes).  They are indexed
# once: 50,000 styles and 12,500 lists are read in well under the limit, with
# the style chain and the list numbers right.  200,000 styles make a 22 MB
# styles.xml, over the 16 MB all parts but the body may take together (Word
# itself allows 4,079 styles): refused at once, with the reason.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
PYTHONPATH=$SRC/tests/tools python3 - "$B" <<'PY'
import os, random, sys
import docxkit as k
d = sys.argv[1]
def pkg(name, n):
    rnd = random.Random(n)
    # every style based on the one before (chains longer than the 32 hops followed)
    styles = ''.join('<w:style w:type="%s" w:styleId="s%d"><w:name w:val="样式%d"/>%s</w:style>' %
                     ("character" if i % 7 == 3 else "paragraph", i, i,
                      '<w:basedOn w:val="s%d"/>' % (i - 1) if i else '') for i in range(n))
    # the styles the paragraphs use come last, so that a scan finds them last
    styles += ('<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>'
               '<w:basedOn w:val="s%d"/></w:style>' % (n - 1))
    m = n // 4
    nums = ''.join('<w:abstractNum w:abstractNumId="%d"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                   '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%%1、"/></w:lvl>'
                   '</w:abstractNum>' % i for i in range(m))
    nums += ''.join('<w:num w:numId="%d"><w:abstractNumId w:val="%d"/></w:num>' % (i + 1, m - 1 - i)
                    for i in range(m))
    paras = [k.para(k.TITLE)]
    for i in range(3000):
        paras.append(k.para(k.text('第%d段正文' % i, '<w:rStyle w:val="s%d"/>' % rnd.randrange(n)),
                            '<w:pStyle w:val="s%d"/>' % rnd.randrange(n)))
    paras.append(k.para('主要举措和成效', '<w:pStyle w:val="H1"/><w:numPr><w:ilvl w:val="0"/>'
                        '<w:numId w:val="%d"/></w:numPr>' % m))
    paras.append(k.para('存在的不足和原因', '<w:pStyle w:val="H1"/><w:numPr><w:ilvl w:val="0"/>'
                        '<w:numId w:val="%d"/></w:numPr>' % m))
    k.package(os.path.join(d, name), k.document(*paras),
              {'word/styles.xml': '<w:styles %s>%s</w:styles>' % (k.W, styles),
               'word/numbering.xml': '<w:numbering %s>%s</w:numbering>' % (k.W, nums)},
              [('styles', 'styles.xml'), ('numbering', 'numbering.xml')])
pkg('styles-50k.docx', 50000)
pkg('styles-200k.docx', 200000)
PY
readable styles-50k "$B/styles-50k.docx"
echo "styles-50k: $ms ms"
grep -q '"text":"主要举措和成效","numbering":"一、"' "$out" ||
	nfail "styles-50k: the numbered heading is lost"
grep -q '"text":"存在的不足和原因","numbering":"二、"' "$out" ||
	nfail "styles-50k: the second list number is wrong"
unreadable styles-200k "$B/styles-200k.docx" "word/styles.xml：正文以外的部件"
echo "styles-200k: $ms ms"
exit $fail
