#!/usr/bin/env python3
"""mkdocx.py: write the .docx fixtures of tests/docx/ (and hostile files).

    mkdocx.py OUTDIR                 all fixtures into OUTDIR
    mkdocx.py --seed TXT OUTDIR      plain.docx, styled.docx, autonum.docx made
                                     from one plain-text report

Only the standard library (zipfile) is used, so the fixtures are made at
test time.  Every fixture is a minimal but valid WordprocessingML package
written the way Word or WPS writes the feature it tests.
"""
import os
import re
import sys
import zipfile

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
NS = ('xmlns:w="%s" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'mc:Ignorable="wps"' % W)
HDR = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def t(s):
    return '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % esc(s)


def p(content='', ppr=''):
    if ppr:
        ppr = '<w:pPr>%s</w:pPr>' % ppr
    return '<w:p>%s%s</w:p>' % (ppr, content)


def sect(w=11906, h=16838, top=2098, bottom=1984, left=1587, right=1474, grid=True):
    g = '<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"/>' if grid else ''
    return ('<w:sectPr><w:footerReference w:type="default" r:id="rIdF1"/>'
            '<w:pgSz w:w="%d" w:h="%d"/>'
            '<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" '
            'w:footer="992" w:gutter="0"/>%s</w:sectPr>' % (w, h, top, right, bottom, left, g))


STYLES = HDR + '''<w:styles %s>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/>
<w:sz w:val="32"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/>
<w:pPr><w:jc w:val="both"/><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>
<w:pPr><w:outlineLvl w:val="0"/><w:ind w:firstLineChars="200"/></w:pPr>
<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/>
<w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="30"><w:name w:val="标题 3"/><w:basedOn w:val="a"/>
<w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="a"/>
<w:pPr><w:jc w:val="center"/><w:ind w:firstLineChars="0"/></w:pPr>
<w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Title"/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="MyBase"><w:name w:val="我的基础"/>
<w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="MyHead"><w:name w:val="我的小标题"/>
<w:basedOn w:val="MyBase"/><w:rPr><w:rFonts w:eastAsiaTheme="majorEastAsia"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="ListHead"><w:name w:val="列表标题"/>
<w:basedOn w:val="a"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>
<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>''' % NS

THEME = HDR + '''<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="t">
<a:themeElements><a:fontScheme name="f">
<a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/>
<a:font script="Hans" typeface="等线 Light"/></a:majorFont>
<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>
<a:font script="Hans" typeface="等线"/></a:minorFont>
</a:fontScheme></a:themeElements></a:theme>'''


def lvl(i, fmt, text, start=1, suff=None, pstyle=None):
    s = '<w:lvl w:ilvl="%d"><w:start w:val="%d"/><w:numFmt w:val="%s"/>' % (i, start, fmt)
    if pstyle:
        s += '<w:pStyle w:val="%s"/>' % pstyle
    if suff:
        s += '<w:suff w:val="%s"/>' % suff
    return s + '<w:lvlText w:val="%s"/><w:lvlJc w:val="left"/></w:lvl>' % text


NUMBERING = HDR + '''<w:numbering %s>
<w:abstractNum w:abstractNumId="0">%s%s%s</w:abstractNum>
<w:abstractNum w:abstractNumId="1">%s%s</w:abstractNum>
<w:abstractNum w:abstractNumId="2">%s%s%s</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/>
<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="0"/>
<w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>
</w:numbering>''' % (
    NS,
    lvl(0, 'chineseCounting', '%1、', suff='nothing', pstyle='ListHead'),
    lvl(1, 'chineseCounting', '（%2）', suff='nothing'),
    lvl(2, 'decimal', '%3.', suff='space'),
    lvl(0, 'decimalEnclosedCircle', '%1'),
    lvl(1, 'upperLetter', '%2)'),
    lvl(0, 'ideographTraditional', '%1、'),
    lvl(1, 'decimal', '%1.%2'),
    lvl(2, 'bullet', '\u25cf'))

FOOTER = HDR + '''<w:ftr %s><w:p><w:pPr><w:jc w:val="right"/></w:pPr>%s
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>%s</w:p>
<w:p><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple><w:r><w:t>页脚</w:t></w:r></w:p></w:ftr>''' % (
    NS, t('— '), t(' —'))

COMMENTS = HDR + '''<w:comments %s>
<w:comment w:id="0" w:author="审核人" w:date="2024-01-01T00:00:00Z"><w:p>%s</w:p></w:comment>
<w:comment w:id="1" w:author="审核人" w:date="2024-01-01T00:00:00Z"><w:p>%s</w:p></w:comment>
</w:comments>''' % (NS, t('请核实数据'), t('此处表述不准确'))

FOOTNOTES = HDR + '''<w:footnotes %s>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p>%s</w:p></w:footnote></w:footnotes>''' % (NS, t('脚注正文'))

CORE = HDR + '''<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>%s</dc:title><dc:creator>县司法局</dc:creator>
<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-20T08:00:00Z</dcterms:modified>
</cp:coreProperties>'''

CT = HDR + '''<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>'''

TOPRELS = HDR + '''<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="%sofficeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>''' % REL


def package(path, body, title='测试文档', extra=None, footer=True, comments=False,
            footnotes=False, numbering=True, styles=True, document=None):
    """Write a .docx whose body is the list of block XML strings body."""
    rels = ['<Relationship Id="rIdS" Type="%sstyles" Target="styles.xml"/>' % REL,
            '<Relationship Id="rIdT" Type="%stheme" Target="theme/theme1.xml"/>' % REL]
    parts = {'word/theme/theme1.xml': THEME, 'docProps/core.xml': CORE % esc(title)}
    if styles:
        parts['word/styles.xml'] = STYLES
    if numbering:
        rels.append('<Relationship Id="rIdN" Type="%snumbering" Target="numbering.xml"/>' % REL)
        parts['word/numbering.xml'] = NUMBERING
    if footer:
        rels.append('<Relationship Id="rIdF1" Type="%sfooter" Target="footer1.xml"/>' % REL)
        parts['word/footer1.xml'] = FOOTER
    if comments:
        rels.append('<Relationship Id="rIdC" Type="%scomments" Target="comments.xml"/>' % REL)
        parts['word/comments.xml'] = COMMENTS
    if footnotes:
        rels.append('<Relationship Id="rIdFn" Type="%sfootnotes" Target="footnotes.xml"/>' % REL)
        parts['word/footnotes.xml'] = FOOTNOTES
    if document is None:
        document = HDR + '<w:document %s><w:body>%s%s</w:body></w:document>' % (
            NS, ''.join(body), sect())
    parts['word/document.xml'] = document
    parts['word/_rels/document.xml.rels'] = HDR + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '%s</Relationships>' % ''.join(rels))
    parts.update(extra or {})
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('_rels/.rels', TOPRELS)
        for name in sorted(parts):
            if parts[name] is not None:
                z.writestr(name, parts[name])


def num(numid, ilvl=None):
    s = '<w:numPr>'
    if ilvl is not None:
        s += '<w:ilvl w:val="%d"/>' % ilvl
    return s + '<w:numId w:val="%d"/></w:numPr>' % numid


def fixtures(out):
    j = lambda n: os.path.join(out, n)  # noqa: E731

    # Automatic numbering at two levels, restarts, overrides, numPr from a style.
    package(j('numbering.docx'), [
        p(t('关于2024年法治政府建设情况的报告'), '<w:pStyle w:val="Title"/>'),
        p(t('总体情况'), num(1, 0)),
        p(t('学法用法'), num(1, 1)),
        p(t('依法决策'), num(1, 1)),
        p(t('细化制度'), num(1, 2)),
        p(t('完善流程'), num(1, 2)),
        p(t('存在的不足'), '<w:pStyle w:val="ListHead"/>'),
        p(t('制度建设'), num(1, 1)),
        p(t('正文段落，不编号。')),
        p(t('下一步打算'), num(1, 0)),
        p(t('圈号一'), num(2, 0)),
        p(t('字母甲'), num(2, 1)),
        p(t('字母乙'), num(2, 1)),
        p(t('圈号二'), num(2, 0)),
        p(t('重新开始'), num(3, 0)),
        p(t('天干一'), num(4, 0)),
        p(t('天干二'), num(4, 0)),
        p(t('多级'), num(4, 1)),
        p(t('项目符号'), num(4, 2)),
        p(t('从九开始'), num(5, 0)),
        p(t('取消编号'), '<w:pStyle w:val="ListHead"/>' + num(0)),
    ], footer=False)

    # Heading styles, custom outline levels via basedOn, direct outlineLvl, layout.
    package(j('styles.docx'), [
        p(t('县人民政府2024年法治政府建设年度报告'), '<w:pStyle w:val="Title"/>'),
        p(t('（2025年1月）'), '<w:pStyle w:val="Subtitle"/>'),
        p(t('　　2024年，我县坚持以习近平法治思想为指导。')),
        p(t('一、主要举措'), '<w:pStyle w:val="1"/>'),
        p(t('（一）加强组织领导'), '<w:pStyle w:val="2"/>'),
        p(t('1.健全制度'), '<w:pStyle w:val="30"/>'),
        p(t('自定义二级'), '<w:pStyle w:val="MyHead"/>'),
        p(t('直接大纲级别'), '<w:outlineLvl w:val="0"/>'),
        p(t('正文文字'), '<w:pStyle w:val="1"/><w:outlineLvl w:val="9"/>'),
        p('<w:r><w:rPr><w:rFonts w:eastAsia="楷体"/><w:b/><w:sz w:val="30"/></w:rPr>'
          '<w:t>直接格式</w:t></w:r>' + t('其余'),
          '<w:jc w:val="center"/><w:spacing w:line="360" w:lineRule="auto"/>'
          '<w:ind w:firstLineChars="0" w:firstLine="0"/>'),
        p('<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>字符样式加粗</w:t></w:r>'),
        p(''),
    ], footer=True)

    # Tracked changes, comments, footnotes.
    package(j('revisions.docx'), [
        p(t('一、主要举措')),
        p(t('我局') + '<w:ins w:id="1" w:author="a"><w:r><w:t>认真</w:t></w:r></w:ins>'
          '<w:del w:id="2" w:author="a"><w:r><w:delText>努力</w:delText></w:r></w:del>'
          + t('落实。')),
        p('<w:commentRangeStart w:id="0"/>' + t('全年办理案件120件。') +
          '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'),
        p(t('规范执法') + '<w:r><w:footnoteReference w:id="1"/></w:r>' +
          '<w:r><w:commentReference w:id="1"/></w:r>'),
        p('<w:moveFrom w:id="5" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom>' + t('留下')),
    ], comments=True, footnotes=True)

    # Text boxes, tables, fields, breaks, symbols, hidden text.
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
           '<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>%s</w:txbxContent>'
           '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>%s</w:txbxContent>'
           '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    inner = p(t('文本框第一段')) + p(t('文本框第二段'))
    cell = lambda s: '<w:tc><w:tcPr/>%s</w:tc>' % p(t(s))  # noqa: E731
    package(j('boxes.docx'), [
        p(t('版头')),
        '<w:tbl><w:tblPr/><w:tr>%s</w:tr></w:tbl>' % cell(''),
        p(t('锚定段落') + box % (inner, inner)),
        p(t('表格如下：')),
        '<w:tbl><w:tblPr/><w:tr>%s%s</w:tr><w:tr>%s%s</w:tr></w:tbl>' % (
            cell('项目'), cell('数量'), cell('行政复议'), cell('12')),
        p('<w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>制表</w:t></w:r>'
          '<w:r><w:br w:type="page"/></w:r>'),
        p('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
          '<w:r><w:instrText> DATE \\@ "yyyy年M月d日" </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2025年1月20日</w:t></w:r>'
          '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + t('成文')),
        p(t('　　全角缩进') + '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>' +
          '<w:r><w:sym w:font="Symbol" w:char="F02B"/></w:r>' +
          '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>' +
          '<w:hyperlink r:id="x">%s</w:hyperlink>' % t('链接文字')),
        p(t('第') + '<w:fldSimple w:instr=" PAGE "><w:r><w:t>5</w:t></w:r></w:fldSimple>' + t('页')),
    ])


def hostile(out):
    j = lambda n: os.path.join(out, n)  # noqa: E731
    good = j('numbering.docx')
    data = open(good, 'rb').read()
    open(j('truncated.docx'), 'wb').write(data[:len(data) * 2 // 3])
    open(j('notzip.docx'), 'wb').write('这不是 Word 文档\n'.encode())
    open(j('empty.docx'), 'wb').write(b'')
    ole = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\0' * 504
    open(j('renamed.docx'), 'wb').write(ole + 'WordDocument'.encode('utf-16-le') + b'\0' * 512)
    open(j('legacy.doc'), 'wb').write(ole + 'WordDocument'.encode('utf-16-le') + b'\0' * 512)
    open(j('encrypted.docx'), 'wb').write(
        ole + 'EncryptionInfo'.encode('utf-16-le') + b'\0' * 64 +
        'EncryptedPackage'.encode('utf-16-le') + b'\0' * 512)
    # A 300 MB part of zeros: 300 KB compressed.
    with zipfile.ZipFile(j('bomb.docx'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('_rels/.rels', TOPRELS)
        with z.open('word/document.xml', 'w', force_zip64=True) as f:
            block = b' ' * (1 << 20)
            for _ in range(300):
                f.write(block)
    # 20 MB part at a ratio far above 200:1, under the per-part limit.
    with zipfile.ZipFile(j('ratio.docx'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('_rels/.rels', TOPRELS)
        z.writestr('word/document.xml', HDR + '<w:document %s><w:body>' % NS +
                   ' ' * (20 << 20) + '</w:body></w:document>')
    lol = HDR + ('<!DOCTYPE lolz [<!ENTITY lol "lol">' +
                 ''.join('<!ENTITY lol%d "%s">' % (i, ('&lol%s;' % (i - 1 or '')) * 10)
                         for i in range(1, 10)) +
                 ']><w:document %s><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
                 '</w:body></w:document>' % NS)
    package(j('entitybomb.docx'), [], document=lol)
    xxe = HDR + ('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                 '<w:document %s><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
                 '</w:body></w:document>' % NS)
    package(j('xxe.docx'), [], document=xxe)
    dtd16 = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d [<!ENTITY x "x">]>'
             '<w:document %s><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
             '</w:body></w:document>' % NS).encode('utf-16')
    package(j('dtd16.docx'), [], document=dtd16)
    package(j('nodocument.docx'), [], document=None, extra={'word/document.xml': None})
    bad = HDR + '<w:document %s><w:body>\n<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>\n' \
        '<w:p><w:r><w:t>未闭合</w:r></w:p>\n</w:body></w:document>' % NS
    package(j('malformed.docx'), [], document=bad)
    deep = HDR + '<w:document %s><w:body>' % NS + '<w:sdt><w:sdtContent>' * 300 + \
        '</w:sdtContent></w:sdt>' * 300 + '</w:body></w:document>'
    package(j('deep.docx'), [], document=deep)
    package(j('badstyles.docx'), [p(t('正文'))], extra={'word/styles.xml': HDR + '<w:styles %s>\n<w:style>' % NS})


# ---- a 公文 in GB/T 9704 format, and the same with format faults ----

GW_STYLES = HDR + """<w:styles %s>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/>
<w:sz w:val="32"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/>
<w:pPr><w:jc w:val="both"/><w:ind w:firstLineChars="200"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="BT"><w:name w:val="公文标题"/><w:basedOn w:val="a"/>
<w:pPr><w:jc w:val="center"/><w:ind w:firstLineChars="0"/></w:pPr>
<w:rPr><w:rFonts w:ascii="FZXiaoBiaoSong-B05S" w:eastAsia="FZXiaoBiaoSong-B05S"/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>
<w:rPr><w:rFonts w:eastAsia="SimHei"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="KT"><w:name w:val="楷体基础"/><w:basedOn w:val="a"/>
<w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="KT"/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="BJ"><w:name w:val="版记"/><w:basedOn w:val="a"/>
<w:pPr><w:ind w:firstLineChars="0"/></w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:style>
</w:styles>""" % NS

GW_THEME = HDR + """<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="t">
<a:themeElements><a:fontScheme name="f">
<a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface="SimHei"/><a:cs typeface=""/></a:majorFont>
<a:minorFont><a:latin typeface="Times New Roman"/><a:ea typeface="FangSong"/><a:cs typeface=""/></a:minorFont>
</a:fontScheme></a:themeElements></a:theme>"""


def rt(s, font=None, sz=None, b=False, ascii_only=False):
    """A run with direct formatting: east-Asian font (or only w:ascii), size in half-points, bold."""
    rpr = ''
    if font and ascii_only:
        rpr += '<w:rFonts w:ascii="%s" w:hAnsi="%s"/>' % (font, font)
    elif font:
        rpr += '<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s"/>' % (font, font, font)
    if b:
        rpr += '<w:b/>'
    if sz:
        rpr += '<w:sz w:val="%d"/>' % sz
    return '<w:r><w:rPr>%s</w:rPr><w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, esc(s))


def gongwen(path, bad, wrong=False):
    """Every element of a 公文; bad puts a fault into several of them, wrong sets every run in 小四 宋体."""
    st = lambda sid: '<w:pStyle w:val="%s"/>' % sid  # noqa: E731
    left = '<w:jc w:val="left"/><w:ind w:firstLineChars="0"/>'
    centre = '<w:jc w:val="center"/><w:ind w:firstLineChars="0"/>'
    right = '<w:jc w:val="right"/><w:ind w:firstLineChars="0"/>'
    body = [
        p(rt('000001', 'Times New Roman', ascii_only=True), left),
        p(rt('机密★1年', '仿宋_GB2312' if bad else '黑体'), left),
        p(rt('特急', 'SimHei'), left),
        p(rt('××县人民政府文件', '方正小标宋_GBK', 72), centre),
        p(rt('×府报〔2025〕3号') + rt('　签发人：') + rt('张三', '仿宋_GB2312' if bad else 'KaiTi'), right),
        p(rt('××县人民政府关于2024年', 'SimSun') if bad else t('××县人民政府关于2024年'), st('BT')),
        p(rt('法治政府建设情况的报告', 'SimSun') if bad else t('法治政府建设情况的报告'), st('BT')),
        p(t('市人民政府：'), left),
        p(t('2024年，全县受理行政复议案件1,000件，办结率99.5%，政务大厅每天8:30开门办公，'
            '网址https://www.gov.cn/fzzf，按1:2配备执法辅助人员。')),
        p(rt('一、主要举措和成效', 'KaiTi') if bad else t('一、主要举措和成效'), st('1')),
        p(rt('（一）加强组织领导。', '楷体_GB2312', b=True) +
          (rt('县政府常务会议研究法治工作4次。', '楷体_GB2312') if bad else t('县政府常务会议研究法治工作4次。'))),
        p(rt('一是', '黑体') + t('完善制度，出台规范性文件3件；') + rt('二是', '黑体') + t('强化督查，开展专项检查2次。')),
        p(t('（二）推进依法决策'), st('2')),
        p(t('1.健全合法性审查机制')),
        p(t('重大行政决策全部经过合法性审查。') if not bad else rt('重大行政决策全部经过合法性审查。', sz=30)),
        p(t('二、存在的不足和原因'), st('1')),
        p(t('一是执法人员专业能力不足，原因是培训不够；二是基层普法形式单一。')),
        p(t('三、下一年度工作安排'), st('1')),
        p(t('各村(社区)开展普法,受理纠纷。') if bad else t('各村（社区）开展普法，受理纠纷。')),
        p(t('附件：2024年法治政府建设工作台账')),
        p(t('××县人民政府'), right),
        p(t('2025年1月20日'), right),
        p(t('（此件公开发布）'), left),
        p('', sect()),
        p(rt('附件', 'SimHei'), left),
        p(t('2024年法治政府建设工作台账'), st('BT')),
        p(t('台账按季度更新。')),
        p(t('抄送：县委办公室。'), st('BJ') if not bad else left),
        p(t('××县人民政府办公室　　2025年1月20日印发'), st('BJ')),
    ]
    last = sect(top=1440 if bad else 2098)
    document = HDR + '<w:document %s><w:body>%s%s</w:body></w:document>' % (NS, ''.join(body), last)
    if wrong:
        document = re.sub(r'<w:r>(<w:rPr>.*?</w:rPr>)?',
                          '<w:r><w:rPr><w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="SimSun"/>'
                          '<w:sz w:val="24"/></w:rPr>', document)
    package(path, [], document=document, numbering=False,
            extra={'word/styles.xml': GW_STYLES, 'word/theme/theme1.xml': GW_THEME})


def cn(n):
    """Chinese counting numeral of 1..99, as Word's chineseCounting draws it."""
    d = '〇一二三四五六七八九'
    if n < 10:
        return d[n]
    return (d[n // 10] if n >= 20 else '') + '十' + (d[n % 10] if n % 10 else '')


def seed_docs(txt, out):
    """plain, styled and auto-numbered .docx made from one plain-text report."""
    lines = open(txt, encoding='utf-8-sig').read().splitlines()
    lvl1 = re.compile(r'^([一二三四五六七八九十]+)、(.*)$')
    lvl2 = re.compile(r'^（([一二三四五六七八九十]+)）(.*)$')
    plain, styled, auto = [], [], []
    c1 = c2 = 0
    for ln in lines:
        plain.append(p(t(ln)))
        m1, m2 = lvl1.match(ln), lvl2.match(ln)
        # Word's counters only draw the numbers the text has when they run in sequence.
        if m1 and m1.group(1) == cn(c1 + 1):
            c1, c2 = c1 + 1, 0
            styled.append(p(t(ln), '<w:pStyle w:val="1"/>'))
            auto.append(p(t(m1.group(2)), num(1, 0)))
        elif m2 and c1 > 0 and m2.group(1) == cn(c2 + 1):
            c2 += 1
            styled.append(p(t(ln), '<w:pStyle w:val="2"/>'))
            auto.append(p(t(m2.group(2)), num(1, 1)))
        else:
            styled.append(p(t(ln)))
            auto.append(p(t(ln)))
    package(os.path.join(out, 'plain.docx'), plain, numbering=False)
    package(os.path.join(out, 'styled.docx'), styled, numbering=False)
    package(os.path.join(out, 'autonum.docx'), auto)


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == '--seed':
        os.makedirs(args[2], exist_ok=True)
        seed_docs(args[1], args[2])
        return
    if len(args) != 1:
        sys.exit('usage: mkdocx.py OUTDIR | mkdocx.py --seed TXT OUTDIR')
    os.makedirs(args[0], exist_ok=True)
    fixtures(args[0])
    hostile(args[0])
    gongwen(os.path.join(args[0], 'gongwen-ok.docx'), False)
    gongwen(os.path.join(args[0], 'gongwen-bad.docx'), True)
    gongwen(os.path.join(args[0], 'gongwen-wrong.docx'), False, True)


if __name__ == '__main__':
    main()
