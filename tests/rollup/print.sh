#!/bin/bash
# The workbook as Excel and WPS evaluate and print it: every conditional
# format rule gives the intended colour on each cell it covers (formulas
# anchored on the range's top-left cell, LEFT counting characters); every
# sheet has an A4 page set-up with the sheet name and 第 &P 页 共 &N 页; the
# rule chart lists the most frequent rule on top (category axis reversed,
# value axis at the bottom, whole-number ticks, axis titles); filtering the
# rule list hides neither the verdict table nor the charts.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$SRC"/examples/reports/*.txt "$T/in/"
make_corrupt "$T/in"
fz rollup -q "$T/in" -o "$T/out.xlsx" 2>"$T/err" || fail "rollup: $(cat "$T/err")"
python3 "$SRC/tests/rollup/cfcheck.py" "$T/out.xlsx" || fail "conditional formats or page set-up"
c1=$(unzip -p "$T/out.xlsx" xl/charts/chart1.xml)
cat=${c1#*<c:catAx>}; cat=${cat%%</c:catAx>*}
val=${c1#*<c:valAx>}; val=${val%%</c:valAx>*}
case $cat in *'<c:orientation val="maxMin"/>'*) ;; *) fail "rule chart: categories not reversed" ;; esac
case $val in *'<c:crosses val="max"/>'*) ;; *) fail "rule chart: value axis not at the bottom" ;; esac
case $val in *'<c:orientation val="minMax"/>'*) ;; *) fail "rule chart: value axis reversed" ;; esac
case $cat in *'规则'*) ;; *) fail "rule chart: no category axis title" ;; esac
case $val in *'单位数'*) ;; *) fail "rule chart: no value axis title" ;; esac
for c in chart1 chart2; do
	x=$(unzip -p "$T/out.xlsx" xl/charts/$c.xml)
	u=$(echo "$x" | grep -o '<c:majorUnit val="[0-9.]*"' | grep -o '[0-9.]*"' | tr -d '"')
	[ -n "$u" ] && [ "${u%.*}" = "$u" ] || fail "$c: ticks not whole numbers ($u)"
	case $x in *'<c:plotVisOnly val="1"/>'*) fail "$c: hides filtered rows" ;; esac
done
[ "$(unzip -p "$T/out.xlsx" xl/drawings/drawing1.xml | grep -o 'editAs="absolute"' | wc -l)" = 2 ] ||
	fail "charts move or size with filtered rows"
# the verdict table lies below the filter's range
python3 - "$T/out.xlsx" <<'PY' || fail "verdict table inside the filter's range"
import re, sys, zipfile
sys.path.insert(0, sys.argv[0] and __import__("os").environ["SRC"] + "/tests/tools")
import xlsxdump
z, sheets, shared = xlsxdump.load(sys.argv[1])
part = dict(sheets)["规则统计"]
last = int(re.search(r'<autoFilter ref="A1:[A-Z]+(\d+)"', z.read(part).decode()).group(1))
rows = xlsxdump.cells(z, part, shared, False)
at = [i + 1 for i, r in enumerate(rows) if len(r) > 7 and r[7][0] == "结论"]
sys.exit(0 if at and at[0] > last else 1)
PY
exit 0
