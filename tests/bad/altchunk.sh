#!/bin/bash
# altChunk bodies (issue 18, item 15): OA systems put the report into a .docx
# as an embedded HTML page (w:altChunk), which Word converts on opening; the
# report was read as 0 characters with "every part missing".  An HTML chunk
# is read with libxml2's HTML parser (UTF-8 without a charset, GB2312 with
# one), in its place among the body's paragraphs; a chunk in another format
# (MHT, RTF, an embedded .docx) makes the report unreadable with
# "另存为 .docx", never silently empty.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
[ -x "${FZ_TOOLS:-}/dumpdocx" ] || { echo "no dumpdocx (make tools)"; exit 77; }
PYTHONPATH=$SRC/tests/tools python3 - "$B" <<'PY'
import os, sys
import docxkit as k
d = sys.argv[1]
HTML = ('<html><head><title>标题栏</title><style>p {margin:0}</style></head><body>'
        '<h1 align="center">%s</h1>'
        '<p>一、主要举措和成效</p><p>  全面推进   依法行政，<b>健全</b>制度。<br>第二行</p>'
        '<table><tr><td>指标</td><td>数值</td></tr></table>'
        '<div>二、存在的不足和原因</div><script>var x = "脚本";</script></body></html>' % k.TITLE)
def pkg(name, chunk, target='afchunk.htm'):
    doc = k.document(k.para('前言段落'), '<w:altChunk r:id="rId1"/>', k.para('结尾段落'))
    k.package(os.path.join(d, name), doc, {'word/' + target: chunk}, [('aFChunk', target)])
pkg('html-utf8.docx', HTML.encode('utf-8'))
pkg('html-gbk.docx', HTML.replace('<head>', '<head><meta http-equiv="Content-Type" '
                                  'content="text/html; charset=gb2312">').encode('gb18030'))
pkg('mht.docx', b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n--x\r\n',
    'afchunk.mht')
pkg('rtf.docx', b'{\\rtf1\\ansi hello}', 'afchunk.rtf')
inner = os.path.join(d, 'inner.zip')
k.package(inner, k.document(k.para('内层')))
pkg('docx-chunk.docx', open(inner, 'rb').read(), 'afchunk.docx')
PY
for f in html-utf8 html-gbk; do
	readable "$f" "$B/$f.docx"
	grep -q '"text":"主要举措和成效","numbering":"一、"' "$out" || nfail "$f: the chunk's heading is lost"
	grep -q '"text":"存在的不足和原因","numbering":"二、"' "$out" || nfail "$f: the second heading is lost"
	"$FZ_TOOLS/dumpdocx" "$B/$f.docx" >"$B/$f.dump" || nfail "$f: dumpdocx"
	want='1 ----- 0 前言段落
2 ---s- 1 关于2024年度法治政府建设情况的报告
3 ----- 0 一、主要举措和成效
4 ----- 0 全面推进 依法行政，健全制度。
5 ----- 0 第二行
6 t---- 0 指标
7 t---- 0 数值
8 ----- 0 二、存在的不足和原因
9 ----- 0 结尾段落'
	[ "$(cat "$B/$f.dump")" = "$want" ] || nfail "$f: paragraphs: $(cat "$B/$f.dump")"
done
unreadable mht "$B/mht.docx" "MHT 网页归档 格式的内容块（altChunk），无法读取；请在 Word 中打开后另存为 .docx"
unreadable rtf "$B/rtf.docx" "RTF 格式"
unreadable docx-chunk "$B/docx-chunk.docx" "另存为 .docx"
exit $fail
