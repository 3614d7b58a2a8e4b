"""docxkit.py: the small pieces the tests/bad/*.sh scripts build hostile
.docx packages from (imported with sys.path = $SRC/tests/tools).

    import docxkit as k
    k.package(path, k.document(k.para('正文')), parts={'word/styles.xml': ...},
              rels=[('styles', 'styles.xml')])

Only the standard library is used.  tests/tools/mkdocx.py writes the full
fixtures of tests/docx/; this writes the minimal packages a hostile case
needs, with every part given by the case.
"""
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
      'relationships+xml"/></Types>')
TITLE = '关于2024年度法治政府建设情况的报告'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def run(x):
    """A w:r around raw run content."""
    return '<w:r>%s</w:r>' % x


def text(s, rpr=''):
    """A run of text, with optional raw w:rPr content."""
    rpr = '<w:rPr>%s</w:rPr>' % rpr if rpr else ''
    return '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, esc(s))


def para(content, ppr=''):
    """A w:p; content is text (made a run) or raw XML starting with '<'."""
    if not content.startswith('<'):
        content = text(content)
    ppr = '<w:pPr>%s</w:pPr>' % ppr if ppr else ''
    return '<w:p>%s%s</w:p>' % (ppr, content)


def document(*paras):
    return '<w:document %s %s><w:body>%s</w:body></w:document>' % (W, R, ''.join(paras))


def rels(pairs):
    """word/_rels/document.xml.rels from (type, target) pairs: rId1, rId2, ..."""
    return ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">%s</Relationships>' %
            ''.join('<Relationship Id="rId%d" Type="%s%s" Target="%s"/>' % (i + 1, REL, t, x)
                    for i, (t, x) in enumerate(pairs)))


def package(path, doc, parts=None, rels_=None, method=zipfile.ZIP_DEFLATED, entries=None):
    """Write a .docx: document.xml, the relationships, the other parts
    (name -> str or bytes), and raw (name, data) entries written as they
    are (duplicates included)."""
    with zipfile.ZipFile(path, 'w', method) as z:
        z.writestr('[Content_Types].xml', CT)
        if rels_:
            z.writestr('word/_rels/document.xml.rels', rels(rels_))
        z.writestr('word/document.xml', doc)
        for name, data in (parts or {}).items():
            z.writestr(name, data)
        for name, data in (entries or []):
            z.writestr(name, data)
