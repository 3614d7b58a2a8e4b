#!/bin/bash
# GB/T 9704 format of a .docx (FMT-009, FMT-010, FMT-012) on 公文 fixtures
# made by tests/tools/mkdocx.py: gongwen-ok has every element (份号, 密级,
# 紧急程度, 发文机关标志, 发文字号 with 签发人, a two-line title, 主送机关,
# body with headings by style chain and theme fonts, a run-in 楷体 bold
# heading, 一是/二是 in 黑体, 附件说明, 落款, 附注, a second section with
# the 附件 page, 版记) in the right fonts under their other names (SimHei,
# FangSong, KaiTi, FZXiaoBiaoSong-B05S, 方正小标宋_GBK, 楷体_GB2312) and
# 1,000 / 99.5% / 8:30 / a URL / 1:2 in the text: nothing is reported.
# gongwen-bad has faults in some elements and a second section with a
# wrong margin; gongwen-wrong sets every run in 小四 宋体, so each element
# is reported under its own name.  On every .docx a layout rule is never
# both reported and "not checked".
set -u
command -v python3 >/dev/null || exit 77
out=$TMPDIR/gongwen
python3 "$SRC/tests/tools/mkdocx.py" "$out" || exit 1
for f in ok bad wrong; do
	echo "== $f"
	"$FZREPORT" check -q "$out/gongwen-$f.docx" 2>&1 | grep -E ': FMT-(009|010|011|012):' |
		sed "s|^$out/||"
done > "$TMPDIR/gongwen.got"
fail=0
diff -u "$SRC/tests/docx/gongwen.expect" "$TMPDIR/gongwen.got" || fail=1
both() { # file
	"$FZREPORT" check --format json "$1" 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
found = {f["rule"] for f in j["findings"]}
for u in j["not_checked"]:
    if u["rule"] in found and u["rule"].startswith("FMT-"):
        print("FAIL: %s: %s both reported and not checked" % (sys.argv[1], u["rule"]))
' "$1"
}
{
	for f in ok bad wrong; do both "$out/gongwen-$f.docx"; done
	if [ -d "$SHARED/samples" ]; then
		while IFS= read -r -d '' f; do both "$f"; done < <(find "$SHARED/samples" -name '*.docx' -print0)
	fi
} > "$TMPDIR/gongwen.both"
if [ -s "$TMPDIR/gongwen.both" ]; then
	cat "$TMPDIR/gongwen.both"
	fail=1
fi
exit $fail
