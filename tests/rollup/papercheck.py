#!/usr/bin/env python3
"""papercheck.py WORKBOOK: the sheets print readably (issue 14, item 7).

  - 汇总, 问题明细 and 矩阵 print landscape on A4 with their header rows
    repeated; each either fits one page wide at a scale that keeps the 11 pt
    text at 8 pt or more, or prints at 73 % or more in column groups that each
    fit a page, with the unit column repeated (Print_Titles $A:...);
  - every sheet has an A4 page set-up, 说明 included (portrait there);
  - no cell is cut: a row whose text needs more than one line at its
    column's width (CJK characters two digit widths) has a height of at least
    12 pt a line, header rows included.
Widths are Excel's: a column of width w is w*7+5 pixels at 96 dpi.
"""
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
import xlsxdump  # noqa: E402

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
errors = []


def width_of(text):
    return max((sum(1 if ord(c) < 0x1100 else 2 for c in line) for line in text.split("\n")), default=0)


def lines(text, w):
    cap = max(w - 1, 1)
    return sum(max(1, math.ceil(sum(1 if ord(c) < 0x1100 else 2 for c in line) / cap))
               for line in text.split("\n"))


def main(path):
    z, sheets, shared = xlsxdump.load(path)
    wb = z.read("xl/workbook.xml").decode()
    st = ET.fromstring(z.read("xl/styles.xml"))
    wraps = [x.find(M + "alignment") is not None and x.find(M + "alignment").get("wrapText") == "1"
             for x in st.find(M + "cellXfs")]
    titles = dict(re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)<', wb))
    for idx, (name, part) in enumerate(sheets):
        root = ET.fromstring(z.read(part))
        ps = root.find(M + "pageSetup")
        if ps is None or ps.get("paperSize") != "9":
            errors.append("%s: not A4" % name)
            continue
        orient = ps.get("orientation")
        if name == "说明":
            if orient != "portrait":
                errors.append("说明: not portrait")
        elif orient != "landscape":
            errors.append("%s: not landscape" % name)
        if root.find(M + "pageMargins") is None:
            errors.append("%s: no margins" % name)
        widths = {}
        for c in root.iter(M + "col"):
            for i in range(int(c.get("min")), int(c.get("max")) + 1):
                widths[i - 1] = float(c.get("width")) - 0.7109375
        px = lambda c: widths.get(c, 8.43) * 7 + 5
        page = ((8.27 if orient == "portrait" else 11.69) - 1.0) * 96
        fit = root.find(M + "sheetPr/" + M + "pageSetUpPr")
        fit = fit is not None and fit.get("fitToPage") == "1"
        ncol = max(widths) + 1 if widths else 0
        if name in ("汇总", "问题明细", "矩阵"):
            if "$1:$" not in titles.get(str(idx), ""):
                errors.append("%s: header rows not repeated" % name)
            total = sum(px(c) for c in range(ncol))
            if fit:
                if ps.get("fitToWidth", "1") != "1" or ps.get("fitToHeight") != "0":
                    errors.append("%s: fit not one page wide" % name)
                if page / total * 11 < 8:
                    errors.append("%s: one page wide is %.1f pt" % (name, page / total * 11))
            else:
                scale = int(ps.get("scale", "100"))
                if scale * 11 / 100 < 8:
                    errors.append("%s: printed at %d %%" % (name, scale))
                brk = [int(b.get("id")) for cb in root.iter(M + "colBreaks") for b in cb]
                m = re.search(r"\$A:\$([A-Z]+)", titles.get(str(idx), ""))
                if not m:
                    errors.append("%s: split across pages without the unit column repeated" % name)
                    continue
                rep = xlsxdump.col_index(m.group(1) + "1")
                repw = sum(px(c) for c in range(rep + 1))
                edges = [0] + brk + [ncol]
                for a, b in zip(edges, edges[1:]):
                    w = sum(px(c) for c in range(a, b)) + (repw if a > 0 else 0)
                    if w * scale / 100 > page:
                        errors.append("%s: columns %d-%d do not fit a page (%d px)" % (name, a, b - 1, w))
        # rows tall enough for their text
        heights = {int(r.get("r")) - 1: float(r.get("ht")) for r in root.iter(M + "row") if r.get("ht")}
        rows = xlsxdump.cells(z, part, shared, False)
        style = {}
        for c in root.iter(M + "c"):
            m = re.match(r"([A-Z]+)(\d+)", c.get("r"))
            style[(int(m.group(2)) - 1, xlsxdump.col_index(m.group(1) + "1"))] = int(c.get("s", "0"))
        for ri, row in enumerate(rows):
            need = 1
            for ci, (v, t) in enumerate(row):
                # a text that does not wrap runs on into the empty cells beside it
                if t == "s" and v and wraps[style.get((ri, ci), 0)]:
                    need = max(need, lines(v, widths.get(ci, 8.43)))
            if need > 1 and heights.get(ri, 15) < 12 * need:
                errors.append("%s row %d: %d lines in %s pt" % (name, ri + 1, need, heights.get(ri, 15)))
    for e in errors[:30]:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
