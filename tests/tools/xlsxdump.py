#!/usr/bin/env python3
"""xlsxdump.py: read an .xlsx back with nothing but zipfile and ElementTree.

  xlsxdump.py FILE --sheets          sheet names, one a line, in workbook order
  xlsxdump.py FILE SHEET             the sheet's rows as tab-separated values
  xlsxdump.py FILE SHEET --formulas  same, formulas shown as =FORMULA
  xlsxdump.py FILE SHEET --links     hyperlinks: CELL<TAB>location (internal) or target
  xlsxdump.py FILE SHEET --types     rows of cell types: n number, s text, f formula, - empty

Tabs and newlines inside cells are shown as \\t and \\n.  Used by tests/rollup.
"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
RID = "{%s}id" % NS["r"]


def text_of(el):
    """Concatenated <t> text of a string item (plain or rich text)."""
    return "".join(t.text or "" for t in el.iter("{%s}t" % NS["m"]))


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def load(path):
    z = zipfile.ZipFile(path)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    sheets = []
    for s in wb.find("m:sheets", NS).findall("m:sheet", NS):
        t = target[s.get(RID)]
        t = t.lstrip("/")
        if not t.startswith("xl/"):
            t = "xl/" + t
        sheets.append((s.get("name"), t))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
        shared = [text_of(si) for si in sst.findall("m:si", NS)]
    return z, sheets, shared


def cells(z, part, shared, formulas):
    """Rows of (value, type) lists, in sheet order."""
    root = ET.fromstring(z.read(part))
    out = []
    for row in root.find("m:sheetData", NS).findall("m:row", NS):
        r = int(row.get("r"))
        while len(out) < r:
            out.append([])
        vals = out[r - 1]
        for c in row.findall("m:c", NS):
            i = col_index(c.get("r"))
            t = c.get("t", "n")
            f = c.find("m:f", NS)
            v = c.find("m:v", NS)
            if f is not None:
                kind = "f"
                val = "=" + (f.text or "") if formulas else (v.text if v is not None else "")
            elif t == "s":
                kind, val = "s", shared[int(v.text)]
            elif t == "inlineStr":
                kind, val = "s", text_of(c.find("m:is", NS))
            elif t == "str":
                kind, val = "s", v.text if v is not None else ""
            elif v is None:
                kind, val = "-", ""
            else:
                kind, val = "n", v.text
                if re.fullmatch(r"-?\d+\.0", val):
                    val = val[:-2]
            while len(vals) <= i:
                vals.append(("", "-"))
            vals[i] = (val, kind)
    return out


def links(z, part):
    root = ET.fromstring(z.read(part))
    hl = root.find("m:hyperlinks", NS)
    if hl is None:
        return []
    relpart = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    target = {}
    if relpart in z.namelist():
        rels = ET.fromstring(z.read(relpart))
        target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    out = []
    for h in hl.findall("m:hyperlink", NS):
        loc = h.get("location")
        out.append((h.get("ref"), loc if loc is not None else target.get(h.get(RID), "")))
    return out


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    z, sheets, shared = load(argv[1])
    if argv[2] == "--sheets":
        for name, _ in sheets:
            print(name)
        return 0
    parts = dict(sheets)
    if argv[2] not in parts:
        sys.stderr.write("xlsxdump: no sheet %s\n" % argv[2])
        return 1
    part = parts[argv[2]]
    opt = argv[3] if len(argv) > 3 else ""
    if opt == "--links":
        for ref, loc in links(z, part):
            print("%s\t%s" % (ref, loc))
        return 0
    for row in cells(z, part, shared, opt == "--formulas"):
        if opt == "--types":
            print("\t".join(k for _, k in row))
        else:
            print("\t".join(esc(v) for v, _ in row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
