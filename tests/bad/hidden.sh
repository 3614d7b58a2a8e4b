#!/bin/bash
# Text hidden through a style or docDefaults (issue 18, item 14): w:vanish
# inherited from the paragraph style's chain, a character style or
# docDefaults was checked as visible, so a report that shows a blank page
# passed.  It is resolved like the font: left out of the text, and the
# report gets a DOCX-HIDDEN warning at the first hidden character that
# says how much was hidden.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
PYTHONPATH=$SRC/tests/tools python3 - "$B" <<'PY'
import os, sys
import docxkit as k
d = sys.argv[1]
def styles(defaults=''):
    return ('<w:styles %s><w:docDefaults><w:rPrDefault><w:rPr>%s</w:rPr></w:rPrDefault>'
            '</w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="基础"/>'
            '<w:rPr><w:vanish/></w:rPr></w:style>'
            '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="正文样式"/>'
            '<w:basedOn w:val="Base"/></w:style>'
            '<w:style w:type="character" w:styleId="Secret"><w:name w:val="秘"/>'
            '<w:rPr><w:vanish w:val="1"/></w:rPr></w:style>'
            '<w:style w:type="character" w:styleId="Shown"><w:name w:val="显"/>'
            '<w:rPr><w:vanish w:val="0"/></w:rPr></w:style></w:styles>' % (k.W, defaults))
def pkg(name, paras, defaults=''):
    k.package(os.path.join(d, name), k.document(*paras), {'word/styles.xml': styles(defaults)},
              [('styles', 'styles.xml')])
pkg('chain.docx', [
    k.para(k.TITLE),
    k.para('一、主要举措和成效'),
    k.para('经由样式链隐藏的段落', '<w:pStyle w:val="Body"/>'),
    k.para(k.text('看得见的文字') + k.text('字符样式隐藏', '<w:rStyle w:val="Secret"/>')),
    k.para(k.text('样式隐藏但直接取消', '<w:vanish w:val="0"/>'), '<w:pStyle w:val="Body"/>'),
])
# everything hidden by docDefaults except one run that a character style shows
pkg('defaults.docx', [
    k.para(k.TITLE),
    k.para('一、主要举措和成效'),
    k.para(k.text('唯一可见', '<w:rStyle w:val="Shown"/>')),
], '<w:vanish/>')
PY
[ -x "${FZ_TOOLS:-}/dumpdocx" ] || { echo "no dumpdocx (make tools)"; exit 77; }
readable chain "$B/chain.docx"
python3 - "$out" <<'PY' || nfail "chain: no DOCX-HIDDEN warning at paragraph 3 with the count"
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").read())
f = [x for x in d["findings"] if x["rule"] == "DOCX-HIDDEN"]
assert len(f) == 1 and f[0]["line"] == 3 and f[0]["column"] == 1, f
assert f[0]["severity"] == "warning" and "隐藏文字" in f[0]["message"], f
assert f[0]["excerpt"] == "2 段中共 16 字", f
PY
"$FZ_TOOLS/dumpdocx" "$B/chain.docx" >"$B/chain.dump"
for s in 经由样式链隐藏 字符样式隐藏; do
	grep -q "$s" "$B/chain.dump" && nfail "chain: hidden text '$s' is read as visible"
done
for s in 看得见的文字 样式隐藏但直接取消; do
	grep -q "$s" "$B/chain.dump" || nfail "chain: visible text '$s' is lost"
done
readable defaults "$B/defaults.docx"
grep -q '"rule":"DOCX-HIDDEN"' "$out" || nfail "defaults: no DOCX-HIDDEN finding"
"$FZ_TOOLS/dumpdocx" "$B/defaults.docx" >"$B/defaults.dump"
grep -q 唯一可见 "$B/defaults.dump" || nfail "defaults: the shown run is lost"
grep -q 主要举措和成效 "$B/defaults.dump" && nfail "defaults: text hidden by docDefaults is read"
run defaults-term "$FZREPORT" check "$B/defaults.docx"
grep -q "DOCX-HIDDEN: 文档中有隐藏文字" "$out" || nfail "defaults: no DOCX-HIDDEN line: $(head -3 "$out")"
exit $fail
