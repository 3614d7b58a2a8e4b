#!/bin/bash
# The totals rows of 汇总 and 问题明细 say that they count only the rows the
# filter shows, and do: the rows a filter hides are marked hidden, the
# cached values dropped, and LibreOffice Calc recomputes every total over
# the shown rows alone (skipped where Calc is not installed).  Dates are
# Excel dates and line and column numbers (checked in verify.py and here).
. "$SRC/tests/rollup/lib.bash"
command -v libreoffice >/dev/null 2>&1 || exit 77
ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || exit 77  # Calc
mkdir "$T/in"
cp "$SEEDS"/*.txt "$SRC"/examples/reports/*.txt "$T/in/"
fz rollup -q "$T/in" -o "$T/out.xlsx" 2>"$T/err" || fail "rollup: $(cat "$T/err")"
python3 - "$T/out.xlsx" "$T/hidden.xlsx" "$T/want" <<'PY' || fail "cannot prepare the filtered copy"
import os, re, sys, zipfile
sys.path.insert(0, os.path.join(os.environ["SRC"], "tests", "tools"))
import xlsxdump
src, dst, want = sys.argv[1:]
z, sheets, shared = xlsxdump.load(src)
parts = dict(sheets)
out = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
expect = []
for name, hide in (("汇总", {2, 4, 5}), ("问题明细", set(range(2, 40, 3)))):
    rows = xlsxdump.cells(z, parts[name], shared, False)
    head = [v for v, _ in rows[0]]
    body = rows[1:-1]
    shown = [r for i, r in enumerate(body) if i + 2 not in hide]
    col = {h: i for i, h in enumerate(head)}
    val = lambda r, h: r[col[h]][0] if col[h] < len(r) else ""
    if name == "汇总":
        expect.append("汇总 文件 %d" % len(shown))
        expect.append("汇总 结论 %d" % sum(val(r, "结论") == "不合格" for r in shown))
        for h in ("错误", "警告", "提示"):
            expect.append("汇总 %s %d" % (h, sum(int(val(r, h)) for r in shown)))
        for h in head[head.index("字数") + 1:head.index("标题")]:
            expect.append("汇总 %s %d" % (h, sum(val(r, h).startswith("✗") for r in shown)))
    else:
        expect.append("问题明细 规则 %d" % len(shown))
    open(want, "a").write("\n".join(expect[-100:]) + "\n")
    expect.clear()
for item in z.infolist():
    data = z.read(item)
    for name, hide in (("汇总", {2, 4, 5}), ("问题明细", set(range(2, 40, 3)))):
        if item.filename == parts[name]:
            x = data.decode()
            for r in hide:
                x = re.sub(r'<row r="%d"(?=[ >])' % r, '<row r="%d" hidden="1"' % r, x, 1)
            x = re.sub(r"(</f>)<v>[^<]*</v>", r"\1", x)  # no cached values: Calc must compute
            data = x.encode()
    out.writestr(item, data)
out.close()
PY
# every sheet as its own CSV, hidden-SHEET.csv
HOME="$T" timeout 180 libreoffice --headless --norestore --convert-to \
	'csv:Text - txt - csv (StarCalc):9,34,76,1,,0,false,true,false,false,false,-1' \
	--outdir "$T" "$T/hidden.xlsx" >"$T/lo.log" 2>&1 || fail "libreoffice: $(cat "$T/lo.log")"
python3 - "$T" <<'PY' >"$T/got" || fail "cannot read Calc's values"
import csv, os, sys
d = sys.argv[1]
for name in ("汇总", "问题明细"):
    rows = list(csv.reader(open(os.path.join(d, "hidden-%s.csv" % name), encoding="utf-8"),
                           delimiter="\t"))
    head, tot = rows[0], rows[-1]
    assert tot[:2] == ["合计", "只计筛选后显示的行"], tot[:2]
    if name == "汇总":
        print("汇总 文件 %s" % tot[head.index("文件")].replace(" 份", ""))
        print("汇总 结论 %s" % tot[head.index("结论")].replace("不合格 ", ""))
        for h in ("错误", "警告", "提示"):
            print("汇总 %s %s" % (h, tot[head.index(h)].replace(",", "")))
        for h in head[head.index("字数") + 1:head.index("标题")]:
            print("汇总 %s %s" % (h, tot[head.index(h)].replace("缺 ", "")))
    else:
        print("问题明细 规则 %s" % tot[head.index("规则")].replace(" 条", ""))
PY
diff -u "$T/want" "$T/got" || fail "totals do not follow the filter in Calc"
exit 0
