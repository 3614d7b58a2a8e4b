#!/bin/bash
# Numbering definitions that name levels the list never defines (issue 18,
# item 1): a lvlText "%9" on level 1 and "%2" where only level 1 exists once
# dereferenced NULL and killed the whole batch.  Word draws such a level as a
# decimal counter; the reports are read, and the report after them too.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
PYTHONPATH=$SRC/tests/tools python3 - "$B" <<'PY'
import os, sys
import docxkit as k
d = sys.argv[1]
def numbering(lvls):
    return ('<w:numbering %s><w:abstractNum w:abstractNumId="0">%s</w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>' % (k.W, lvls))
def lvl(i, text, fmt="decimal"):
    return ('<w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="%s"/>'
            '<w:lvlText w:val="%s"/></w:lvl>' % (i, fmt, text))
def para(text, ilvl=None):
    num = '' if ilvl is None else ('<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="1"/>'
                                  '</w:numPr>' % ilvl)
    return k.para(text, num)
def pkg(name, lvls, paras):
    k.package(os.path.join(d, name), k.document(*paras),
              {"word/numbering.xml": numbering(lvls)}, [("numbering", "numbering.xml")])
pkg("undefined-9.docx", lvl(0, "%1、", "chineseCounting") + lvl(1, "%9.%2"),
    [para(k.TITLE), para("主要举措和成效", 0), para("健全制度", 1), para("完善机制", 1)])
pkg("undefined-2.docx", lvl(0, "%2.%1"),
    [para(k.TITLE), para("主要举措和成效", 0), para("存在的不足和原因", 0)])
PY
mkdir -p "$B/batch"
cp "$B/undefined-9.docx" "$B/undefined-2.docx" "$B/batch/"
printf '关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n' >"$B/batch/zz-last.txt"
readable undefined-9 "$B/undefined-9.docx"
readable undefined-2 "$B/undefined-2.docx"
run batch "$FZREPORT" check --format json "$B/batch"
[ $rc -le 2 ] || nfail "batch: exit $rc"
n=$(grep -c '"file"' "$out")
[ "$n" = 3 ] || nfail "batch: $n reports in the JSON, want 3"
exit $fail
