#!/bin/bash
# Fields nested deeper than the loader tracks (issue 18, item 19): 20 nested
# w:fldChar begins once made field_visible() read past the end of its table
# (UBSan under make asan).  The report is read; the text of the deep fields
# is left out, the text outside them is kept.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
PYTHONPATH=$SRC/tests/tools python3 - "$B" <<'PY'
import os, sys
import docxkit as k
d = sys.argv[1]
begin = k.run('<w:fldChar w:fldCharType="begin"/>') + k.run('<w:instrText>MERGEFIELD x</w:instrText>')
sep = k.run('<w:fldChar w:fldCharType="separate"/>')
end = k.run('<w:fldChar w:fldCharType="end"/>')
deep = (begin + sep) * 20 + k.text('深处的域结果') + end * 20
k.package(os.path.join(d, "deep-fields.docx"),
          k.document(k.para(k.TITLE), k.para(deep + k.text('一、主要举措和成效'))))
PY
readable deep-fields "$B/deep-fields.docx"
grep -q '主要举措和成效' "$out" || nfail "deep-fields: the text after the fields is lost"
exit $fail
