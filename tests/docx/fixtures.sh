#!/bin/bash
# The .docx loader on fixtures made by tests/tools/mkdocx.py: automatic
# numbering at two levels (chineseCounting "%1、", "（%2）"), restarts and
# overrides, numPr from a style; Heading/标题/Title styles, custom outline
# levels through basedOn, direct w:outlineLvl; w:ins/w:del, comments,
# footnotes; text boxes, a data table and a one-cell table, fields (PAGE
# left out), breaks, symbols, hidden text; layout.  Expected dumps (checked
# by hand) are in fixtures.expect.
set -u
command -v python3 >/dev/null || exit 77
out=$TMPDIR/docx-fixtures
python3 "$SRC/tests/tools/mkdocx.py" "$out" || exit 1
for f in numbering styles revisions boxes; do
	echo "== $f"
	"$FZ_TOOLS/dumpdocx" -a -m -l "$out/$f.docx" || exit 1
done > "$TMPDIR/fixtures.got"
diff -u "$SRC/tests/docx/fixtures.expect" "$TMPDIR/fixtures.got"
