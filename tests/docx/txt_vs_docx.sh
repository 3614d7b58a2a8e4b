#!/bin/bash
# The same report as .txt and as .docx -- plain (one w:p per line), styled
# (一、/（一） lines in Heading 1/2 styles) and auto-numbered (一、/（一）
# drawn by numbering.xml, not in the text) -- gives the same outline and
# sections in the JSON output.  Made from every seed report.
set -u
command -v python3 >/dev/null || exit 77
[ -x "$FZREPORT" ] || exit 77
ls "$SHARED"/corpus/seeds/*.txt >/dev/null 2>&1 || exit 77
fail=0
for txt in "$SHARED"/corpus/seeds/*.txt; do
	name=$(basename "$txt" .txt)
	dir=$TMPDIR/seed-$name
	python3 "$SRC/tests/tools/mkdocx.py" --seed "$txt" "$dir" || exit 1
	"$FZREPORT" check --format json "$txt" > "$dir/txt.json"
	for kind in plain styled autonum; do
		"$FZREPORT" check --format json "$dir/$kind.docx" > "$dir/$kind.json"
		python3 - "$dir/txt.json" "$dir/$kind.json" "$name $kind" <<'PY' || fail=1
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
bad = False
if b.get('format') != 'docx' or b.get('error'):
    print('FAIL %s: not read as docx: %s' % (sys.argv[3], b.get('error')))
    sys.exit(1)
for key in ('outline', 'sections'):
    if a[key] != b[key]:
        bad = True
        print('FAIL %s: %s differs' % (sys.argv[3], key))
        for x, y in zip(a[key], b[key]):
            if x != y:
                print('  txt : %s' % json.dumps(x, ensure_ascii=False))
                print('  docx: %s' % json.dumps(y, ensure_ascii=False))
                break
        if len(a[key]) != len(b[key]):
            print('  %d vs %d entries' % (len(a[key]), len(b[key])))
n = len(a['outline'])
if not bad:
    print('ok %s: %d outline entries, %d sections' % (sys.argv[3], n, len(a['sections'])))
sys.exit(1 if bad else 0)
PY
	done
done
exit $fail
