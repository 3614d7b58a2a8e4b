#!/bin/bash
# fzreport annotate on the loader's fixtures (automatic numbering, styles,
# the document's own revisions and comments, text boxes and tables, the
# gongwen set), on fixes.txt made into plain, styled and auto-numbered
# .docx (mkdocx.py --seed), and on every ../shared/samples .docx.  For each
# file tests/tools/annocheck.py checks (a) one comment per positioned
# finding, anchored on its marked text, plus one for the whole-document
# findings, with the document's own comments kept and the new ids above
# theirs, and every other zip entry byte-identical; (b) with fzreport's
# revisions rejected, the loader reads the same paragraphs as from the
# original; (c) the annotated file read as Word shows it (revisions
# accepted) no longer has the findings the fixes were for.
set -u
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
export SOURCE_DATE_EPOCH=1700000000
FZ_TOOLS=${FZ_TOOLS:-$SRC/build/tools}
[ -x "$FZ_TOOLS/dumpdocx" ] || { echo "dumpdocx not built (make tools)"; exit 77; }
fx=$TMPDIR/ann-fx
python3 "$SRC/tests/tools/mkdocx.py" "$fx" || exit 1
python3 "$SRC/tests/tools/mkdocx.py" --seed "$SRC/tests/annotate/fixes.txt" "$fx/seed" || exit 1
FIXRULES='FMT-012|FMT-004|FMT-002|QUAL-008|QUAL-016|QUAL-017|QUAL-018|QUAL-019|WORD-001|WORD-002'
fail=0
n=0
files=("$fx"/numbering.docx "$fx"/styles.docx "$fx"/revisions.docx "$fx"/boxes.docx
	"$fx"/gongwen-bad.docx "$fx"/gongwen-ok.docx "$fx"/gongwen-wrong.docx "$fx"/seed/*.docx)
while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$SHARED/samples" -name '*.docx' -print0 2>/dev/null | sort -z)
for f in "${files[@]}"; do
	n=$((n + 1))
	o=$TMPDIR/ann-$n.docx
	"$FZREPORT" check -f json "$f" > "$TMPDIR/ann-$n.json"
	if ! "$FZREPORT" annotate -q "$f" -o "$o"; then
		echo "annotate failed: $f"; fail=1; continue
	fi
	printf '%s\t%s\t%s\t%s\n' "$f" "$o" "$TMPDIR/ann-$n.json" "$TMPDIR/rej-$n.docx" >> "$TMPDIR/ann.list"
	# (c) accepted: fewer findings of the rules with fixes, by at least the fixes made
	fixes=$(unzip -p "$o" word/document.xml | grep -o '<w:ins w:id="[0-9]*" w:author="fzreport"' | wc -l)
	before=$(grep -oE "\"rule\":\"($FIXRULES)\"" "$TMPDIR/ann-$n.json" | wc -l)
	after=$("$FZREPORT" check -f json "$o" | grep -oE "\"rule\":\"($FIXRULES)\"" | wc -l)
	if [ "$after" -gt $((before - fixes)) ]; then
		echo "accepted fixes leave findings: $f: $before before, $fixes fixes, $after after"; fail=1
	fi
done
python3 "$SRC/tests/tools/annocheck.py" --list "$TMPDIR/ann.list" > "$TMPDIR/ann.out" || {
	grep '^annocheck:' "$TMPDIR/ann.out"; fail=1; }
# (b) rejected: the same paragraphs as the original (loader notes aside)
while IFS=$'\t' read -r f o j r; do
	if ! diff <("$FZ_TOOLS/dumpdocx" "$f" | grep -v '^note') \
		<("$FZ_TOOLS/dumpdocx" "$r" | grep -v '^note') >/dev/null; then
		echo "rejecting the revisions does not give the original text: $f"; fail=1
	fi
done < "$TMPDIR/ann.list"
# fixes.txt: every mechanical case of the default rules is fixed (none is in a drawn number there)
for f in "$SRC/tests/annotate/fixes.txt" "$fx"/seed/plain.docx "$fx"/seed/styled.docx; do
	"$FZREPORT" annotate -q "$f" -o "$TMPDIR/fixed.docx" || { echo "annotate $f failed"; exit 1; }
	left=$("$FZREPORT" check -q "$TMPDIR/fixed.docx" | grep -E ": ($FIXRULES):")
	[ -z "$left" ] || { echo "fixes left findings in $f:"; echo "$left"; fail=1; }
done
# the kinds of fix are all there
"$FZREPORT" annotate -q "$SRC/tests/annotate/fixes.txt" -o "$TMPDIR/fixed.docx"
ins=$(unzip -p "$TMPDIR/fixed.docx" word/document.xml | python3 -c '
import re, sys
s = sys.stdin.read()
for d, i in re.findall(r"<w:del [^>]*>(.*?)</w:del><w:ins [^>]*>(.*?)</w:ins>", s):
    t = lambda x, tag: "".join(re.findall(r"<w:%s[^>]*>([^<]*)</w:%s>" % (tag, tag), x))
    print(t(d, "delText") + "->" + t(i, "t"))')
for want in '沙政[2024]12号->沙政〔2024〕12号' '法制->法治' '截止->截至' '(一)->（一）' '(->（' ')->）' ',->，' '2、->二、' '存在存在->存在'; do
	grep -qxF -- "$want" <<<"$ins" || { echo "fix missing: $want"; echo "$ins"; fail=1; }
done
# --no-fix: comments only, text untouched
"$FZREPORT" annotate -q --no-fix "$fx/seed/plain.docx" -o "$TMPDIR/nofix.docx" || exit 1
if unzip -p "$TMPDIR/nofix.docx" word/document.xml | grep -q '<w:ins '; then
	echo "--no-fix made revisions"; fail=1
fi
echo "$n files" >&2
exit $fail
