#!/bin/bash
# annotate a folder into a folder: what could be done is written (the
# folder structure kept, .txt made .docx), what could not is listed with
# the messages of check (.doc, encrypted, hostile); the output is refused
# before any work when it would replace an input; nothing else is left in
# the output folder.
set -u
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
export SOURCE_DATE_EPOCH=1700000000
fx=$TMPDIR/batch-fx
python3 "$SRC/tests/tools/mkdocx.py" "$fx" || exit 1
in=$TMPDIR/reports
mkdir -p "$in/sub"
cp "$fx/gongwen-bad.docx" "$in/a.docx"
cp "$SRC/tests/annotate/fixes.txt" "$in/b.txt"
cp "$fx/numbering.docx" "$in/sub/c.docx"
cp "$fx/legacy.doc" "$in/d.doc"
cp "$fx/encrypted.docx" "$in/e.docx"
cp "$fx/xxe.docx" "$in/f.docx"
out=$TMPDIR/batch-out/annotated
"$FZREPORT" annotate --no-fix "$in" -o "$out/" > "$TMPDIR/batch.out" 2> "$TMPDIR/batch.err"
st=$?
fail=0
[ $st -eq 3 ] || { echo "exit $st, want 3"; fail=1; }
for f in a.docx b.docx sub/c.docx; do
	[ -s "$out/$f" ] || { echo "missing $out/$f"; fail=1; }
done
for f in d.docx e.docx f.docx; do
	[ -e "$out/$f" ] && { echo "$f written for an unreadable input"; fail=1; }
done
left=$(cd "$out" && find . -type f | sort | tr '\n' ' ')
[ "$left" = "./a.docx ./b.docx ./sub/c.docx " ] || { echo "output folder holds: $left"; fail=1; }
grep -q '共 6 份：已生成 3 份，3 份未能生成' "$TMPDIR/batch.out" || { cat "$TMPDIR/batch.out"; fail=1; }
# the same messages as check
for f in d.doc e.docx f.docx; do
	msg=$("$FZREPORT" check -q "$in/$f" | sed -n 's/.*无法读取: READ: //p' | head -1)
	[ -n "$msg" ] || { echo "check gave no message for $f"; fail=1; continue; }
	grep -qF "$in/$f：$msg" "$TMPDIR/batch.err" || { echo "annotate message for $f differs from check's ($msg):"; cat "$TMPDIR/batch.err"; fail=1; }
done
grep -q '批注.*修订 0 处' "$TMPDIR/batch.out" || { echo "--no-fix made revisions"; cat "$TMPDIR/batch.out"; fail=1; }
# -o naming the input: refused, the input untouched
cp "$in/a.docx" "$TMPDIR/keep.docx"
"$FZREPORT" annotate "$in/a.docx" -o "$in/a.docx" 2> "$TMPDIR/same.err"
st=$?
[ $st -eq 6 ] || { echo "-o = input: exit $st, want 6"; fail=1; }
cmp -s "$in/a.docx" "$TMPDIR/keep.docx" || { echo "the input was changed"; fail=1; }
# a single report wants a .docx name
"$FZREPORT" annotate "$in/a.docx" -o "$TMPDIR/x.pdf" 2>/dev/null
[ $? -eq 5 ] || { echo "-o x.pdf accepted"; fail=1; }
# the same bytes twice (SOURCE_DATE_EPOCH)
"$FZREPORT" annotate -q "$in/a.docx" -o "$TMPDIR/once.docx" && "$FZREPORT" annotate -q "$in/a.docx" -o "$TMPDIR/twice.docx" &&
	cmp -s "$TMPDIR/once.docx" "$TMPDIR/twice.docx" || { echo "output not deterministic"; fail=1; }
exit $fail
