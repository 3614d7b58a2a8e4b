#!/usr/bin/env python3
"""mkcorpus.py N DIR [--docx]: write N reports made from the seed reports into DIR,
with unit names and years varied so no two files are the same.  With --docx, also
write every other report as a minimal .docx (one w:p per line); with
--all-docx, every report.  With --own, each report's text is its own: a third of
the Chinese characters of every line changed at random but the first and the
numbered headings of up to 30 characters, so that almost none are copies -- the batch
of units that each wrote their own report, where the copy check finds few partners."""
import os, random, re, sys, zipfile
from xml.sax.saxutils import escape

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    docx = "--docx" in sys.argv or "--all-docx" in sys.argv
    own = "--own" in sys.argv
    every = 1 if "--all-docx" in sys.argv else 2
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    seeds_dir = os.environ.get("SHARED", os.path.join(src, "..", "shared")) + "/corpus/seeds"
    seeds = []
    for d in (seeds_dir, os.path.join(src, "examples", "reports")):
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                if f.endswith(".txt"):
                    seeds.append(open(os.path.join(d, f), encoding="utf-8").read())
    names = "青河 白沙 东坝 西岭 南山 北湖 石门 柳林 龙泉 金川 银滩 红旗 新民 永安 长乐".split()
    rnd = random.Random(42)
    if own:
        # full reports only: a short outline of headings would stay one
        # text in every copy
        seeds = [t for t in seeds if len(t) >= 1000]
    han = sorted({c for t in seeds for c in t if "\u4e00" <= c <= "\u9fff"})
    heading = re.compile(r"\s*(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[）)])")
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        t = seeds[i % len(seeds)]
        unit = names[i % len(names)] + names[(i // len(names)) % len(names)]
        year = 2019 + i % 6
        t = re.sub(r"20(2[0-9])年", lambda m: "%d年" % (year + (int(m.group(1)) - 24 if int(m.group(1)) >= 24 else 0)), t)
        t = re.sub(r"(鲁沙尔|古尔图|下汤|中仓|沙柳河|青河)(镇|乡)", unit + r"\2", t)
        if own:
            t = "\n".join(l if k == 0 or (len(l) <= 30 and heading.match(l)) else "".join(
                rnd.choice(han) if "\u4e00" <= c <= "\u9fff" and rnd.random() < 0.33 else c
                for c in l) for k, l in enumerate(t.split("\n")))
        t += "\n（编号 %d-%d）\n" % (i, rnd.randrange(10**6))
        base = os.path.join(out, "r%05d" % i)
        if docx and (every == 1 or i % 2):
            body = "".join("<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % escape(l)
                           for l in t.split("\n"))
            with zipfile.ZipFile(base + ".docx", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
                z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
                z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % body)
        else:
            with open(base + ".txt", "w", encoding="utf-8") as f:
                f.write(t)

main()
