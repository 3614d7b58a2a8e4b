#!/bin/bash
# annotate of a .txt report: a GB/T 9704 .docx (the `new` writer) whose
# check gives the findings of the .txt (text round trip), less what only a
# .docx can have (its comments and revisions, fonts and page set-up), with
# the comments anchored as for a .docx; the seed reports too.
set -u
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
export SOURCE_DATE_EPOCH=1700000000
fail=0
: > "$TMPDIR/text.list"
n=0
for f in "$SRC/tests/annotate/fixes.txt" "$SHARED"/corpus/seeds/*.txt; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	"$FZREPORT" check -f json "$f" > "$TMPDIR/t-$n.json"
	"$FZREPORT" annotate -q --no-fix "$f" -o "$TMPDIR/t-$n.docx" || { echo "annotate $f failed"; fail=1; continue; }
	"$FZREPORT" check -f json "$TMPDIR/t-$n.docx" > "$TMPDIR/t-$n.docx.json"
	printf '%s\t%s\t%s\t%s\n' "$f" "$TMPDIR/t-$n.docx" "$TMPDIR/t-$n.json" "$TMPDIR/t-$n.rej.docx" >> "$TMPDIR/text.list"
	python3 - "$TMPDIR/t-$n.json" "$TMPDIR/t-$n.docx.json" "$f" <<'PY' || fail=1
import collections, json, sys
DOCX_ONLY = ('DOCX-', 'FMT-009', 'FMT-010', 'FMT-011')
def findings(p):
    r = json.loads(open(p, encoding='utf-8').readline())
    return collections.Counter((f['rule'], f['message']) for f in r['findings']
                               if not f['rule'].startswith(DOCX_ONLY))
a, b = findings(sys.argv[1]), findings(sys.argv[2])
if a != b:
    print('text round trip differs for %s:' % sys.argv[3])
    for k in sorted(set(a) | set(b)):
        if a[k] != b[k]:
            print('  txt %d docx %d  %s %s' % (a[k], b[k], k[0], k[1][:60]))
    sys.exit(1)
PY
done
python3 "$SRC/tests/tools/annocheck.py" --list "$TMPDIR/text.list" > "$TMPDIR/text.out" || {
	grep '^annocheck:' "$TMPDIR/text.out"; fail=1; }
exit $fail
