#!/bin/bash
# A line break in a .docx paragraph (w:br, w:cr) is a space in the text the
# rules read, but the clerk sees a new line: a title set on two lines with a
# break before 关于, a sentence broken after its 。, draw no QUAL-018; a space
# typed in the same document does.
set -u
command -v python3 >/dev/null || exit 77
d=$TMPDIR/punct-breaks
mkdir -p "$d"
python3 - "$SRC/tests/tools" "$d/breaks.docx" <<'PY' || exit 1
import sys
sys.path.insert(0, sys.argv[1])
import mkdocx as m
br = '<w:r><w:br/></w:r>'
cr = '<w:r><w:cr/></w:r>'
body = [
    m.p(m.t('城关镇人民政府') + br + m.t('关于2024年法治政府建设') + br + m.t('情况的报告'),
        '<w:jc w:val="center"/>'),
    m.p(m.t('县人民政府：')),
    m.p(m.t('一、主要举措和成效')),
    m.p(m.t('推进政务公开。') + br + m.t('全年公开信息120条，') + cr + m.t('受理申请12件。')),
    m.p(m.t('深入推进依法 行政，取得成效。')),
]
m.package(sys.argv[2], body)
PY
out=$("$FZREPORT" check "$d/breaks.docx" 2>&1)
got=$(printf '%s\n' "$out" | grep ': QUAL-018: ')
n=$(printf '%s\n' "$got" | grep -c .)
if [ "$n" -ne 1 ] || ! printf '%s\n' "$got" | grep -qF '依法 行政'; then
	echo "want one QUAL-018, at 依法 行政; got $n:"; printf '%s\n' "$got"; exit 1
fi
