#!/usr/bin/env python3
"""cfcheck.py WORKBOOK: evaluate every conditional format rule of every sheet as
Excel does and check it against the cell it covers.

  cellIs equal "X"            the cell's value equals X
  expression LEFT(REF,1)="M"  REF is relative to the range's top-left cell and
                              moves with each covered cell; LEFT counts characters:
                              the rule must fire exactly on the cells whose text
                              starts with M
Rules of other kinds (beginsWith, containsText ...) are refused: libxlsxwriter 1.1.4
writes their formulas against the wrong cell and counts bytes.  Each sheet's rules
must also hold on page set-up: A4, margins, a header naming the sheet and a footer
"第 &P 页 共 &N 页".
"""
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, __import__("os").path.join(__import__("os").path.dirname(__file__), "..", "tools"))
import xlsxdump  # noqa: E402

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def cell_range(ref):
    a, _, b = ref.partition(":")
    b = b or a
    (c0, r0), (c1, r1) = (split(x) for x in (a, b))
    return r0, c0, r1, c1


def split(ref):
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    return xlsxdump.col_index(m.group(1) + "1"), int(m.group(2))


def colname(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def main(path):
    z, sheets, shared = xlsxdump.load(path)
    bad = 0
    nrules = 0
    for name, part in sheets:
        rows = xlsxdump.cells(z, part, shared, False)
        value = lambda r, c: rows[r - 1][c][0] if r - 1 < len(rows) and c < len(rows[r - 1]) else ""
        root = ET.fromstring(z.read(part))
        for cf in root.findall("m:conditionalFormatting", NS):
            for ref in cf.get("sqref").split():
                r0, c0, r1, c1 = cell_range(ref)
                for rule in cf.findall("m:cfRule", NS):
                    nrules += 1
                    typ = rule.get("type")
                    formula = rule.find("m:formula", NS)
                    f = formula.text if formula is not None else ""
                    if typ == "cellIs" and rule.get("operator") == "equal":
                        want = f.strip('"')
                        test = lambda r, c: value(r, c) == want
                        starts = None
                    elif typ == "cellIs" or typ == "dataBar":
                        continue
                    elif typ == "expression":
                        m = re.fullmatch(r'LEFT\(([A-Z]+)(\d+),(\d+)\)="(.*)"', f)
                        if not m:
                            print("%s %s: formula not understood: %s" % (name, ref, f))
                            bad += 1
                            continue
                        fc, fr = xlsxdump.col_index(m.group(1) + "1"), int(m.group(2))
                        if (fr, fc) != (r0, c0):
                            print("%s %s: formula anchored on %s%d, not the top-left cell" %
                                  (name, ref, m.group(1), fr))
                            bad += 1
                            continue
                        n, mark = int(m.group(3)), m.group(4)
                        # Excel: LEFT counts characters
                        test = lambda r, c, n=n, mark=mark: value(r, c)[:n] == mark
                        starts = mark
                    else:
                        print("%s %s: rule type %s is not evaluated as intended by Excel" % (name, ref, typ))
                        bad += 1
                        continue
                    for r in range(r0, r1 + 1):
                        for c in range(c0, c1 + 1):
                            v = value(r, c)
                            if starts is not None and test(r, c) != v.startswith(starts):
                                print("%s %s%d %r: rule %s gives %s" % (name, colname(c), r, v, f, test(r, c)))
                                bad += 1
        ps = root.find("m:pageSetup", NS)
        hf = root.find("m:headerFooter", NS)
        if ps is None or ps.get("paperSize") != "9" or root.find("m:pageMargins", NS) is None:
            print("%s: no A4 page set-up" % name)
            bad += 1
        if hf is None or "&A" not in (hf.findtext("m:oddHeader", "", NS)) or \
                "第 &P 页 共 &N 页" not in hf.findtext("m:oddFooter", "", NS):
            print("%s: header/footer without the sheet name or 第 &P 页 共 &N 页" % name)
            bad += 1
    if nrules == 0:
        print("no conditional formats")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
