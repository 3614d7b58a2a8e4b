#!/bin/bash
# Damaged packages never crash the loader: the parts of the fixtures are
# cut short, have bytes dropped or repeated, or carry absurd attribute
# values, and re-zipped (fixed random seed).  Every file must end with
# exit status 0 or 3; a crash or a sanitizer report fails the test.
set -u
command -v python3 >/dev/null || exit 77
out=$TMPDIR/docx-mutate
python3 "$SRC/tests/tools/mkdocx.py" "$out/src" || exit 1
python3 - "$out" <<'PY' || exit 1
import random, re, sys, zipfile, os
random.seed(4)
out = sys.argv[1]
srcs = ['numbering', 'styles', 'revisions', 'boxes']
n = 0
for i in range(240):
    src = os.path.join(out, 'src', random.choice(srcs) + '.docx')
    zin = zipfile.ZipFile(src)
    parts = {k: zin.read(k) for k in zin.namelist()}
    victim = random.choice([k for k in parts if k.endswith('.xml') or k.endswith('.rels')])
    data = parts[victim]
    how = i % 4
    if how == 0:
        data = data[:random.randrange(len(data))]
    elif how == 1:
        for _ in range(5):
            a = random.randrange(len(data))
            data = data[:a] + data[a + random.randrange(1, 40):]
    elif how == 2:
        a = random.randrange(len(data)); b = min(len(data), a + random.randrange(1, 400))
        data = data[:b] + data[a:b] * random.randrange(2, 30) + data[b:]
    else:
        vals = [b'-1', b'0', b'99999999999999999999', b'-2147483648', b'1e308', b'abc', b'',
                b'4294967295', b'9']
        data = re.sub(rb'w:(val|w|h|top|line|start|ilvl|numId|abstractNumId|linePitch|charSpace|char)="[^"]*"',
                      lambda m: b'w:' + m.group(1) + b'="' + random.choice(vals) + b'"', data)
    parts[victim] = data
    with zipfile.ZipFile(os.path.join(out, 'm%03d.docx' % i), 'w', zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
PY
# one process for all files: a crash or leak anywhere fails the lot
"$FZ_TOOLS/dumpdocx" -a -l "$out"/m*.docx > /dev/null 2> "$TMPDIR/mut.err"
rc=$?
if [ $rc != 0 ] && [ $rc != 3 ] || grep -q "Sanitizer\|runtime error" "$TMPDIR/mut.err"; then
	echo "FAIL: exit $rc"; grep -v "^dumpdocx: " "$TMPDIR/mut.err" | head -20
	exit 1
fi
# most damage is reported, and each report names a part or the zip
grep -c "^dumpdocx: " "$TMPDIR/mut.err"
exit 0
