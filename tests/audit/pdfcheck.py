#!/usr/bin/python3
"""pdfcheck.py: read audit PDFs back with poppler for tests/audit/*.sh.

  pdfcheck.py text PDF                 text of the body (pdftotext -raw), whitespace, running
                                       headers and page numbers removed
  pdfcheck.py inside PDF               every word lies inside the page; all but the page
                                       number ("— N —") and the running header (in the
                                       top margin, 25..37 mm) inside the margins (37/35/28/26 mm)
  pdfcheck.py wrapped PDF TEXT XMIN XMAX
                                       TEXT (whitespace removed) is drawn on >= 2 lines,
                                       every word of it between XMIN and XMAX points
                                       from the left page edge
  pdfcheck.py pages PDF NAME           every page has a running header naming NAME ("-": any) with
                                       "第 n 页 共 N 页" (n, N within its sheet); the page holding
                                       四、审核意见 has body text above it
  pdfcheck.py outlines PDF             bookmark titles, one per line
  pdfcheck.py tounicode PDF            every font has a /ToUnicode CMap of bfchar/bfrange
                                       entries (no begincidrange), each bfrange within one
                                       high byte (Adobe TN 5014); prints the code points mapped
"""
import html
import re
import subprocess
import sys
import zlib

MM = 72 / 25.4


def words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, check=True).stdout
    pages = []
    for page in re.finditer(rb'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        w, h = float(page.group(1)), float(page.group(2))
        ws = []
        for m in re.finditer(rb'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             page.group(3)):
            ws.append((float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)),
                       html.unescape(m.group(5).decode())))
        pages.append((w, h, ws))
    return pages


def main():
    cmd, pdf = sys.argv[1], sys.argv[2]
    if cmd == "text":
        # the body only: the running header (top margin) and the page number are cropped
        out = subprocess.run(["pdftotext", "-raw", "-x", "0", "-y", "98", "-W", "600", "-H", "647", pdf, "-"],
                             capture_output=True, check=True).stdout
        # page numbers ("— 2 —") and running headers may fall inside text that crosses a page
        text = re.sub(r"\s+", "", out.decode())
        text = re.sub(r"第\d+页共\d+页", "", text)
        sys.stdout.write(re.sub(r"—\d+—", "", text))
        return 0
    if cmd == "inside":
        bad = 0
        for no, (w, h, ws) in enumerate(words(pdf), 1):
            pageno = [x for x in ws if re.fullmatch(r"—|\d+", x[4]) and x[1] > h - 35 * MM]
            for x in ws:
                eps = 1.0
                if x in pageno:
                    ok = 0 <= x[0] and x[2] <= w and 0 <= x[1] and x[3] <= h
                elif x[3] <= 37 * MM and x[1] >= 25 * MM:
                    ok = x[0] >= 28 * MM - eps and x[2] <= w - 26 * MM + eps
                else:
                    ok = (x[0] >= 28 * MM - eps and x[2] <= w - 26 * MM + eps and
                          x[1] >= 37 * MM - eps and x[3] <= h - 35 * MM + eps)
                if not ok:
                    print("page %d: outside: %r" % (no, x))
                    bad += 1
        return 1 if bad else 0
    if cmd == "wrapped":
        want = re.sub(r"\s+", "", sys.argv[3])
        xmin, xmax = float(sys.argv[4]), float(sys.argv[5])
        for w, h, ws in words(pdf):
            text, owner = "", []
            for i, x in enumerate(ws):
                t = re.sub(r"\s+", "", x[4])
                text += t
                owner += [i] * len(t)
            at = text.find(want)
            if at < 0:
                continue
            used = sorted(set(owner[at:at + len(want)]))
            lines = {round(ws[i][1]) for i in used}
            for i in used:
                if ws[i][0] < xmin - 1 or ws[i][2] > xmax + 1:
                    print("outside its cell: %r (cell %.1f..%.1f)" % (ws[i], xmin, xmax))
                    return 1
            if len(lines) < 2:
                print("not wrapped: %r" % [ws[i] for i in used])
                return 1
            return 0
        print("not found: %s" % want)
        return 1
    if cmd == "pages":
        name = sys.argv[3]
        pages = words(pdf)
        seen = []
        for no, (w, h, ws) in enumerate(pages, 1):
            head = "".join(x[4] for x in ws if x[3] <= 37 * MM and x[1] >= 25 * MM)
            m = re.search(r"第(\d+)页共(\d+)页$", head)
            if not m:
                print("page %d: no running header: %r" % (no, head))
                return 1
            seen.append((head[:m.start()], int(m.group(1)), int(m.group(2))))
            body = [x for x in ws if x[1] >= 37 * MM - 1 and x[3] <= h - 35 * MM + 1]
            at = [x for x in body if x[4].startswith("四、审核意见")]
            if at and not [x for x in body if x[3] < at[0][1] - 1]:
                print("page %d: 四、审核意见 alone on its page" % no)
                return 1
        # sheets: runs of pages with the same header, numbered 1..N
        i = 0
        while i < len(seen):
            left, n, total = seen[i]
            if n != 1:
                print("page %d: numbered %d, expected 1" % (i + 1, n))
                return 1
            for k in range(total):
                if i + k >= len(seen) or seen[i + k] != (left, k + 1, total):
                    print("page %d: header %r, expected %r" % (i + k + 1, seen[i + k:i + k + 1], (left, k + 1, total)))
                    return 1
            i += total
        if name != "-" and not all(name in s[0] for s in seen):
            print("header without %s: %r" % (name, seen))
            return 1
        return 0
    if cmd == "tounicode":
        data = open(pdf, "rb").read()
        refs = set(re.findall(rb"/ToUnicode\s+(\d+)\s+0\s+R", data))
        fonts = len(re.findall(rb"/Subtype\s*/Type0", data))
        if not refs or len(refs) != fonts:
            print("%d ToUnicode maps for %d fonts" % (len(refs), fonts))
            return 1
        mapped = set()
        for ref in sorted(refs):
            m = re.search(rb"(?<![0-9])" + ref + rb"\s+0\s+obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S)
            if not m:
                print("ToUnicode object %s not found" % ref.decode())
                return 1
            if b"FlateDecode" in m.group(1):
                cmap = zlib.decompressobj().decompress(data[m.end():])
            else:
                cmap = data[m.end():data.index(b"endstream", m.end())]
            if b"begincidrange" in cmap or b"beginbfrange" not in cmap and b"beginbfchar" not in cmap:
                print("not a ToUnicode map: %r" % cmap[:200])
                return 1
            for blk in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
                for a, b, d in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
                    a, b, d = int(a, 16), int(b, 16), int(d, 16)
                    if a >> 8 != b >> 8 or b < a:
                        print("bfrange crosses a high byte: %04X..%04X" % (a, b))
                        return 1
                    mapped.update(range(d, d + b - a + 1))
            for blk in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
                for a, d in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
                    mapped.add(int(d, 16))
        print("".join(chr(c) for c in sorted(mapped)))
        return 0
    if cmd == "outlines":
        data = open(pdf, "rb").read()
        if b"/Outlines" not in data:
            return 1
        for m in re.finditer(rb"/Title\s*<([0-9A-Fa-f]+)>", data):
            b = bytes.fromhex(m.group(1).decode())
            if b[:2] == b"\xfe\xff":
                print(b[2:].decode("utf-16-be"))
        for m in re.finditer(rb"/Title\s*\(((?:\\.|[^\\)])*)\)", data):
            b = m.group(1)
            if b[:2] == b"\xfe\xff":
                print(b[2:].decode("utf-16-be", "replace"))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
