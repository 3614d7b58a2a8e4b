#!/bin/bash
# The workbook on paper (issue 14, item 7): papercheck.py reads the page
# set-up, print titles, column breaks and row heights back from the XML;
# where LibreOffice Calc is installed, the printed PDF has no text below
# 8 pt and every page its 第 n 页 共 N 页.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$SRC"/examples/reports/*.txt "$T/in/"
make_corrupt "$T/in"
fz rollup -q "$T/in" -o "$T/out.xlsx" 2>"$T/err" || fail "rollup: $(cat "$T/err")"
python3 "$SRC/tests/rollup/papercheck.py" "$T/out.xlsx" || fail "not readable on paper"
command -v libreoffice >/dev/null 2>&1 || exit 0
ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || exit 0
HOME="$T" timeout 180 libreoffice --headless --norestore --convert-to pdf --outdir "$T" "$T/out.xlsx" \
	>"$T/lo.log" 2>&1 || fail "libreoffice: $(cat "$T/lo.log")"
n=$(pdfinfo "$T/out.pdf" | sed -n 's/^Pages: *//p')
[ "$(pdftotext "$T/out.pdf" - | grep -c "^第 [0-9]* 页 共 $n 页$")" = "$n" ] || fail "pages without 第 n 页 共 $n 页"
# a word's box is 1.18 times its font size: 9.4 pt is text of 8 pt
pdftotext -bbox "$T/out.pdf" - | python3 -c '
import re, sys
h = [float(b) - float(a) for a, b in re.findall(r"<word xMin=\"[^\"]*\" yMin=\"([^\"]*)\" xMax=\"[^\"]*\" yMax=\"([^\"]*)\"", sys.stdin.read())]
sys.exit(0 if h and min(h) >= 9.4 else "smallest text %.1f pt" % (min(h) / 1.18))' || fail "printed text below 8 pt"
exit 0
